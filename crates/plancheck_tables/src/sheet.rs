//! A plan as data: the 基本政策 > 政策 > 施策 hierarchy with every field's
//! text as written. A plan of another hierarchy (`階層` in its 計画) keeps
//! the same shape: a level it does not have is one slot with an empty ID
//! (no block is written for it), and the 基本目標 of a four-level plan are
//! listed in `goals`, each 基本政策 naming its own (so the JSON of a
//! three-level plan is what it always was). It is what the tables hold (the official 17-column
//! layout), so import builds one and prints it as a `.plan`, and export
//! builds one from the model and writes JSON, CSV, `.xlsx` or HTML.
//!
//! Values are kept as the text the user wrote (`5,900人`, `Ｃ`), never
//! re-rendered: a round trip through a table must give the same plan.
//! Multi-line text keeps its lines, joined by `\n`.

use crate::model::hierarchy::Hierarchy;
use crate::model::schema::{self, CellForm, FieldDef};
use crate::model::{BlockKind, Document, FieldKey, Workspace};
use schemars::JsonSchema;
use serde::Serialize;
use std::marker::PhantomData;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Sheet {
    /// The `計画` block, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanInfo>,
    /// The 基本目標 of a plan that has them (`階層: 基本目標 > ...`), in
    /// order; each 基本政策 names its own by `goal`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<Goal>,
    /// In a plan without the 基本政策 level (`階層: 政策 > 施策`), one
    /// 基本政策 with an empty ID holds its 政策 (per 基本目標, if any).
    pub basic_policies: Vec<BasicPolicy>,
}

/// The kind of block a [`Fields`] belongs to, as a type (so that the JSON
/// Schema lists the fields of that kind).
pub trait BlockOf {
    const KIND: BlockKind;
}

/// Markers for [`Fields`]: `Fields<of::Measure>` are a 施策's fields.
pub mod of {
    macro_rules! markers {
        ($($name:ident),*) => {$(
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
            pub struct $name;
            impl super::BlockOf for $name {
                const KIND: crate::model::BlockKind = crate::model::BlockKind::$name;
            }
        )*};
    }
    markers!(Plan, Goal, BasicPolicy, Policy, Measure, Indicator, Development);
}

/// A block's fields, as written, by meaning: one slot for each row of
/// [`schema::FIELDS`] the block has. Serialised as the rows' `slot` names,
/// in the table's order (a list for a `many` field, else a string), so the
/// export JSON follows the field table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields<K> {
    /// (index in `FIELDS`, values), sorted by index; no empty list.
    values: Vec<(usize, Vec<String>)>,
    kind: PhantomData<K>,
}

impl<K> Default for Fields<K> {
    fn default() -> Self {
        Fields { values: Vec::new(), kind: PhantomData }
    }
}

fn index_of(key: FieldKey) -> usize {
    schema::FIELDS.iter().position(|d| d.key == key).expect("every FieldKey has a row in FIELDS")
}

impl<K> Fields<K> {
    /// The first value of `key`.
    pub fn get(&self, key: FieldKey) -> Option<&str> {
        self.all(key).first().map(String::as_str)
    }

    /// Every value of `key`, in order.
    pub fn all(&self, key: FieldKey) -> &[String] {
        let index = index_of(key);
        self.values.binary_search_by_key(&index, |(i, _)| *i).map_or(&[], |at| &self.values[at].1)
    }

    fn slot(&mut self, key: FieldKey) -> &mut Vec<String> {
        let index = index_of(key);
        let at = match self.values.binary_search_by_key(&index, |(i, _)| *i) {
            Ok(at) => at,
            Err(at) => {
                self.values.insert(at, (index, Vec::new()));
                at
            }
        };
        &mut self.values[at].1
    }

    /// Adds a value. A field that keeps one value (not `many`) takes the
    /// first: a second equal one is taken as the same (`true`), a different
    /// one is refused (`false`) and the caller keeps it elsewhere.
    pub fn insert(&mut self, key: FieldKey, value: String) -> bool {
        let many = schema::def(key).many;
        let slot = self.slot(key);
        match slot.first() {
            Some(first) if !many => *first == value,
            _ => {
                slot.push(value);
                true
            }
        }
    }

