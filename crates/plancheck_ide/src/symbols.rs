//! The outline: the document's blocks as a tree, and the workspace's
//! 基本政策, 政策 and 施策 by name.

use plancheck_core::i18n::Lang;
use plancheck_core::model::value::nfkc;
use plancheck_core::model::{Block, BlockKind, Document, FileId};
use plancheck_core::syntax::Span;

/// What a symbol is (the editor's icon).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// 基本政策 and 政策: they hold other blocks.
    Namespace,
    /// 施策: the unit that is evaluated.
    Class,
    /// 指標: a measured value.
    Number,
    /// 展開: a line of development.
    Method,
    /// 計画, or a block of an unknown kind.
    Object,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub kind: SymbolKind,
    /// The whole block.
    pub span: Span,
    /// Its header (keyword, ID, title): what is selected.
    pub header: Span,
    pub children: Vec<Symbol>,
}

/// The document's blocks, nested as written.
pub fn document_symbols(doc: &Document, lang: Lang) -> Vec<Symbol> {
    fn symbol(doc: &Document, id: usize, lang: Lang) -> Symbol {
        let block = &doc.blocks[id];
        Symbol { name: name(block, lang), kind: kind(block), span: block.span, header: block.header, children: block.children.iter().map(|&c| symbol(doc, c, lang)).collect() }
    }
    doc.roots.iter().map(|&r| symbol(doc, r, lang)).collect()
}

/// A 基本政策, 政策 or 施策 of the workspace whose name matches a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub file: FileId,
    pub name: String,
    pub kind: SymbolKind,
    pub header: Span,
}

/// The 基本政策, 政策 and 施策 whose name contains `query` (compared after
/// NFKC, so full-width and ASCII digits match); all of them for an empty
/// query.
pub fn workspace_symbols<'a>(docs: impl IntoIterator<Item = (FileId, &'a Document)>, query: &str, lang: Lang) -> Vec<WorkspaceSymbol> {
    let query = nfkc(query);
    let mut symbols = Vec::new();
    for (file, doc) in docs {
        for block in doc.blocks.iter().filter(|b| matches!(b.kind, Some(BlockKind::Goal | BlockKind::BasicPolicy | BlockKind::Policy | BlockKind::Measure))) {
            let label = name(block, lang);
            if query.is_empty() || nfkc(&label).contains(&query) {
                symbols.push(WorkspaceSymbol { file, name: label, kind: kind(block), header: block.header });
            }
        }
    }
    symbols
}

fn kind(block: &Block) -> SymbolKind {
    match block.kind {
        Some(BlockKind::Goal | BlockKind::BasicPolicy | BlockKind::Policy) => SymbolKind::Namespace,
        Some(BlockKind::Measure) => SymbolKind::Class,
        Some(BlockKind::Indicator) => SymbolKind::Number,
        Some(BlockKind::Development) => SymbolKind::Method,
        _ => SymbolKind::Object,
    }
}

/// A block's name in the outline; a block without a keyword, ID or title
/// still needs one.
fn name(block: &Block, lang: Lang) -> String {
    let name = block.label();
    if name.trim().is_empty() { lang.pick("(無題)", "(untitled)").to_string() } else { name }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::analysis;

    #[test]
    fn the_outline_nests_and_the_workspace_search_folds_width() {
        let plan = "政策 1-1 安全 {\n  施策 1-1-1 防災 {\n    指標 訓練 {\n    }\n  }\n}\n";
        let a = analysis(plan);
        let doc = &a.workspace.docs[0];
        let tree = document_symbols(doc, Lang::Ja);
        assert_eq!(tree.len(), 1);
        assert_eq!((tree[0].kind, tree[0].children[0].kind, tree[0].children[0].children[0].kind), (SymbolKind::Namespace, SymbolKind::Class, SymbolKind::Number));
        assert!(tree[0].children[0].name.contains("防災"), "{tree:?}");
        let found = workspace_symbols([(0, &**doc)], "１-１-１", Lang::Ja);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, SymbolKind::Class);
        assert_eq!(workspace_symbols([(0, &**doc)], "", Lang::Ja).len(), 2, "指標 are not workspace symbols");
    }

    #[test]
    fn a_block_without_a_name_is_untitled_in_the_session_language() {
        // (The model makes one when the grammar recovers a block with its name missing.)
        let at = Span::new(0, 0);
        let block = Block {
            kind: None,
            keyword: plancheck_core::model::Spanned { value: String::new(), span: at },
            id: None,
            title: None,
            header: at,
            span: at,
            parent: None,
            children: Vec::new(),
            fields: Vec::new(),
            closed: false,
        };
        assert_eq!(name(&block, Lang::En), "(untitled)");
        assert_eq!(name(&block, Lang::Ja), "(無題)");
    }
}
