//! A plan as data: the 基本政策 > 政策 > 施策 hierarchy with every field's
//! text as written. It is what the tables hold (the official 17-column
//! layout), so import builds one and prints it as a `.plan`, and export
//! builds one from the model and writes JSON, CSV, `.xlsx` or HTML.
//!
//! Values are kept as the text the user wrote (`5,900人`, `Ｃ`), never
//! re-rendered: a round trip through a table must give the same plan.
//! Multi-line text keeps its lines, joined by `\n`.

use crate::model::{BlockKind, Document, FieldKey, Workspace};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Sheet {
    /// The `計画` block, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanInfo>,
    pub basic_policies: Vec<BasicPolicy>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// 実績年度 (e.g. `令和4年度`): the year of the 実績 column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_year: Option<String>,
    /// 目標年度: the year of the 目標 column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_year: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BasicPolicy {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
    pub policies: Vec<Policy>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Policy {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
    pub measures: Vec<Measure>,
}

/// A 施策 and everything in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Measure {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// 全体評価.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overall_grade: Option<String>,
    /// 自己評価.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_assessment: Option<String>,
    /// The 施策's 定量評価 (高/中/低), as stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantitative_level: Option<String>,
    /// The 施策's 定性評価 (高/中/低), as stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualitative_level: Option<String>,
    /// 次期課題, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub next_issues: Vec<String>,
    /// 次期方向性, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub next_directions: Vec<String>,
    /// 代表課.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// 備考.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
    pub indicators: Vec<Indicator>,
    pub developments: Vec<Development>,
    /// Computed ratings (`--with-computed`); never read back.
    #[serde(default, skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub computed: Option<ComputedMeasure>,
}

/// A 指標.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Indicator {
    pub title: String,
    /// 実績.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// 目標.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// 見込み.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forecast: Option<String>,
    /// 方向 (増加/減少).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// 定量評価 (A–D or -), as stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub computed: Option<ComputedIndicator>,
}

/// A 施策の展開.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Development {
    pub title: String,
    /// 取組 (主な取組), one per item.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    /// 成果.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<String>,
    /// 課題.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<String>,
    /// 定性評価 (高/中/低), as stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ComputedIndicator {
    /// The grade the legend gives (A–D, or `-`), `None` when it cannot be computed.
    pub grade: Option<String>,
    /// The achievement ratio in percent, rounded to 0.1, when there is one.
    pub ratio_percent: Option<String>,
    /// The lower bounds of C, B and A in percent, of the scheme it was
    /// computed with (the report draws them); not exported.
    #[serde(skip)]
    #[schemars(skip)]
    pub bands: [rust_decimal::Decimal; 3],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ComputedMeasure {
    pub quantitative_level: Option<String>,
    pub qualitative_level: Option<String>,
}

impl Sheet {
    /// The sheet of a workspace: containers reopened in several files (or
    /// several times) are merged by ID, in order of first appearance.
    pub fn from_workspace(workspace: &Workspace) -> Sheet {
        let mut sheet = Sheet::default();
        for doc in &workspace.docs {
            sheet.add_document(doc);
        }
        sheet
    }

    fn add_document(&mut self, doc: &Document) {
        for &root in &doc.roots {
            self.add_block(doc, root, &[]);
        }
    }

