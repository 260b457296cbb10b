//! `plancheck diff OLD NEW`: what changed between two editions of a plan, per
//! 施策 and indicator: values, stated and computed grades, departments, 施策,
//! indicators and 展開 added or removed, and prose carried over word for word
//! from the old edition (a common sign of an evaluation that was not redone).
//!
//! Both editions are read as sheets with their computed ratings
//! ([`crate::sheet::Sheet::compute`]); 施策 are matched by ID, indicators and
//! 展開 by title (normalised: full-width forms and blanks do not matter).

use crate::diagnostics::Lang;
use crate::model::FieldKey;
use crate::model::prose::normalize;
use crate::model::schema::{self, Compare};
use crate::sheet::{BlockOf, Development, Fields, Indicator, Measure, Sheet};
use serde::Serialize;
use std::collections::HashMap;

/// The version of the JSON output's shape.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A 施策, indicator or 展開 only in the new edition.
    Added,
    /// One only in the old edition.
    Removed,
    /// A value (実績, 目標, 取組, a title) that changed.
    Value,
    /// A grade or level as written that changed.
    StatedGrade,
    /// A grade or level as the legend computes it that changed.
    ComputedGrade,
    /// The 代表課 changed.
    Department,
    /// Prose identical to the old edition's (after normalisation), given
    /// as `new`.
    UnchangedProse,
}

/// One change in a 施策.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// Where in the 施策: empty for the 施策 itself, else `指標 TITLE` or `展開 TITLE`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub place: String,
    /// The field (`実績`, `定量評価`, `成果`, ...); empty when a whole block was added or removed.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The changes of one 施策.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureChanges {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub changes: Vec<Change>,
}

/// The whole comparison (`--format json` prints it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub version: u32,
    pub measures: Vec<MeasureChanges>,
}

impl Diff {
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.measures.iter().flat_map(|m| &m.changes).filter(|c| c.kind == kind).count()
    }
}

/// Compares two sheets whose ratings are computed.
pub fn diff(old: &Sheet, new: &Sheet) -> Diff {
    let old_measures: HashMap<String, &Measure> = old.measures().map(|(_, _, m)| (normalize(&m.id), m)).collect();
    let mut seen = std::collections::HashSet::new();
    let mut measures = Vec::new();
    for (_, _, measure) in new.measures() {
        let key = normalize(&measure.id);
        let changes = match old_measures.get(&key) {
            Some(before) if seen.insert(key) => compare_measures(before, measure),
            _ => vec![block_change(ChangeKind::Added, "", None, Some(label("施策", &measure.title)))],
        };
        if !changes.is_empty() {
            measures.push(MeasureChanges { id: measure.id.clone(), title: measure.title.clone(), changes });
        }
    }
    for (_, _, measure) in old.measures() {
        if !seen.contains(&normalize(&measure.id)) {
            measures.push(MeasureChanges { id: measure.id.clone(), title: measure.title.clone(), changes: vec![block_change(ChangeKind::Removed, "", Some(label("施策", &measure.title)), None)] });
        }
    }
    Diff { version: VERSION, measures }
}

fn label(keyword: &str, title: &Option<String>) -> String {
    match title {
        Some(t) if !t.is_empty() => format!("{keyword} {t}"),
        _ => keyword.to_string(),
    }
}

fn block_change(kind: ChangeKind, place: &str, old: Option<String>, new: Option<String>) -> Change {
    Change { kind, place: place.to_string(), field: String::new(), old, new }
}

/// Collects the changes of one place.
struct Changes<'a> {
    place: String,
    out: &'a mut Vec<Change>,
}

impl Changes<'_> {
    fn value(&mut self, kind: ChangeKind, field: &str, old: Option<&str>, new: Option<&str>) {
        let (old, new) = (old.map(str::trim).filter(|s| !s.is_empty()), new.map(str::trim).filter(|s| !s.is_empty()));
        if old.map(normalize) != new.map(normalize) {
            self.out.push(Change { kind, place: self.place.clone(), field: field.to_string(), old: old.map(String::from), new: new.map(String::from) });
        }
    }

    fn list(&mut self, field: &str, old: &[String], new: &[String]) {
        let joined = |v: &[String]| (!v.is_empty()).then(|| v.join("、"));
        self.value(ChangeKind::Value, field, joined(old).as_deref(), joined(new).as_deref());
    }

    /// Prose: only a copy carried over unchanged is reported (changed prose is
    /// the point of a new edition).
    fn prose(&mut self, field: &str, old: &[String], new: &[String]) {
        let text = |v: &[String]| normalize(&v.join(""));
        if !new.is_empty() && text(new).chars().count() >= 10 && text(old) == text(new) {
            self.out.push(Change { kind: ChangeKind::UnchangedProse, place: self.place.clone(), field: field.to_string(), old: None, new: Some(new.join("\n")) });
        }
    }
}

