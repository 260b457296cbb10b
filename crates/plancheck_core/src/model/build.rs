//! CST → model. Walks the tree-sitter tree once, building the block arena,
//! fields with typed values, directives and syntax errors.

use super::schema::{self, BlockKind, FieldContext, KeyResolution, ValueKind};
use super::value::{self, nfkc};
use super::*;
use crate::syntax::{self, Kind, field, trimmed};
use tree_sitter::Node;

pub(super) fn build(path: String, text: String, tree: Option<tree_sitter::Tree>) -> Document {
    let tree = tree.unwrap_or_else(|| syntax::parse(&text));
    let line_index = LineIndex::new(&text);
    let (model, unclosed) = model_of(&text, &line_index, &tree);
    let model = if unclosed { recover(&text, &line_index, model) } else { model };
    let Model { blocks, roots, top_fields, syntax_errors, allows, file_allows, malformed_directives, comments, guessed } = model;
    Document { path, line_index, tree: Some(tree), blocks, roots, top_fields, syntax_errors, allows, file_allows, malformed_directives, comments, text, prose: Default::default(), guessed }
}

/// What a parse gives the document.
struct Model {
    blocks: Vec<Block>,
    roots: Vec<BlockId>,
    top_fields: Vec<Field>,
    syntax_errors: Vec<SyntaxError>,
    allows: Vec<Allow>,
    file_allows: Vec<Allow>,
    malformed_directives: Vec<Span>,
    comments: Vec<Span>,
    guessed: Vec<Span>,
}

/// The block a missing `}` leaves open, as the indentation shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LeftOpen {
    /// The block's header line (trimmed), and its indentation.
    header: Span,
    indent: String,
    /// Where its `}` belongs: the start of the first line its indentation
    /// leaves (the text's length at the end of the file).
    at: usize,
}

/// Finds the innermost block left open first: a line (not a comment or a
/// prose line) indented no deeper than an open block's header, or a `}`
/// less indented than it, ends it; so does the end of the file.
///
/// `inserted`: where the `}` already put in are (each closes the innermost
/// open block, whatever its indentation). `None` too when most blocks' first
/// lines are no deeper than their headers: the file's indentation says nothing.
fn left_open(text: &str, index: &LineIndex, inserted: &[usize]) -> Option<LeftOpen> {
    let width = |s: &str| {
        s.chars()
            .map(|c| {
                if c == '\t' {
                    4
                } else if c == '\u{3000}' {
                    2
                } else {
                    1
                }
            })
            .sum::<usize>()
    };
    // (indentation width, header span, indentation) of each open header.
    let mut stack: Vec<(usize, Span, String)> = Vec::new();
    // Whether the file indents what its blocks hold: most headers are
    // followed by a deeper line (else its indentation says nothing).
    let (mut deeper, mut not) = (0usize, 0usize);
    let mut header_width: Option<usize> = None;
    for line in 0..index.line_count() {
        let (start, end) = index.line_span(text, line);
        let content = &text[start..end];
        let body = content.trim_start_matches([' ', '\t', '\u{3000}']).trim_end();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let w = width(&content[..content.len() - content.trim_start_matches([' ', '\t', '\u{3000}']).len()]);
        if let Some(h) = header_width.take() {
            if w > h {
                deeper += 1;
            } else if body != "}" {
                not += 1;
            }
        }
        if body.ends_with('{') {
            header_width = Some(w);
        }
    }
    if deeper <= not {
        return None;
    }
    // The start of the line after the last one inside the innermost open
    // block (deeper than its header): where its `}` goes, before the
    // comments and blank lines that follow it at the outer indentation.
    let mut after_inside = 0;
    for line in 0..index.line_count() {
        let (start, end) = index.line_span(text, line);
        let next = if line + 1 < index.line_count() { index.line_start(line + 1) } else { text.len() };
        let content = &text[start..end];
        let body = content.trim_start_matches([' ', '\t', '\u{3000}']);
        let indent = &content[..content.len() - body.len()];
        let body = body.trim_end();
        if body.is_empty() {
            continue;
        }
        // A line whose first two bytes of indentation became an inserted
        // `}` and its line break is as deep as it was written.
        let w = width(indent) + if inserted.iter().any(|&at| at + 2 == start) { 2 } else { 0 };
        if body.starts_with('#') || body.starts_with('|') || body.starts_with('｜') {
            if stack.last().is_some_and(|(open, _, _)| w > *open) {
                after_inside = next;
            }
            continue;
        }
        if body == "}" && inserted.contains(&(start + indent.len())) {
            stack.pop();
            after_inside = next;
            continue;
        }
        let left = |stack: &[(usize, Span, String)]| {
            stack.last().filter(|(open, _, _)| w <= *open && !(body == "}" && w == *open)).map(|(_, header, indent)| LeftOpen {
                header: *header,
                indent: indent.clone(),
                at: after_inside.clamp(header.end, start),
            })
        };
        if let Some(open) = left(&stack) {
            return Some(open);
        }
        after_inside = next;
        if body == "}" {
            stack.pop();
        } else if body.ends_with('{') {
            let header = Span::new(start + indent.len(), start + indent.len() + body.len());
            stack.push((w, header, indent.to_string()));
        }
    }
    stack.pop().map(|(_, header, indent)| LeftOpen { header, indent, at: text.len() })
}

