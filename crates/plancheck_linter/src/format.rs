//! `plancheck fmt`: the canonical layout of a `.plan` file.
//!
//! Two spaces per level, one item per line, `KEY: VALUE` with an ASCII
//! colon, `|` text lines one level deeper than their key, comments and
//! directives kept where they stand, at most one blank line in a row,
//! IDs and the values of grades, levels, quantities and directions in
//! ASCII forms (full-width letters, digits and punctuation folded).
//! Prose is never touched beyond a text line's trailing white space.
//! U+FEFF (zero-width no-break space) is blank to the grammar but is kept
//! wherever it stands (the end of the file included): the layout drops
//! blanks between tokens, never a U+FEFF among them, and U+FEFF is not
//! white space, so the spaces before one at a text line's end are prose.
//!
//! The formatter is lossless and idempotent, and it refuses text with
//! syntax errors (it cannot know what such text means). Every result is
//! checked before it is returned: if the non-blank characters of the output
//! (U+FEFF counted) differ from the input's (after width folding),
//! formatting is refused.

use crate::model::schema::{self, KeyResolution, ValueKind};
// Width folding here is deliberately narrower than NFKC: `㎡` stays `㎡`.
use crate::model::{BlockKind, Document, FieldContext};
use crate::syntax::{Kind, field, is_blank};
use tree_sitter::Node;

/// Why a text was not formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The text has syntax errors: (1-based line, 1-based column, the
    /// message in Japanese, in English).
    Syntax(Vec<(usize, usize, String, String)>),
    /// The self-check found the output would lose or change characters.
    /// Never expected; refusing is the safe answer.
    NotLossless(String),
}

/// Formats a document's text. The line ending of the output follows the
/// input's first line ending (LF or CRLF).
pub fn format(doc: &Document) -> Result<String, FormatError> {
    let tree = doc.tree_or_parse();
    let root = tree.root_node();
    // Malformed `# plancheck:` lines are ERROR nodes but comments all the
    // same (invalid-directive reports them); any other error refuses.
    if !doc.syntax_errors.is_empty() {
        let mut errors: Vec<(usize, usize, String, String)> = doc
            .syntax_errors
            .iter()
            .map(|e| {
                let p = doc.line_index.char_position(&doc.text, e.span.start);
                (p.line + 1, p.col + 1, e.ja.clone(), e.en.clone())
            })
            .collect();
        if errors.is_empty() {
            errors.push((1, 1, "構文エラーがあります".into(), "the text has syntax errors".into()));
        }
        return Err(FormatError::Syntax(errors));
    }
    let mut f = Formatter { text: &doc.text, line_index: &doc.line_index, out: String::with_capacity(doc.text.len() + 64), verbatim_to: 0, cursor: 0 };
    f.items(root, 0, FieldContext::TopLevel);
    f.trailing_feffs();
    let mut out = f.out;
    // One final newline; nothing for an empty file.
    while out.ends_with("\n\n") {
        out.pop();
    }
    if out == "\n" {
        out.clear();
    }
    if doc.text.contains("\r\n") && doc.text.find('\n').is_some_and(|i| i > 0 && doc.text.as_bytes()[i - 1] == b'\r') {
        out = out.replace('\n', "\r\n");
    }
    check_lossless(&doc.text, &out)?;
    Ok(out)
}

struct Formatter<'a> {
    text: &'a str,
    line_index: &'a crate::syntax::LineIndex,
    out: String,
    /// The end of the last line written verbatim: items that start before
    /// it were part of that line.
    verbatim_to: usize,
    /// How far the source has been written: the blanks between here and the
    /// next thing written are dropped, except U+FEFF (see [`Formatter::keep_feff`]).
    cursor: usize,
}

