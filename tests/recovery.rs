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