/// The text with a `}` where `open` needs one, every other byte where it
/// was when there is room: in place of the first bytes of the indentation
/// of the line that leaves the block (or of the `}` line before it), or
/// after the end; else (a line at the left margin after a line that is not
/// a `}`) a `}` line put in before it.
///
/// Returns the text, where its `}` is, and how many bytes were put in (0
/// in place).
fn closed(text: &str, index: &LineIndex, open: &LeftOpen) -> Option<(String, usize, usize)> {
    let room = |line_start: usize| -> Option<(String, usize)> {
        let line = index.line_of(line_start);
        let (start, end) = index.line_span(text, line);
        let content = &text[start..end];
        // Whole characters of the indentation, at least two bytes of them.
        let mut taken = 0;
        for c in content.chars().take_while(|c| matches!(c, ' ' | '\t' | '\u{3000}')) {
            taken += c.len_utf8();
            if taken >= 2 {
                break;
            }
        }
        (taken >= 2).then(|| (format!("{}}}\n{}{}", &text[..start], " ".repeat(taken - 2), &text[start + taken..]), start))
    };
    if open.at == text.len() {
        let newline = if text.ends_with('\n') { "" } else { "\n" };
        return Some((format!("{text}{newline}}}\n"), text.len() + newline.len(), 0));
    }
    room(open.at)
        .or_else(|| {
            // The `}` line just before: `  }` becomes `}` and `}`.
            let line = index.line_of(open.at).checked_sub(1)?;
            let (start, end) = index.line_span(text, line);
            (text[start..end].trim() == "}").then(|| room(start)).flatten()
        })
        .map(|(text, at)| (text, at, 0))
        .or_else(|| {
            // No room: a `}` line put in, the spans after it moved back after the parse.
            let brace = format!("{}}}\n", open.indent);
            Some((format!("{}{brace}{}", &text[..open.at], &text[open.at..]), open.at + open.indent.len(), brace.len()))
        })
}

/// An offset in the text before `len` bytes were put in at `at` (one inside
/// what was put in is `at`).
fn unshifted(o: usize, at: usize, len: usize) -> usize {
    if o <= at {
        o
    } else if o >= at + len {
        o - len
    } else {
        at
    }
}

/// The model's spans in the text before `len` bytes were put in at `at`.
fn unshift(model: &mut Model, at: usize, len: usize) {
    let map = |o: usize| unshifted(o, at, len);
    let span = |s: &mut Span| *s = Span::new(map(s.start), map(s.end));
    let field = |f: &mut Field| {
        span(&mut f.key_text.span);
        span(&mut f.value_span);
        f.text_lines.iter_mut().for_each(|t| *t = Span::new(map(t.start), map(t.end)));
        span(&mut f.span);
    };
    for block in &mut model.blocks {
        span(&mut block.keyword.span);
        if let Some(id) = &mut block.id {
            span(&mut id.span);
        }
        if let Some(title) = &mut block.title {
            span(&mut title.span);
        }
        span(&mut block.header);
        span(&mut block.span);
        block.fields.iter_mut().for_each(field);
    }
    model.top_fields.iter_mut().for_each(field);
    for error in &mut model.syntax_errors {
        span(&mut error.span);
        if let Some((s, _)) = &mut error.fix {
            span(s);
        }
    }
    for allow in model.allows.iter_mut().chain(model.file_allows.iter_mut()) {
        span(&mut allow.directive);
        allow.rules.iter_mut().for_each(|r| span(&mut r.span));
        if let Some(scope) = &mut allow.scope {
            span(scope);
        }
    }
    model.malformed_directives.iter_mut().chain(model.comments.iter_mut()).for_each(span);
}

/// A missing `}`: the blocks are read as the indentation closes them
/// (each open block closed, one at a time, where its `}` belongs, in a
/// copy of the text of the same length, so every span stays), and each is
/// reported once, at its header, with the `}` as a fix; the rules that judge
/// a block's contents say nothing inside a block so closed. Without room
/// for a `}` in place, the parse stands and the rest of the file is the
/// guessed part.
fn recover(text: &str, index: &LineIndex, first: Model) -> Model {
    let mut repaired = text.to_string();
    let mut repaired_index = index.clone();
    let mut model = first;
    let mut found: Vec<(LeftOpen, bool)> = Vec::new();
    let mut inserted = Vec::new();
    // The lines put in (no room in place): where, how long, and how many
    // blocks were found before.
    let mut insertions: Vec<(usize, usize, usize)> = Vec::new();
    for _ in 0..16 {
        let Some(open) = left_open(&repaired, &repaired_index, &inserted) else { break };
        if found.iter().any(|(o, _)| o.header == open.header) {
            break;
        }
        let Some((next, at, len)) = closed(&repaired, &repaired_index, &open) else {
            found.push((open, false));
            break;
        };
        inserted.push(at);
        if len > 0 {
            // Later positions: after the lines put in.
            for o in &mut inserted {
                if *o > open.at {
                    *o += len;
                }
            }
            *inserted.last_mut().expect("pushed") = at;
            insertions.push((open.at, len, found.len()));
        }
        let next_index = LineIndex::new(&next);
        let tree = syntax::parse(&next);
        let (next_model, unclosed) = model_of(&next, &next_index, &tree);
        found.push((open, true));
        (repaired, repaired_index, model) = (next, next_index, next_model);
        if !unclosed {
            break;
        }
    }
    if found.is_empty() {
        return model;
    }
    // Back to the text as written: the model, then what was found (each
    // moved by the lines put in after it was found), last put in first.
    for &(at, len, found_before) in insertions.iter().rev() {
        unshift(&mut model, at, len);
        let map = |o: usize| unshifted(o, at, len);
        for (open, _) in found.iter_mut().skip(found_before + 1) {
            open.header = Span::new(map(open.header.start), map(open.header.end));
            open.at = map(open.at);
        }
    }
    // Spans past the text (a `}` added after its end) end at its end.
    let end = text.len();
    // (A `}` put in place of a full-width space's first bytes ends a block
    // inside that character in the original text: at its end then.)
    let clamp = |s: &mut Span| {
        s.start = s.start.min(end);
        s.end = s.end.min(end);
        while !text.is_char_boundary(s.end) {
            s.end += 1;
        }
        while !text.is_char_boundary(s.start) {
            s.start -= 1;
        }
    };
    for block in &mut model.blocks {
        clamp(&mut block.span);
    }
    // A block closed by guess has no `}` in the text: it ends where its `}`
    // belongs (before the line break there), and it is not closed.
    for (open, repaired_here) in &found {
        if let Some(block) = model.blocks.iter_mut().find(|b| *repaired_here && b.header.start == open.header.start) {
            let at = open.at.min(end);
            let before_break = if at > 0 && text.as_bytes()[at - 1] == b'\n' { at - 1 - usize::from(at > 1 && text.as_bytes()[at - 2] == b'\r') } else { at };
            block.span.end = before_break.max(block.header.end);
            block.closed = false;
        }
    }
    // The errors: each block left open once, where it is (the parse's own
    // "never closed" errors of the blocks so closed say nothing more).
    let repaired_headers: Vec<Span> = found.iter().filter(|(_, r)| *r).map(|(o, _)| o.header).collect();
    model
        .syntax_errors
        .retain(|e| !(e.ja.contains("が `}` で閉じられていません") && (repaired_headers.contains(&e.span) || found.iter().any(|(o, r)| e.span == o.header || !r && e.span.start < o.header.start))));
    for (open, repaired_here) in &found {
        let header = &text[open.header.start..open.header.end];
        let (ja, en) = if open.at >= end {
            (format!("ブロック `{header}` が `}}` で閉じられていません (ファイルの終わりまで続いています)"), format!("the block `{header}` is never closed with `}}` (it runs to the end of the file)"))
        } else {
            let line = index.line_of(open.at);
            let (s, e) = index.line_span(text, line);
            let left = text[s..e].trim();
            let left: String = if left.chars().count() > 30 { left.chars().take(30).chain(['…']).collect() } else { left.to_string() };
            (
                format!("ブロック `{header}` が `}}` で閉じられていません: 字下げでは {} 行目 (`{left}`) の前で終わります", line + 1),
                format!("the block `{header}` is never closed with `}}`: by its indentation it ends before line {} (`{left}`)", line + 1),
            )
        };
        // Blocks left open at one place are closed by one fix, the innermost
        // first (the first found there); the others point to it.
        let at = open.at.min(end);
        let together: Vec<&LeftOpen> = found.iter().map(|(o, _)| o).filter(|o| o.at.min(end) == at).collect();
        let fix = std::ptr::eq(together[0], open).then(|| {
            let newline = if at >= end && !text.ends_with('\n') { "\n" } else { "" };
            (Span::new(at, at), format!("{newline}{}", together.iter().map(|o| format!("{}}}\n", o.indent)).collect::<String>()))
        });
        model.syntax_errors.push(SyntaxError { span: open.header, ja, en, fix });
        // The part read by guess: the block as closed, or the rest of the file.
        let guessed = match repaired_here {
            true => model.blocks.iter().find(|b| b.header.start == open.header.start).map_or(Span::new(open.header.start, open.at.min(end)), |b| b.span),
            false => Span::new(open.header.start, end),
        };
        model.guessed.push(guessed);
    }
    model.syntax_errors.sort_by_key(|e| (e.span.start, std::cmp::Reverse(e.span.end)));
    model
}

