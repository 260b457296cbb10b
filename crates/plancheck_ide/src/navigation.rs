//! Navigation: from a finding with related places (the copies of a
//! paragraph, the blocks sharing an ID), to all of them, from whichever one
//! the cursor is on.

use plancheck_core::model::FileId;
use plancheck_core::syntax::Span;
use plancheck_linter::diagnostics::Diagnostic;

/// The places related to byte `offset` of `file` through `findings` (an
/// analysis of the current texts), sorted and once each; with the places
/// under the cursor themselves when `include_self` (references) and
/// without them otherwise (definition).
pub fn related(findings: &[Diagnostic], file: FileId, offset: usize, include_self: bool) -> Vec<(FileId, Span)> {
    let contains = |f: FileId, span: Span| f == file && span.start <= offset && offset <= span.end;
    let mut places = Vec::new();
    for finding in findings.iter().filter(|d| !d.related.is_empty()) {
        let group: Vec<(FileId, Span)> = std::iter::once((finding.file, finding.span)).chain(finding.related.iter().map(|r| (r.file, r.span))).collect();
        if group.iter().any(|&(f, span)| contains(f, span)) {
            places.extend(group.into_iter().filter(|&(f, span)| include_self || !contains(f, span)));
        }
    }
    places.sort_by_key(|&(f, span)| (f, span.start, span.end));
    places.dedup();
    places
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{analysis, at};

    #[test]
    fn every_copy_leads_to_the_others() {
        let paragraph = "市民と協働して地域の防災訓練を年に二回開催した";
        let plan = format!("施策 1-1-1 a {{\n  展開 x {{\n    成果: {paragraph}\n  }}\n}}\n施策 1-1-2 b {{\n  展開 y {{\n    成果: {paragraph}\n  }}\n}}\n");
        let a = analysis(&plan);
        let first = at(&plan, paragraph);
        let second = plan.rfind(paragraph).unwrap();
        let from_second = related(&a.diagnostics, 0, second + 3, false);
        assert_eq!(from_second.iter().map(|(_, s)| s.start).collect::<Vec<_>>(), [first]);
        let from_first = related(&a.diagnostics, 0, first + 3, true);
        assert_eq!(from_first.iter().map(|(_, s)| s.start).collect::<Vec<_>>(), [first, second]);
        assert!(related(&a.diagnostics, 0, 0, true).is_empty());
    }
}
