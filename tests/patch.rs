//! The language server's fast path: the model after typing inside a value,
//! patched from the model before (`Document::patched`), equals a whole build
//! of the new text, and typing in prose takes that path.

use plancheck::model::{Document, Edit};
use proptest::prelude::*;
use tree_sitter::{InputEdit, Point};

fn dump(doc: &Document) -> String {
    doc.dump()
}

fn point_at(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let column = offset - before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    Point { row, column }
}

/// `doc` with `start..end` replaced by `insert`: the patched model, or the
/// text and tree when the patch declined.
fn edited(doc: &Document, start: usize, end: usize, insert: &str) -> Result<Document, (String, tree_sitter::Tree)> {
    let mut text = doc.text.clone();
    text.replace_range(start..end, insert);
    let new_end = start + insert.len();
    let mut old_tree = doc.tree.clone().expect("kept");
    old_tree.edit(&InputEdit {
        start_byte: start,
        old_end_byte: end,
        new_end_byte: new_end,
        start_position: point_at(&doc.text, start),
        old_end_position: point_at(&doc.text, end),
        new_end_position: point_at(&text, new_end),
    });
    let tree = plancheck::syntax::parser().parse(&text, Some(&old_tree)).expect("a tree");
    let changed = old_tree.changed_ranges(&tree).map(|r| r.start_byte..r.end_byte).collect();
    doc.patched(&Edit { start, old_end: end, new_end, changed }, text, tree)
}

/// Whatever path was taken, the model is a whole build's.
fn next(doc: Document, start: usize, end: usize, insert: &str) -> (Document, bool) {
    let (model, patched) = match edited(&doc, start, end, insert) {
        Ok(model) => (model, true),
        Err((text, tree)) => (Document::with_tree(doc.path.clone(), text, tree), false),
    };
    let whole = Document::parse(model.path.clone(), model.text.clone());
    assert_eq!(dump(&model), dump(&whole), "after replacing {start}..{end} with {insert:?} (patched: {patched})");
    assert_eq!(model.tree.as_ref().expect("kept").root_node().to_sexp(), whole.tree.as_ref().expect("kept").root_node().to_sexp());
    (model, patched)
}

#[test]
fn typing_a_paragraph_into_prose_is_patched_and_equals_a_whole_build() {
    let text = plancheck_generate::plan(3, 30_000);
    let mut doc = Document::parse("p.plan", text);
    doc.prose();
    // The end of the first 課題 line, then of the first text line (`|`).
    for marker in ["課題: ", "| "] {
        let mut at = doc.text.find(marker).expect("the generated plan has one") + marker.len();
        at += doc.text[at..].find('\n').unwrap();
        let mut patched = 0;
        for c in "市民の健康づくりを、地域の医療機関と連携して進めた。Ａ判定：達成 {} # | ".chars() {
            let (model, was) = next(doc, at, at, c.encode_utf8(&mut [0; 4]));
            doc = model;
            at += c.len_utf8();
            patched += usize::from(was);
        }
        // Then delete it again, one character at a time, from the end.
        for _ in 0..10 {
            let previous = doc.text[..at].chars().next_back().unwrap().len_utf8();
            let (model, was) = next(doc, at - previous, at, "");
            doc = model;
            at -= previous;
            patched += usize::from(was);
        }
        assert!(patched >= 40, "after {marker:?}: {patched} of 56 edits patched");
    }
}

#[test]
fn edits_that_change_structure_are_not_patched() {
    let doc = Document::parse("p.plan", "施策 1-1-1 a {\n  成果: あいう\n  課題:\n    | えお\n  全体評価: A\n}\n");
    let value = doc.text.find("あいう").unwrap();
    // A line end, a value emptied, one that ends with a colon, the key.
    for (start, end, insert) in [(value, value, "\n"), (value, value + "あいう".len(), ""), (value + "あいう".len(), value + "あいう".len(), ":"), (value - 8, value - 5, "x")] {
        assert!(edited(&doc, start, end, insert).is_err(), "{start}..{end} {insert:?}");
    }
    let text_line = doc.text.find("えお").unwrap();
    assert!(edited(&doc, text_line, text_line, "あ").is_ok());
}

fn insert() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[あ-んア-ン一-龥]{1,3}",
        "[a-z0-9 ]{1,3}",
        Just(":".to_string()),
        Just("：".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("#".to_string()),
        Just("|".to_string()),
        Just("\n".to_string()),
        Just("𠮷😀".to_string()),
        Just("Ｂ".to_string()),
        Just("%".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Random edits anywhere (most of a plan is values): whichever path each
    /// takes, the model equals a whole build.
    #[test]
    fn random_edits_give_a_whole_builds_model(seed in 0u64..50, edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..4, insert()), 1..30)) {
        let text = if seed % 5 == 0 { include_str!("fixtures/rules/syntax-error.plan").to_string() } else { plancheck_generate::plan(seed, 6_000) };
        let mut doc = Document::parse("p.plan", text);
        doc.prose();
        for (at, removed, insert) in edits {
            let mut start = at.index(doc.text.len() + 1);
            while !doc.text.is_char_boundary(start) {
                start -= 1;
            }
            let end = doc.text[start..].char_indices().nth(removed).map_or(doc.text.len(), |(i, _)| start + i);
            doc = next(doc, start, end, &insert).0;
        }
    }
}