/// The model of a parse, and whether a block is left open in it.
fn model_of(text: &str, line_index: &LineIndex, tree: &tree_sitter::Tree) -> (Model, bool) {
    let mut builder = Builder::new(text, line_index);
    let root = tree.root_node();
    if root.is_error() {
        // The parser gave up on the whole file: recover what it can.
        builder.error_items(root, None, &mut Vec::new());
    } else {
        builder.items(root, None);
    }
    builder.errors(root);
    // A `}` after other text: an error of its own unless its line has one.
    let braces = std::mem::take(&mut builder.braces_not_first);
    let lines_with_errors: std::collections::HashSet<usize> = if braces.is_empty() { Default::default() } else { builder.syntax_errors.iter().map(|e| line_index.line_of(e.span.start)).collect() };
    for brace in braces {
        if !lines_with_errors.contains(&line_index.line_of(brace.start)) {
            builder.syntax_errors.push(SyntaxError {
                span: brace,
                ja: "ブロックを閉じる `}` は行の先頭に書きます: 前の項目の後で改行します".into(),
                en: "a block's closing `}` starts its own line: break the line before it".into(),
                fix: None,
            });
        }
    }
    builder.syntax_errors.sort_by_key(|e| (e.span.start, std::cmp::Reverse(e.span.end)));
    // One error per place: an error inside another one's span (an ERROR
    // nested in an ERROR on the same line) says nothing new.
    let mut kept: Vec<SyntaxError> = Vec::new();
    for error in std::mem::take(&mut builder.syntax_errors) {
        if !kept.last().is_some_and(|k| k.span.contains(error.span)) {
            kept.push(error);
        }
    }
    // Nesting too deep is said even inside a region already reported.
    kept.append(&mut builder.too_deep);
    kept.sort_by_key(|e| (e.span.start, std::cmp::Reverse(e.span.end)));
    builder.syntax_errors = kept;
    let unclosed = builder.unclosed;
    let Builder { blocks, roots, top_fields, syntax_errors, allows, file_allows, malformed_directives, comments, .. } = builder;
    (Model { blocks, roots, top_fields, syntax_errors, allows, file_allows, malformed_directives, comments, guessed: Vec::new() }, unclosed)
}

struct Builder<'a> {
    text: &'a str,
    line_index: &'a LineIndex,
    blocks: Vec<Block>,
    roots: Vec<BlockId>,
    top_fields: Vec<Field>,
    syntax_errors: Vec<SyntaxError>,
    allows: Vec<Allow>,
    file_allows: Vec<Allow>,
    malformed_directives: Vec<Span>,
    comments: Vec<Span>,
    /// ERROR nodes whose every token `error_items` accounted for.
    recovered_errors: std::collections::HashSet<usize>,
    /// How many blocks and ERROR regions the walk is inside.
    depth: usize,
    /// Where nesting went past [`MAX_NESTING`].
    too_deep: Vec<SyntaxError>,
    /// Closing `}` that do not start their line.
    braces_not_first: Vec<Span>,
    /// A block is left open (its `}` missing).
    unclosed: bool,
}

/// One field, read from its node as the whole build reads it (`context`:
/// where it stands). The language server's incremental path
/// (`super::patch`) rebuilds the field an edit is in.
pub(super) fn field_of(text: &str, line_index: &LineIndex, node: Node<'_>, context: FieldContext) -> Field {
    Builder::new(text, line_index).field(node, context)
}

/// How deep blocks (and regions the parser gave up on) are read. The format
/// has four levels (計画 aside); a file nested deeper than this is not a
/// plan, and walking it further would only risk the stack.
pub const MAX_NESTING: usize = 64;

