//! The model layer: a typed hierarchy built from the CST, one [`Document`]
//! per file and a [`Workspace`] over many.
//!
//! Every block, field and value keeps its source [`Span`], so rules can point
//! at exactly what the user wrote. The model never reports anything itself:
//! what it could not read (syntax errors, values, keys) it records, and the
//! rules turn those records into diagnostics.

mod build;
pub mod hierarchy;
pub use build::{MAX_NESTING, normalize_id};
pub use hierarchy::Hierarchy;
mod patch;
pub use patch::Edit;
pub mod prose;
pub mod schema;
pub mod value;

use crate::syntax::{LineIndex, Span};
pub use schema::{BlockKind, CellForm, ColumnDef, Compare, FieldContext, FieldDef, FieldKey, Heading, KeyResolution, ValueKind};
use value::{Direction, Quantity, Symbol, ValueError};

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// Index of a block in its document's arena.
pub type BlockId = usize;
/// Index of a document in a workspace.
pub type FileId = usize;

/// One `.plan` file, parsed and modelled.
#[derive(Debug)]
pub struct Document {
    /// The path as given to plancheck (used in every report).
    pub path: String,
    pub text: String,
    pub line_index: LineIndex,
    /// The tree-sitter tree the model was built from: the formatter and the
    /// language server's patching read it. `None` once dropped
    /// ([`Document::drop_tree`]): a check needs only the model, and the
    /// tree is about 4 bytes per byte of plan.
    pub tree: Option<tree_sitter::Tree>,
    /// Every block of the file; `roots` are the top-level ones, in order.
    pub blocks: Vec<Block>,
    pub roots: Vec<BlockId>,
    /// Fields written outside of any block.
    pub top_fields: Vec<Field>,
    pub syntax_errors: Vec<SyntaxError>,
    /// `# plancheck: allow(...)`: each with the span of the element it covers.
    pub allows: Vec<Allow>,
    /// `# plancheck: allow-file(...)`.
    pub file_allows: Vec<Allow>,
    /// Comments that start like a directive (`# plancheck:`) but do not
    /// read as one (`# plancheck: alow(x)`, `# plancheck: 後で確認`).
    pub malformed_directives: Vec<Span>,
    pub comments: Vec<Span>,
    /// [`Document::prose`], computed on first use.
    pub(crate) prose: std::sync::OnceLock<Vec<prose::Prose>>,
    /// Where the structure was guessed: a block left open (a missing `}`)
    /// is read as its indentation closes it, and the rules that judge what
    /// a block contains say nothing inside it.
    pub guessed: Vec<Span>,
}

#[derive(Debug, Clone)]
pub struct Block {
    /// `None` when the keyword is not one the format knows.
    pub kind: Option<BlockKind>,
    pub keyword: Spanned<String>,
    /// The ID as written, NFKC-normalised with `－` read as `-`.
    pub id: Option<Spanned<String>>,
    pub title: Option<Spanned<String>>,
    /// The header line, from the keyword to the `{` (or `{}`).
    pub header: Span,
    /// The whole block, header to closing `}`.
    pub span: Span,
    pub parent: Option<BlockId>,
    pub children: Vec<BlockId>,
    pub fields: Vec<Field>,
    /// Whether the closing `}` was written.
    pub closed: bool,
}

impl Block {
    /// The first field with this meaning.
    pub fn field(&self, key: FieldKey) -> Option<&Field> {
        self.fields.iter().find(|f| f.key() == Some(key))
    }

    pub fn fields_with(&self, key: FieldKey) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(move |f| f.key() == Some(key))
    }

    /// `施策 1-1-2 地域医療体制の充実`, for messages.
    pub fn label(&self) -> String {
        let mut label = self.keyword.value.clone();
        for part in [&self.id, &self.title].into_iter().flatten() {
            label.push(' ');
            label.push_str(&part.value);
        }
        label
    }

    pub fn has_body(&self) -> bool {
        !self.children.is_empty() || !self.fields.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The key as written (trimmed).
    pub key_text: Spanned<String>,
    pub resolution: FieldResolution,
    /// The whole value: the inline value, or the text block's lines joined
    /// with `\n` (marker and one following space removed).
    pub text: String,
    /// Where the value is: the inline value, or the text block from its first
    /// line's content to its last's. Empty (at the end of the key line) when
    /// the value is empty.
    pub value_span: Span,
    /// For a text block, the span of each line's content.
    pub text_lines: Vec<Span>,
    /// The whole field, key to the end of its text block.
    pub span: Span,
    pub parsed: Parsed,
}

