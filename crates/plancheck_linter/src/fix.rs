//! Applying fixes (`plancheck check --fix`, and the language server's
//! "fix all"): the same fixes the quick fixes offer. Only [`Applicability::Safe`]
//! ones unless the caller allows the guesses too (`--unsafe-fixes`).

use crate::diagnostics::{Applicability, Diagnostic, Edit};
use crate::model::FileId;
use std::collections::BTreeMap;

/// Applies the safe fixes of `diagnostics` that belong to `file` to `text`
/// (see [`apply_with`]).
pub fn apply(text: &str, file: FileId, diagnostics: &[Diagnostic]) -> (String, usize) {
    apply_with(text, file, diagnostics, Applicability::Safe)
}

/// Applies the fixes of `diagnostics` that belong to `file` to `text`, those
/// at most as unsure as `allowed` (`Safe`: the exact ones; `Unsafe`: the
/// guesses too). Fixes whose edits overlap an already chosen one are left
/// for a later round (their text may have moved). Returns the new text and
/// how many fixes were applied.
pub fn apply_with(text: &str, file: FileId, diagnostics: &[Diagnostic], allowed: Applicability) -> (String, usize) {
    let (chosen, applied) = compatible_edits_with(text, diagnostics.iter().filter(|d| d.file == file), allowed);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in chosen {
        out.push_str(&text[at..edit.span.start]);
        out.push_str(&edit.replacement);
        at = edit.span.end;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

/// Whether a fix of `applicability` may be applied when `allowed` is.
pub fn allows(allowed: Applicability, applicability: Applicability) -> bool {
    allowed == Applicability::Unsafe || applicability == Applicability::Safe
}

/// The edits of the safe fixes among `diagnostics` that can be applied
/// together (see [`compatible_edits_with`]).
pub fn compatible_edits<'a>(text: &str, diagnostics: impl Iterator<Item = &'a Diagnostic>) -> (Vec<&'a Edit>, usize) {
    compatible_edits_with(text, diagnostics, Applicability::Safe)
}

/// The edits of those fixes among `diagnostics` (at most as unsure as
/// `allowed`) that can be applied together, sorted, and how many fixes they
/// make. A fix is taken whole or not at all, first come first served: it is
/// left out when one of its edits is outside the text, overlaps another of
/// its edits or an edit already chosen (an insertion counts as one byte
/// wide, so two insertions at one place, or an insertion where a replacement
/// starts, never both apply). O(n log n) in the number of edits: the chosen
/// ones are disjoint, so only the one starting last before an edit's end can
/// overlap it.
pub fn compatible_edits_with<'a>(text: &str, diagnostics: impl Iterator<Item = &'a Diagnostic>, allowed: Applicability) -> (Vec<&'a Edit>, usize) {
    // Chosen edits by start: (end counting an insertion as one byte, edit).
    let mut chosen: BTreeMap<usize, (usize, &'a Edit)> = BTreeMap::new();
    let mut applied = 0;
    let mut edits: Vec<&'a Edit> = Vec::new();
    for d in diagnostics {
        let Some(fix) = &d.fix else { continue };
        if !allows(allowed, fix.applicability) || fix.edits.is_empty() {
            continue;
        }
        let in_bounds = fix.edits.iter().all(|e| e.span.start <= e.span.end && e.span.end <= text.len() && text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
        if !in_bounds {
            continue;
        }
        edits.clear();
        edits.extend(fix.edits.iter());
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        let wide_end = |e: &Edit| e.span.end.max(e.span.start + 1);
        let self_overlap = edits.windows(2).any(|w| w[1].span.start < wide_end(w[0]));
        let overlaps = self_overlap || edits.iter().any(|e| chosen.range(..wide_end(e)).next_back().is_some_and(|(_, (end, _))| *end > e.span.start));
        if overlaps {
            continue;
        }
        for e in &edits {
            chosen.insert(e.span.start, (wide_end(e), e));
        }
        applied += 1;
    }
    // By start, and the keys are distinct: already in order.
    (chosen.into_values().map(|(_, e)| e).collect(), applied)
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::{Applicability, Diagnostic, Edit, Lang};
    use crate::syntax::Span;

    fn fixing(edits: &[(usize, usize, &str)], applicability: Applicability) -> Diagnostic {
        let rule = crate::rules::by_name("rating-mismatch").expect("a rule");
        Diagnostic::new(rule, 0, Span::new(0, 0), "m").with_fix(applicability, "f", edits.iter().map(|&(a, b, r)| Edit { span: Span::new(a, b), replacement: r.to_string() }).collect())
    }

    // --- issue 14, fixes, workbooks and reports ---

    /// 100,000 disjoint fixes, then 100,000 that each overlap one of them,
    /// then insertions where each first one starts: the disjoint ones
    /// apply, the rest wait. (Quadratic selection would compare 10^10 pairs
    /// here; the answer is checked, not the time.)
    #[test]
    fn many_fixes_are_selected_first_come_without_overlaps() {
        let n = 100_000;
        let text = "ab".repeat(n);
        let mut diagnostics: Vec<Diagnostic> = (0..n).map(|i| fixing(&[(2 * i, 2 * i + 1, "X")], Applicability::Safe)).collect();
        diagnostics.extend((0..n).map(|i| fixing(&[(2 * i, 2 * i + 2, "YY")], Applicability::Safe)));
        diagnostics.extend((0..n).map(|i| fixing(&[(2 * i, 2 * i, "Z")], Applicability::Safe)));
        // Insertions at the end of each replacement fit (`aXb` → `XZb`).
        diagnostics.extend((0..n).map(|i| fixing(&[(2 * i + 1, 2 * i + 1, "-")], Applicability::Safe)));
        let (edits, applied) = super::compatible_edits(&text, diagnostics.iter());
        assert_eq!(applied, 2 * n);
        assert_eq!(edits.len(), 2 * n);
        assert!(edits.windows(2).all(|w| w[0].span.end <= w[1].span.start), "sorted and disjoint");
        let (fixed, applied) = super::apply(&text, 0, &diagnostics);
        assert_eq!(applied, 2 * n);
        assert_eq!(fixed, "X-b".repeat(n));
    }

    /// A fix is taken whole: one of its edits overlapping a chosen edit, or
    /// another of its own, leaves all of them out; so does one outside the
    /// text or inside a character.
    #[test]
    fn a_fix_is_taken_whole_or_not_at_all() {
        let text = "0123456789あ";
        let diagnostics = [
            fixing(&[(2, 4, "x")], Applicability::Safe),
            fixing(&[(0, 1, "y"), (3, 5, "y")], Applicability::Safe),
            fixing(&[(6, 8, "z"), (7, 9, "z")], Applicability::Safe),
            fixing(&[(9, 9, "w"), (11, 12, "w")], Applicability::Safe),
            fixing(&[(9, 9, "v"), (20, 21, "v")], Applicability::Safe),
            fixing(&[(0, 1, "u"), (9, 10, "u")], Applicability::Safe),
        ];
        let (fixed, applied) = super::apply(text, 0, &diagnostics);
        assert_eq!((fixed.as_str(), applied), ("u1x45678uあ", 2));
    }

    /// `--fix` takes only the safe fixes; `--unsafe-fixes` the guesses too.
    #[test]
    fn unsafe_fixes_only_when_allowed() {
        let diagnostics = [fixing(&[(0, 1, "A")], Applicability::Safe), fixing(&[(2, 3, "C")], Applicability::Unsafe)];
        assert_eq!(super::apply("abc", 0, &diagnostics), ("Abc".to_string(), 1));
        assert_eq!(super::apply_with("abc", 0, &diagnostics, Applicability::Unsafe), ("AbC".to_string(), 2));
        assert_eq!(super::compatible_edits("abc", diagnostics.iter()).1, 1);
    }

    #[test]
    fn fixes_grades_then_the_summary_they_change() {
        let text = "施策 1-1-1 a {\n  全体評価: A\n  代表課: 課\n  指標 b {\n    実績: 50\n    目標: 100\n    定量評価: A\n  }\n  定量評価: 高\n}\n";
        let mut current = text.to_string();
        let mut total = 0;
        for _ in 0..5 {
            let analysis = crate::check_text("a.plan", &current, Lang::Ja);
            let (next, applied) = super::apply(&current, 0, &analysis.diagnostics);
            total += applied;
            if applied == 0 {
                break;
            }
            current = next;
        }
        assert!(current.contains("定量評価: D"), "{current}");
        assert!(current.contains("定量評価: 低"), "{current}");
        assert_eq!(total, 2);
        assert!(crate::check_text("a.plan", &current, Lang::Ja).diagnostics.is_empty());
    }
}
