//! Applying safe fixes (`plancheck check --fix`, and the language server's
//! "fix all"): the same fixes the quick fixes offer.

use crate::diagnostics::{Diagnostic, Edit};
use crate::model::FileId;

/// Applies the fixes of `diagnostics` that belong to `file` to `text`.
/// Fixes whose edits overlap an already chosen one are left for a later
/// round (their text may have moved). Returns the new text and how many
/// fixes were applied.
pub fn apply(text: &str, file: FileId, diagnostics: &[Diagnostic]) -> (String, usize) {
    let (chosen, applied) = compatible_edits(text, diagnostics.iter().filter(|d| d.file == file));
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

/// The edits of those fixes among `diagnostics` that can be applied
/// together (no two overlap), sorted, and how many fixes they make.
pub fn compatible_edits<'a>(text: &str, diagnostics: impl Iterator<Item = &'a Diagnostic>) -> (Vec<&'a Edit>, usize) {
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for d in diagnostics {
        let Some(fix) = &d.fix else { continue };
        let overlaps = fix.edits.iter().any(|e| chosen.iter().any(|c| e.span.start < c.span.end.max(c.span.start + 1) && c.span.start < e.span.end.max(e.span.start + 1)));
        let in_bounds = fix.edits.iter().all(|e| e.span.end <= text.len() && text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
        if overlaps || !in_bounds {
            continue;
        }
        chosen.extend(fix.edits.iter());
        applied += 1;
    }
    chosen.sort_by_key(|e| (e.span.start, e.span.end));
    (chosen, applied)
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Lang;

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