#[derive(Debug, Clone)]
pub enum FieldResolution {
    Known(&'static FieldDef),
    /// A known key in a block where it does not belong (where it belongs).
    Misplaced(Vec<BlockKind>),
    Unknown,
    /// A field inside a block whose keyword is unknown: not judged.
    InUnknownBlock,
}

impl Field {
    pub fn key(&self) -> Option<FieldKey> {
        match self.resolution {
            FieldResolution::Known(def) => Some(def.key),
            _ => None,
        }
    }
    pub fn def(&self) -> Option<&'static FieldDef> {
        match self.resolution {
            FieldResolution::Known(def) => Some(def),
            _ => None,
        }
    }
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// A field's value, read according to its definition.
#[derive(Debug, Clone)]
pub enum Parsed {
    /// Prose, or a field that is not known.
    Text,
    /// A typed field with no value (treated as absent).
    Empty,
    /// A grade or a level: any symbol (the legend says which are valid).
    Symbol(Symbol),
    /// Boxed: a quantity is large and most fields are prose or symbols (a
    /// `Field` is in memory for every line of a plan).
    Quantity(Box<Result<Quantity, ValueError>>),
    Direction(Result<Direction, Box<ValueError>>),
}

impl Parsed {
    pub fn error(&self) -> Option<&ValueError> {
        match self {
            Parsed::Quantity(q) => q.as_ref().as_ref().err(),
            Parsed::Direction(Err(e)) => Some(e),
            _ => None,
        }
    }
}

/// Typed getters: `Some` only when the field is present and readable.
impl Block {
    /// A grade or level field's symbol (whether the legend knows it is the
    /// linter's to say).
    pub fn symbol(&self, key: FieldKey) -> Option<(&Symbol, &Field)> {
        let field = self.field(key)?;
        match &field.parsed {
            Parsed::Symbol(s) => Some((s, field)),
            _ => None,
        }
    }
    pub fn quantity(&self, key: FieldKey) -> Option<(&Quantity, &Field)> {
        let field = self.field(key)?;
        match &field.parsed {
            Parsed::Quantity(q) => q.as_ref().as_ref().ok().map(|q| (q, field)),
            _ => None,
        }
    }
    /// The indicator's direction: its `方向`, else the one its target's
    /// inequality says (`10件以下`: lower is better), else 増加.
    pub fn direction(&self) -> Direction {
        match self.field(FieldKey::Direction).map(|f| &f.parsed) {
            Some(Parsed::Direction(Ok(d))) => *d,
            Some(_) => Direction::Increase,
            None => self.implied_direction().unwrap_or(Direction::Increase),
        }
    }

    /// The direction the target says: its inequality (`以下`, `未満`: 減少;
    /// `以上`, `超`, `を維持`: 増加), or its range (`20〜25%`: 範囲), if any.
    pub fn implied_direction(&self) -> Option<Direction> {
        match self.quantity(FieldKey::Target) {
            Some((value::Quantity::Value(m), _)) if m.upper.is_some() => Some(Direction::Band),
            Some((value::Quantity::Value(m), _)) => m.bound.and_then(value::Bound::direction),
            _ => None,
        }
    }
    /// A field that is present with a non-empty value.
    pub fn has_value(&self, key: FieldKey) -> bool {
        self.fields_with(key).any(|f| !f.is_empty())
    }
}

/// Text the grammar could not read.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub span: Span,
    pub ja: String,
    pub en: String,
    /// A sure repair, when the slip is recognisable (a missing colon after
    /// a known key): the text to put at a span.
    pub fix: Option<(Span, String)>,
}

/// A suppression directive and what it covers.
#[derive(Debug, Clone)]
pub struct Allow {
    pub directive: Span,
    pub rules: Vec<Spanned<String>>,
    /// The element it applies to; the whole file for `allow-file`. `None`
    /// when no element follows the directive.
    pub scope: Option<Span>,
}

impl Document {
    /// Parses and models one file.
    pub fn parse(path: impl Into<String>, text: impl Into<String>) -> Document {
        build::build(path.into(), text.into(), None)
    }