impl Formatter<'_> {
    fn slice(&self, node: Node<'_>) -> &str {
        let (start, end) = self.trimmed(node);
        &self.text[start..end]
    }

    /// A node's byte range without its edge blanks.
    fn trimmed(&self, node: Node<'_>) -> (usize, usize) {
        let raw = &self.text[node.start_byte()..node.end_byte()];
        let start = node.start_byte() + (raw.len() - raw.trim_start_matches(is_blank).len());
        let end = node.end_byte() - (raw.len() - raw.trim_end_matches(is_blank).len());
        (start, end.max(start))
    }

    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    /// U+FEFF (a zero-width no-break space) is blank to the grammar, but it
    /// is a character the user wrote: every one in the source between the
    /// cursor and `to`, which the layout would drop with the blanks, is
    /// written here, in its place among the tokens. The cursor moves to `to`.
    fn keep_feff(&mut self, to: usize) {
        if to > self.cursor {
            let count = self.text[self.cursor..to].matches('\u{feff}').count();
            self.out.extend(std::iter::repeat_n('\u{feff}', count));
            self.cursor = to;
        }
    }

    /// Writes `shown` for `node` (its U+FEFF before it first).
    fn put(&mut self, node: Node<'_>, shown: &str) {
        let (start, end) = self.trimmed(node);
        self.keep_feff(start);
        self.out.push_str(shown);
        self.cursor = self.cursor.max(end);
    }

    /// Ends the output line for the source line that `at` is on.
    fn end_line(&mut self, at: usize) {
        let (_, end) = self.line_index.line_span(self.text, self.line_index.line_of(at));
        self.keep_feff(end);
        self.out.push('\n');
    }

    /// The blank lines between the cursor and the line `at` is on: their
    /// U+FEFF, if any, make one line of their own (as one blank line).
    /// Returns whether there were any.
    fn blank_line_feffs(&mut self, at: usize) -> bool {
        let line_start = self.line_index.line_start(self.line_index.line_of(at)).min(at);
        let count = if line_start > self.cursor { self.text[self.cursor..line_start].matches('\u{feff}').count() } else { 0 };
        self.cursor = self.cursor.max(line_start);
        if count > 0 {
            self.out.extend(std::iter::repeat_n('\u{feff}', count));
            self.out.push('\n');
        }
        count > 0
    }

    /// The U+FEFF after the last item, on the blank lines that end the
    /// file (the last one without its newline included): one line of their own.
    fn trailing_feffs(&mut self) {
        let count = self.text.get(self.cursor..).map_or(0, |rest| rest.matches('\u{feff}').count());
        self.cursor = self.text.len();
        if count > 0 {
            self.out.extend(std::iter::repeat_n('\u{feff}', count));
            self.out.push('\n');
        }
    }

    /// The items of `node` at `depth`; `context`: where its fields stand.
    fn items(&mut self, node: Node<'_>, depth: usize, context: FieldContext) {
        let mut cursor = node.walk();
        let items: Vec<Node<'_>> = node.named_children(&mut cursor).filter(|c| matches!(Kind::of(*c), Some(Kind::Block | Kind::Field | Kind::Comment | Kind::Directive | Kind::Error))).collect();
        let mut previous_end: Option<usize> = None;
        for item in items {
            if item.start_byte() < self.verbatim_to {
                continue; // shares a line already written as it stands
            }
            // Keep one blank line where the author left one or more (with
            // the U+FEFF written on them).
            let feffs = self.blank_line_feffs(item.start_byte());
            if !feffs
                && let Some(end) = previous_end
                && self.text[end..item.start_byte()].matches('\n').count() >= 2
            {
                self.out.push('\n');
            }
            match Kind::of(item) {
                Some(Kind::Block) => self.block(item, depth),
                Some(Kind::Field) => self.field(item, depth, context),
                _ => self.verbatim_lines(item, depth),
            }
            previous_end = Some(item.end_byte().max(self.verbatim_to));
        }
    }

    /// Comments, directives and unreadable directive lines: every source
    /// line the item touches, as written (re-indented, trailing blanks
    /// dropped), with whatever else stands on those lines, so that a broken
    /// directive reads the same way the next time.
    fn verbatim_lines(&mut self, item: Node<'_>, depth: usize) {
        let first = self.line_index.line_of(item.start_byte());
        let last = self.line_index.line_of(item.end_byte().saturating_sub(1).max(item.start_byte()));
        for line in first..=last {
            let (start, end) = self.line_index.line_span(self.text, line);
            self.cursor = self.cursor.max(start);
            let raw = &self.text[start..end];
            let content = raw.trim_matches(is_blank);
            if !content.is_empty() {
                let content_start = start + (raw.len() - raw.trim_start_matches(is_blank).len());
                self.indent(depth);
                self.keep_feff(content_start);
                self.out.push_str(content);
                self.cursor = content_start + content.len();
            }
            self.keep_feff(end);
            self.out.push('\n');
            self.verbatim_to = end;
        }
    }

    fn block(&mut self, node: Node<'_>, depth: usize) {
        let name_node = node.child_by_field_name(field::NAME);
        let name = name_node.map(|n| self.slice(n).to_string()).unwrap_or_default();
        let kind = BlockKind::from_keyword(&name);
        self.indent(depth);
        if let Some(n) = name_node {
            self.put(n, &name);
        }
        if let Some(id_node) = node.child_by_field_name(field::ID) {
            let id = self.slice(id_node);
            // An ID folds to ASCII; on blocks that take none it is title text.
            let shown = match kind.map(BlockKind::takes_id) {
                Some(false) => id.to_string(),
                _ => crate::model::normalize_id(id),
            };
            self.out.push(' ');
            self.put(id_node, &shown);
        }
        if let Some(title_node) = node.child_by_field_name(field::TITLE) {
            let title = self.slice(title_node).to_string();
            if !title.is_empty() {
                self.out.push(' ');
                self.put(title_node, &title);
            }
        }
        let mut cursor = node.walk();
        let braces: Vec<Node<'_>> = node.children(&mut cursor).filter(|c| matches!(Kind::of(*c), Some(Kind::LBrace | Kind::RBrace)) && !c.is_missing()).collect();
        let open = braces.iter().find(|c| Kind::of(**c) == Some(Kind::LBrace)).copied();
        let close = braces.iter().rev().find(|c| Kind::of(**c) == Some(Kind::RBrace)).copied();
        let mut cursor = node.walk();
        let empty = !node.named_children(&mut cursor).any(|c| matches!(Kind::of(c), Some(Kind::Block | Kind::Field | Kind::Comment | Kind::Directive | Kind::Error)));
        self.out.push(' ');
        if let Some(open) = open {
            self.keep_feff(open.start_byte());
            self.cursor = self.cursor.max(open.end_byte());
        }
        self.out.push('{');
        if empty {
            if let Some(close) = close {
                self.keep_feff(close.start_byte());
                self.cursor = self.cursor.max(close.end_byte());
            }
            self.out.push('}');
            self.end_line(self.cursor);
            return;
        }
        self.end_line(self.cursor);
        self.items(node, depth + 1, FieldContext::in_block(kind));
        // A `}` on a line already written as it stands is there already
        // (`標 {}}` inside a recovered region: tests/fuzz/format/verbatim-closing-brace).
        let closed_in_verbatim = close.is_some_and(|c| c.start_byte() < self.verbatim_to);
        if !closed_in_verbatim {
            if let Some(close) = close {
                self.blank_line_feffs(close.start_byte());
            }
            self.indent(depth);
            if let Some(close) = close {
                self.keep_feff(close.start_byte());
                self.cursor = self.cursor.max(close.end_byte());
            }
            self.out.push('}');
            self.end_line(self.cursor);
        }
    }

    fn field(&mut self, node: Node<'_>, depth: usize, context: FieldContext) {
        let key_node = node.child_by_field_name(field::KEY);
        let key = key_node.map(|n| self.slice(n).to_string()).unwrap_or_default();
        let value_kind = match context {
            FieldContext::In(kind) => match schema::resolve_key(Some(kind), &key) {
                KeyResolution::Known(def) => Some(def.value),
                _ => None,
            },
            _ => None,
        };
        self.indent(depth);
        if let Some(n) = key_node {
            self.put(n, &key);
        }
        let mut cursor = node.walk();
        if let Some(colon) = node.children(&mut cursor).find(|c| matches!(Kind::of(*c), Some(Kind::Colon | Kind::FullwidthColon))) {
            self.keep_feff(colon.start_byte());
            self.cursor = self.cursor.max(colon.end_byte());
        }
        self.out.push(':');
        if let Some(value_node) = node.child_by_field_name(field::VALUE) {
            let value = self.slice(value_node);
            let shown = match value_kind {
                Some(ValueKind::Text) | None => value.to_string(),
                Some(_) => fold_width(value),
            };
            if !shown.is_empty() {
                self.out.push(' ');
                self.put(value_node, &shown);
            }
        }
        self.end_line(self.cursor);
        if let Some(text) = node.child_by_field_name(field::TEXT) {
            let mut cursor = text.walk();
            for line in text.named_children(&mut cursor).filter(|n| Kind::of(*n) == Some(Kind::TextLine)) {
                let line_start = self.line_index.line_start(self.line_index.line_of(line.start_byte()));
                self.cursor = self.cursor.max(line_start);
                self.indent(depth + 1);
                // The marker: `|` or `｜`, its first child.
                self.keep_feff(line.start_byte());
                self.out.push('|');
                let marker_end = line.child(0).map_or(line.start_byte(), |m| m.end_byte());
                self.cursor = self.cursor.max(marker_end);
                // The content is the rest of the source line (the grammar
                // gives none when it is blank, U+FEFF included). The marker
                // and one following space are not content; trailing white
                // space is dropped, but U+FEFF is not white space: it and
                // the spaces before it are prose.
                let (_, line_end) = self.line_index.line_span(self.text, self.line_index.line_of(marker_end));
                let raw = &self.text[marker_end..line_end.max(marker_end)];
                let raw = raw.strip_prefix(' ').or_else(|| raw.strip_prefix('\u{3000}')).unwrap_or(raw);
                let core = raw.trim_end_matches(is_trailing_blank);
                if !core.is_empty() {
                    self.out.push(' ');
                    self.out.push_str(core);
                    self.cursor = line_end - (raw.len() - core.len());
                }
                self.end_line(self.cursor);
            }
        }
    }
}