    /// Adds a block under the containers named by `path` (IDs of the 基本政策
    /// and 政策 it is in, as far as known).
    fn add_block(&mut self, doc: &Document, id: usize, path: &[String]) {
        let block = &doc.blocks[id];
        let block_id = block.id.as_ref().map(|i| crate::model::normalize_id(&i.value)).unwrap_or_default();
        let title = block.title.as_ref().map(|t| t.value.clone());
        let remarks = texts(block, FieldKey::Remark);
        match block.kind {
            Some(BlockKind::Plan) => {
                let plan = self.plan.get_or_insert_with(PlanInfo::default);
                plan.title = plan.title.take().or(title);
                plan.actual_year = plan.actual_year.take().or_else(|| text(block, FieldKey::ActualYear));
                plan.target_year = plan.target_year.take().or_else(|| text(block, FieldKey::TargetYear));
                plan.remarks.extend(remarks);
                for &child in &block.children {
                    self.add_block(doc, child, &[]);
                }
            }
            Some(BlockKind::BasicPolicy) => {
                let basic = self.basic_policy(&block_id);
                basic.title = basic.title.take().or(title);
                basic.remarks.extend(remarks);
                for &child in &block.children {
                    self.add_block(doc, child, std::slice::from_ref(&block_id));
                }
            }
            Some(BlockKind::Policy) => {
                let basic_id = path.first().cloned().unwrap_or_else(|| block_id.split('-').next().unwrap_or("").to_string());
                let policy = self.policy(&basic_id, &block_id);
                policy.title = policy.title.take().or(title);
                policy.remarks.extend(remarks);
                for &child in &block.children {
                    self.add_block(doc, child, &[basic_id.clone(), block_id.clone()]);
                }
            }
            Some(BlockKind::Measure) => {
                let mut parts = block_id.split('-');
                let basic_id = path.first().cloned().unwrap_or_else(|| parts.next().unwrap_or("").to_string());
                let policy_id = path.get(1).cloned().unwrap_or_else(|| block_id.rsplit_once('-').map_or(String::new(), |(p, _)| p.to_string()));
                let measure = measure_of(doc, id, block_id);
                self.policy(&basic_id, &policy_id).measures.push(measure);
            }
            // A 指標 or 展開 outside a 施策, an unknown block: not part of
            // the table (the checker reports them).
            _ => {}
        }
    }

    fn basic_policy(&mut self, id: &str) -> &mut BasicPolicy {
        let index = match self.basic_policies.iter().position(|b| b.id == id) {
            Some(i) => i,
            None => {
                self.basic_policies.push(BasicPolicy { id: id.to_string(), ..Default::default() });
                self.basic_policies.len() - 1
            }
        };
        &mut self.basic_policies[index]
    }

    fn policy(&mut self, basic_id: &str, id: &str) -> &mut Policy {
        let basic = self.basic_policy(basic_id);
        let index = match basic.policies.iter().position(|p| p.id == id) {
            Some(i) => i,
            None => {
                basic.policies.push(Policy { id: id.to_string(), ..Default::default() });
                basic.policies.len() - 1
            }
        };
        &mut basic.policies[index]
    }

    /// Every 施策, in order, with the 基本政策 and 政策 it is in.
    pub fn measures(&self) -> impl Iterator<Item = (&BasicPolicy, &Policy, &Measure)> {
        self.basic_policies.iter().flat_map(|b| b.policies.iter().flat_map(move |p| p.measures.iter().map(move |m| (b, p, m))))
    }

    /// Fills in the computed ratings (`--with-computed`), with one scheme
    /// for every 施策 (a sheet read from a table, which has no config of its
    /// own; a workspace's sheet is computed with each file's config by
    /// [`Sheet::from_workspace_computed`]).
    pub fn compute(&mut self, scheme: &crate::rating::RatingScheme) {
        for basic in &mut self.basic_policies {
            for policy in &mut basic.policies {
                for measure in &mut policy.measures {
                    compute_measure(measure, scheme);
                }
            }
        }
    }

    /// The sheet of a workspace with its computed ratings, each 施策 rated
    /// with the scheme of the file it is written in (`schemes[i]` is the
    /// scheme of `workspace.docs[i]`).
    pub fn from_workspace_computed(workspace: &Workspace, schemes: &[&crate::rating::RatingScheme]) -> Sheet {
        assert_eq!(workspace.docs.len(), schemes.len(), "one scheme per document");
        let mut sheet = Sheet::default();
        for (doc, scheme) in workspace.docs.iter().zip(schemes) {
            sheet.add_document(doc);
            sheet.compute_added(scheme);
        }
        sheet
    }

    /// Computes the 施策 not computed yet: those of the document just added.
    fn compute_added(&mut self, scheme: &crate::rating::RatingScheme) {
        for measure in self.basic_policies.iter_mut().flat_map(|b| &mut b.policies).flat_map(|p| &mut p.measures) {
            if measure.computed.is_none() {
                compute_measure(measure, scheme);
            }
        }
    }
}

