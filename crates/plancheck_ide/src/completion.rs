//! Completion: after a key's colon, the values its kind allows (grades,
//! levels, directions, the known departments); at the start of a line, the
//! keys and block keywords valid in the block around the cursor, then the
//! snippets of the blocks that may stand there. Items are ranked by what is
//! valid at the cursor (`sort_text`): the keys this block does not have yet,
//! in the field table's order, then the block keywords, then the snippets;
//! a key the block already has is not offered (a second one is a
//! `duplicate-field`).

use plancheck_core::i18n::Lang;
use plancheck_core::model::schema::{self, KeyResolution, ValueKind};
use plancheck_core::model::{BlockKind, Document, FieldKey};
use plancheck_core::syntax::is_blank;
use plancheck_linter::legend::{Legend, ScaleOf};
use std::sync::Arc;

/// What a completion item is (the editor's icon).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    /// One of a value kind's fixed values (a grade, a level, a direction).
    EnumMember,
    /// A value from the settings or the workspace (a department).
    Value,
    Field,
    Keyword,
    /// A snippet (`insert_text` in the LSP snippet syntax).
    Snippet,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub detail: String,
    pub kind: CompletionKind,
    /// What is inserted, when not the label (a key with its `: `; a
    /// snippet's body).
    pub insert_text: Option<String>,
    /// The rank among the items (the editor sorts by it): `0…` keys, `1…`
    /// block keywords, `2…` snippets; values keep the order given.
    pub sort_text: String,
    /// What typing is matched against, when not the label (a snippet's
    /// label and its keyword in romaji).
    pub filter_text: Option<String>,
}

fn item(label: &str, detail: &str, kind: CompletionKind) -> CompletionItem {
    CompletionItem { label: label.to_string(), detail: detail.to_string(), kind, insert_text: None, sort_text: String::new(), filter_text: None }
}

/// What the editor can take.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CompletionOptions {
    /// The client expands snippets (LSP `snippetSupport`); without it no
    /// snippet is offered.
    pub snippets: bool,
}

