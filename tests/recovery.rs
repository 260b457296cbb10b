//! Error recovery: one bad line, or blocks left open while typing, must not
//! hide or misplace the rest of the file.

use plancheck::diagnostics::Lang;
use plancheck::model::{BlockKind, FieldKey};

#[test]
fn blocks_left_open_at_the_end_keep_their_nesting_and_fields() {
    let text = "施策 1-1-1 健康づくり {\n  全体評価: A\n  代表課: 健康づくり課\n  指標 参加者数 {\n    実績: 10人\n    目標: 10人\n    定量評価: A\n";
    let analysis = plancheck::check_text("a.plan", text, Lang::Ja);
    let doc = &analysis.workspace.docs[0];
    let rules: Vec<&str> = analysis.diagnostics.iter().map(|d| d.rule.name).collect();
    assert_eq!(rules, ["syntax-error", "syntax-error"], "{:#?}", analysis.diagnostics);
    assert!(analysis.diagnostics.iter().all(|d| d.message.contains("閉じられていません")));
    let (measure_id, measure) = doc.blocks_of(BlockKind::Measure).next().expect("the 施策 is modelled");
    assert!(measure.has_value(FieldKey::Department));
    let indicator = doc.children_of(measure_id, BlockKind::Indicator).next().expect("the 指標 is inside the 施策");
    assert!(indicator.has_value(FieldKey::Actual) && indicator.has_value(FieldKey::Target));
}

#[test]
fn a_bad_line_does_not_hide_the_next_ones() {
    let text = "施策 1-1-1 a {\n  全体評価: A\n  代表課: 課\n  指標 b {\n    ?? これは何 ??\n    実績: 5,900人\n    目標: 10,650人\n    定量評価: C\n  }\n}\n施策 1-1-2 c {\n  全体評価: B\n}\n";
    let analysis = plancheck::check_text("a.plan", text, Lang::Ja);
    let rules: Vec<&str> = analysis.diagnostics.iter().map(|d| d.rule.name).collect();
    // The bad line, the grade below it, and the second 施策's department.
    assert!(rules.contains(&"syntax-error"), "{rules:?}");
    assert!(rules.contains(&"rating-mismatch"), "{rules:?}");
    assert!(rules.contains(&"missing-department"), "{rules:?}");
}

/// (rule, 1-based line) of each finding, and the text after applying every
/// fix once.
fn findings_and_fixed(text: &str) -> (Vec<(String, usize)>, String) {
    let analysis = plancheck::check_text("a.plan", text, Lang::Ja);
    let doc = &analysis.workspace.docs[0];
    let found = analysis.diagnostics.iter().map(|d| (d.rule.name.to_string(), doc.line_index.line_of(d.span.start) + 1)).collect();
    let (fixed, _) = plancheck::fix::apply_with(text, 0, &analysis.diagnostics, plancheck::diagnostics::Applicability::Unsafe);
    (found, fixed)
}