/// A 施策's computed ratings, by the legend's functions in [`crate::rating`]
/// (the rules' own): values read with the model's parsers, an unreadable
/// grade or level meaning no summary, an absent one left out.
fn compute_measure(measure: &mut Measure, scheme: &crate::rating::RatingScheme) {
    use crate::model::value::{parse_direction, parse_indicator_grade, parse_level, parse_quantity};
    use crate::rating::{IndicatorRating, Stated, qualitative_of_stated, quantitative_of_stated, rate_stated_indicator};
    let bands = [scheme.indicator.c, scheme.indicator.b, scheme.indicator.a];
    let mut grades = Vec::new();
    for indicator in &mut measure.indicators {
        let quantity = |t: &Option<String>| Stated::of_text(t.as_deref(), parse_quantity);
        let (actual, target, forecast) = (quantity(&indicator.actual), quantity(&indicator.target), quantity(&indicator.forecast));
        let direction = Stated::of_text(indicator.direction.as_deref(), parse_direction);
        let rating = rate_stated_indicator(scheme, actual.as_ref(), forecast.as_ref(), target.as_ref(), direction);
        let ratio = match &rating {
            Some(IndicatorRating::Graded { percent, .. }) => Some(percent.to_string()),
            _ => None,
        };
        indicator.computed = Some(ComputedIndicator { grade: rating.and_then(|r| r.grade()).map(|g| g.to_string()), ratio_percent: ratio, bands });
        grades.push(Stated::of_text(indicator.grade.as_deref(), parse_indicator_grade));
    }
    let levels: Vec<_> = measure.developments.iter().map(|d| Stated::of_text(d.level.as_deref(), parse_level)).collect();
    measure.computed = Some(ComputedMeasure {
        quantitative_level: quantitative_of_stated(scheme, grades).map(|s| s.summary.level.to_string()),
        qualitative_level: qualitative_of_stated(scheme, levels).map(|s| s.summary.level.to_string()),
    });
}

fn text(block: &crate::model::Block, key: FieldKey) -> Option<String> {
    block.field(key).map(|f| f.text.clone())
}

fn texts(block: &crate::model::Block, key: FieldKey) -> Vec<String> {
    block.fields_with(key).map(|f| f.text.clone()).collect()
}

fn measure_of(doc: &Document, id: usize, measure_id: String) -> Measure {
    let block = &doc.blocks[id];
    let mut measure = Measure {
        id: measure_id,
        title: block.title.as_ref().map(|t| t.value.clone()),
        overall_grade: text(block, FieldKey::OverallGrade),
        self_assessment: text(block, FieldKey::SelfAssessment),
        quantitative_level: text(block, FieldKey::QuantitativeLevel),
        qualitative_level: text(block, FieldKey::QualitativeLevel),
        next_issues: texts(block, FieldKey::NextIssue),
        next_directions: texts(block, FieldKey::NextDirection),
        department: text(block, FieldKey::Department),
        remarks: texts(block, FieldKey::Remark),
        ..Default::default()
    };
    for &child in &block.children {
        let child_block = &doc.blocks[child];
        let title = child_block.title.as_ref().map(|t| t.value.clone()).unwrap_or_default();
        match child_block.kind {
            Some(BlockKind::Indicator) => measure.indicators.push(Indicator {
                title,
                actual: text(child_block, FieldKey::Actual),
                target: text(child_block, FieldKey::Target),
                forecast: text(child_block, FieldKey::Forecast),
                direction: text(child_block, FieldKey::Direction),
                grade: text(child_block, FieldKey::IndicatorGrade),
                remarks: texts(child_block, FieldKey::Remark),
                computed: None,
            }),
            Some(BlockKind::Development) => measure.developments.push(Development {
                title,
                actions: texts(child_block, FieldKey::Action),
                results: texts(child_block, FieldKey::Result),
                issues: texts(child_block, FieldKey::Issue),
                level: text(child_block, FieldKey::DevelopmentLevel),
                remarks: texts(child_block, FieldKey::Remark),
            }),
            _ => {}
        }
    }
    measure
}

