//! Diagnostics: what a rule found, where, and how to fix it. Front ends
//! (CLI outputs, the language server) only render these.

use crate::model::FileId;
use crate::syntax::Span;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

pub use plancheck_core::i18n::Lang;

/// A rule's identity and documentation.
#[derive(Debug, PartialEq)]
pub struct RuleMeta {
    /// The stable kebab-case name (configuration, suppression, output).
    pub name: &'static str,
    /// The short code, `PC` and three digits.
    pub code: &'static str,
    pub default_severity: Severity,
    /// One line: what it flags.
    pub summary_ja: &'static str,
    pub summary_en: &'static str,
    /// The full explanation (what, why, an example, the fix), Markdown.
    pub doc_ja: &'static str,
    pub doc_en: &'static str,
    /// How sure the fixes it offers are: empty when it offers none, both
    /// when some are exact and others guesses (see [`Applicability`]).
    pub fixes: &'static [Applicability],
    /// The `plancheck.toml` settings it reads besides its level in
    /// `[rules]`, as written there (`[rating.indicator]`, `[duplicates]
    /// similarity`, `departments`).
    pub settings: &'static [&'static str],
    /// Whether the rule is in the spec's table (false: a plancheck extension).
    pub in_spec: bool,
    /// What a finding depends on: its own file, or other files too.
    pub scope: Scope,
}

/// What a rule's findings in one file depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Only that file and its config: the findings are kept with the file
    /// and reused (the language server re-checks only the edited file).
    File,
    /// Other files too (duplicates across files, the plan's years).
    Workspace,
}

impl RuleMeta {
    pub fn summary(&self, lang: Lang) -> &'static str {
        lang.pick(self.summary_ja, self.summary_en)
    }
    pub fn doc(&self, lang: Lang) -> &'static str {
        lang.pick(self.doc_ja, self.doc_en)
    }
    /// Whether the rule offers a fix.
    pub fn fixable(&self) -> bool {
        !self.fixes.is_empty()
    }
    /// Where the rule is documented by default: its page under [`DOCS_URL`].
    pub fn url(&self) -> String {
        self.url_in(DOCS_URL)
    }
    /// Its page under the base address `base` (a config's `docs-url`):
    /// `<base>/<name>.md`, with one `/` between them whether `base` ends
    /// with one or not.
    pub fn url_in(&self, base: &str) -> String {
        format!("{}/{}.md", base.trim_end_matches('/'), self.name)
    }
}

/// The repository (the root `Cargo.toml`'s `[workspace.package] repository`).
pub const REPOSITORY_URL: &str = env!("CARGO_PKG_REPOSITORY");

/// The default base address of the rule pages (`docs/rules/<name>.md`,
/// generated from the rules' documentation): the docs link of editors
/// and SARIF, unless a `plancheck.toml` sets `docs-url`.
pub const DOCS_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules/");

/// Where the JSON Schemas of `schema/` are published (their `$id`s).
pub const SCHEMA_URL: &str = "https://raw.githubusercontent.com/plancheck/plancheck/main/schema/";

/// Another place that a diagnostic refers to (the other copies of a
/// duplicated text, the first block with an ID).
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

/// A text replacement in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// How sure a fix is (as ruff says it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Exact: the fix computes what the text must say (a recomputed grade, an
    /// upper-case letter, a missing colon after a known key). `check --fix`
    /// applies it.
    Safe,
    /// A guess (the closest known name, what a line was probably meant to
    /// be): offered in the editor and applied only by `check --fix
    /// --unsafe-fixes`, since it may turn one real name into another.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// A fix: applying its edits resolves the diagnostic and loses nothing the
/// user wrote; whether it is sure to be what was meant is its
/// [`Applicability`].
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub message: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub file: FileId,
    pub span: Span,
    pub message: String,
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
    /// The workbook or CSV cell the finding is in (`基本政策2!I12`), when the
    /// file was checked as a table (its text is the import's).
    pub cell: Option<String>,
    /// The cell of each related place (by index) in a table, as `cell`.
    pub related_cells: Vec<Option<String>>,
}

impl Diagnostic {
    /// The message, led by the cell when there is one (`基本政策2!I12: …`).
    pub fn located_message(&self) -> std::borrow::Cow<'_, str> {
        match &self.cell {
            Some(cell) => format!("{cell}: {}", self.message).into(),
            None => self.message.as_str().into(),
        }
    }

    /// Its messages bounded (see [`bounded`]) and its related places cut
    /// to [`MAX_RELATED`] (the rules that list copies cut their lists there
    /// themselves and say how many there are in all).
    pub fn bounded(mut self) -> Self {
        self.message = bounded(&self.message);
        self.related.truncate(MAX_RELATED);
        for related in &mut self.related {
            related.message = bounded(&related.message);
        }
        self
    }
    pub fn new(rule: &'static RuleMeta, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Diagnostic { rule, severity: rule.default_severity, file, span, message: message.into(), related: Vec::new(), fix: None, cell: None, related_cells: Vec::new() }
    }
    pub fn with_related(mut self, related: Vec<Related>) -> Self {
        self.related = related;
        self
    }
    /// Gives it a fix; every rule says how sure its fix is.
    pub fn with_fix(mut self, applicability: Applicability, message: impl Into<String>, edits: Vec<Edit>) -> Self {
        self.fix = Some(Fix { message: message.into(), edits, applicability });
        self
    }
}

