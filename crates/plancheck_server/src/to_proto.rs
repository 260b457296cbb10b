//! The editor layer's plain data (`plancheck_ide`, byte spans) in LSP's
//! types and positions.

use crate::document::PositionMap;
use plancheck_ide::{CompletionKind, Symbol};
use tower_lsp_server::ls_types::*;

pub fn symbol_kind(kind: plancheck_ide::SymbolKind) -> SymbolKind {
    match kind {
        plancheck_ide::SymbolKind::Namespace => SymbolKind::NAMESPACE,
        plancheck_ide::SymbolKind::Class => SymbolKind::CLASS,
        plancheck_ide::SymbolKind::Number => SymbolKind::NUMBER,
        plancheck_ide::SymbolKind::Method => SymbolKind::METHOD,
        plancheck_ide::SymbolKind::Object => SymbolKind::OBJECT,
    }
}

/// The outline, with every place looked up in `places` (converted in one
/// sweep beforehand).
pub fn document_symbols(symbols: Vec<Symbol>, places: &PositionMap) -> Vec<DocumentSymbol> {
    symbols
        .into_iter()
        .map(|s| {
            #[allow(deprecated)]
            DocumentSymbol {
                name: s.name,
                detail: None,
                kind: symbol_kind(s.kind),
                tags: None,
                deprecated: None,
                range: places.range(s.span),
                selection_range: places.range(s.header),
                children: Some(document_symbols(s.children, places)),
            }
        })
        .collect()
}

/// The outline as a flat list with containers, for clients without
/// hierarchical symbols.
pub fn flat_symbols(symbols: Vec<DocumentSymbol>, uri: &Uri) -> Vec<SymbolInformation> {
    fn flatten(symbols: Vec<DocumentSymbol>, container: Option<&str>, uri: &Uri, out: &mut Vec<SymbolInformation>) {
        for s in symbols {
            #[allow(deprecated)]
            out.push(SymbolInformation {
                name: s.name.clone(),
                kind: s.kind,
                tags: None,
                deprecated: None,
                location: Location { uri: uri.clone(), range: s.range },
                container_name: container.map(str::to_string),
            });
            flatten(s.children.unwrap_or_default(), Some(&s.name), uri, out);
        }
    }
    let mut flat = Vec::new();
    flatten(symbols, None, uri, &mut flat);
    flat
}

pub fn completion_item(item: plancheck_ide::CompletionItem) -> CompletionItem {
    let kind = match item.kind {
        CompletionKind::EnumMember => CompletionItemKind::ENUM_MEMBER,
        CompletionKind::Value => CompletionItemKind::VALUE,
        CompletionKind::Field => CompletionItemKind::FIELD,
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
    };
    CompletionItem { label: item.label, detail: Some(item.detail), kind: Some(kind), insert_text: item.insert_text, ..Default::default() }
}