/// A missing `}` is reported once, at the block its indentation leaves,
/// with the `}` as a fix; the rest of the file is read as the indentation
/// says, so no false "代表課がありません" or misplaced block follows, and the
/// findings that do not depend on the guess stay.
#[test]
fn a_missing_brace_is_reported_once_at_the_block_left_open() {
    let text = "基本政策 1 健康 {\n  政策 1-1 保健 {\n    施策 1-1-1 健康づくり {\n      全体評価: B\n      指標 参加者数 {\n        実績: 50人\n        目標: 100人\n        定量評価: C\n      代表課: 健康課\n    }\n    施策 1-1-2 医療 {\n      全体評価: A\n      代表課: 医療課\n    }\n  }\n}\n";
    let analysis = plancheck::check_text("a.plan", text, Lang::Ja);
    let messages: Vec<(&str, &str)> = analysis.diagnostics.iter().map(|d| (d.rule.name, d.message.as_str())).collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert_eq!(messages[0], ("syntax-error", "ブロック `指標 参加者数 {` が `}` で閉じられていません: 字下げでは 9 行目 (`代表課: 健康課`) の前で終わります"));
    assert_eq!(messages[1].0, "rating-mismatch", "50% is D, stated C: not a guess");
    let fix = analysis.diagnostics[0].fix.as_ref().expect("the `}` as a fix");
    assert_eq!(fix.applicability, plancheck::diagnostics::Applicability::Unsafe, "a guess from the indentation");
    let (_, fixed) = findings_and_fixed(text);
    assert!(fixed.contains("        定量評価: D\n      }\n      代表課: 健康課\n"), "{fixed}");
    let (after, _) = findings_and_fixed(&fixed);
    assert!(after.is_empty(), "{after:?}");
    // The model is read as the indentation closes the block: the 施策 has its 代表課.
    let doc = &analysis.workspace.docs[0];
    let (_, measure) = doc.blocks_of(BlockKind::Measure).next().unwrap();
    assert!(measure.has_value(FieldKey::Department));
    assert_eq!(doc.blocks_of(BlockKind::Measure).count(), 2);
    assert_eq!(doc.text, text, "the document's text is what was written");
}

#[test]
fn braces_missing_at_the_margin_at_the_end_and_twice_are_each_found() {
    let s = |v: &[(&str, usize)]| v.iter().map(|(r, l)| (r.to_string(), *l)).collect::<Vec<_>>();
    // A 基本政策 left open before the next, at the left margin.
    let margin = "基本政策 1 健康 {\n  政策 1-1 保健 {\n    施策 1-1-1 a {\n      全体評価: B\n      代表課: 課\n    }\n  }\n基本政策 2 教育 {\n  政策 2-1 学校 {\n    施策 2-1-1 b {\n      全体評価: B\n      代表課: 課\n    }\n  }\n}\n";
    let (found, fixed) = findings_and_fixed(margin);
    assert_eq!(found, s(&[("syntax-error", 1)]));
    assert!(findings_and_fixed(&fixed).0.is_empty(), "{fixed}");
    // Two blocks open at the end of the file.
    let end = "施策 1-1-1 a {\n  全体評価: B\n  代表課: 課\n  指標 b {\n    実績: 5人\n    目標: 10人\n    定量評価: D";
    let (found, fixed) = findings_and_fixed(end);
    assert_eq!(found, s(&[("syntax-error", 1), ("syntax-error", 4)]));
    assert!(findings_and_fixed(&fixed).0.is_empty(), "{fixed}");
    // Two in the middle: the 指標's and the 施策's.
    let twice = "基本政策 1 健康 {\n  政策 1-1 保健 {\n    施策 1-1-1 a {\n      全体評価: B\n      指標 b {\n        実績: 5人\n        目標: 10人\n        定量評価: D\n      代表課: 課\n    施策 1-1-2 c {\n      全体評価: B\n      代表課: 課\n    }\n  }\n}\n";
    let (found, fixed) = findings_and_fixed(twice);
    assert_eq!(found, s(&[("syntax-error", 3), ("syntax-error", 5)]));
    assert!(findings_and_fixed(&fixed).0.is_empty(), "{fixed}");
    // Indented with full-width spaces: the spans stay on characters.
    let wide = "施策 1-1-1 a {\n\u{3000}全体評価: B\n\u{3000}指標 b {\n\u{3000}\u{3000}実績: 5人\n\u{3000}\u{3000}目標: 10人\n\u{3000}\u{3000}定量評価: D\n\u{3000}代表課: 課\n}\n";
    let (found, _) = findings_and_fixed(wide);
    assert_eq!(found, s(&[("syntax-error", 3)]));
    let analysis = plancheck::check_text("a.plan", wide, Lang::Ja);
    for block in &analysis.workspace.docs[0].blocks {
        assert!(wide.is_char_boundary(block.span.start) && wide.is_char_boundary(block.span.end));
    }
    // A file that does not indent what its blocks hold says nothing by its
    // indentation: the parse's own reading stands.
    let flat = "施策 1-1-1 a {\n全体評価: B\n代表課: 課\n指標 b {\n実績: 5人\n目標: 10人\n定量評価: D\n}\n";
    let (found, _) = findings_and_fixed(flat);
    assert_eq!(found, s(&[("syntax-error", 1)]));
    assert!(!plancheck::check_text("a.plan", flat, Lang::Ja).diagnostics[0].message.contains("字下げ"));
}