    /// Models `text` with an already parsed tree (the language server's
    /// incrementally updated one).
    pub fn with_tree(path: impl Into<String>, text: impl Into<String>, tree: tree_sitter::Tree) -> Document {
        build::build(path.into(), text.into(), Some(tree))
    }

    /// Frees the tree-sitter tree (what only the formatter and the
    /// language server's patching read); the model is kept whole.
    pub fn drop_tree(&mut self) {
        self.tree = None;
    }

    /// The tree: the one kept, or the text parsed again when it was dropped.
    pub fn tree_or_parse(&self) -> std::borrow::Cow<'_, tree_sitter::Tree> {
        match &self.tree {
            Some(tree) => std::borrow::Cow::Borrowed(tree),
            None => std::borrow::Cow::Owned(crate::syntax::parse(&self.text)),
        }
    }

    /// Blocks in source order (the arena's order is source order).
    pub fn blocks_of(&self, kind: BlockKind) -> impl Iterator<Item = (BlockId, &Block)> {
        self.blocks.iter().enumerate().filter(move |(_, b)| b.kind == Some(kind))
    }

    pub fn children_of(&self, id: BlockId, kind: BlockKind) -> impl Iterator<Item = &Block> {
        self.blocks[id].children.iter().map(|&c| &self.blocks[c]).filter(move |b| b.kind == Some(kind))
    }

    /// The innermost block whose span holds `span` (blocks are in source
    /// order at every level: a descent, not a scan).
    pub fn innermost_block(&self, span: Span) -> Option<BlockId> {
        let mut level = &self.roots;
        let mut inner = None;
        loop {
            let next = level.partition_point(|&id| self.blocks[id].span.start <= span.start);
            let Some(&id) = next.checked_sub(1).and_then(|i| level.get(i)) else { break };
            if !self.blocks[id].span.contains(span) {
                break;
            }
            inner = Some(id);
            level = &self.blocks[id].children;
        }
        inner
    }

    /// The nearest enclosing block of `kind`, `id` itself included.
    pub fn enclosing(&self, mut id: BlockId, kind: BlockKind) -> Option<BlockId> {
        loop {
            if self.blocks[id].kind == Some(kind) {
                return Some(id);
            }
            id = self.blocks[id].parent?;
        }
    }

    /// Every field of the file: top-level ones and those of every block.
    pub fn all_fields(&self) -> impl Iterator<Item = (Option<BlockId>, &Field)> {
        self.top_fields.iter().map(|f| (None, f)).chain(self.blocks.iter().enumerate().flat_map(|(id, b)| b.fields.iter().map(move |f| (Some(id), f))))
    }
}

/// The files checked together: IDs, the hierarchy and duplicates span them.
#[derive(Debug, Default, Clone)]
pub struct Workspace {
    /// Shared, so that the language server re-checks without re-parsing
    /// the files that did not change.
    pub docs: Vec<std::sync::Arc<Document>>,
}

impl Workspace {
    pub fn new(docs: Vec<Document>) -> Self {
        Workspace { docs: docs.into_iter().map(std::sync::Arc::new).collect() }
    }

    pub fn from_shared(docs: Vec<std::sync::Arc<Document>>) -> Self {
        Workspace { docs }
    }

    /// The plan's hierarchy, as its 計画 block declares it.
    pub fn hierarchy(&self) -> Hierarchy {
        Hierarchy::of(self.plan_header().map(|(_, b)| b))
    }

    /// The plan header (`計画`) and its file, the first one if several.
    pub fn plan_header(&self) -> Option<(FileId, &Block)> {
        self.docs.iter().enumerate().find_map(|(file, doc)| doc.blocks_of(BlockKind::Plan).next().map(|(_, b)| (file, b)))
    }
}

#[cfg(test)]
mod size_tests {
    /// A `Field` is in memory for every line of a plan, a `Block` for every
    /// block: their sizes bound the model's memory (issue 19). Growing them is
    /// a decision, not an accident.
    #[test]
    fn the_model_s_structs_stay_small() {
        use super::*;
        assert!(size_of::<Parsed>() <= 24, "Parsed is {} bytes", size_of::<Parsed>());
        assert!(size_of::<Field>() <= 168, "Field is {} bytes", size_of::<Field>());
        assert!(size_of::<Block>() <= 224, "Block is {} bytes", size_of::<Block>());
    }
}