/// The characters that change the direction of the text around them
/// (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C): in a name they
/// would display it reversed, so front ends show them instead of obeying them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// `text` with each bidi control written as `<U+202E>` (for a terminal).
pub fn show_bidi_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(is_bidi_control) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_bidi_control(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// Counts by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(diagnostics: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

/// Most related places a finding lists.
pub const MAX_RELATED: usize = 20;

/// A message's pieces in order, each with whether it is a code span (a
/// name or a piece of source between backticks, as messages quote them).
/// A backtick without its pair is plain text (kept as a piece of its own).
/// For outputs that show no Markdown: the report's `<code>`, a workbook
/// comment's 「」.
pub fn code_spans(message: &str) -> Vec<(bool, &str)> {
    let parts: Vec<&str> = message.split('`').collect();
    let paired = (parts.len() - 1) / 2 * 2;
    let mut pieces = Vec::with_capacity(parts.len() + 1);
    for (i, part) in parts.iter().enumerate() {
        if i > paired {
            pieces.push((false, "`"));
        }
        pieces.push((i % 2 == 1 && i <= paired, *part));
    }
    pieces
}

/// Longest source text a message quotes (between backticks), in characters.
pub const MAX_QUOTED_CHARS: usize = 60;
/// Longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// `message` with each quoted piece of source (between backticks) cut to
/// [`MAX_QUOTED_CHARS`] and the whole to [`MAX_MESSAGE_CHARS`], each cut
/// marked `…`: a line of a million characters must not become a message of
/// a million characters (the source snippet shows where it is).
pub fn bounded(message: &str) -> String {
    if message.chars().count() <= MAX_QUOTED_CHARS {
        return message.to_string();
    }
    let mut out = String::with_capacity(message.len().min(4 * MAX_MESSAGE_CHARS));
    for (i, piece) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        let quoted = i % 2 == 1;
        if quoted && piece.chars().count() > MAX_QUOTED_CHARS {
            out.extend(piece.chars().take(MAX_QUOTED_CHARS));
            out.push('…');
        } else {
            out.push_str(piece);
        }
    }
    if out.chars().count() > MAX_MESSAGE_CHARS {
        out = out.chars().take(MAX_MESSAGE_CHARS).collect();
        out.push('…');
    }
    out
}

#[cfg(test)]
mod url_tests {
    use super::*;

    #[test]
    fn rule_pages_are_in_the_repository_s_docs() {
        assert_eq!(REPOSITORY_URL, "https://github.com/plancheck/plancheck");
        let rule = crate::rules::by_name("rating-mismatch").unwrap();
        assert_eq!(rule.url(), "https://github.com/plancheck/plancheck/blob/main/docs/rules/rating-mismatch.md");
        assert_eq!(rule.url_in("https://docs.example.jp/plancheck/"), "https://docs.example.jp/plancheck/rating-mismatch.md");
        assert_eq!(rule.url_in("https://docs.example.jp/plancheck"), "https://docs.example.jp/plancheck/rating-mismatch.md");
        assert!(SCHEMA_URL.starts_with("https://raw.githubusercontent.com/plancheck/plancheck/") && SCHEMA_URL.ends_with('/'));
    }
}

#[cfg(test)]
mod bound_tests {
    use super::*;

    #[test]
    fn long_quotes_and_messages_are_cut() {
        let line = "あ".repeat(1_000_000);
        let message = bounded(&format!("この行を読めません: `{line}`。フィールドは `キー: 値` の形で書きます"));
        assert_eq!(message, format!("この行を読めません: `{}…`。フィールドは `キー: 値` の形で書きます", "あ".repeat(MAX_QUOTED_CHARS)));
        assert_eq!(bounded(&"x".repeat(5000)).chars().count(), MAX_MESSAGE_CHARS + 1);
        assert_eq!(bounded("短い `メッセージ`"), "短い `メッセージ`");
    }
}

#[cfg(test)]
mod code_span_tests {
    #[test]
    fn code_spans_pair_backticks_and_keep_a_lone_one() {
        assert_eq!(super::code_spans("`代表課` がない"), [(false, ""), (true, "代表課"), (false, " がない")]);
        assert_eq!(super::code_spans("a `b` c `d"), [(false, "a "), (true, "b"), (false, " c "), (false, "`"), (false, "d")]);
        assert_eq!(super::code_spans("plain"), [(false, "plain")]);
    }
}
