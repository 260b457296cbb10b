//! Renderers of diagnostics: human (miette), JSON (the spec's), SARIF 2.1.0
//! and GitHub workflow commands. They only format; analysis happens before.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::model::Document;
use crate::syntax::Span;
use serde::Serialize;

/// A 1-based line and a 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A range in the spec's terms: 1-based, character columns, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

pub fn range_of(doc: &Document, span: Span) -> Range {
    let start = doc.line_index.char_position(&doc.text, span.start);
    let end = doc.line_index.char_position(&doc.text, span.end);
    Range { start: Position { line: start.line + 1, column: start.col + 1 }, end: Position { line: end.line + 1, column: end.col + 1 } }
}
