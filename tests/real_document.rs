//! The real published sheet (`examples/isesaki/`, transcribed from
//! `../shared/seed/` with its errors): what plancheck finds on it is
//! snapshot-tested finding by finding, and the counts per rule are asserted
//! against the transcription's own list of the sheet's errors
//! (`examples/isesaki/NOTES.md`).

mod common;

use plancheck::diagnostics::Lang;
use std::collections::BTreeMap;
use std::path::Path;

#[test]
fn the_real_document_findings() {
    let analysis = common::analyze_path(Path::new("examples/isesaki"), Lang::Ja);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &analysis.diagnostics {
        *counts.entry(d.rule.name).or_default() += 1;
    }
    // NOTES.md: 25 grades that contradict the legend, 6 + 1 summaries,
    // 3-2-2 printed three times and 5-1-4 twice, 3-2-3 under 4-1, five
    // 施策 without a department, eight notes of other years.
    assert_eq!(counts.get("rating-mismatch"), Some(&25));
    assert_eq!(counts.get("quantitative-summary-mismatch"), Some(&6));
    assert_eq!(counts.get("qualitative-summary-mismatch"), Some(&1));
    assert_eq!(counts.get("duplicate-id"), Some(&3));
    assert_eq!(counts.get("id-hierarchy-mismatch"), Some(&1));
    assert_eq!(counts.get("missing-department"), Some(&5));
    assert_eq!(counts.get("period-mismatch"), Some(&8));
    // Two 実績 printed `-` with no reason (2-sangyo.plan).
    assert_eq!(counts.get("dash-without-reason"), Some(&2));
    // Every indicator of the transcription that is lower-is-better has its
    // 方向, and no 基準値 or 達成率 is transcribed.
    for rule in ["missing-direction", "direction-mismatch", "ratio-mismatch", "target-not-beyond-baseline"] {
        assert_eq!(counts.get(rule), None, "{rule} on the real document");
    }
    // The transcription is faithful and well formed: nothing unreadable.
    for rule in ["syntax-error", "invalid-value", "unknown-field", "misplaced-field", "unit-mismatch", "unknown-block", "misplaced-block", "invalid-id", "duplicate-field", "invalid-directive"] {
        assert_eq!(counts.get(rule), None, "{rule} on the real document");
    }
    assert!(counts.get("duplicate-text").copied().unwrap_or(0) >= 40, "{counts:?}");
    insta::assert_snapshot!(common::render(&analysis));
}
