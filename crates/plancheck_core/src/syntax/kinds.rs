//! The grammar's node kinds and field names.
//!
//! GENERATED from `grammar/src/node-types.json` by `crates/plancheck_core/tests/kinds.rs`;
//! do not edit. After regenerating the grammar, run
//! `PLANCHECK_UPDATE_KINDS=1 cargo test -p plancheck_core --test kinds`.

/// A node kind: a named node type, an anonymous token, or tree-sitter's
/// `ERROR`. [`Kind::of`] gives a node's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `block`
    Block,
    /// `comment`
    Comment,
    /// `directive`
    Directive,
    /// `directive_kind`
    DirectiveKind,
    /// `field`
    Field,
    /// `id`
    Id,
    /// `name`
    Name,
    /// `rule_name`
    RuleName,
    /// `source_file`
    SourceFile,
    /// `text`
    Text,
    /// `text_block`
    TextBlock,
    /// `text_line`
    TextLine,
    /// `title`
    Title,
    /// `value`
    Value,
    /// `(` (anonymous)
    LParen,
    /// `)` (anonymous)
    RParen,
    /// `,` (anonymous)
    Comma,
    /// `:` (anonymous)
    Colon,
    /// `{` (anonymous)
    LBrace,
    /// `|` (anonymous)
    Pipe,
    /// `}` (anonymous)
    RBrace,
    /// `、` (anonymous)
    IdeographicComma,
    /// `（` (anonymous)
    FullwidthLParen,
    /// `）` (anonymous)
    FullwidthRParen,
    /// `，` (anonymous)
    FullwidthComma,
    /// `：` (anonymous)
    FullwidthColon,
    /// `｜` (anonymous)
    FullwidthPipe,
    /// `ERROR`: tree-sitter's node for a region the parser gave up on
    Error,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 28] = [
        Kind::Block,
        Kind::Comment,
        Kind::Directive,
        Kind::DirectiveKind,
        Kind::Field,
        Kind::Id,
        Kind::Name,
        Kind::RuleName,
        Kind::SourceFile,
        Kind::Text,
        Kind::TextBlock,
        Kind::TextLine,
        Kind::Title,
        Kind::Value,
        Kind::LParen,
        Kind::RParen,
        Kind::Comma,
        Kind::Colon,
        Kind::LBrace,
        Kind::Pipe,
        Kind::RBrace,
        Kind::IdeographicComma,
        Kind::FullwidthLParen,
        Kind::FullwidthRParen,
        Kind::FullwidthComma,
        Kind::FullwidthColon,
        Kind::FullwidthPipe,
        Kind::Error,
    ];

    /// The kind's name in the grammar (what `Node::kind` returns).
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Block => "block",
            Kind::Comment => "comment",
            Kind::Directive => "directive",
            Kind::DirectiveKind => "directive_kind",
            Kind::Field => "field",
            Kind::Id => "id",
            Kind::Name => "name",
            Kind::RuleName => "rule_name",
            Kind::SourceFile => "source_file",
            Kind::Text => "text",
            Kind::TextBlock => "text_block",
            Kind::TextLine => "text_line",
            Kind::Title => "title",
            Kind::Value => "value",
            Kind::LParen => "(",
            Kind::RParen => ")",
            Kind::Comma => ",",
            Kind::Colon => ":",
            Kind::LBrace => "{",
            Kind::Pipe => "|",
            Kind::RBrace => "}",
            Kind::IdeographicComma => "、",
            Kind::FullwidthLParen => "（",
            Kind::FullwidthRParen => "）",
            Kind::FullwidthComma => "，",
            Kind::FullwidthColon => "：",
            Kind::FullwidthPipe => "｜",
            Kind::Error => "ERROR",
        }
    }

    /// Whether nodes of this kind are named (`Node::is_named`).
    pub const fn is_named(self) -> bool {
        match self {
            Kind::Block => true,
            Kind::Comment => true,
            Kind::Directive => true,
            Kind::DirectiveKind => true,
            Kind::Field => true,
            Kind::Id => true,
            Kind::Name => true,
            Kind::RuleName => true,
            Kind::SourceFile => true,
            Kind::Text => true,
            Kind::TextBlock => true,
            Kind::TextLine => true,
            Kind::Title => true,
            Kind::Value => true,
            Kind::LParen => false,
            Kind::RParen => false,
            Kind::Comma => false,
            Kind::Colon => false,
            Kind::LBrace => false,
            Kind::Pipe => false,
            Kind::RBrace => false,
            Kind::IdeographicComma => false,
            Kind::FullwidthLParen => false,
            Kind::FullwidthRParen => false,
            Kind::FullwidthComma => false,
            Kind::FullwidthColon => false,
            Kind::FullwidthPipe => false,
            Kind::Error => true,
        }
    }
}

/// The grammar's field names (`Node::child_by_field_name`).
pub mod field {
    /// `content`
    pub const CONTENT: &str = "content";
    /// `id`
    pub const ID: &str = "id";
    /// `key`
    pub const KEY: &str = "key";
    /// `kind`
    pub const KIND: &str = "kind";
    /// `name`
    pub const NAME: &str = "name";
    /// `text`
    pub const TEXT: &str = "text";
    /// `title`
    pub const TITLE: &str = "title";
    /// `value`
    pub const VALUE: &str = "value";

    /// Every field name.
    pub const ALL: [&str; 8] = [CONTENT, ID, KEY, KIND, NAME, TEXT, TITLE, VALUE];
}
