//! The model after one small edit, from the model before it: the language
//! server's fast path for typing inside a value.
//!
//! Most keystrokes change one field's value on one line (a digit of `実績`,
//! a word of `成果`). Re-modelling a whole 5 MB document for each costs
//! tens of milliseconds; this path rebuilds only that field from the new
//! tree and moves every other span by the edit's length. It applies only
//! when the edit provably changes nothing else:
//!
//! - no line end is removed or inserted;
//! - the edit lies inside one field's value (an inline value, or the content
//!   of one `|` line), after the key, so the key and the field's kind stay;
//! - in the new tree that field is a well-formed `field` node outside any
//!   region the parser gave up on, ending where it ended (or, edited on its
//!   last line, on that line), and tree-sitter's changed ranges lie on the
//!   edited line, after the field's start;
//! - the line has no syntax error, and the value neither is nor becomes
//!   empty or ends with a colon (what the next line's error message reads);
//! - no other span starts or ends inside the edited range.
//!
//! Otherwise it returns `None` and the caller models the text whole. The
//! result equals a whole build of the new text: `tests/properties.rs`
//! checks that on random edits.

use super::build::field_of;
use super::prose::Prose;
use super::*;
use crate::syntax::Kind;
use tree_sitter::{Node, Tree};

/// One edit of a text: the bytes `start..old_end` replaced by the bytes
/// `start..new_end` of the new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
    /// Byte ranges of the new text whose syntax changed (tree-sitter's
    /// `Tree::changed_ranges` of the edited old tree and the new one).
    pub changed: Vec<std::ops::Range<usize>>,
}

impl Document {
    /// The model of `text` (this document's text after `edit`, parsed into
    /// `tree`) when the edit stays inside one value; see the module docs.
    pub fn patched(&self, edit: &Edit, text: String, tree: Tree) -> Result<Document, (String, Tree)> {
        match plan(self, edit, &text, &tree) {
            Some(plan) => Ok(apply(self, edit, plan, text, tree)),
            None => Err((text, tree)),
        }
    }
}

impl Document {
    /// Everything the model holds but the tree, in a comparable form: what
    /// the tests and the fuzz target compare a patched model with.
    #[doc(hidden)]
    pub fn dump(&self) -> String {
        let prose: Vec<_> = self.prose().iter().map(|p| (p.block, p.def.key, p.span, p.normalized.clone(), p.chars)).collect();
        format!(
            "blocks {:#?}\nroots {:?}\ntop {:#?}\nerrors {:#?}\nallows {:?}\nfile allows {:?}\nmalformed {:?}\ncomments {:?}\nlines {:?}\nprose {:#?}",
            self.blocks,
            self.roots,
            self.top_fields,
            self.syntax_errors,
            self.allows,
            self.file_allows,
            self.malformed_directives,
            self.comments,
            self.line_index.line_starts(),
            prose
        )
    }
}

/// What the patch replaces: the field (its block, its index) and its new
/// form.
struct Plan {
    owner: Option<BlockId>,
    index: usize,
    field: Field,
}