/// The items at byte `offset`. A grade or a level offers the symbols of
/// `legend` (the file's), best first, each with its band. `departments`
/// gives the known departments (the file's `departments` setting and those
/// the workspace uses); it is called only after a `代表課:`.
pub fn completion(
    doc: &Document,
    offset: usize,
    legend: &Legend,
    hierarchy: &plancheck_core::model::Hierarchy,
    departments: impl FnOnce() -> Vec<String>,
    options: CompletionOptions,
    lang: Lang,
) -> Vec<CompletionItem> {
    let text = doc.text.as_str();
    let offset = floor_boundary(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    // The innermost block around the cursor.
    let block = doc.blocks.iter().filter(|b| b.span.start < line_start && offset <= b.span.end.max(b.header.end)).max_by_key(|b| b.span.start);
    let kind = block.and_then(|b| b.kind);
    let mut items = Vec::new();
    if let Some(colon) = before.find([':', '：']) {
        // A value: by the key before the colon.
        let key = before[..colon].trim_matches(is_blank);
        let def = kind.and_then(|k| match schema::resolve_key(Some(k), key) {
            KeyResolution::Known(def) => Some(def),
            _ => None,
        });
        match def.map(|d| (d.key, d.value)) {
            Some((key, ValueKind::Grade | ValueKind::IndicatorGrade | ValueKind::Level)) => {
                if let Some(of) = ScaleOf::of_field(key) {
                    items.extend(symbol_items(legend, of, lang));
                }
            }
            Some((_, ValueKind::Direction)) => items.extend(
                [
                    ("増加", lang.pick("大きいほど良い", "higher is better")),
                    ("減少", lang.pick("小さいほど良い", "lower is better")),
                    ("維持", lang.pick("水準を保つ (目標以上)", "kept at its level (at least the target)")),
                    ("範囲", lang.pick("目標の範囲 (20〜25%) に収める", "kept within the target's range (20〜25%)")),
                ]
                .map(|(d, why)| item(d, why, CompletionKind::EnumMember)),
            ),
            Some((FieldKey::Method, _)) => items.extend(plancheck_linter::legend::Method::ALL.iter().map(|m| {
                let what = match m {
                    plancheck_linter::legend::Method::Ratio => lang.pick("実績 ÷ 目標", "actual ÷ target"),
                    plancheck_linter::legend::Method::Progress => lang.pick("(実績 − 基準値) ÷ (目標 − 基準値)", "(actual − baseline) ÷ (target − baseline)"),
                    plancheck_linter::legend::Method::Baseline => lang.pick("(実績 − 基準値) ÷ 基準値", "(actual − baseline) ÷ baseline"),
                    plancheck_linter::legend::Method::BaselinePoints => lang.pick("実績 − 基準値", "actual − baseline"),
                    plancheck_linter::legend::Method::Expected => lang.pick("実績 ÷ 期待値", "actual ÷ expected value"),
                    plancheck_linter::legend::Method::Manual => lang.pick("判断 (計算しない)", "a judgement (not computed)"),
                };
                item(m.name(), &format!("{} — {what}", m.name_ja()), CompletionKind::EnumMember)
            })),
            Some((FieldKey::Cumulative, _)) => items.extend(
                [("はい", lang.pick("累計 (減ることはない)", "running totals (never decrease)")), ("いいえ", lang.pick("年度ごとの値", "yearly figures"))]
                    .map(|(v, why)| item(v, why, CompletionKind::EnumMember)),
            ),
            Some((FieldKey::Hierarchy, _)) => items.extend(
                [
                    ("基本政策 > 政策 > 施策", lang.pick("3段 (既定)", "three levels (the default)")),
                    ("政策 > 施策", lang.pick("2段: 施策 は 1-1", "two levels: a 施策 is 1-1")),
                    ("基本目標 > 基本政策 > 政策 > 施策", lang.pick("4段: 施策 は 1-1-1-1", "four levels: a 施策 is 1-1-1-1")),
                ]
                .map(|(v, why)| item(v, why, CompletionKind::EnumMember)),
            ),
            Some((FieldKey::Numbering, _)) => items.extend(
                [("区切り", lang.pick("1-2-3 (既定)", "1-2-3 (the default)")), ("2桁, 2桁, 3桁", lang.pick("段ごとの桁数: 0102003", "digits per level: 0102003"))]
                    .map(|(v, why)| item(v, why, CompletionKind::EnumMember)),
            ),
            Some((FieldKey::Department, _)) => {
                let mut known = departments();
                known.sort();
                known.dedup();
                items.extend(known.iter().map(|d| item(d, lang.pick("代表課", "department"), CompletionKind::Value)));
            }
            _ => {}
        }
    } else if before.trim_matches(is_blank).chars().all(|c| !c.is_whitespace()) {
        // A key, a block keyword or a snippet valid here.
        if let Some(kind) = kind {
            // The keys the block has on other lines than the cursor's.
            let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
            let has = |key: FieldKey| block.is_some_and(|b| b.fields.iter().any(|f| f.key() == Some(key) && (f.span.end < line_start || f.span.start > line_end)));
            for (rank, def) in schema::FIELDS.iter().filter(|d| d.allowed_in(kind)).enumerate() {
                if has(def.key) {
                    continue;
                }
                let mut it = item(def.name(), lang.pick("フィールド", "field"), CompletionKind::Field);
                it.insert_text = Some(format!("{}: ", def.name()));
                it.sort_text = format!("0{rank:03}");
                items.push(it);
            }
        }
        let allowed = |child: BlockKind| hierarchy.allowed_parents(child).contains(&kind);
        for (rank, child) in BlockKind::ALL.into_iter().filter(|&c| allowed(c)).enumerate() {
            let mut it = item(child.keyword(), lang.pick("ブロック", "block"), CompletionKind::Keyword);
            it.sort_text = format!("1{rank:03}");
            items.push(it);
        }
        if options.snippets {
            let mut rank = 0;
            for snippet in crate::snippets::SNIPPETS.iter().filter(|s| s.inserts.is_some_and(allowed)) {
                let mut it = item(snippet.label, snippet.description(lang), CompletionKind::Snippet);
                it.insert_text = Some(snippet.body.to_string());
                it.filter_text = Some(format!("{} {}", snippet.label, snippet.romaji));
                it.sort_text = format!("2{rank:03}");
                rank += 1;
                items.push(it);
            }
            if let Some(body) = kind.and_then(crate::snippets::text_field_snippet) {
                let mut it = item("テキスト欄", lang.pick("文章のフィールド (複数行)", "a text field (several lines)"), CompletionKind::Snippet);
                it.insert_text = Some(body);
                it.sort_text = format!("2{rank:03}");
                items.push(it);
            }
        }
    }
    items
}

/// The symbols a field of `of` may hold, best first, each with what it
/// means: a grade's band (`評価: 80%以上100%未満`), a level, or a code that
/// is not a grade.
fn symbol_items(legend: &Legend, of: ScaleOf, lang: Lang) -> Vec<CompletionItem> {
    let scale = legend.scale(of);
    let (word, percent) = match of {
        ScaleOf::Overall | ScaleOf::Indicator => (lang.pick("評価", "grade"), of == ScaleOf::Indicator),
        _ => (lang.pick("水準", "level"), false),
    };
    let mut items: Vec<CompletionItem> = (0..scale.steps.len())
        .map(|i| {
            let (lower, upper) = scale.band(i);
            let band = if percent { plancheck_linter::rating::band_text(lower, upper, lang) } else { String::new() };
            let detail = if band.is_empty() { word.to_string() } else { format!("{word}: {band}") };
            item(scale.steps[i].symbol.as_str(), &detail, CompletionKind::EnumMember)
        })
        .collect();
    for code in legend.ungraded_of(of) {
        let meaning = if code.is_dash() { lang.pick("取得できない", "not obtainable") } else { lang.pick("評価しない", "not graded") };
        items.push(item(code.as_str(), meaning, CompletionKind::EnumMember));
    }
    items
}

/// The departments the documents name in their 施策 (sorted, once each):
/// gathered once per analysis by the server, not per completion.
pub fn departments_in<'a>(docs: impl IntoIterator<Item = &'a Arc<Document>>) -> Vec<String> {
    let mut found = Vec::new();
    for doc in docs {
        for (_, measure) in doc.blocks_of(BlockKind::Measure) {
            if let Some(f) = measure.field(FieldKey::Department).filter(|f| !f.is_empty()) {
                found.push(f.text.trim().to_string());
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// `offset`, or the start of the character it falls inside.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{analysis, at};

    fn labels(items: &[CompletionItem]) -> Vec<&str> {
        items.iter().map(|i| i.label.as_str()).collect()
    }

    #[test]
    fn values_follow_the_key_s_kind() {
        let plan = "施策 1-1-1 t {\n  定量評価: \n  代表課: \n  指標 a {\n    定量評価: \n    方向: \n  }\n}\n";
        let a = analysis(plan);
        let doc = &a.workspace.docs[0];
        let none = || panic!("departments are asked for only after 代表課");
        let after = |needle: &str| at(plan, needle) + needle.len();
        let legend = Legend::default();
        assert_eq!(labels(&completion(doc, after("定量評価: "), &legend, &Default::default(), none, CompletionOptions::default(), Lang::Ja)), ["高", "中", "低"]);
        let grades = completion(doc, after("    定量評価: "), &legend, &Default::default(), none, CompletionOptions::default(), Lang::Ja);
        assert_eq!(labels(&grades), ["A", "B", "C", "D", "-"]);
        assert_eq!(grades[1].detail, "評価: 80%以上100%未満");
        assert_eq!(grades[4].detail, "取得できない");
        let directions = completion(doc, after("方向: "), &legend, &Default::default(), none, CompletionOptions::default(), Lang::En);
        assert_eq!(labels(&directions), ["増加", "減少", "維持", "範囲"]);
        let plan = "計画 {\n  計算方法: \n}\n施策 1-1-1 t {\n  指標 a {\n    累計: \n  }\n}\n";
        let b = analysis(plan);
        let after_b = |needle: &str| at(plan, needle) + needle.len();
        let methods = completion(&b.workspace.docs[0], after_b("計算方法: "), &legend, &Default::default(), none, CompletionOptions::default(), Lang::Ja);
        assert_eq!(labels(&methods), ["ratio", "progress", "baseline", "baseline-points", "expected", "manual"]);
        assert_eq!(methods[0].detail, "達成率 — 実績 ÷ 目標");
        assert_eq!(labels(&completion(&b.workspace.docs[0], after_b("累計: "), &legend, &Default::default(), none, CompletionOptions::default(), Lang::Ja)), ["はい", "いいえ"]);
        assert_eq!(directions[0].detail, "higher is better");
        let departments = completion(doc, after("代表課: "), &legend, &Default::default(), || vec!["総務課".into(), "こども課".into(), "総務課".into()], CompletionOptions::default(), Lang::Ja);
        assert_eq!(labels(&departments), ["こども課", "総務課"]);
        assert_eq!(departments[0].kind, CompletionKind::Value);
    }

    /// A legend of other symbols: they are what completion offers.
    #[test]
    fn grades_and_levels_are_the_legend_s_symbols() {
        let plan = "施策 1-1-1 t {\n  定性評価: \n  指標 a {\n    定量評価: \n  }\n  展開 b {\n    定性評価: \n  }\n}\n";
        let a = analysis(plan);
        let doc = &a.workspace.docs[0];
        let after = |needle: &str| at(plan, needle) + needle.len();
        let table = "[rating]\ngrades = [{ symbol = \"S\", above = 100 }, { symbol = \"A\", from = 100 }, { symbol = \"B+\", from = 80 }, { symbol = \"C\" }]\nungraded = [\"Z\"]\nlevels = [{ symbol = \"◎\" }, { symbol = \"○\" }, { symbol = \"△\" }]\n[rating.qualitative]\nscale = [{ symbol = \"順調\", from = 2.5 }, { symbol = \"遅れ\" }]\n";
        let legend = plancheck_linter::config::Config::from_toml(std::path::Path::new("plancheck.toml"), table).unwrap().rating.legend;
        let grades = completion(doc, after("    定量評価: "), &legend, &Default::default(), Vec::new, CompletionOptions::default(), Lang::En);
        assert_eq!(labels(&grades), ["S", "A", "B+", "C", "-", "Z"]);
        assert_eq!(grades[0].detail, "grade: over 100%");
        assert_eq!(grades[1].detail, "grade: at least 100% and at most 100%");
        assert_eq!(grades[5].detail, "not graded");
        assert_eq!(labels(&completion(doc, after("    定性評価: "), &legend, &Default::default(), Vec::new, CompletionOptions::default(), Lang::Ja)), ["◎", "○", "△"]);
        assert_eq!(labels(&completion(doc, after("  定性評価: "), &legend, &Default::default(), Vec::new, CompletionOptions::default(), Lang::Ja)), ["順調", "遅れ"]);
    }

    #[test]
    fn keys_and_blocks_valid_in_the_block_around_the_cursor() {
        let plan = "施策 1-1-1 t {\n  \n}\n";
        let a = analysis(plan);
        let items = completion(&a.workspace.docs[0], at(plan, "  \n") + 2, &Legend::default(), &Default::default(), Vec::new, CompletionOptions::default(), Lang::En);
        let department = items.iter().find(|i| i.label == "代表課").expect("代表課 is a key of 施策");
        assert_eq!(department.insert_text.as_deref(), Some("代表課: "));
        assert_eq!(department.detail, "field");
        assert!(items.iter().any(|i| i.label == "指標" && i.kind == CompletionKind::Keyword), "{items:?}");
        assert!(!items.iter().any(|i| i.label == "施策"), "a 施策 is not inside a 施策: {items:?}");
        let top = completion(&a.workspace.docs[0], 0, &Legend::default(), &Default::default(), Vec::new, CompletionOptions::default(), Lang::Ja);
        assert!(top.iter().any(|i| i.label == "基本政策"), "{top:?}");
        assert!(!top.iter().any(|i| i.kind == CompletionKind::Field), "no keys at the top level: {top:?}");
        assert!(!top.iter().any(|i| i.label == "基本目標"), "基本目標 is no level of the spec's hierarchy: {top:?}");
        // In a plan of four levels, a 基本目標 holds a 基本政策; with two, there is no 基本政策.
        let plan = "基本目標 1 t {\n  \n}\n";
        let a = analysis(plan);
        let (four, _) = plancheck_core::model::Hierarchy::of_plan(analysis("計画 {\n  階層: 基本目標 > 基本政策 > 政策 > 施策\n}\n").workspace.plan_header().map(|(_, b)| b));
        let inside = completion(&a.workspace.docs[0], at(plan, "  \n") + 2, &Legend::default(), &four, Vec::new, CompletionOptions::default(), Lang::Ja);
        assert!(inside.iter().any(|i| i.label == "基本政策"), "{inside:?}");
        let (two, _) = plancheck_core::model::Hierarchy::of_plan(analysis("計画 {\n  階層: 政策 > 施策\n}\n").workspace.plan_header().map(|(_, b)| b));
        let top = completion(&a.workspace.docs[0], 0, &Legend::default(), &two, Vec::new, CompletionOptions::default(), Lang::Ja);
        assert!(top.iter().any(|i| i.label == "政策") && !top.iter().any(|i| i.label == "基本政策"), "{top:?}");
    }

    /// Inside an 指標: its keys not yet written first, in the field table's
    /// order, then the snippets of what may stand there; none of 計画,
    /// 政策 or 施策, and no key the 指標 already has.
    #[test]
    fn completion_is_ranked_by_what_is_valid_at_the_cursor() {
        let plan = "施策 1-1-1 t {\n  代表課: 課\n  \n  指標 a {\n    実績: 5人\n    \n  }\n}\n";
        let a = analysis(plan);
        let doc = &a.workspace.docs[0];
        let with_snippets = CompletionOptions { snippets: true };
        let mut items = completion(doc, at(plan, "    \n") + 4, &Legend::default(), &Default::default(), Vec::new, with_snippets, Lang::Ja);
        items.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
        let kinds: Vec<CompletionKind> = items.iter().map(|i| i.kind).collect();
        let first_snippet = kinds.iter().position(|k| *k == CompletionKind::Snippet).expect("a snippet");
        assert!(kinds[..first_snippet].iter().all(|k| *k == CompletionKind::Field), "keys first: {items:?}");
        assert_eq!(items[0].label, "目標", "実績 is written: 目標 is the first key left");
        assert!(!items.iter().any(|i| i.label == "実績"), "{items:?}");
        assert!(items.iter().all(|i| !["計画", "政策", "施策 (指標・展開つき)", "指標"].contains(&i.label.as_str())), "{items:?}");
        assert_eq!(items.last().map(|i| i.label.as_str()), Some("テキスト欄"));
        // In the 施策: its keys (not 代表課), then 指標 and 展開, then their snippets.
        let mut items = completion(doc, at(plan, "  \n  指標") + 2, &Legend::default(), &Default::default(), Vec::new, with_snippets, Lang::Ja);
        items.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
        assert!(!items.iter().any(|i| i.label == "代表課"), "{items:?}");
        let keywords: Vec<&str> = items.iter().filter(|i| i.kind == CompletionKind::Keyword).map(|i| i.label.as_str()).collect();
        assert_eq!(keywords, ["指標", "展開"]);
        let snippets: Vec<&str> = items.iter().filter(|i| i.kind == CompletionKind::Snippet).map(|i| i.label.as_str()).collect();
        assert_eq!(snippets, ["指標", "指標 (減少が良い)", "展開", "テキスト欄"]);
        assert_eq!(items.iter().find(|i| i.kind == CompletionKind::Snippet).and_then(|i| i.filter_text.as_deref()), Some("指標 shihyo"), "found by romaji too");
        assert!(items.iter().position(|i| i.kind == CompletionKind::Keyword) > items.iter().rposition(|i| i.kind == CompletionKind::Field));
        // A client without snippets gets none.
        let plain = completion(doc, at(plan, "  \n  指標") + 2, &Legend::default(), &Default::default(), Vec::new, CompletionOptions::default(), Lang::Ja);
        assert!(!plain.iter().any(|i| i.kind == CompletionKind::Snippet));
        // At the top level: the 計画 header and the whole 施策.
        let top = completion(doc, 0, &Legend::default(), &Default::default(), Vec::new, with_snippets, Lang::Ja);
        let snippets: Vec<&str> = top.iter().filter(|i| i.kind == CompletionKind::Snippet).map(|i| i.label.as_str()).collect();
        assert!(snippets.contains(&"計画") && !snippets.contains(&"指標"), "{snippets:?}");
    }

    #[test]
    fn departments_are_gathered_once_each() {
        let a = analysis("施策 1-1-1 a {\n  代表課: 総務課\n}\n施策 1-1-2 b {\n  代表課:  総務課 \n}\n施策 1-1-3 c {\n  代表課:\n}\n");
        assert_eq!(departments_in(&a.workspace.docs), ["総務課"]);
    }
}