/// What a text line's end loses: blanks but U+FEFF (a character the user
/// wrote, so the blanks before it are inside the prose).
fn is_trailing_blank(c: char) -> bool {
    is_blank(c) && c != '\u{feff}'
}

/// Full-width ASCII variants (U+FF01–U+FF5E) and the ideographic space to
/// ASCII; everything else as written (so `㎡` stays `㎡`).
pub fn fold_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xff01 + 0x21).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// The characters that carry meaning, counted: everything but white space
/// (U+FEFF included), with full-width forms folded, the markers `|`/`｜`
/// and colons included. A count per character (not a sorted copy), so the
/// check is linear in the text.
fn meaningful(text: &str) -> (usize, std::collections::HashMap<char, usize>) {
    let mut ascii = [0usize; 128];
    let mut other = std::collections::HashMap::new();
    let mut total = 0;
    // U+FEFF is not white space: the formatter keeps every one.
    for c in fold_width(text).chars().filter(|c| !c.is_whitespace()) {
        total += 1;
        match usize::try_from(u32::from(c)).ok().filter(|&i| i < 128) {
            Some(i) => ascii[i] += 1,
            None => *other.entry(c).or_insert(0) += 1,
        }
    }
    other.extend(ascii.iter().enumerate().filter(|(_, n)| **n > 0).map(|(i, &n)| (char::from(i as u8), n)));
    (total, other)
}

