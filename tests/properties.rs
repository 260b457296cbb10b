//! Property tests: on any input, parsing, modelling, checking and rendering
//! never panic, and every reported span lies on character boundaries inside
//! the text.

use plancheck::diagnostics::Lang;
use proptest::prelude::*;

const EXAMPLE: &str = include_str!("fixtures/rules/rating-mismatch.plan");

/// Pieces that make the grammar's life hard: keywords, markers, full-width
/// forms, CR, BOM, characters outside the BMP.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("施策 ".to_string()),
        Just("指標 ".to_string()),
        Just("展開 ".to_string()),
        Just("基本政策 1 ".to_string()),
        Just("1-1-1 ".to_string()),
        Just("１－２－３".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("{}".to_string()),
        Just(": ".to_string()),
        Just("：".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("| ".to_string()),
        Just("｜".to_string()),
        Just("# plancheck: allow(rating-mismatch)\n".to_string()),
        Just("# plancheck: allow-file(".to_string()),
        Just("実績: 5,900人 (R3年)\n".to_string()),
        Just("定量評価: Ｃ\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{3000}".to_string()),
        Just("𠮷".to_string()),
        Just("😀".to_string()),
        Just("\0".to_string()),
        "[ -~]{0,8}",
        "[ぁ-んァ-ン一-龥]{0,6}",
    ]
}

fn check_everything(text: &str) {
    for lang in [Lang::Ja, Lang::En] {
        let analysis = plancheck::check_text("p.plan", text, lang);
        let doc = &analysis.workspace.docs[0];
        for d in &analysis.diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{d:?}");
            assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end), "{d:?}");
            for r in &d.related {
                assert!(r.span.end <= analysis.workspace.docs[r.file].text.len());
            }
            if let Some(fix) = &d.fix {
                for e in &fix.edits {
                    assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
                }
            }
        }
        let _ = plancheck::output::json::render(&analysis);
        let _ = plancheck::output::sarif::render(&analysis, lang);
        let _ = plancheck::output::human::render(&analysis, lang, false);
        let _ = plancheck::output::github::render_annotations(&analysis);
        assert_eq!(doc.text, text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check_everything(&text);
    }

    #[test]
    fn plan_like_text_never_panics(pieces in prop::collection::vec(piece(), 0..60)) {
        check_everything(&pieces.concat());
    }

    #[test]
    fn mutated_real_plans_never_panic(cuts in prop::collection::vec((0usize..EXAMPLE.len(), 0usize..40, piece()), 1..8)) {
        let mut text = EXAMPLE.to_string();
        for (at, len, insert) in cuts {
            let mut start = at.min(text.len());
            while !text.is_char_boundary(start) { start -= 1; }
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) { end -= 1; }
            text.replace_range(start..end.max(start), &insert);
        }
        check_everything(&text);
    }
}

#[test]
fn a_fixed_table_of_hostile_inputs() {
    for text in ["", "\n", "}", "{", "施策", "施策 {", "施策 1-1-1 {\n", "|", "：", "#", "# plancheck:", "\r\r\r", "施策 1-1-1 {}\u{0}", "指標 x {\n実績:\n|\n|\n}"] {
        check_everything(text);
    }
    let deep = "施策 1-1-1 {\n".repeat(2000);
    check_everything(&deep);
}

