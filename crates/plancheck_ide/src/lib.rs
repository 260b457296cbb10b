//! The editor features, without the protocol: what a hover says, where an
//! inlay hint goes, what completes, which assists apply, the outline, the
//! folds and the related places, as plain data with byte offsets into the
//! document's text and strings in the session's language.
//!
//! The language server (`plancheck_server`) is the only crate that knows
//! LSP: it finds the document, calls a function here, and converts the
//! byte spans to the client's positions (UTF-16 or UTF-8). Everything here
//! is tested in-process, and a panic in it is contained by the server's
//! guard (the request is answered with an error, the session goes on).
//!
//! Each function takes the document's model (whose `text` is the text open
//! in the editor) and, where it needs them, the findings of an analysis of
//! that same text and the file's settings; none of them analyses beyond
//! what the linter offers (ratings come from `plancheck_linter::rating`,
//! the same legend the rules use).

mod assists;
mod completion;
mod folding;
mod hover;
mod inlay_hints;
mod line_edits;
mod navigation;
pub mod snippets;
mod symbols;

pub use assists::{Assist, AssistKind, assists};
pub use completion::{CompletionItem, CompletionKind, CompletionOptions, completion, departments_in};
pub use folding::folding_ranges;
pub use hover::hover;
pub use inlay_hints::{InlayHint, inlay_hints};
pub use line_edits::line_edits;
pub use navigation::related;
pub use symbols::{Symbol, SymbolKind, WorkspaceSymbol, document_symbols, workspace_symbols};

#[cfg(test)]
mod test_support {
    use plancheck_core::i18n::Lang;
    use plancheck_linter::Analysis;

    /// A document checked alone with the default settings.
    pub fn analysis(text: &str) -> Analysis {
        plancheck_linter::check_text("a.plan", text, Lang::Ja)
    }

    /// `text` with `edits` (byte spans of it, not overlapping) applied.
    pub fn apply(text: &str, edits: &[plancheck_linter::diagnostics::Edit]) -> String {
        let mut sorted: Vec<_> = edits.iter().collect();
        sorted.sort_by_key(|e| e.span.start);
        let mut out = text.to_string();
        for e in sorted.iter().rev() {
            out.replace_range(e.span.start..e.span.end, &e.replacement);
        }
        out
    }

    /// The byte offset of the first `needle` in `text`.
    pub fn at(text: &str, needle: &str) -> usize {
        text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in the text"))
    }
}