/// Writes a sheet as a `.plan` in the formatter's layout. Comments given by
/// `notes` (block path → lines) are written at the top of the blocks they
/// name; the importer uses them to say where cells came from.
pub struct PlanWriter<'a> {
    out: String,
    depth: usize,
    notes: &'a dyn Fn(&NoteTarget) -> Vec<String>,
    /// Where the output ended right after the last block header: a block
    /// closed there is empty (a field's value may end in ` {` too).
    header_end: Option<usize>,
}

/// Where a comment goes: before a block's fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NoteTarget {
    File,
    Measure(String),
    Indicator(String, usize),
    Development(String, usize),
}

impl Sheet {
    /// The sheet as `.plan` text, in the formatter's canonical layout.
    pub fn to_plan(&self) -> String {
        self.to_plan_with_notes(&|_| Vec::new())
    }

    pub fn to_plan_with_notes(&self, notes: &dyn Fn(&NoteTarget) -> Vec<String>) -> String {
        let mut w = PlanWriter { out: String::new(), depth: 0, notes, header_end: None };
        w.comments(&NoteTarget::File);
        if let Some(plan) = &self.plan {
            w.open("計画", None, plan.title.as_deref());
            w.field("実績年度", plan.actual_year.as_deref());
            w.field("目標年度", plan.target_year.as_deref());
            w.fields("備考", &plan.remarks);
            w.close();
        }
        for basic in &self.basic_policies {
            w.open("基本政策", Some(&basic.id), basic.title.as_deref());
            w.fields("備考", &basic.remarks);
            for policy in &basic.policies {
                w.open("政策", Some(&policy.id), policy.title.as_deref());
                w.fields("備考", &policy.remarks);
                for measure in &policy.measures {
                    w.measure(measure);
                }
                w.close();
            }
            w.close();
        }
        w.out
    }
}

impl PlanWriter<'_> {
    fn line(&mut self, text: &str) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn comments(&mut self, target: &NoteTarget) {
        for note in (self.notes)(target) {
            for line in note.lines() {
                self.line(format!("# {line}").trim_end());
            }
        }
    }

    fn open(&mut self, keyword: &str, id: Option<&str>, title: Option<&str>) {
        let mut header = keyword.to_string();
        for part in [id, title.map(one_line).as_deref()].into_iter().flatten().filter(|p| !p.is_empty()) {
            header.push(' ');
            header.push_str(part);
        }
        header.push_str(" {");
        self.line(&header);
        self.header_end = Some(self.out.len());
        self.depth += 1;
    }

    fn close(&mut self) {
        self.depth -= 1;
        // An empty block is written `{}` on its header line, as the formatter does.
        if self.header_end == Some(self.out.len()) {
            self.out.truncate(self.out.len() - 1);
            self.out.push_str("}\n");
            return;
        }
        self.line("}");
    }

    /// A field, on one line when its value is one line, else as a text block
    /// (also a value that starts or ends with U+FEFF: blank to the grammar at
    /// a value's edges, kept on a text line).
    fn field(&mut self, key: &str, value: Option<&str>) {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else { return };
        if value.contains('\n') || value.starts_with(crate::syntax::is_blank) || value.ends_with(crate::syntax::is_blank) {
            self.line(&format!("{key}:"));
            self.depth += 1;
            for line in value.lines() {
                let line = line.trim_end();
                if line.is_empty() { self.line("|") } else { self.line(&format!("| {line}")) }
            }
            self.depth -= 1;
        } else {
            self.line(&format!("{key}: {value}"));
        }
    }

    fn fields(&mut self, key: &str, values: &[String]) {
        for value in values {
            self.field(key, Some(value));
        }
    }

    fn measure(&mut self, m: &Measure) {
        self.open("施策", Some(&m.id), m.title.as_deref());
        self.comments(&NoteTarget::Measure(m.id.clone()));
        self.field("全体評価", m.overall_grade.as_deref());
        self.field("自己評価", m.self_assessment.as_deref());
        for (i, indicator) in m.indicators.iter().enumerate() {
            self.open("指標", None, Some(&indicator.title));
            self.comments(&NoteTarget::Indicator(m.id.clone(), i));
            self.field("実績", indicator.actual.as_deref());
            self.field("目標", indicator.target.as_deref());
            self.field("見込み", indicator.forecast.as_deref());
            self.field("方向", indicator.direction.as_deref());
            self.field("定量評価", indicator.grade.as_deref());
            self.fields("備考", &indicator.remarks);
            self.close();
        }
        self.field("定量評価", m.quantitative_level.as_deref());
        for (i, development) in m.developments.iter().enumerate() {
            self.open("展開", None, Some(&development.title));
            self.comments(&NoteTarget::Development(m.id.clone(), i));
            self.fields("取組", &development.actions);
            self.fields("成果", &development.results);
            self.fields("課題", &development.issues);
            self.field("定性評価", development.level.as_deref());
            self.fields("備考", &development.remarks);
            self.close();
        }
        self.field("定性評価", m.qualitative_level.as_deref());
        for i in 0..m.next_issues.len().max(m.next_directions.len()) {
            self.field("次期課題", m.next_issues.get(i).map(String::as_str));
            self.field("次期方向性", m.next_directions.get(i).map(String::as_str));
        }
        self.field("代表課", m.department.as_deref());
        self.fields("備考", &m.remarks);
        self.close();
    }
}