fn compare_measures(old: &Measure, new: &Measure) -> Vec<Change> {
    let mut out = Vec::new();
    let mut c = Changes { place: String::new(), out: &mut out };
    c.value(ChangeKind::Value, "名前", old.title.as_deref(), new.title.as_deref());
    let computed = |m: &Measure, key: FieldKey| {
        let computed = m.computed.as_ref()?;
        match key {
            FieldKey::QuantitativeLevel => computed.quantitative_level.clone(),
            FieldKey::QualitativeLevel => computed.qualitative_level.clone(),
            _ => None,
        }
    };
    let computed = |key: FieldKey| matches!(key, FieldKey::QuantitativeLevel | FieldKey::QualitativeLevel).then(|| (computed(old, key), computed(new, key)));
    compare_fields(&old.fields, &new.fields, &mut c, &computed);
    pair_up(&old.indicators, &new.indicators, |i| &i.title, "指標", &mut out, compare_indicators);
    pair_up(&old.developments, &new.developments, |d| &d.title, "展開", &mut out, compare_developments);
    out
}

/// Compares a block's fields as the field table says (`compare`), in its
/// order; after a stated grade, the computed one when `computed` gives it
/// (old, new).
fn first(values: &[String]) -> Option<&str> {
    values.first().map(String::as_str)
}

fn compare_fields<K: BlockOf>(old: &Fields<K>, new: &Fields<K>, c: &mut Changes<'_>, computed: &dyn Fn(FieldKey) -> Option<(Option<String>, Option<String>)>) {
    for def in schema::fields_in(K::KIND) {
        let (before, after) = (old.all(def.key), new.all(def.key));
        match def.compare {
            Compare::Value => c.value(ChangeKind::Value, def.name(), first(before), first(after)),
            Compare::Grade => c.value(ChangeKind::StatedGrade, def.name(), first(before), first(after)),
            Compare::Department => c.value(ChangeKind::Department, def.name(), first(before), first(after)),
            Compare::List => c.list(def.name(), before, after),
            Compare::Prose => c.prose(def.name(), before, after),
            Compare::Skip => {}
        }
        if let Some((before, after)) = computed(def.key) {
            c.value(ChangeKind::ComputedGrade, def.name(), before.as_deref(), after.as_deref());
        }
    }
}

