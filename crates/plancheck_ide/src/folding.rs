//! Folding: every block, and every field whose text runs over several
//! lines.

use plancheck_core::model::Document;
use plancheck_core::syntax::Span;

/// The spans that fold, in document order of kind (blocks, then multi-line
/// fields). A span on one line does not fold; the server drops those once it
/// knows the lines.
pub fn folding_ranges(doc: &Document) -> Vec<Span> {
    let blocks = doc.blocks.iter().map(|b| b.span);
    let fields = doc.all_fields().filter(|(_, f)| f.text_lines.len() > 1).map(|(_, f)| f.span);
    blocks.chain(fields).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{analysis, at};

    #[test]
    fn blocks_and_multi_line_texts_fold() {
        let plan = "施策 1-1-1 t {\n  成果:\n    | 一行目\n    | 二行目\n  課題: 一行\n}\n";
        let a = analysis(plan);
        let spans = folding_ranges(&a.workspace.docs[0]);
        assert_eq!(spans.len(), 2, "{spans:?}");
        assert_eq!((spans[0].start, spans[0].end), (0, plan.len() - 1));
        assert_eq!(spans[1].start, at(plan, "成果"));
        assert!(plan[spans[1].start..spans[1].end].ends_with("二行目"), "{:?}", &plan[spans[1].start..spans[1].end]);
    }
}