fn check_lossless(before: &str, after: &str) -> Result<(), FormatError> {
    // Hyphens in IDs may be normalised (`ー` → `-`): compare with those folded.
    let fold_ids = |t: &str| -> String { t.chars().map(|c| if matches!(c, '‐' | '‑' | '‒' | '–' | '−' | 'ー' | '―' | '—') { '-' } else { c }).collect() };
    let (b, a) = (meaningful(&fold_ids(before)), meaningful(&fold_ids(after)));
    if a != b {
        return Err(FormatError::NotLossless(format!("{} meaningful characters before, {} after", b.0, a.0)));
    }
    Ok(())
}

/// Where formatting would change the text: the first differing line
/// (1-based), for `--check` reports.
pub fn first_difference(before: &str, after: &str) -> Option<usize> {
    before.lines().zip(after.lines()).position(|(a, b)| a != b).map(|i| i + 1).or_else(|| {
        let (b, a) = (before.lines().count(), after.lines().count());
        (a != b).then(|| a.min(b) + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn fmt(text: &str) -> String {
        format(&Document::parse("t.plan", text)).unwrap()
    }

    #[test]
    fn canonical_layout() {
        let input = "施策　１－１－２  地域医療体制の充実{\n\t全体評価：Ｂ\n      指標 開設日数 {\n実績: ３６５日\n目標:365日\n定量評価: A\n}\n\n\n  自己評価:\n｜ 一行目\n|二行目   \n|\n  |   字下げ\n代表課: 健康づくり課\n}";
        let expected = "施策 1-1-2 地域医療体制の充実 {\n  全体評価: B\n  指標 開設日数 {\n    実績: 365日\n    目標: 365日\n    定量評価: A\n  }\n\n  自己評価:\n    | 一行目\n    | 二行目\n    |\n    |   字下げ\n  代表課: 健康づくり課\n}\n";
        assert_eq!(fmt(input), expected);
        assert_eq!(fmt(expected), expected, "idempotent");
    }

    #[test]
    fn prose_is_never_folded() {
        let input = "施策 1-1-1 a {\n  全体評価: Ａ\n  成果: ＩＣＴ化を推進（全角のまま）\n}\n";
        let out = fmt(input);
        assert!(out.contains("全体評価: A"));
        assert!(out.contains("ＩＣＴ化を推進（全角のまま）"));
    }

    #[test]
    fn empty_blocks_comments_and_crlf() {
        let input = "# 先頭\r\n基本政策 1 健康 {\r\n}\r\n\r\n# plancheck: allow(rating-mismatch)\r\n施策 1-1-1 a {\r\n   # 中\r\n  全体評価: A\r\n}\r\n";
        let out = fmt(input);
        assert_eq!(out, "# 先頭\r\n基本政策 1 健康 {}\r\n\r\n# plancheck: allow(rating-mismatch)\r\n施策 1-1-1 a {\r\n  # 中\r\n  全体評価: A\r\n}\r\n");
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn refuses_syntax_errors() {
        let doc = Document::parse("t.plan", "施策 1-1-1 a {\n  全体評価 A\n}\n");
        match format(&doc) {
            Err(FormatError::Syntax(errors)) => assert_eq!(errors[0].0, 2),
            other => panic!("{other:?}"),
        }
    }

    /// Found by fuzzing: each of these once formatted into text that did
    /// not parse again, or formatted differently the second time.
    #[test]
    fn broken_directive_lines_stay_as_written() {
        // A broken directive followed by a comment on its line: one line.
        let input = "施策 1-1-1 a {\n  # plancheck: allow(not-a-rule # note)\n  全体評価: A\n}\n";
        let out = fmt(input);
        assert!(out.contains("\n  # plancheck: allow(not-a-rule # note)\n"), "{out}");
        assert_eq!(fmt(&out), out);
        // A `}` on it is part of the comment: it closes nothing.
        match format(&Document::parse("t.plan", "施策 1-1-1 a {\n# plancheck: allow-file(x}")) {
            Err(FormatError::Syntax(errors)) => assert!(errors[0].2.contains("閉じられていません"), "{errors:?}"),
            other => panic!("{other:?}"),
        }
        // An unreadable directive line is the only thing in its block.
        let out = fmt("施策 1-1-1 a {\n  # plancheck: a 全体評価: A\n}\n");
        assert_eq!(out, "施策 1-1-1 a {\n  # plancheck: a 全体評価: A\n}\n");
    }

    #[test]
    fn a_lone_carriage_return_is_blank_inside_its_line() {
        let input = "施策 1-1-1 a {\n  # 注\rまだ注\n  成果: 前\r後\n  課題:\n    | 一\r二\n}\n";
        let out = fmt(input);
        assert_eq!(out, input, "nothing to change: the CRs stay inside their lines");
        let doc = Document::parse("t.plan", input);
        assert!(doc.syntax_errors.is_empty(), "{:?}", doc.syntax_errors);
        assert_eq!(doc.comments.len(), 1);
    }

    #[test]
    fn an_item_after_a_closing_brace_on_its_line_is_refused() {
        for (text, message) in [("施策 1-1-1 a {\n  指標 x {\n  }  # plancheck: allow(missing-field)\n}\n", "`}` の後ろ"), ("施策 1-1-1 a {\n  指標 x {\n  }\r# 注\n}\n", "`}` の後ろ")]
        {
            match format(&Document::parse("t.plan", text)) {
                Err(FormatError::Syntax(errors)) => assert!(errors[0].0 == 3 && errors[0].2.contains(message), "{errors:?}"),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn a_comment_after_an_opening_brace_is_refused() {
        match format(&Document::parse("t.plan", "施策 1-1-1 a {# 注\n}\n")) {
            Err(FormatError::Syntax(errors)) => assert!(errors.iter().any(|e| (e.0, e.1) == (1, 13) && e.2.contains("`{` の後ろ")), "at the `#`: {errors:?}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn check_lossless_catches_a_lost_character() {
        assert!(check_lossless("成果: あいう", "成果: あい").is_err());
        assert!(check_lossless("成果：ａ", "成果: a").is_ok());
    }

    #[test]
    fn every_zero_width_no_break_space_is_kept() {
        let cases = [
            "施策 1-1-1 a {\n  全体評価: A\u{feff}\n}\n",
            "施策 1-1-1 a {\n  全体評価:\u{feff} A\n}\n",
            "\u{feff}施策 1-1-1 a {\n  全体評価: A\n}\n",
            "施策 1-1-1 a {\u{feff}\n  全体評価: A\n}\n",
            "施策\u{feff} 1-1-1 \u{feff}a\u{feff} {\u{feff}}\u{feff}\n",
            "施策 1-1-1 a {\n\u{feff}  # 注\u{feff}\n  成果\u{feff}: \u{feff}x\u{feff}\n  課題:\n    |\u{feff} 一\u{feff}\n    |  \u{feff}\n  \u{feff}\n\n  代表課: 課\n\u{feff}\n}\u{feff}\n\u{feff}\n\n",
            "施策 1-1-1 a {\r\n  成果:\u{feff}x\r\n\u{feff}  }\r\n",
        ];
        for input in cases {
            let out = fmt(input);
            assert_eq!(out.matches('\u{feff}').count(), input.matches('\u{feff}').count(), "{input:?} → {out:?}");
            assert_eq!(fmt(&out), out, "idempotent: {input:?}");
        }
        assert_eq!(fmt("施策 1-1-1 a {\n    全体評価:  A\u{feff}  \n}\n"), "施策 1-1-1 a {\n  全体評価: A\u{feff}\n}\n");
        assert!(check_lossless("成果: a\u{feff}", "成果: a").is_err(), "the self-check counts U+FEFF");
    }
}

/// U+FEFF at a line's or the file's end: kept, and never a refusal.
#[cfg(test)]
mod zero_width_no_break_space {
    use super::tests::fmt;
    use super::*;

    /// U+FEFF on the last line without a final newline (alone or after
    /// spaces) is kept on a line of its own, not refused.
    #[test]
    fn a_zero_width_no_break_space_on_the_last_line_without_a_newline_is_kept() {
        for (input, expected) in [
            ("施策 1-1-1 x {\n  代表課: 課\n}\n\u{feff}", "施策 1-1-1 x {\n  代表課: 課\n}\n\u{feff}\n"),
            ("施策 1-1-1 x {\n  代表課: 課\n}\n  \u{feff}", "施策 1-1-1 x {\n  代表課: 課\n}\n\u{feff}\n"),
            ("施策 1-1-1 x {\n  代表課: 課\n}\n\n \u{feff} \u{feff}\r\n\u{feff}", "施策 1-1-1 x {\n  代表課: 課\n}\n\u{feff}\u{feff}\u{feff}\n"),
            ("\u{feff}", "\u{feff}\n"),
            ("  \u{feff}  ", "\u{feff}\n"),
        ] {
            assert_eq!(fmt(input), expected, "{input:?}");
            assert_eq!(fmt(expected), expected);
        }
    }

    /// A text line's trailing blanks go, but U+FEFF is not blank: the
    /// spaces before it are prose and stay, and a line of only U+FEFF keeps it.
    #[test]
    fn spaces_before_a_zero_width_no_break_space_in_a_text_line_are_prose() {
        let input = "施策 1-1-1 x {\n  成果:\n    | テキスト \u{feff}  \n    |  \u{feff}\n    |\u{feff}\n    | \u{feff}\u{3000}\n    |   \n}\n";
        let expected = "施策 1-1-1 x {\n  成果:\n    | テキスト \u{feff}\n    |  \u{feff}\n    | \u{feff}\n    | \u{feff}\n    |\n}\n";
        assert_eq!(fmt(input), expected);
        assert_eq!(fmt(expected), expected);
        let text = |t: &str| Document::parse("t.plan", t).blocks[0].fields[0].text.clone();
        assert_eq!(text(input).split('\n').map(|l| l.trim_end_matches([' ', '\u{3000}'])).collect::<Vec<_>>(), ["テキスト \u{feff}", " \u{feff}", "\u{feff}", "\u{feff}", ""]);
        assert_eq!(text(expected), "テキスト \u{feff}\n \u{feff}\n\u{feff}\n\u{feff}\n");
    }
}