fn plan(old: &Document, edit: &Edit, text: &str, tree: &Tree) -> Option<Plan> {
    // A document read with a guessed structure is read again whole.
    if !old.guessed.is_empty() {
        return None;
    }
    let (a, b) = (edit.start, edit.old_end);
    let delta = edit.new_end as isize - b as isize;
    if b < a || edit.new_end < a || text.len() as isize != old.text.len() as isize + delta {
        return None;
    }
    let (removed, inserted) = (old.text.get(a..b)?, text.get(a..edit.new_end)?);
    if removed.contains(['\n', '\r']) || inserted.contains(['\n', '\r']) {
        return None;
    }
    // The edit is on one line, inside a field's value.
    let line = old.line_index.line_of(a);
    let (line_start, line_end) = old.line_index.line_span(&old.text, line);
    if b > line_end {
        return None;
    }
    let (owner, index) = field_at(old, a, b, (line_start, line_end))?;
    let field = match owner {
        Some(block) => &old.blocks[block].fields[index],
        None => &old.top_fields[index],
    };
    let inside =
        if field.text_lines.is_empty() { !field.text.is_empty() && field.value_span.start <= a } else { field.text_lines.iter().any(|t| t.start <= a && t.start >= line_start && t.start <= line_end) };
    if !inside || old.syntax_errors.iter().any(|e| e.span.start <= line_end && e.span.end >= line_start) {
        return None;
    }
    // The new tree agrees: the same field node, well formed, on the same
    // line, and everything that changed is on that line.
    let new_line_end = line_end.saturating_add_signed(delta);
    let old_node = field_node(old.tree.as_ref()?, field.span.start)?;
    let new_node = field_node(tree, field.span.start)?;
    let (old_end, new_end) = (old_node.end_byte(), new_node.end_byte());
    // It ends where it ended (moved), or, edited on its last line, on that line.
    let same_end = new_end as isize == old_end as isize + delta || (old_end <= line_end + 1 && new_end <= new_line_end + 1);
    if old_node.has_error() || new_node.has_error() || !same_end {
        return None;
    }
    if edit.changed.iter().any(|r| r.start < new_node.start_byte() || r.end > new_line_end + 1) {
        return None;
    }
    let line_index = old.line_index.shifted(a, delta);
    let context = owner.map_or(FieldContext::TopLevel, |block| FieldContext::in_block(old.blocks[block].kind));
    let new_field = field_of(text, &line_index, new_node, context);
    let colon_end = |f: &Field| f.text_lines.is_empty() && (f.text.is_empty() || f.text.ends_with([':', '：']));
    if new_field.key_text != field.key_text || new_field.span.start != field.span.start || colon_end(field) || colon_end(&new_field) {
        return None;
    }
    Some(Plan { owner, index, field: new_field })
}

/// The innermost field whose line holds `a..b` after its start (the edit's
/// line is `line_start..line_end`): its block (`None` at top level) and its index
/// there.
fn field_at(doc: &Document, a: usize, b: usize, (line_start, line_end): (usize, usize)) -> Option<(Option<BlockId>, usize)> {
    let holds = |span: Span| span.start < a && b <= span.end;
    // A field's span ends at its text; the edit may extend it (trailing
    // blanks, then more text).
    let field_holds = |span: Span| span.start < a && (b <= span.end || (line_start <= span.end && span.end <= line_end));
    if let Some(index) = doc.top_fields.iter().position(|f| field_holds(f.span)) {
        return Some((None, index));
    }
    // Blocks are in source order at every level: descend by position.
    let mut level = &doc.roots;
    let mut inner = None;
    loop {
        let next = level.partition_point(|&id| doc.blocks[id].span.start < a);
        let Some(&id) = next.checked_sub(1).and_then(|i| level.get(i)) else { break };
        if !holds(doc.blocks[id].span) {
            break;
        }
        inner = Some(id);
        level = &doc.blocks[id].children;
    }
    let block = inner?;
    let index = doc.blocks[block].fields.iter().position(|f| field_holds(f.span))?;
    Some((Some(block), index))
}

/// The `field` node starting at `at`, unless it is inside an ERROR (error
/// recovery reads such fields its own way).
fn field_node(tree: &Tree, at: usize) -> Option<Node<'_>> {
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        if node.is_error() {
            return None;
        }
        if Kind::of(node) == Some(Kind::Field) && node.start_byte() == at {
            return Some(node);
        }
        cursor.goto_first_child_for_byte(at)?;
    }
}

/// Moves offsets after the edit by its length. An offset inside the edited
/// range (or at its edge) cannot be placed: the patch is then abandoned.
struct Shift {
    start: usize,
    old_end: usize,
    delta: isize,
    placed: bool,
}

