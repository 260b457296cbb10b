//! The edits that turn a text into another line by line (formatting), so
//! that editors keep marks, folds and the cursor on the lines that did not
//! change.

use plancheck_core::syntax::Span;
use plancheck_linter::diagnostics::Edit;

/// The smallest line-wise edits from `old` to `new`, as byte spans of `old`.
pub fn line_edits(old: &str, new: &str) -> Vec<Edit> {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let mut line_offsets = Vec::with_capacity(old_lines.len() + 1);
    let mut at = 0;
    for line in &old_lines {
        line_offsets.push(at);
        at += line.len();
    }
    line_offsets.push(at);
    let diff = similar::capture_diff_slices(similar::Algorithm::Myers, &old_lines, &new_lines);
    diff.iter()
        .filter(|op| !matches!(op, similar::DiffOp::Equal { .. }))
        .map(|op| {
            let (old_range, new_range) = (op.old_range(), op.new_range());
            Edit { span: Span::new(line_offsets[old_range.start], line_offsets[old_range.end]), replacement: new_lines[new_range].concat() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::apply;

    #[test]
    fn only_changed_lines_are_replaced_and_the_result_is_the_new_text() {
        let old = "a\nb\nc\nd";
        let new = "a\nB\nc\nd\ne\n";
        let edits = line_edits(old, new);
        assert_eq!(apply(old, &edits), new);
        assert_eq!(edits[0], Edit { span: Span::new(2, 4), replacement: "B\n".into() });
        assert!(line_edits(new, new).is_empty());
    }
}
