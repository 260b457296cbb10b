//! The syntax layer: the tree-sitter grammar for `.plan` (compiled from
//! `grammar/src/parser.c` by `build.rs`), parsing, and positions.
//!
//! Nothing here knows what a 施策 is: this layer hands the concrete syntax
//! tree (CST) and byte spans to [`crate::model`]. Node kinds and field names
//! are typed ([`Kind`], [`field`]), generated from the grammar into `kinds.rs`.

mod kinds;
mod line_index;

pub use kinds::{Kind, field};
pub use line_index::{LineCol, LineIndex, floor_char_boundary};

use std::sync::OnceLock;
use tree_sitter::{Language, Node, Parser, Tree};
use tree_sitter_language::LanguageFn;

// The generated parser's entry point (grammar/src/parser.c, compiled by build.rs).
#[allow(unsafe_code)]
unsafe extern "C" {
    fn tree_sitter_plan() -> *const ();
}

/// The tree-sitter language function for `.plan`.
// SAFETY: `tree_sitter_plan` is the generated parser's entry point, which
// returns its static `TSLanguage` (ABI checked by tests/editors.rs).
#[allow(unsafe_code)]
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_plan) };

/// The tree-sitter [`Language`] for `.plan`.
pub fn language() -> Language {
    LANGUAGE.into()
}

impl Kind {
    /// The kind of `node` (a node of this grammar), by its `kind_id`;
    /// `None` for a kind the grammar does not list (none is visible).
    pub fn of(node: Node<'_>) -> Option<Kind> {
        let id = node.kind_id();
        let table = KindTable::get();
        if id == table.error {
            return Some(Kind::Error);
        }
        table.by_id.get(usize::from(id)).copied().flatten()
    }
}

/// Each node kind id of the compiled language mapped to its [`Kind`], built
/// once: several ids may share a name (aliases), and `ERROR` has an id
/// outside the table.
struct KindTable {
    by_id: Box<[Option<Kind>]>,
    error: u16,
}

impl KindTable {
    fn get() -> &'static KindTable {
        static TABLE: OnceLock<KindTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            let language = language();
            let by_id = (0..language.node_kind_count())
                .map(|id| {
                    let id = u16::try_from(id).ok()?;
                    let (name, named) = (language.node_kind_for_id(id)?, language.node_kind_is_named(id));
                    Kind::ALL.into_iter().find(|k| k.name() == name && k.is_named() == named && *k != Kind::Error)
                })
                .collect();
            KindTable { by_id, error: language.id_for_node_kind(Kind::Error.name(), true) }
        })
    }
}

/// A new parser for `.plan` text.
pub fn parser() -> Parser {
    let mut parser = Parser::new();
    parser.set_language(&language()).expect("the bundled grammar was generated for this tree-sitter ABI");
    parser
}

/// Parses `text` from scratch. Each thread keeps one parser: its internal
/// buffers are reused from one file to the next.
pub fn parse(text: &str) -> Tree {
    thread_local! {
        static PARSER: std::cell::RefCell<Parser> = std::cell::RefCell::new(parser());
    }
    PARSER
        .with(|cached| match cached.try_borrow_mut() {
            Ok(mut cached) => cached.parse(text, None),
            Err(_) => parser().parse(text, None),
        })
        .expect("parsing without a timeout or cancellation flag always yields a tree")
}

/// A half-open byte range `start..end` in one file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn of(node: &tree_sitter::Node<'_>) -> Self {
        Span { start: node.start_byte(), end: node.end_byte() }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn cover(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// `text[span]` with leading and trailing white space (including the
/// full-width space U+3000 and CR) removed, and the narrowed span.
pub fn trimmed(text: &str, span: Span) -> (Span, &str) {
    let slice = &text[span.start..span.end];
    let start_trim = slice.len() - slice.trim_start_matches(is_blank).len();
    let rest = &slice[start_trim..];
    let trimmed = rest.trim_end_matches(is_blank);
    let start = span.start + start_trim;
    (Span::new(start, start + trimmed.len()), trimmed)
}

/// White space that the format treats as insignificant inside a line.
pub fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\u{3000}' | '\u{feff}')
}