    /// Continues the last value of `key` on a new line (a paragraph that
    /// runs over two cells), or adds it when there is none.
    pub fn continue_last(&mut self, key: FieldKey, value: String) {
        let slot = self.slot(key);
        match slot.last_mut() {
            Some(last) => {
                last.push('\n');
                last.push_str(&value);
            }
            None => slot.push(value),
        }
    }

    /// Adds `other`'s values: a single-valued field keeps its own value if
    /// it has one (a container written again in another file).
    pub fn merge(&mut self, other: Fields<K>) {
        for (index, values) in other.values {
            for value in values {
                self.insert(schema::FIELDS[index].key, value);
            }
        }
    }

    /// The fields that have values, in the table's order.
    pub fn entries(&self) -> impl Iterator<Item = (&'static FieldDef, &[String])> {
        self.values.iter().filter(|(_, v)| !v.is_empty()).map(|(i, v)| (&schema::FIELDS[*i], v.as_slice()))
    }

    /// Whether `key` has a value that is not blank.
    pub fn has(&self, key: FieldKey) -> bool {
        self.all(key).iter().any(|v| !v.trim().is_empty())
    }
}

impl<K> Serialize for Fields<K> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (def, values) in self.entries() {
            if def.many { map.serialize_entry(def.slot, values)? } else { map.serialize_entry(def.slot, &values[0])? }
        }
        map.end()
    }
}

/// The JSON Schema's description of a field: its name, what it holds.
fn describe(def: &FieldDef) -> String {
    use crate::model::ValueKind as V;
    let what = match def.value {
        V::Grade => " (A–D), as written",
        V::IndicatorGrade => " (A–D or -), as written",
        V::Level => " (高/中/低), as written",
        V::Quantity => " (a quantity: `5,900人`, `-`), as written",
        V::Direction => " (増加/減少/維持/範囲)",
        V::Text if def.many => ", in order",
        V::Text => "",
    };
    format!("{}{what}.", def.name())
}

impl<K: BlockOf> JsonSchema for Fields<K> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("{:?}Fields", K::KIND).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut properties = serde_json::Map::new();
        for def in schema::fields_in(K::KIND) {
            let description = describe(def);
            let property = if def.many {
                serde_json::json!({ "description": description, "type": "array", "items": { "type": "string" } })
            } else {
                serde_json::json!({ "description": description, "type": ["string", "null"] })
            };
            properties.insert(def.slot.to_string(), property);
        }
        schemars::json_schema!({ "type": "object", "properties": properties })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PlanInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// 実績年度 (e.g. `令和4年度`): the year of the 実績 column; 目標年度; 備考.
    #[serde(flatten)]
    pub fields: Fields<of::Plan>,
}

/// A 基本目標: the level above 基本政策 in a plan of four levels.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Goal {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(flatten)]
    pub fields: Fields<of::Goal>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BasicPolicy {
    /// The ID of the 基本目標 it is in, in a plan that has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    /// Empty in a plan without the 基本政策 level.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(flatten)]
    pub fields: Fields<of::BasicPolicy>,
    pub policies: Vec<Policy>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Policy {
    /// Empty in a plan without the 政策 level.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(flatten)]
    pub fields: Fields<of::Policy>,
    pub measures: Vec<Measure>,
}

/// A 施策 and everything in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Measure {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// 全体評価, 自己評価, the stated 定量評価 and 定性評価 (高/中/低), 次期課題,
    /// 次期方向性, 代表課, 備考.
    #[serde(flatten)]
    pub fields: Fields<of::Measure>,
    pub indicators: Vec<Indicator>,
    pub developments: Vec<Development>,
    /// Computed ratings (`--with-computed`); never read back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed: Option<ComputedMeasure>,
}

/// A 指標.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Indicator {
    pub title: String,
    /// 実績, 目標, 見込み, 方向 (増加/減少), the stated 定量評価 (A–D or -), 備考.
    #[serde(flatten)]
    pub fields: Fields<of::Indicator>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed: Option<ComputedIndicator>,
}