impl<'a> Builder<'a> {
    fn new(text: &'a str, line_index: &'a LineIndex) -> Self {
        Builder {
            text,
            line_index,
            blocks: Vec::new(),
            roots: Vec::new(),
            top_fields: Vec::new(),
            syntax_errors: Vec::new(),
            allows: Vec::new(),
            file_allows: Vec::new(),
            malformed_directives: Vec::new(),
            comments: Vec::new(),
            recovered_errors: Default::default(),
            depth: 0,
            too_deep: Vec::new(),
            braces_not_first: Vec::new(),
            unclosed: false,
        }
    }

    fn slice(&self, node: Node<'_>) -> &'a str {
        &self.text[node.start_byte()..node.end_byte()]
    }

    /// The items (blocks, fields, comments, directives) that are children of
    /// `node`, placed in `parent`. ERROR nodes are looked through, so that
    /// well-formed lines inside a region the parser gave up on still count.
    fn items(&mut self, node: Node<'_>, parent: Option<BlockId>) {
        let mut pending_allows: Vec<usize> = Vec::new();
        self.items_into(node, parent, &mut pending_allows);
    }

    fn items_into(&mut self, node: Node<'_>, parent: Option<BlockId>, pending: &mut Vec<usize>) {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.item(child, parent, pending);
        }
    }

    /// One item: a block, field, comment or directive placed in `parent`.
    fn item(&mut self, child: Node<'_>, parent: Option<BlockId>, pending: &mut Vec<usize>) {
        if matches!(Kind::of(child), Some(Kind::Block | Kind::Field | Kind::Comment | Kind::Directive)) && !self.starts_line(child.start_byte()) && self.shares_a_line(child) {
            return;
        }
        {
            match Kind::of(child) {
                Some(Kind::Block) => {
                    let id = self.block(child, parent);
                    let span = self.blocks[id].span;
                    for allow in pending.drain(..) {
                        self.allows[allow].scope = Some(span);
                    }
                }
                Some(Kind::Field) if missing_colon(child) => {
                    let line = self.line_index.line_of(child.start_byte());
                    let (ls, le) = self.line_index.line_span(self.text, line);
                    if !self.recognised_slip(ls, le) {
                        let (span, shown) = trimmed(self.text, Span::new(ls, le));
                        self.syntax_errors.push(SyntaxError {
                            span,
                            ja: format!("この行を読めません: `{shown}`。フィールドは `キー: 値` の形で書きます (コロンがありません)"),
                            en: format!("cannot read this line: `{shown}`. A field is `KEY: VALUE` (the colon is missing)"),
                            fix: None,
                        });
                    }
                }
                Some(Kind::Field) => {
                    let context = parent.map_or(FieldContext::TopLevel, |p| FieldContext::in_block(self.blocks[p].kind));
                    let field = self.field(child, context);
                    for allow in pending.drain(..) {
                        self.allows[allow].scope = Some(field.span);
                    }
                    match parent {
                        Some(p) => self.blocks[p].fields.push(field),
                        None => self.top_fields.push(field),
                    }
                }
                Some(Kind::Comment) => {
                    let span = Span::of(&child);
                    // A `# plancheck:` line that is not a well-formed directive
                    // is a comment (the scanner makes it one): invalid-directive.
                    if starts_like_directive(&self.text[span.start..span.end]) {
                        self.malformed_directives.push(span);
                    }
                    self.comments.push(span);
                }
                Some(Kind::Directive) => self.directive(child, pending),
                Some(Kind::Error) => {
                    self.error_items(child, parent, pending);
                }
                _ => {}
            }
        }
    }

    /// The items of a region the parser gave up on. Well-formed items are
    /// kept; header lines (`指標 参加者数 {`) and lone `}` inside it still
    /// open and close blocks, so that blocks left open at the end of a file
    /// (two or more: the parser can insert only one `}`) keep their nesting
    /// and their fields. When every token of the region is accounted for
    /// this way, the only error is each unclosed block.
    fn error_items(&mut self, node: Node<'_>, parent: Option<BlockId>, pending: &mut Vec<usize>) -> bool {
        if self.too_deep(Span::new(node.start_byte(), node.start_byte())) {
            return false;
        }
        self.depth += 1;
        let recovered = self.error_items_inside(node, parent, pending);
        self.depth -= 1;
        recovered
    }

    /// An item that does not start its line (`}  # note`): a syntax error,
    /// the item kept. True when the line is a comment line instead (a
    /// broken directive, whatever the parser made of it): nothing to keep.
    /// Out of line: `item` recurses once per nesting level, and its frame
    /// must stay small.
    #[inline(never)]
    fn shares_a_line(&mut self, child: Node<'_>) -> bool {
        let line = self.line_index.line_of(child.start_byte());
        let (ls, le) = self.line_index.line_span(self.text, line);
        if self.broken_directive(ls, le) {
            return true; // a comment line, whatever the parser made of it
        }
        let (_, shown) = trimmed(self.text, Span::new(ls, le));
        let (span, _) = trimmed(self.text, Span::new(child.start_byte(), le.max(child.start_byte())));
        let (ja, en) = after_closing_brace(shown)
            .or_else(|| after_opening_brace(shown))
            .unwrap_or_else(|| (format!("この行には 2 つの項目があります: `{shown}`。項目は 1 行に 1 つ書きます"), format!("two items on one line: `{shown}`; each item takes a line of its own")));
        self.syntax_errors.push(SyntaxError { span, ja, en, fix: None });
        false
    }

    /// A block's closing `}` after other text on its line (`指標 a {}}`,
    /// `  } }`): the block is closed all the same, and the line is an error
    /// (unless another error already says what is wrong with it). Out of line, like [`Self::shares_a_line`].
    #[inline(never)]
    fn closing_brace_not_first(&mut self, brace: Node<'_>) {
        self.braces_not_first.push(Span::of(&brace));
    }

    /// Whether only blanks stand before `at` on its line.
    fn starts_line(&self, at: usize) -> bool {
        let line_start = self.line_index.line_start(self.line_index.line_of(at));
        self.text[line_start..at].chars().all(syntax::is_blank)
    }