mod incremental {
    use plancheck::lsp::document::{Encoding, OpenDocument};
    use plancheck::syntax::{LineCol, LineIndex};
    use proptest::prelude::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn insert_text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("𠮷".to_string()),
            Just("😀".to_string()),
            Just("施策 2-1-1 a {\n".to_string()),
            Just("}\n".to_string()),
            Just("  定量評価: Ｂ\n".to_string()),
            Just("  | 本文".to_string()),
            Just("#".to_string()),
            Just(" # メモ".to_string()),
            "[a-z:{}| ]{0,4}",
            "[あ-ん]{0,3}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        /// Any sequence of incremental edits leaves the text and the tree equal
        /// to a from-scratch parse of the final text, with the same findings.
        #[test]
        fn edits_match_a_fresh_parse(edits in prop::collection::vec((0u32..30, 0u32..40, 0u32..30, 0u32..40, insert_text()), 1..25)) {
            let start = include_str!("fixtures/rules/rating-mismatch.plan").replace("指標 ちょうど80%", "指標 𠮷野家😀");
            let mut doc = OpenDocument::new(start.clone(), 1);
            let mut expected = start;
            for (l1, c1, l2, c2, text) in edits {
                let (a, b) = (Position { line: l1, character: c1 }, Position { line: l2, character: c2 });
                // The reference: the same positions resolved by the CLI's line index.
                let index = LineIndex::new(&expected);
                let mut x = index.offset_of_utf16_position(&expected, LineCol { line: l1 as usize, col: c1 as usize });
                let mut y = index.offset_of_utf16_position(&expected, LineCol { line: l2 as usize, col: c2 as usize });
                if y < x { std::mem::swap(&mut x, &mut y); }
                expected.replace_range(x..y, &text);
                doc.apply(Some(Range { start: a, end: b }), &text, Encoding::Utf16);
                prop_assert_eq!(&doc.text, &expected);
                // Modelled after each edit, as the server does while typing
                // (each model patched from the last where the edit allows).
                doc.model("p.plan").prose();
            }
            prop_assert_eq!(doc.rope.to_string(), doc.text.clone());
            let fresh = plancheck::syntax::parse(&doc.text);
            prop_assert_eq!(doc.tree.root_node().to_sexp(), fresh.root_node().to_sexp());
            let ws = plancheck::model::Workspace::from_shared(vec![doc.model("p.plan")]);
            let configs = vec![std::sync::Arc::new(plancheck::config::ResolvedConfig::default())];
            let a: Vec<_> = plancheck::rules::check_workspace(&ws, &configs, plancheck::diagnostics::Lang::En).into_iter().map(|d| (d.rule.name, d.span, d.message)).collect();
            let b: Vec<_> = plancheck::check_text("p.plan", &doc.text, plancheck::diagnostics::Lang::En).diagnostics.into_iter().map(|d| (d.rule.name, d.span, d.message)).collect();
            prop_assert_eq!(a, b);
        }
    }
}

// --- issue 14, files on disk ---

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// U+FEFF anywhere a blank may stand in a real plan (line starts and
    /// ends, around keys, colons, values, comments, braces): `fmt` keeps
    /// every one, and formatting again changes nothing.
    #[test]
    fn fmt_keeps_every_zero_width_no_break_space(at in prop::collection::vec((0usize..EXAMPLE.len(), 1usize..3), 1..12)) {
        let mut text = EXAMPLE.to_string();
        let mut places: Vec<(usize, usize)> = at.into_iter().map(|(i, n)| {
            let mut i = i;
            while !text.is_char_boundary(i) { i -= 1; }
            (i, n)
        }).collect();
        places.sort_unstable_by(|a, b| b.cmp(a));
        for (i, n) in places {
            // Only where a blank may stand: before or after a blank or a line end.
            let before = text[..i].chars().next_back();
            let after = text[i..].chars().next();
            let blank = |c: Option<char>| c.is_none_or(|c| matches!(c, ' ' | '\n' | '\r' | '\t'));
            if blank(before) || blank(after) {
                text.insert_str(i, &"\u{feff}".repeat(n));
            }
        }
        let doc = plancheck::model::Document::parse("p.plan", text.clone());
        let formatted = plancheck::format::format(&doc);
        prop_assert!(!matches!(formatted, Err(plancheck::format::FormatError::NotLossless(_))), "{:?}: {:?}", text, formatted);
        if let Ok(out) = formatted {
            prop_assert_eq!(out.matches('\u{feff}').count(), text.matches('\u{feff}').count(), "{:?} → {:?}", text, out);
            let again = plancheck::format::format(&plancheck::model::Document::parse("p.plan", out.clone())).unwrap();
            prop_assert_eq!(again, out);
        }
    }
}