/// A title on one line: line breaks inside a table cell become spaces.
pub fn one_line(text: &str) -> String {
    text.split(['\n', '\r']).map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_ending_in_a_brace_does_not_close_its_block() {
        let text = "基本政策 1 {\n  政策 1-1 {\n    施策 1-1-1 a {\n      全体評価: A\n      備考: {\n    }\n    施策 1-1-2 b {}\n  }\n}\n";
        let sheet = Sheet::from_workspace(&Workspace::new(vec![Document::parse("a.plan", text)]));
        assert_eq!(sheet.to_plan(), text);
    }

    #[test]
    fn a_plan_round_trips_through_the_sheet() {
        let text = "計画 総合計画 {\n  実績年度: 令和4年度\n  目標年度: 令和6年度\n}\n基本政策 1 健康 {\n  政策 1-1 保健 {\n    施策 1-1-1 健康づくり {\n      全体評価: A\n      自己評価:\n        | 一行目。\n        | 二行目。\n      指標 参加者数 {\n        実績: 5,900人\n        目標: 10,650人\n        定量評価: C\n      }\n      定量評価: 低\n      展開 支援 {\n        取組: 拠点整備\n        取組: 教室\n        成果: 開催した。\n        定性評価: 中\n      }\n      定性評価: 中\n      次期課題: 課題。\n      次期方向性: 方向。\n      代表課: 健康づくり課\n    }\n  }\n}\n";
        let doc = Document::parse("a.plan", text);
        let sheet = Sheet::from_workspace(&Workspace::new(vec![doc]));
        assert_eq!(sheet.to_plan(), text);
        let measure = sheet.measures().next().unwrap().2;
        assert_eq!(measure.self_assessment.as_deref(), Some("一行目。\n二行目。"));
        assert_eq!(measure.developments[0].actions, vec!["拠点整備", "教室"]);
    }

    #[test]
    fn containers_reopened_across_files_are_merged_and_measures_find_their_policy_by_id() {
        let a = Document::parse("a.plan", "基本政策 1 健康 {\n}\n政策 1-1 保健 {\n}\n");
        let b = Document::parse("b.plan", "施策 1-1-2 医療 {\n  全体評価: B\n}\n基本政策 1 {\n  政策 1-1 {\n    施策 1-1-1 健康 {\n    }\n  }\n}\n");
        let sheet = Sheet::from_workspace(&Workspace::new(vec![a, b]));
        assert_eq!(sheet.basic_policies.len(), 1);
        assert_eq!(sheet.basic_policies[0].title.as_deref(), Some("健康"));
        assert_eq!(sheet.basic_policies[0].policies.len(), 1);
        let ids: Vec<_> = sheet.measures().map(|(_, _, m)| m.id.as_str()).collect();
        assert_eq!(ids, ["1-1-2", "1-1-1"]);
    }
}