    /// At [`MAX_NESTING`]: says so (once per place) and stops descending.
    fn too_deep(&mut self, at: Span) -> bool {
        if self.depth < MAX_NESTING {
            return false;
        }
        self.report_too_deep(at);
        true
    }

    fn report_too_deep(&mut self, at: Span) {
        self.too_deep.push(SyntaxError {
            span: at,
            ja: format!("ブロックの入れ子が深すぎます ({MAX_NESTING} 段まで)。この中は読みません"),
            en: format!("blocks are nested too deep (at most {MAX_NESTING} levels); what is inside is not read"),
            fix: None,
        });
    }

    fn error_items_inside(&mut self, node: Node<'_>, parent: Option<BlockId>, pending: &mut Vec<usize>) -> bool {
        let children: Vec<Node<'_>> = {
            let mut cursor = node.walk();
            node.children(&mut cursor).collect()
        };
        let mut stack: Vec<BlockId> = Vec::new();
        // Headers not opened as blocks for being too deep.
        let mut skipped = 0usize;
        // A region of bare text (no tokens) is not recovered.
        let mut recovered = !children.is_empty();
        let mut i = 0;
        while i < children.len() {
            let child = children[i];
            let top = stack.last().copied().or(parent);
            match Kind::of(child) {
                Some(Kind::Name) => {
                    let line = self.line_index.line_of(child.start_byte());
                    let (ls, le) = self.line_index.line_span(self.text, line);
                    let first = ls + (self.text[ls..le].len() - self.text[ls..le].trim_start_matches(syntax::is_blank).len());
                    let opens = self.text[ls..le].trim_end_matches(syntax::is_blank).ends_with('{');
                    if !(opens && child.start_byte() == first) {
                        recovered = false;
                        i += 1;
                        continue;
                    }
                    // The header: name, then an ID and a title, then `{`;
                    // anything else on the line is not recovered.
                    let (mut id, mut title, mut opened, mut j) = (None, None, false, i + 1);
                    while j < children.len() && children[j].start_byte() < le {
                        match Kind::of(children[j]) {
                            Some(Kind::Id) if !opened && id.is_none() && title.is_none() => id = Some(children[j]),
                            Some(Kind::Title) if !opened && title.is_none() => title = Some(children[j]),
                            Some(Kind::LBrace) if !opened => opened = true,
                            _ => recovered = false,
                        }
                        j += 1;
                    }
                    let (header, _) = trimmed(self.text, Span::new(child.start_byte(), le));
                    if self.depth + stack.len() >= MAX_NESTING {
                        // Too deep: the header is not a block, and its `}` closes nothing.
                        if skipped == 0 {
                            self.report_too_deep(header);
                        }
                        skipped += 1;
                        recovered = false;
                        i = j;
                        continue;
                    }
                    let block = self.push_block(Some(child), id, title, header, Span::new(header.start, node.end_byte()), false, top);
                    for allow in pending.drain(..) {
                        self.allows[allow].scope = Some(self.blocks[block].span);
                    }
                    stack.push(block);
                    i = j;
                    continue;
                }
                // A `}` closes a block from the start of its line (`}}` does not).
                Some(Kind::RBrace) if !child.is_missing() && !self.starts_line(child.start_byte()) => recovered = false,
                Some(Kind::RBrace) if !child.is_missing() && skipped > 0 => skipped -= 1,
                Some(Kind::RBrace) if !child.is_missing() => match stack.pop() {
                    Some(block) => {
                        self.blocks[block].span.end = child.end_byte();
                        self.blocks[block].closed = true;
                    }
                    None => recovered = false,
                },
                Some(Kind::Error) => recovered &= self.error_items(child, top, pending),
                Some(Kind::Block | Kind::Field | Kind::Comment | Kind::Directive) => {
                    // An item sharing a line with what the parser gave up on
                    // (`施策 1 {# note`) is kept, but the line is still an error.
                    recovered &= self.starts_line(child.start_byte());
                    self.item(child, top, pending)
                }
                _ => recovered = false,
            }
            i += 1;
        }
        for block in stack {
            let (span, _) = trimmed(self.text, self.blocks[block].span);
            self.blocks[block].span = span;
            let header = self.blocks[block].header;
            let shown = self.text[header.start..header.end].to_string();
            self.unclosed = true;
            self.syntax_errors.push(SyntaxError {
                span: header,
                ja: format!("ブロック `{shown}` が `}}` で閉じられていません"),
                en: format!("the block `{shown}` is never closed with `}}`"),
                fix: None,
            });
        }
        if recovered {
            self.recovered_errors.insert(node.id());
        }
        recovered
    }

    fn block(&mut self, node: Node<'_>, parent: Option<BlockId>) -> BlockId {
        // The header ends at the `{`; the block is closed by a real `}`.
        let mut header_end = node.end_byte();
        let mut closed = false;
        let mut cursor = node.walk();
        let mut previous_kind = None;
        for child in node.children(&mut cursor) {
            let kind = Kind::of(child);
            match kind {
                Some(Kind::LBrace) if header_end == node.end_byte() => header_end = child.end_byte(),
                Some(Kind::RBrace) if !child.is_missing() => {
                    closed = true;
                    // The `}` of `{}` ends the header line; any other closes
                    // the block from the start of its own line.
                    if previous_kind != Some(Kind::LBrace) && !self.starts_line(child.start_byte()) {
                        self.closing_brace_not_first(child);
                    }
                }
                _ => {}
            }
            previous_kind = kind;
        }
        if header_end == node.end_byte() {
            // No `{`: the header is the first line.
            let line = self.line_index.line_of(node.start_byte());
            header_end = self.line_index.line_span(self.text, line).1.min(node.end_byte());
        }
        let header = Span::new(node.start_byte(), header_end);
        let id = self.push_block(node.child_by_field_name(field::NAME), node.child_by_field_name(field::ID), node.child_by_field_name(field::TITLE), header, Span::of(&node), closed, parent);
        if self.too_deep(header) {
            return id;
        }
        self.depth += 1;
        self.items(node, Some(id));
        self.depth -= 1;
        id
    }

    /// Adds a block to the arena under `parent`.
    #[allow(clippy::too_many_arguments)]
    fn push_block(&mut self, name: Option<Node<'_>>, id: Option<Node<'_>>, title: Option<Node<'_>>, header: Span, span: Span, closed: bool, parent: Option<BlockId>) -> BlockId {
        let keyword = match name {
            Some(n) => self.spanned_trimmed(n),
            None => Spanned { value: String::new(), span: Span::new(header.start, header.start) },
        };
        let kind = BlockKind::from_keyword(&keyword.value);
        let id = id.map(|n| {
            let s = self.spanned_trimmed(n);
            Spanned { value: normalize_id(&s.value), span: s.span }
        });
        let mut title = title.map(|n| self.spanned_trimmed(n)).filter(|t| !t.value.is_empty());
        // 計画, 指標 and 展開 take no ID: a leading number is part of the
        // title (`指標 2025 年の人口 {`).
        let id = match (kind.map(BlockKind::takes_id), id) {
            (Some(false), Some(id)) => {
                let end = title.as_ref().map_or(id.span.end, |t| t.span.end.max(id.span.end));
                let span = Span::new(id.span.start, end);
                title = Some(Spanned { value: self.text[span.start..span.end].to_string(), span });
                None
            }
            (_, id) => id,
        };
        let id_in_arena = self.blocks.len();
        self.blocks.push(Block { kind, keyword, id, title, header, span, parent, children: Vec::new(), fields: Vec::new(), closed });
        match parent {
            Some(p) => self.blocks[p].children.push(id_in_arena),
            None => self.roots.push(id_in_arena),
        }
        id_in_arena
    }

    fn field(&mut self, node: Node<'_>, context: FieldContext) -> Field {
        let key_text = match node.child_by_field_name(field::KEY) {
            Some(n) => self.spanned_trimmed(n),
            None => Spanned { value: String::new(), span: Span::new(node.start_byte(), node.start_byte()) },
        };
        let resolution = match context {
            FieldContext::InUnknownBlock => FieldResolution::InUnknownBlock,
            FieldContext::In(kind) => resolve(Some(kind), &key_text.value),
            FieldContext::TopLevel => resolve(None, &key_text.value),
        };
        let mut text = String::new();
        let mut text_lines = Vec::new();
        let value_span;
        if let Some(value) = node.child_by_field_name(field::VALUE).map(|n| self.spanned_trimmed(n)).filter(|v| !v.value.is_empty()) {
            text = value.value;
            value_span = value.span;
        } else if let Some(block) = node.child_by_field_name(field::TEXT) {
            let mut cursor = block.walk();
            for line in block.named_children(&mut cursor).filter(|n| Kind::of(*n) == Some(Kind::TextLine)) {
                let span = match line.child_by_field_name(field::CONTENT) {
                    Some(content) => {
                        let raw = Span::of(&content);
                        let mut start = raw.start;
                        // The marker and at most one following space are removed.
                        if let Some(c) = self.text[start..raw.end].chars().next()
                            && (c == ' ' || c == '\u{3000}')
                        {
                            start += c.len_utf8();
                        }
                        let s = &self.text[start..raw.end];
                        Span::new(start, start + s.trim_end_matches(['\r', '\n']).len())
                    }
                    None => {
                        let end = line.end_byte();
                        let s = &self.text[line.start_byte()..end];
                        let e = line.start_byte() + s.trim_end_matches(['\r', '\n']).len();
                        // The grammar gives no content to a line that is
                        // blank after its marker, U+FEFF included; a U+FEFF
                        // there is still text (`| \u{feff}`), taken like content.
                        let rest = &self.text[e..];
                        let rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
                        if rest.contains('\u{feff}') {
                            let start = e + rest.chars().next().filter(|&c| c == ' ' || c == '\u{3000}').map_or(0, char::len_utf8);
                            Span::new(start, e + rest.trim_end_matches('\r').len())
                        } else {
                            Span::new(e, e)
                        }
                    }
                };
                text_lines.push(span);
            }
            text = text_lines.iter().map(|s| &self.text[s.start..s.end]).collect::<Vec<_>>().join("\n");
            value_span = match (text_lines.first(), text_lines.last()) {
                (Some(first), Some(last)) => Span::new(first.start, last.end),
                _ => self.empty_value_span(node, &key_text),
            };
        } else {
            value_span = self.empty_value_span(node, &key_text);
        }
        let parsed = match &resolution {
            FieldResolution::Known(def) => parse_value(def, &text),
            _ => Parsed::Text,
        };
        let mut span = Span::of(&node);
        // A field's node may end after its line's newline; keep the span on
        // the text the user sees.
        let s = &self.text[span.start..span.end];
        span.end = span.start + s.trim_end_matches(['\r', '\n']).len();
        Field { key_text, resolution, text, value_span, text_lines, span, parsed }
    }

    /// Where an absent value would go: right after the colon.
    fn empty_value_span(&self, node: Node<'_>, key: &Spanned<String>) -> Span {
        let mut cursor = node.walk();
        let colon_end = node.children(&mut cursor).find(|c| matches!(Kind::of(*c), Some(Kind::Colon | Kind::FullwidthColon))).map_or(key.span.end, |c| c.end_byte());
        Span::new(colon_end, colon_end)
    }

    fn directive(&mut self, node: Node<'_>, pending: &mut Vec<usize>) {
        let kind = node.child_by_field_name(field::KIND).map(|n| self.slice(n).trim().to_string()).unwrap_or_default();
        let mut cursor = node.walk();
        let rules = node.named_children(&mut cursor).filter(|n| Kind::of(*n) == Some(Kind::RuleName)).map(|n| Spanned { value: self.slice(n).to_string(), span: Span::of(&n) }).collect();
        let directive = Span::of(&node);
        if kind == "allow-file" {
            self.file_allows.push(Allow { directive, rules, scope: Some(Span::new(0, self.text.len())) });
        } else {
            pending.push(self.allows.len());
            self.allows.push(Allow { directive, rules, scope: None });
        }
    }

    fn spanned_trimmed(&self, node: Node<'_>) -> Spanned<String> {
        let (span, text) = trimmed(self.text, Span::of(&node));
        Spanned { value: text.to_string(), span }
    }

    /// Records every ERROR and MISSING node below `node` (with an explicit
    /// stack: trees can be as deep as the text is long).
    fn errors(&mut self, node: Node<'_>) {
        // Each node with its parent (`Node::parent` walks down from the root:
        // quadratic on deep trees).
        let mut stack: Vec<(Node<'_>, Option<Node<'_>>)> = vec![(node, None)];
        while let Some((node, parent)) = stack.pop() {
            if node.is_missing() {
                self.missing(node, parent);
                continue;
            }
            if node.is_error() && !self.recovered_errors.contains(&node.id()) {
                self.error(node);
            }
            if !node.has_error() {
                continue;
            }
            let mut cursor = node.walk();
            let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
            stack.extend(children.into_iter().rev().map(|child| (child, Some(node))));
        }
    }

    fn missing(&mut self, node: Node<'_>, parent: Option<Node<'_>>) {
        let kind = Kind::of(node);
        if matches!(kind, Some(Kind::Colon | Kind::FullwidthColon)) && parent.is_some_and(|p| Kind::of(p) == Some(Kind::Field)) {
            return; // the field's line is reported as a whole (see `items_into`)
        }
        if kind == Some(Kind::RBrace) {
            // Point at the header of the block that is left open.
            if let Some(block) = parent.filter(|p| Kind::of(*p) == Some(Kind::Block)) {
                let line = self.line_index.line_of(block.start_byte());
                let (start, end) = self.line_index.line_span(self.text, line);
                let (span, header) = trimmed(self.text, Span::new(start.max(block.start_byte()), end));
                self.unclosed = true;
                self.syntax_errors.push(SyntaxError {
                    span,
                    ja: format!("ブロック `{header}` が `}}` で閉じられていません"),
                    en: format!("the block `{header}` is never closed with `}}`"),
                    fix: None,
                });
                return;
            }
        }
        let at = node.start_byte();
        let line = self.line_index.line_of(at);
        let (ls, le) = self.line_index.line_span(self.text, line);
        if self.broken_directive(ls, le) {
            return;
        }
        let span = self.visible_span(at);
        let name = node.kind();
        let shown = if node.is_named() { name.replace('_', " ") } else { format!("`{name}`") };
        self.syntax_errors.push(SyntaxError { span, ja: format!("{shown} がありません"), en: format!("missing {shown}"), fix: None });
    }

    fn error(&mut self, node: Node<'_>) {
        // The error's first line, or up to the first well-formed item inside it.
        let start = node.start_byte();
        let mut end = node.end_byte();
        let mut cursor = node.walk();
        if let Some(good) = node.named_children(&mut cursor).find(|c| matches!(Kind::of(*c), Some(Kind::Block | Kind::Field | Kind::Comment | Kind::Directive))) {
            end = end.min(good.start_byte());
        }
        let line = self.line_index.line_of(start);
        let line_end = self.line_index.line_span(self.text, line).1;
        end = end.min(line_end.max(start));
        let (mut span, _) = trimmed(self.text, Span::new(start, end.max(start)));
        if span.is_empty() {
            span = self.visible_span(start);
        }
        let line = self.line_index.line_of(span.start);
        let (ls, le) = self.line_index.line_span(self.text, line);
        let line_text = self.text[ls..le].trim_matches(syntax::is_blank);
        if self.broken_directive(ls, le) {
            return;
        }
        if self.recognised_slip(ls, le) {
            return;
        }
        let (ja, en) = describe_error(line_text);
        self.syntax_errors.push(SyntaxError { span, ja, en, fix: None });
    }

    /// A comment line (`#`) the grammar read as a broken directive (an
    /// ERROR or a MISSING `)` on it): a comment all the same, recorded once;
    /// invalid-directive says what is wrong. True when the line is one.
    fn broken_directive(&mut self, ls: usize, le: usize) -> bool {
        if !self.text[ls..le].trim_start_matches(syntax::is_blank).starts_with('#') {
            return false;
        }
        let (span, _) = trimmed(self.text, Span::new(ls, le));
        if self.malformed_directives.last() != Some(&span) {
            self.malformed_directives.push(span);
            self.comments.push(span);
        }
        true
    }

    /// Recognisable slips on the line `ls..le`: a known key without its
    /// colon, prose without its `|`. Records the error (with a fix) and
    /// returns true when the line is one.
    fn recognised_slip(&mut self, ls: usize, le: usize) -> bool {
        let line = self.line_index.line_of(ls);
        let line_text = self.text[ls..le].trim_matches(syntax::is_blank);
        // A known key followed by its value without the colon
        // (`目標 10,650人`): say so, and offer the colon.
        let line_start = ls + (self.text[ls..le].len() - self.text[ls..le].trim_start_matches(syntax::is_blank).len());
        let first_word: &str = line_text.split(|c: char| syntax::is_blank(c)).next().unwrap_or("");
        if !line_text.contains([':', '：']) && first_word.len() < line_text.len() && schema::FIELDS.iter().any(|d| d.names.contains(&nfkc(first_word).as_str())) {
            let key_end = line_start + first_word.len();
            self.syntax_errors.push(SyntaxError {
                span: Span::new(line_start, le),
                ja: format!("`{first_word}` の後にコロンがありません: `{first_word}: …` と書きます"),
                en: format!("missing colon after `{first_word}`: write `{first_word}: …`"),
                fix: Some((Span::new(key_end, key_end), ":".to_string())),
            });
            return true;
        }
        // Prose under a field with an empty value, without the `|` marker.
        let previous = (0..line)
            .rev()
            .map(|l| {
                let (a, b) = self.line_index.line_span(self.text, l);
                self.text[a..b].trim_matches(syntax::is_blank)
            })
            .find(|t| !t.is_empty());
        if previous.is_some_and(|p| p.ends_with([':', '：']) || p.starts_with(['|', '｜'])) && !line_text.contains([':', '：', '{', '}']) {
            self.syntax_errors.push(SyntaxError {
                span: Span::new(line_start, le),
                ja: "複数行のテキストは各行を `|` で始めます (例: `  | 本文`)".into(),
                en: "each line of a multi-line text starts with `|` (e.g. `  | text`)".into(),
                fix: Some((Span::new(line_start, line_start), "| ".to_string())),
            });
            return true;
        }
        false
    }

    /// A non-empty span at `at` where possible (one character), for errors
    /// that have no text of their own.
    fn visible_span(&self, at: usize) -> Span {
        let at = at.min(self.text.len());
        let line = self.line_index.line_of(at);
        let (ls, le) = self.line_index.line_span(self.text, line);
        if at < le {
            let len = self.text[at..].chars().next().map_or(0, char::len_utf8);
            Span::new(at, at + len)
        } else if le > ls {
            // At the end of a line: the line's last character.
            let last = self.text[ls..le].chars().next_back().map_or(0, char::len_utf8);
            Span::new(le - last, le)
        } else {
            Span::new(at, at)
        }
    }
}