/// A 施策の展開.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Development {
    pub title: String,
    /// 取組 (主な取組), one per item; 成果; 課題; the stated 定性評価; 備考.
    #[serde(flatten)]
    pub fields: Fields<of::Development>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ComputedIndicator {
    /// The grade the legend gives (A–D by default, or `-`), `None` when it cannot be computed.
    pub grade: Option<String>,
    /// The achievement ratio in percent, rounded to 0.1, when there is one.
    pub ratio_percent: Option<String>,
    /// The lower bounds of the grades in percent, worst first (60, 80 and
    /// 100: C, B and A by default), of the legend it was computed with (the
    /// report draws them); not exported.
    #[serde(skip)]
    #[schemars(skip)]
    pub bands: Vec<rust_decimal::Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ComputedMeasure {
    pub quantitative_level: Option<String>,
    pub qualitative_level: Option<String>,
}

/// The containers a block is written in, as far as known: the IDs of its
/// 基本目標, 基本政策 and 政策.
#[derive(Debug, Clone, Default)]
struct Path {
    goal: Option<String>,
    basic: Option<String>,
    policy: Option<String>,
}

impl Sheet {
    /// The sheet of a workspace: containers reopened in several files (or
    /// several times) are merged by ID, in order of first appearance.
    pub fn from_workspace(workspace: &Workspace) -> Sheet {
        let hierarchy = workspace.hierarchy();
        let mut sheet = Sheet::default();
        for doc in &workspace.docs {
            sheet.add_document(doc, &hierarchy);
        }
        sheet
    }

    /// The hierarchy the sheet's 計画 declares (`階層`, `番号`).
    pub fn hierarchy(&self) -> Hierarchy {
        let plan = self.plan.as_ref();
        Hierarchy::of_text(plan.and_then(|p| p.fields.get(FieldKey::Hierarchy)), plan.and_then(|p| p.fields.get(FieldKey::Numbering)))
    }

    fn add_document(&mut self, doc: &Document, hierarchy: &Hierarchy) {
        for &root in &doc.roots {
            self.add_block(doc, root, &Path::default(), hierarchy);
        }
    }

    /// Adds a block under the containers named by `path`; a container not
    /// written around it is the one its ID names.
    fn add_block(&mut self, doc: &Document, id: usize, path: &Path, hierarchy: &Hierarchy) {
        let block = &doc.blocks[id];
        let block_id = block.id.as_ref().map(|i| crate::model::normalize_id(&i.value)).unwrap_or_default();
        let title = block.title.as_ref().map(|t| t.value.clone());
        let Some(kind) = block.kind else { return };
        // The ID of the `level` container of this block.
        let above = |level: BlockKind, written: &Option<String>| -> String {
            written.clone().unwrap_or_else(|| if hierarchy.depth(level).is_some() { container_id(hierarchy, kind, &block_id, level) } else { String::new() })
        };
        let goal_of = |written: &Option<String>| -> Option<String> { written.clone().or_else(|| hierarchy.depth(BlockKind::Goal).map(|_| container_id(hierarchy, kind, &block_id, BlockKind::Goal))) };
        let children = |sheet: &mut Sheet, path: Path| {
            for &child in &block.children {
                sheet.add_block(doc, child, &path, hierarchy);
            }
        };
        match kind {
            BlockKind::Plan => {
                let plan = self.plan.get_or_insert_with(PlanInfo::default);
                plan.title = plan.title.take().or(title);
                plan.fields.merge(fields_of(block));
                children(self, Path::default());
            }
            BlockKind::Goal => {
                let goal = self.goal(&block_id);
                goal.title = goal.title.take().or(title);
                goal.fields.merge(fields_of(block));
                children(self, Path { goal: Some(block_id.clone()), ..Path::default() });
            }
            BlockKind::BasicPolicy => {
                let goal = goal_of(&path.goal);
                let basic = self.basic_policy(goal.as_deref(), &block_id);
                basic.title = basic.title.take().or(title);
                basic.fields.merge(fields_of(block));
                children(self, Path { goal, basic: Some(block_id.clone()), policy: None });
            }
            BlockKind::Policy => {
                let goal = goal_of(&path.goal);
                let basic_id = above(BlockKind::BasicPolicy, &path.basic);
                let policy = self.policy(goal.as_deref(), &basic_id, &block_id);
                policy.title = policy.title.take().or(title);
                policy.fields.merge(fields_of(block));
                children(self, Path { goal, basic: Some(basic_id), policy: Some(block_id.clone()) });
            }
            BlockKind::Measure => {
                let goal = goal_of(&path.goal);
                let basic_id = above(BlockKind::BasicPolicy, &path.basic);
                let policy_id = above(BlockKind::Policy, &path.policy);
                let measure = measure_of(doc, id, block_id.clone());
                self.policy(goal.as_deref(), &basic_id, &policy_id).measures.push(measure);
            }
            // A 指標 or 展開 outside a 施策: not part of the table (the
            // checker reports them).
            BlockKind::Indicator | BlockKind::Development => {}
        }
    }

    fn goal(&mut self, id: &str) -> &mut Goal {
        let index = match self.goals.iter().position(|g| g.id == id) {
            Some(i) => i,
            None => {
                self.goals.push(Goal { id: id.to_string(), ..Default::default() });
                self.goals.len() - 1
            }
        };
        &mut self.goals[index]
    }

    /// The 基本政策 `id` of the 基本目標 `goal` (made when new, with its goal).
    pub fn basic_policy(&mut self, goal: Option<&str>, id: &str) -> &mut BasicPolicy {
        if let Some(goal) = goal {
            self.goal(goal);
        }
        let index = match self.basic_policies.iter().position(|b| b.id == id && b.goal.as_deref() == goal) {
            Some(i) => i,
            None => {
                self.basic_policies.push(BasicPolicy { goal: goal.map(str::to_string), id: id.to_string(), ..Default::default() });
                self.basic_policies.len() - 1
            }
        };
        &mut self.basic_policies[index]
    }

    /// The 政策 `id` of that 基本政策 (both made when new).
    pub fn policy(&mut self, goal: Option<&str>, basic_id: &str, id: &str) -> &mut Policy {
        let basic = self.basic_policy(goal, basic_id);
        let index = match basic.policies.iter().position(|p| p.id == id) {
            Some(i) => i,
            None => {
                basic.policies.push(Policy { id: id.to_string(), ..Default::default() });
                basic.policies.len() - 1
            }
        };
        &mut basic.policies[index]
    }

    /// The 基本目標 a 基本政策 is in.
    pub fn goal_of(&self, basic: &BasicPolicy) -> Option<&Goal> {
        let id = basic.goal.as_deref()?;
        self.goals.iter().find(|g| g.id == id)
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
        let hierarchy = workspace.hierarchy();
        let mut sheet = Sheet::default();
        for (doc, scheme) in workspace.docs.iter().zip(schemes) {
            sheet.add_document(doc, &hierarchy);
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
    use crate::legend::ScaleOf;
    use crate::rating::{IndicatorRating, qualitative_of_stated, quantitative_of_stated, rate_stated_indicator, stated_symbol};
    let bands: Vec<rust_decimal::Decimal> = scheme.legend.grades.steps.iter().rev().filter_map(|s| s.bound.map(|b| b.value)).collect();
    let mut grades = Vec::new();
    for indicator in &mut measure.indicators {
        let fields = &indicator.fields;
        let read = ReadValues::of(fields);
        let rating = rate_stated_indicator(scheme, read.stated(fields));
        let ratio = match &rating {
            Some(IndicatorRating::Graded { percent, .. }) => Some(percent.to_string()),
            _ => None,
        };
        grades.push(stated_symbol(scheme, ScaleOf::Indicator, fields.get(FieldKey::IndicatorGrade)));
        indicator.computed = Some(ComputedIndicator { grade: rating.and_then(|r| r.grade()).map(|g| g.to_string()), ratio_percent: ratio, bands: bands.clone() });
    }
    let levels: Vec<_> = measure.developments.iter().map(|d| stated_symbol(scheme, ScaleOf::Development, d.fields.get(FieldKey::DevelopmentLevel))).collect();
    measure.computed = Some(ComputedMeasure {
        quantitative_level: quantitative_of_stated(scheme, grades).map(|s| s.summary.level.to_string()),
        qualitative_level: qualitative_of_stated(scheme, levels).map(|s| s.summary.level.to_string()),
    });
}

/// The ID of the `level` container of a `kind` block written outside it:
/// the one its ID names (`1-2` of 施策 `1-2-3`), or, for an ID that is not
/// well formed, its leading dashed numbers (the 基本政策 of `1-1` is `1`,
/// its 政策 the ID without its last number: `1`).
fn container_id(hierarchy: &Hierarchy, kind: BlockKind, id: &str, level: BlockKind) -> String {
    if let Some(found) = hierarchy.ancestor_id(kind, id, level) {
        return found;
    }
    let depth = hierarchy.depth(level).unwrap_or(1);
    if depth == 1 {
        return id.split('-').next().unwrap_or("").to_string();
    }
    if hierarchy.parent_level(kind) == Some(level) {
        return id.rsplit_once('-').map_or(String::new(), |(p, _)| p.to_string());
    }
    id.split('-').take(depth).collect::<Vec<_>>().join("-")
}

/// An indicator's values read from its fields as the model reads them
/// (the rating borrows them: [`ReadValues::stated`]).
pub struct ReadValues {
    actual: crate::rating::Stated<crate::model::value::Quantity>,
    forecast: crate::rating::Stated<crate::model::value::Quantity>,
    target: crate::rating::Stated<crate::model::value::Quantity>,
    baseline: crate::rating::Stated<crate::model::value::Quantity>,
    expected: crate::rating::Stated<crate::model::value::Quantity>,
    method: crate::rating::Stated<crate::legend::Method>,
    direction: crate::rating::Stated<crate::model::value::Direction>,
}

impl ReadValues {
    pub fn of(fields: &Fields<of::Indicator>) -> ReadValues {
        use crate::model::value::{parse_direction, parse_quantity};
        use crate::rating::Stated;
        // A range is a target's only (the model refuses it elsewhere).
        let quantity = |key| match Stated::of_text(fields.get(key), parse_quantity) {
            Stated::Read(crate::model::value::Quantity::Value(m)) if m.upper.is_some() && key != FieldKey::Target => Stated::Unreadable,
            stated => stated,
        };
        ReadValues {
            actual: quantity(FieldKey::Actual),
            forecast: quantity(FieldKey::Forecast),
            target: quantity(FieldKey::Target),
            baseline: quantity(FieldKey::Baseline),
            expected: quantity(FieldKey::Expected),
            method: Stated::of_text(fields.get(FieldKey::Method), crate::legend::Method::parse),
            direction: Stated::of_text(fields.get(FieldKey::Direction), parse_direction),
        }
    }

    /// The values as the rating reads them, the direction implied by the
    /// target where none is written.
    pub fn stated<'a>(&'a self, fields: &'a Fields<of::Indicator>) -> crate::rating::StatedIndicatorValues<'a> {
        crate::rating::StatedIndicatorValues {
            actual: self.actual.as_ref(),
            forecast: self.forecast.as_ref(),
            target: self.target.as_ref(),
            baseline: self.baseline.as_ref(),
            expected: self.expected.as_ref(),
            direction: crate::rating::implied_direction(self.direction, self.target.as_ref()),
            method: self.method,
            yearly_targets: fields.get(FieldKey::TargetSeries),
            series: fields.get(FieldKey::Series),
        }
    }
}

/// A block's known fields, as written, in the sheet's slots.
fn fields_of<K>(block: &crate::model::Block) -> Fields<K> {
    let mut fields = Fields::default();
    for field in &block.fields {
        if let Some(key) = field.key() {
            fields.insert(key, field.text.clone());
        }
    }
    fields
}

fn measure_of(doc: &Document, id: usize, measure_id: String) -> Measure {
    let block = &doc.blocks[id];
    let mut measure = Measure { id: measure_id, title: block.title.as_ref().map(|t| t.value.clone()), fields: fields_of(block), ..Default::default() };
    for &child in &block.children {
        let child_block = &doc.blocks[child];
        let title = child_block.title.as_ref().map(|t| t.value.clone()).unwrap_or_default();
        match child_block.kind {
            Some(BlockKind::Indicator) => measure.indicators.push(Indicator { title, fields: fields_of(child_block), computed: None }),
            Some(BlockKind::Development) => measure.developments.push(Development { title, fields: fields_of(child_block) }),
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
    Measure(MeasureAt),
    Indicator(MeasureAt, usize),
    Development(MeasureAt, usize),
}

/// A 施策's place in a sheet: the indices of its 基本政策, its 政策 and
/// itself (two 施策 may share an ID; their places differ).
pub type MeasureAt = (usize, usize, usize);

impl Sheet {
    /// The sheet as `.plan` text, in the formatter's canonical layout.
    pub fn to_plan(&self) -> String {
        self.to_plan_with_notes(&|_| Vec::new())
    }

    pub fn to_plan_with_notes(&self, notes: &dyn Fn(&NoteTarget) -> Vec<String>) -> String {
        let mut w = PlanWriter { out: String::new(), depth: 0, notes, header_end: None };
        w.comments(&NoteTarget::File);
        if let Some(plan) = &self.plan {
            w.open(BlockKind::Plan, None, plan.title.as_deref());
            w.block_fields(&plan.fields, &mut |_, _| {});
            w.close();
        }
        // Each 基本目標 where its first 基本政策 stands, with all of its own
        // (`basic_order` puts them together).
        let mut goals_written = vec![false; self.goals.len()];
        let mut open_goal = None;
        for b in self.basic_order() {
            let g = self.goals.iter().position(|g| Some(&g.id) == self.basic_policies[b].goal.as_ref());
            if g != open_goal {
                if open_goal.is_some() {
                    w.close();
                }
                if let Some(g) = g {
                    let goal = &self.goals[g];
                    w.open(BlockKind::Goal, Some(&goal.id), goal.title.as_deref());
                    w.block_fields(&goal.fields, &mut |_, _| {});
                    goals_written[g] = true;
                }
                open_goal = g;
            }
            self.write_basic(&mut w, b);
        }
        if open_goal.is_some() {
            w.close();
        }
        // 基本目標 with no 基本政策.
        for (goal, _) in self.goals.iter().zip(&goals_written).filter(|(_, written)| !**written) {
            w.open(BlockKind::Goal, Some(&goal.id), goal.title.as_deref());
            w.block_fields(&goal.fields, &mut |_, _| {});
            w.close();
        }
        w.out
    }

    /// The indices of the 基本政策 in the order [`Sheet::to_plan`] writes
    /// them: each 基本目標's together, where its first stands.
    fn basic_order(&self) -> Vec<usize> {
        let mut order = Vec::new();
        let mut goals_written = vec![false; self.goals.len()];
        for (b, basic) in self.basic_policies.iter().enumerate() {
            let Some(g) = self.goals.iter().position(|g| Some(&g.id) == basic.goal.as_ref()) else {
                order.push(b);
                continue;
            };
            if std::mem::replace(&mut goals_written[g], true) {
                continue;
            }
            order.extend(self.basic_policies.iter().enumerate().filter(|(_, x)| x.goal == basic.goal).map(|(b, _)| b));
        }
        order
    }

    /// Every 施策's place, in the order the plan text has them.
    pub fn measures_in_writing_order(&self) -> Vec<MeasureAt> {
        self.basic_order().into_iter().flat_map(|b| self.basic_policies[b].policies.iter().enumerate().flat_map(move |(p, policy)| (0..policy.measures.len()).map(move |m| (b, p, m)))).collect()
    }

    /// A 基本政策 and its 政策; a container that is only a slot (no ID, no
    /// title, no field: a level the plan does not have) is no block, its
    /// contents are written in its place.
    fn write_basic(&self, w: &mut PlanWriter<'_>, b: usize) {
        let basic = &self.basic_policies[b];
        let basic_block = !is_slot(&basic.id, &basic.title, &basic.fields);
        if basic_block {
            w.open(BlockKind::BasicPolicy, Some(&basic.id), basic.title.as_deref());
            w.block_fields(&basic.fields, &mut |_, _| {});
        }
        for (p, policy) in basic.policies.iter().enumerate() {
            let policy_block = !is_slot(&policy.id, &policy.title, &policy.fields);
            if policy_block {
                w.open(BlockKind::Policy, Some(&policy.id), policy.title.as_deref());
                w.block_fields(&policy.fields, &mut |_, _| {});
            }
            for (m, measure) in policy.measures.iter().enumerate() {
                w.measure(measure, (b, p, m));
            }
            if policy_block {
                w.close();
            }
        }
        if basic_block {
            w.close();
        }
    }
}

impl BasicPolicy {
    /// Whether it only stands for a level the plan does not have.
    pub fn is_slot(&self) -> bool {
        is_slot(&self.id, &self.title, &self.fields)
    }
}

impl Policy {
    /// Whether it only stands for a level the plan does not have.
    pub fn is_slot(&self) -> bool {
        is_slot(&self.id, &self.title, &self.fields)
    }
}

/// A container that stands for a level the plan does not have.
fn is_slot<K>(id: &str, title: &Option<String>, fields: &Fields<K>) -> bool {
    id.is_empty() && title.is_none() && fields.entries().next().is_none()
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

    fn open(&mut self, kind: BlockKind, id: Option<&str>, title: Option<&str>) {
        let mut header = kind.keyword().to_string();
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

    /// A block's fields in the table's order, under their canonical names.
    /// Child blocks that a field sums up (the 施策's 指標 before its
    /// 定量評価) are written by `children` just before it; fields laid out
    /// one per row (次期課題, 次期方向性) are written in pairs, as the table
    /// pairs them.
    fn block_fields<K>(&mut self, fields: &Fields<K>, children: &mut dyn FnMut(&mut Self, BlockKind))
    where
        K: BlockOf,
    {
        let defs: Vec<&FieldDef> = schema::fields_in(K::KIND).collect();
        let per_row = |def: &FieldDef| def.column.as_ref().is_some_and(|c| c.cell == CellForm::PerRow);
        let mut i = 0;
        while i < defs.len() {
            if let Some(kind) = defs[i].summarizes {
                children(self, kind);
            }
            if per_row(defs[i]) {
                let group: Vec<&FieldDef> = defs[i..].iter().take_while(|d| per_row(d) && d.summarizes.is_none()).copied().collect();
                let rows = group.iter().map(|d| fields.all(d.key).len()).max().unwrap_or(0);
                for row in 0..rows {
                    for def in &group {
                        self.field(def.name(), fields.all(def.key).get(row).map(String::as_str));
                    }
                }
                i += group.len();
                continue;
            }
            for value in fields.all(defs[i].key) {
                self.field(defs[i].name(), Some(value));
            }
            i += 1;
        }
    }

    fn measure(&mut self, m: &Measure, at: MeasureAt) {
        self.open(BlockKind::Measure, Some(&m.id), m.title.as_deref());
        self.comments(&NoteTarget::Measure(at));
        let mut written = Vec::new();
        self.block_fields(&m.fields, &mut |w, kind| {
            written.push(kind);
            w.children(m, at, kind);
        });
        // Children no field sums up: after the fields.
        for kind in [BlockKind::Indicator, BlockKind::Development] {
            if !written.contains(&kind) {
                self.children(m, at, kind);
            }
        }
        self.close();
    }

    fn children(&mut self, m: &Measure, at: MeasureAt, kind: BlockKind) {
        match kind {
            BlockKind::Indicator => {
                for (i, indicator) in m.indicators.iter().enumerate() {
                    self.open(kind, None, Some(&indicator.title));
                    self.comments(&NoteTarget::Indicator(at, i));
                    self.block_fields(&indicator.fields, &mut |_, _| {});
                    self.close();
                }
            }
            BlockKind::Development => {
                for (i, development) in m.developments.iter().enumerate() {
                    self.open(kind, None, Some(&development.title));
                    self.comments(&NoteTarget::Development(at, i));
                    self.block_fields(&development.fields, &mut |_, _| {});
                    self.close();
                }
            }
            _ => {}
        }
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
        assert_eq!(measure.fields.get(FieldKey::SelfAssessment), Some("一行目。\n二行目。"));
        assert_eq!(measure.developments[0].fields.all(FieldKey::Action), ["拠点整備", "教室"]);
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