/// Matches blocks by normalised title, in the new edition's order; the
/// unmatched are added or removed.
fn pair_up<T>(old: &[T], new: &[T], title: impl Fn(&T) -> &String, keyword: &str, out: &mut Vec<Change>, compare: fn(&T, &T, &mut Changes<'_>)) {
    let mut used = vec![false; old.len()];
    for item in new {
        let place = label(keyword, &Some(title(item).clone()));
        let found = old.iter().enumerate().position(|(i, o)| !used[i] && normalize(title(o)) == normalize(title(item)));
        match found {
            Some(i) => {
                used[i] = true;
                compare(&old[i], item, &mut Changes { place, out });
            }
            None => out.push(block_change(ChangeKind::Added, "", None, Some(place))),
        }
    }
    for (_, item) in old.iter().enumerate().filter(|(i, _)| !used[*i]) {
        out.push(block_change(ChangeKind::Removed, "", Some(label(keyword, &Some(title(item).clone()))), None));
    }
}

fn compare_indicators(old: &Indicator, new: &Indicator, c: &mut Changes<'_>) {
    let computed = |i: &Indicator| i.computed.as_ref().and_then(|c| c.grade.clone());
    compare_fields(&old.fields, &new.fields, c, &|key| (key == FieldKey::IndicatorGrade).then(|| (computed(old), computed(new))));
}

fn compare_developments(old: &Development, new: &Development, c: &mut Changes<'_>) {
    compare_fields(&old.fields, &new.fields, c, &|_| None);
}

/// The text report: one block per 施策 that changed, then a summary line.
pub fn render_text(diff: &Diff, lang: Lang) -> String {
    let mut out = String::new();
    for measure in &diff.measures {
        out.push_str(&format!("施策 {}{}\n", measure.id, measure.title.as_ref().map(|t| format!(" {t}")).unwrap_or_default()));
        for change in &measure.changes {
            let place = if change.place.is_empty() { String::new() } else { format!("{}: ", change.place) };
            let shown = |v: &Option<String>| v.as_deref().map_or_else(|| lang.pick("(なし)", "(none)").to_string(), crate::sheet::one_line);
            let line = match change.kind {
                ChangeKind::Added => format!("+ {}", shown(&change.new)),
                ChangeKind::Removed => format!("- {}", shown(&change.old)),
                ChangeKind::Value | ChangeKind::Department => format!("{place}{} {} → {}", change.field, shown(&change.old), shown(&change.new)),
                ChangeKind::StatedGrade => format!("{place}{} {} {} → {}", change.field, lang.pick("(記載)", "(stated)"), shown(&change.old), shown(&change.new)),
                ChangeKind::ComputedGrade => format!("{place}{} {} {} → {}", change.field, lang.pick("(計算)", "(computed)"), shown(&change.old), shown(&change.new)),
                ChangeKind::UnchangedProse => format!(
                    "{place}{} {}",
                    change.field,
                    lang.pick("が前回と同じ文章です (評価し直していない可能性があります)", "is word for word the old edition's (the evaluation may not have been redone)")
                ),
            };
            out.push_str("  ");
            out.push_str(&line);
            out.push('\n');
        }
    }
    let unchanged = diff.count(ChangeKind::UnchangedProse);
    out.push_str(&lang.pick(
        format!("{} 施策に変更があります (前回と同じ文章 {unchanged} 件)\n", diff.measures.len()),
        format!("{} 施策 changed ({unchanged} texts unchanged from the old edition)\n", diff.measures.len()),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, Workspace};

    fn sheet(text: &str) -> Sheet {
        let mut sheet = Sheet::from_workspace(&Workspace::new(vec![Document::parse("a.plan", text)]));
        sheet.compute(&crate::rating::RatingScheme::default());
        sheet
    }

    const OLD: &str = "施策 1-1-1 健康 {\n  全体評価: B\n  指標 参加者数 {\n    実績: 50人\n    目標: 100人\n    定量評価: D\n  }\n  指標 相談件数 {\n    実績: 10件\n    目標: 10件\n    定量評価: A\n  }\n  展開 支援 {\n    成果: 教室を年に十二回開催し参加者が増えた。\n    課題: 若い世代の参加が少ない。\n    定性評価: 中\n  }\n  代表課: 健康づくり課\n}\n施策 1-1-2 医療 {\n  全体評価: A\n}\n";

    #[test]
    fn values_grades_departments_blocks_and_copied_prose() {
        let new = OLD
            .replace("実績: 50人", "実績: 90人")
            .replace("定量評価: D", "定量評価: B")
            .replace("代表課: 健康づくり課", "代表課: 健康推進課")
            .replace("若い世代の参加が少ない。", "働く世代の参加が少ない。")
            .replace("  指標 相談件数 {\n    実績: 10件\n    目標: 10件\n    定量評価: A\n  }\n", "  指標 検診受診率 {\n    実績: 40%\n    目標: 50%\n    定量評価: B\n  }\n")
            .replace("施策 1-1-2 医療 {\n  全体評価: A\n}\n", "施策 1-1-3 介護 {\n  全体評価: A\n}\n");
        let d = diff(&sheet(OLD), &sheet(&new));
        let kinds: Vec<(&str, ChangeKind, &str, &str)> = d.measures.iter().flat_map(|m| m.changes.iter().map(move |c| (m.id.as_str(), c.kind, c.place.as_str(), c.field.as_str()))).collect();
        assert_eq!(
            kinds,
            [
                // The 施策's 定量評価 computed from its indicators' stated grades: D, A → B, B.
                ("1-1-1", ChangeKind::ComputedGrade, "", "定量評価"),
                ("1-1-1", ChangeKind::Department, "", "代表課"),
                ("1-1-1", ChangeKind::Value, "指標 参加者数", "実績"),
                ("1-1-1", ChangeKind::StatedGrade, "指標 参加者数", "定量評価"),
                ("1-1-1", ChangeKind::ComputedGrade, "指標 参加者数", "定量評価"),
                ("1-1-1", ChangeKind::Added, "", ""),
                ("1-1-1", ChangeKind::Removed, "", ""),
                ("1-1-1", ChangeKind::UnchangedProse, "展開 支援", "成果"),
                ("1-1-3", ChangeKind::Added, "", ""),
                ("1-1-2", ChangeKind::Removed, "", ""),
            ]
        );
        let computed = &d.measures[0].changes[4];
        assert_eq!((computed.old.as_deref(), computed.new.as_deref()), (Some("D"), Some("B")));
        let text = render_text(&d, Lang::Ja);
        assert!(text.contains("指標 参加者数: 実績 50人 → 90人"), "{text}");
        assert!(text.contains("展開 支援: 成果 が前回と同じ文章です"), "{text}");
        assert!(text.contains("+ 指標 検診受診率") && text.contains("- 施策 医療"), "{text}");
        assert!(text.ends_with("3 施策に変更があります (前回と同じ文章 1 件)\n"), "{text}");
        // The same edition: nothing but the prose that is, of course, unchanged.
        let same = diff(&sheet(OLD), &sheet(OLD));
        assert!(same.measures.iter().flat_map(|m| &m.changes).all(|c| c.kind == ChangeKind::UnchangedProse));
    }
}
