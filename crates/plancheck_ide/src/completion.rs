//! Completion: after a key's colon, the values its kind allows (grades,
//! levels, directions, the known departments); at the start of a line, the
//! keys and block keywords valid in the block around the cursor.

use plancheck_core::i18n::Lang;
use plancheck_core::model::schema::{self, KeyResolution, ValueKind};
use plancheck_core::model::value::{Grade, Level};
use plancheck_core::model::{BlockKind, Document, FieldKey};
use plancheck_core::syntax::is_blank;
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub detail: String,
    pub kind: CompletionKind,
    /// What is inserted, when not the label (a key with its `: `).
    pub insert_text: Option<String>,
}

fn item(label: &str, detail: &str, kind: CompletionKind) -> CompletionItem {
    CompletionItem { label: label.to_string(), detail: detail.to_string(), kind, insert_text: None }
}

/// The items at byte `offset`. `departments` gives the known departments
/// (the file's `departments` setting and those the workspace uses); it is
/// called only after a `代表課:`.
pub fn completion(doc: &Document, offset: usize, departments: impl FnOnce() -> Vec<String>, lang: Lang) -> Vec<CompletionItem> {
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
        let grade = lang.pick("評価", "grade");
        match def.map(|d| (d.key, d.value)) {
            Some((_, ValueKind::Grade)) => items.extend(Grade::ALL.iter().map(|g| item(&g.to_string(), grade, CompletionKind::EnumMember))),
            Some((_, ValueKind::IndicatorGrade)) => {
                items.extend(Grade::ALL.iter().map(|g| item(&g.to_string(), grade, CompletionKind::EnumMember)));
                items.push(item("-", grade, CompletionKind::EnumMember));
            }
            Some((_, ValueKind::Level)) => items.extend(Level::ALL.iter().map(|l| item(&l.to_string(), lang.pick("水準", "level"), CompletionKind::EnumMember))),
            Some((_, ValueKind::Direction)) => items
                .extend([("増加", lang.pick("大きいほど良い", "higher is better")), ("減少", lang.pick("小さいほど良い", "lower is better"))].map(|(d, why)| item(d, why, CompletionKind::EnumMember))),
            Some((FieldKey::Department, _)) => {
                let mut known = departments();
                known.sort();
                known.dedup();
                items.extend(known.iter().map(|d| item(d, lang.pick("代表課", "department"), CompletionKind::Value)));
            }
            _ => {}
        }
    } else if before.trim_matches(is_blank).chars().all(|c| !c.is_whitespace()) {
        // A key or a block keyword valid here.
        if let Some(kind) = kind {
            for def in schema::FIELDS.iter().filter(|d| d.allowed_in(kind)) {
                let mut it = item(def.name(), lang.pick("フィールド", "field"), CompletionKind::Field);
                it.insert_text = Some(format!("{}: ", def.name()));
                items.push(it);
            }
        }
        for child in BlockKind::ALL {
            if child.allowed_parents().contains(&kind) {
                items.push(item(child.keyword(), lang.pick("ブロック", "block"), CompletionKind::Keyword));
            }
        }
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
        assert_eq!(labels(&completion(doc, after("定量評価: "), none, Lang::Ja)), ["高", "中", "低"]);
        assert_eq!(labels(&completion(doc, after("    定量評価: "), none, Lang::Ja)), ["A", "B", "C", "D", "-"]);
        let directions = completion(doc, after("方向: "), none, Lang::En);
        assert_eq!(labels(&directions), ["増加", "減少"]);
        assert_eq!(directions[0].detail, "higher is better");
        let departments = completion(doc, after("代表課: "), || vec!["総務課".into(), "こども課".into(), "総務課".into()], Lang::Ja);
        assert_eq!(labels(&departments), ["こども課", "総務課"]);
        assert_eq!(departments[0].kind, CompletionKind::Value);
    }

    #[test]
    fn keys_and_blocks_valid_in_the_block_around_the_cursor() {
        let plan = "施策 1-1-1 t {\n  \n}\n";
        let a = analysis(plan);
        let items = completion(&a.workspace.docs[0], at(plan, "  \n") + 2, Vec::new, Lang::En);
        let department = items.iter().find(|i| i.label == "代表課").expect("代表課 is a key of 施策");
        assert_eq!(department.insert_text.as_deref(), Some("代表課: "));
        assert_eq!(department.detail, "field");
        assert!(items.iter().any(|i| i.label == "指標" && i.kind == CompletionKind::Keyword), "{items:?}");
        assert!(!items.iter().any(|i| i.label == "施策"), "a 施策 is not inside a 施策: {items:?}");
        let top = completion(&a.workspace.docs[0], 0, Vec::new, Lang::Ja);
        assert!(top.iter().any(|i| i.label == "基本政策"), "{top:?}");
        assert!(!top.iter().any(|i| i.kind == CompletionKind::Field), "no keys at the top level: {top:?}");
    }

    #[test]
    fn departments_are_gathered_once_each() {
        let a = analysis("施策 1-1-1 a {\n  代表課: 総務課\n}\n施策 1-1-2 b {\n  代表課:  総務課 \n}\n施策 1-1-3 c {\n  代表課:\n}\n");
        assert_eq!(departments_in(&a.workspace.docs), ["総務課"]);
    }
}