/// A 施策 at the left margin (a file per department) left open before the
/// next: a `}` line is put in for the parse, and every span still points
/// into the text as written.
#[test]
fn a_brace_missing_before_a_block_at_the_margin_is_found() {
    let text = "施策 1-1-1 a {\n  全体評価: B\n  代表課: 課\n施策 1-1-2 b {\n  全体評価: C\n  代表課: 課\n  指標 c {\n    実績: 5人\n    目標: 10人\n    定量評価: A\n  }\n}\n";
    let (found, fixed) = findings_and_fixed(text);
    assert_eq!(found, [("syntax-error".to_string(), 1), ("rating-mismatch".to_string(), 10)]);
    assert!(fixed.starts_with("施策 1-1-1 a {\n  全体評価: B\n  代表課: 課\n}\n施策 1-1-2 b {"), "{fixed}");
    let analysis = plancheck::check_text("a.plan", text, Lang::Ja);
    let doc = &analysis.workspace.docs[0];
    let titles: Vec<&str> = doc.blocks.iter().filter_map(|b| b.title.as_ref()).map(|t| &text[t.span.start..t.span.end]).collect();
    assert_eq!(titles, ["a", "b", "c"], "the spans are the text's");
    let rating = analysis.diagnostics.iter().find(|d| d.rule.name == "rating-mismatch").unwrap();
    assert_eq!(&text[rating.span.start..rating.span.end], "A");
}

/// Each `}` of the example plans taken out in turn: one syntax-error, at the
/// block it closed, whose fix puts the file back (blank lines aside); no
/// finding that the plan did not have before.
#[test]
fn every_closing_brace_of_the_example_taken_out_is_found_and_put_back() {
    for file in ["1-kenko", "2-sangyo", "3-anzen", "4-manabi", "5-kyodo"] {
        braces_taken_out_one_by_one(&std::fs::read_to_string(format!("{}/examples/isesaki/{file}.plan", env!("CARGO_MANIFEST_DIR"))).unwrap());
    }
}

fn braces_taken_out_one_by_one(text: &str) {
    let text = text.to_string();
    let before: std::collections::HashSet<(String, String)> = plancheck::check_text("a.plan", &text, Lang::Ja).diagnostics.iter().map(|d| (d.rule.name.to_string(), d.message.clone())).collect();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let squeeze = |t: &str| t.lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n");
    let mut tried = 0;
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.trim() == "}") {
        let without: String = lines.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, l)| *l).collect();
        let analysis = plancheck::check_text("a.plan", &without, Lang::Ja);
        let syntax: Vec<_> = analysis.diagnostics.iter().filter(|d| d.rule.name == "syntax-error").collect();
        assert_eq!(syntax.len(), 1, "line {}: {:#?}", i + 1, syntax);
        for d in analysis.diagnostics.iter().filter(|d| d.rule.name != "syntax-error") {
            assert!(before.contains(&(d.rule.name.to_string(), d.message.clone())), "line {} ({line:?}) taken out: a new finding {}: {}", i + 1, d.rule.name, d.message);
        }
        let (fixed, applied) = plancheck::fix::apply_with(&without, 0, &syntax.into_iter().cloned().collect::<Vec<_>>(), plancheck::diagnostics::Applicability::Unsafe);
        assert_eq!(applied, 1);
        assert_eq!(squeeze(&fixed), squeeze(&text), "line {} put back", i + 1);
        tried += 1;
    }
    assert!(tried > 20, "{tried} braces");
}