/// `#`, `plancheck` and a colon (blanks between): the start of a directive.
fn starts_like_directive(comment: &str) -> bool {
    let rest = comment.strip_prefix('#').unwrap_or_default().trim_start_matches(syntax::is_blank);
    rest.strip_prefix("plancheck").is_some_and(|rest| rest.trim_start_matches(syntax::is_blank).starts_with([':', '：']))
}

/// Something after a line's leading `}`.
fn after_closing_brace(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix('}')?;
    (!rest.trim_matches(syntax::is_blank).is_empty())
        .then(|| ("`}` の後ろには同じ行に何も書けません: 次の行から書きます".into(), "nothing may follow `}` on its line: start the next item on a new line".into()))
}

/// Something after a `{` on its line (other than the `}` of `{}`).
fn after_opening_brace(line: &str) -> Option<(String, String)> {
    let after = line[line.find('{')? + 1..].trim_matches(syntax::is_blank);
    (!after.is_empty() && !after.starts_with('}'))
        .then(|| ("`{` の後ろには同じ行に何も書けません: ブロックの中身は次の行から書きます".into(), "nothing may follow `{` on its line: a block's contents start on the next line".into()))
}

fn describe_error(line: &str) -> (String, String) {
    let shown: String = line.chars().take(40).collect();
    let shown = if line.chars().count() > 40 { format!("{shown}…") } else { shown };
    if let Some(message) = after_closing_brace(line) {
        return message;
    }
    if line.starts_with('}') {
        return ("対応する `{` のない `}` です".into(), "this `}` closes no block".into());
    }
    if line.starts_with(['|', '｜']) {
        return (
            "テキスト行 (`|` で始まる行) は、値が空のフィールド (`成果:` など) の直後にだけ書けます".into(),
            "a text line (starting with `|`) may only follow a field with an empty value (such as `成果:`)".into(),
        );
    }
    if let Some(message) = after_opening_brace(line) {
        return message;
    }
    if line.contains(['｛', '｝']) {
        return ("ブロックの括弧は半角の `{` と `}` で書きます (全角の `｛` `｝` は使えません)".into(), "block braces are the ASCII `{` and `}` (not the full-width `｛` `｝`)".into());
    }
    if line.ends_with(['{', '}']) {
        return (format!("ブロックの見出しとして読めません: `{shown}` (`種類 [ID] [名前] {{` の形式)"), format!("cannot read this block header: `{shown}` (expected `KEYWORD [ID] [TITLE] {{`)"));
    }
    if !line.contains([':', '：']) {
        return (
            format!("この行を読めません: `{shown}`。フィールドは `キー: 値`、ブロックは `種類 [ID] [名前] {{` の形式で書きます"),
            format!("cannot read this line: `{shown}`. A field is `KEY: VALUE`, a block `KEYWORD [ID] [TITLE] {{`"),
        );
    }
    (format!("この行を読めません: `{shown}`"), format!("cannot read this line: `{shown}`"))
}

