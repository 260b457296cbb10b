//! The editor layer's plain data (`plancheck_ide`, byte spans) in LSP's
//! types and positions.

use super::*;
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
        CompletionKind::Snippet => CompletionItemKind::SNIPPET,
    };
    let format = (item.kind == CompletionKind::Snippet).then_some(InsertTextFormat::SNIPPET);
    let sort_text = (!item.sort_text.is_empty()).then_some(item.sort_text);
    CompletionItem {
        label: item.label,
        detail: Some(item.detail),
        kind: Some(kind),
        insert_text: item.insert_text,
        insert_text_format: format,
        sort_text,
        filter_text: item.filter_text,
        ..Default::default()
    }
}

/// A `plancheck.toml` error as a diagnostic on that file, at the line and
/// column the TOML reader gave (the whole first line when it gave none).
pub(crate) fn config_diagnostic(error: &crate::config::ConfigError, encoding: Encoding, lang: Lang) -> Diagnostic {
    // Through the regular-file reader: a plancheck.toml that is a FIFO is
    // an error to show, never a read that waits for ever.
    let text = crate::load::read_plan(&error.path).unwrap_or_default();
    let (line, col) = error.location.map_or((0, 0), |(line, col)| (line.saturating_sub(1), col.saturating_sub(1)));
    let content = text.lines().nth(line).unwrap_or("");
    let units = |chars: usize| -> u32 {
        let prefix = content.chars().take(chars);
        (match encoding {
            Encoding::Utf16 => prefix.map(char::len_utf16).sum::<usize>(),
            Encoding::Utf8 => prefix.map(char::len_utf8).sum::<usize>(),
        }) as u32
    };
    let start = Position { line: line as u32, character: units(col) };
    let end = Position { line: line as u32, character: units(usize::MAX) };
    Diagnostic {
        range: Range { start, end },
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String(plancheck_linter::explain::CONFIG_ERROR.into())),
        // The defaults' docs address: the file that would set another cannot be read.
        code_description: format!("{}/{}.md", crate::diagnostics::DOCS_URL.trim_end_matches('/'), plancheck_linter::explain::CONFIG_ERROR).parse::<Uri>().ok().map(|href| CodeDescription { href }),
        source: Some("plancheck".into()),
        message: lang
            .pick(format!("plancheck.toml を読めないため既定の設定で検査しています: {}", error.message), format!("plancheck.toml cannot be read, so the defaults are used: {}", error.message)),
        ..Default::default()
    }
}

/// Positions of a span in a workspace document, in the client's encoding.
/// Each document's rope is built once per snapshot, when first needed.
pub(crate) fn lsp_range(snapshot: &Snapshot, file: usize, span: crate::syntax::Span, encoding: Encoding) -> Range {
    let doc = &snapshot.workspace.docs[file];
    let rope = rope_of(snapshot, file);
    Range { start: document::position_of(&doc.text, rope, span.start, encoding), end: document::position_of(&doc.text, rope, span.end, encoding) }
}

/// The rope of a snapshot's document, built once per snapshot when first needed.
pub(crate) fn rope_of(snapshot: &Snapshot, file: usize) -> &ropey::Rope {
    snapshot.ropes[file].get_or_init(|| ropey::Rope::from_str(&snapshot.workspace.docs[file].text))
}

/// The LSP positions of every place some findings name, computed per
/// document in one ordered sweep (`document::positions_of`) instead of a
/// rope search per place: a document with a million findings costs about
/// one pass over its text.
pub(crate) struct Positions {
    pub(crate) by_file: HashMap<usize, document::PositionMap>,
}

impl Positions {
    pub(crate) fn of(snapshot: &Snapshot, findings: &[&Finding], encoding: Encoding) -> Positions {
        let mut offsets: HashMap<usize, Vec<usize>> = HashMap::new();
        for finding in findings {
            offsets.entry(finding.file).or_default().extend([finding.span.start, finding.span.end]);
            for related in &finding.related {
                offsets.entry(related.file).or_default().extend([related.span.start, related.span.end]);
            }
        }
        let by_file = offsets.into_iter().map(|(file, offsets)| (file, document::PositionMap::new(&snapshot.workspace.docs[file].text, rope_of(snapshot, file), offsets, encoding))).collect();
        Positions { by_file }
    }

    pub(crate) fn range(&self, file: usize, span: crate::syntax::Span) -> Range {
        self.by_file.get(&file).map_or_else(Range::default, |map| map.range(span))
    }
}

/// A finding as an LSP diagnostic, with `range` giving the LSP range of a
/// place in a document.
pub(crate) fn to_lsp(snapshot: &Snapshot, finding: &Finding, range: impl Fn(usize, crate::syntax::Span) -> Range) -> Diagnostic {
    let related = finding
        .related
        .iter()
        .filter_map(|r| {
            let uri = snapshot.files.uris[r.file].clone()?;
            Some(DiagnosticRelatedInformation { location: Location { uri, range: range(r.file, r.span) }, message: r.message.clone() })
        })
        .collect::<Vec<_>>();
    Diagnostic {
        range: range(finding.file, finding.span),
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(finding.rule.name.to_string())),
        // The rule's page under the file's `docs-url`.
        code_description: snapshot.files.configs[finding.file].config.rule_url(finding.rule).parse::<Uri>().ok().map(|href| CodeDescription { href }),
        source: Some("plancheck".into()),
        message: finding.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// An edit of the open document, in the client's positions.
pub(crate) fn text_edit(open: &OpenDocument, edit: &crate::diagnostics::Edit, encoding: Encoding) -> TextEdit {
    TextEdit { range: open.range(edit.span, encoding), new_text: edit.replacement.clone() }
}