impl Shift {
    fn at(&mut self, offset: usize) -> usize {
        if offset < self.start {
            offset
        } else if offset > self.old_end {
            offset.saturating_add_signed(self.delta)
        } else {
            self.placed = false;
            offset
        }
    }
    fn span(&mut self, span: Span) -> Span {
        Span::new(self.at(span.start), self.at(span.end))
    }
    fn spanned<T: Clone>(&mut self, s: &Spanned<T>) -> Spanned<T> {
        Spanned { value: s.value.clone(), span: self.span(s.span) }
    }
    fn field(&mut self, f: &Field) -> Field {
        Field {
            key_text: self.spanned(&f.key_text),
            resolution: f.resolution.clone(),
            text: f.text.clone(),
            value_span: self.span(f.value_span),
            text_lines: f.text_lines.iter().map(|&t| self.span(t)).collect(),
            span: self.span(f.span),
            parsed: f.parsed.clone(),
        }
    }
    fn allow(&mut self, allow: &Allow, old_field: Span, new_field: Span) -> Allow {
        Allow {
            directive: self.span(allow.directive),
            rules: allow.rules.iter().map(|r| self.spanned(r)).collect(),
            scope: allow.scope.map(|scope| if scope == old_field { new_field } else { self.span(scope) }),
        }
    }
}

fn apply(old: &Document, edit: &Edit, plan: Plan, text: String, tree: Tree) -> Document {
    let delta = edit.new_end as isize - edit.old_end as isize;
    let mut shift = Shift { start: edit.start, old_end: edit.old_end, delta, placed: true };
    let old_field = match plan.owner {
        Some(block) => &old.blocks[block].fields[plan.index],
        None => &old.top_fields[plan.index],
    };
    let (old_span, new_span, old_value) = (old_field.span, plan.field.span, old_field.value_span);
    let mut new_field = Some(plan.field);
    let mut fields = |shift: &mut Shift, owner: Option<BlockId>, fields: &[Field]| -> Vec<Field> {
        fields.iter().enumerate().map(|(i, f)| if owner == plan.owner && i == plan.index { new_field.take().expect("one field replaced") } else { shift.field(f) }).collect()
    };
    let top_fields = fields(&mut shift, None, &old.top_fields);
    let blocks = old
        .blocks
        .iter()
        .enumerate()
        .map(|(id, b)| Block {
            kind: b.kind,
            keyword: shift.spanned(&b.keyword),
            id: b.id.as_ref().map(|s| shift.spanned(s)),
            title: b.title.as_ref().map(|s| shift.spanned(s)),
            header: shift.span(b.header),
            span: shift.span(b.span),
            parent: b.parent,
            children: b.children.clone(),
            fields: fields(&mut shift, Some(id), &b.fields),
            closed: b.closed,
        })
        .collect::<Vec<_>>();
    let whole_file = (Span::new(0, old.text.len()), Span::new(0, text.len()));
    let syntax_errors =
        old.syntax_errors.iter().map(|e| SyntaxError { span: shift.span(e.span), ja: e.ja.clone(), en: e.en.clone(), fix: e.fix.as_ref().map(|(s, t)| (shift.span(*s), t.clone())) }).collect();
    let allows = old.allows.iter().map(|a| shift.allow(a, old_span, new_span)).collect();
    let file_allows = old.file_allows.iter().map(|a| shift.allow(a, whole_file.0, whole_file.1)).collect();
    let malformed_directives = old.malformed_directives.iter().map(|&s| shift.span(s)).collect();
    let comments = old.comments.iter().map(|&s| shift.span(s)).collect();
    let line_index = old.line_index.shifted(edit.start, delta);
    let doc = Document {
        path: old.path.clone(),
        text,
        line_index,
        tree: Some(tree),
        blocks,
        roots: old.roots.clone(),
        top_fields,
        syntax_errors,
        allows,
        file_allows,
        malformed_directives,
        comments,
        prose: Default::default(),
        guessed: Vec::new(),
    };
    // The prose, when the old document had it: moved, and the edited
    // field's read again.
    if let Some(prose) = old.prose.get() {
        let edited = match plan.owner {
            Some(block) => &doc.blocks[block].fields[plan.index],
            None => &doc.top_fields[plan.index],
        };
        let moved = prose.iter().filter_map(|p| if p.span == old_value && p.block == plan.owner { Prose::of(plan.owner, edited) } else { Some(p.moved(shift.span(p.span))) }).collect();
        let _ = doc.prose.set(moved);
    }
    if !shift.placed {
        // A span at the edge of the edit: the whole build decides.
        return match doc.tree {
            Some(tree) => Document::with_tree(doc.path, doc.text, tree),
            None => Document::parse(doc.path, doc.text),
        };
    }
    doc
}