fn resolve(kind: Option<BlockKind>, key: &str) -> FieldResolution {
    match schema::resolve_key(kind, key) {
        KeyResolution::Known(def) => FieldResolution::Known(def),
        KeyResolution::Misplaced(kinds) => FieldResolution::Misplaced(kinds),
        KeyResolution::Unknown => FieldResolution::Unknown,
    }
}

fn parse_value(def: &schema::FieldDef, text: &str) -> Parsed {
    let kind = def.value;
    if kind != ValueKind::Text && text.trim().is_empty() {
        return Parsed::Empty;
    }
    match kind {
        ValueKind::Text => Parsed::Text,
        ValueKind::Grade | ValueKind::IndicatorGrade | ValueKind::Level => Parsed::Symbol(value::Symbol::new(text)),
        // A range (`20〜25%`) is a target to stay within: no other value is one.
        ValueKind::Quantity => Parsed::Quantity(Box::new(value::parse_quantity(text).and_then(|q| match q {
            value::Quantity::Value(m) if m.upper.is_some() && def.key != FieldKey::Target => Err(value::ValueError::new(
                format!("`{}` は範囲です: 範囲 (`20〜25%`) は 目標 にだけ書けます ({} には1つの値を書きます)", text.trim(), def.name()),
                format!("`{}` is a range: only a 目標 may be a range (`20〜25%`); a {} is one value", text.trim(), def.name()),
            )),
            q => Ok(q),
        }))),
        ValueKind::Direction => Parsed::Direction(value::parse_direction(text).map_err(Box::new)),
    }
}

/// A field whose colon the parser had to invent.
fn missing_colon(field: Node<'_>) -> bool {
    let mut cursor = field.walk();

    field.children(&mut cursor).any(|c| c.is_missing() && matches!(Kind::of(c), Some(Kind::Colon | Kind::FullwidthColon)))
}

/// `１－１－２` → `1-1-2`.
pub fn normalize_id(raw: &str) -> String {
    nfkc(raw).chars().map(|c| if matches!(c, '‐' | '−' | '–' | '—' | 'ー' | '―') { '-' } else { c }).collect()
}
