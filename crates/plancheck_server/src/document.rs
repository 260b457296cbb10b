//! An open document: its text (a `String` for the parser and a `Rope` for
//! position conversion), its incrementally maintained tree-sitter tree, and
//! its version. Positions are LSP positions in the negotiated encoding.

use std::sync::{Arc, Mutex, OnceLock};

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range};
use tree_sitter::{InputEdit, Point, Tree};

use crate::model::{Document, Edit};

/// The position encoding negotiated with the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

pub struct OpenDocument {
    pub text: String,
    pub rope: Rope,
    pub tree: Tree,
    pub version: i32,
    /// The model of this text, built once per edit and shared by the
    /// analysis and every request until the next edit. Behind an `Arc` so
    /// the analysis can build it outside the server's lock.
    model: ModelCell,
    /// The model of the text before the last change, and that change (one
    /// edit), when that model had been built: the model of this text is
    /// then patched from it where the edit allows (typing inside a value;
    /// see `model::Document::patched`). Taken by whoever builds the model.
    base: Mutex<Option<(Arc<Document>, Edit)>>,
}

/// A model not built yet, or built once: whoever asks first builds it, the
/// others wait for that and share it.
pub type ModelCell = Arc<OnceLock<Arc<Document>>>;

impl OpenDocument {
    pub fn new(text: String, version: i32) -> Self {
        let tree = crate::syntax::parse(if too_large(&text) { "" } else { &text });
        let rope = Rope::from_str(&text);
        OpenDocument { text, rope, tree, version, model: ModelCell::default(), base: Mutex::default() }
    }

    /// Over [`crate::load::MAX_FILE_BYTES`], as `check` refuses on disk: the
    /// text is kept (edits still apply) but not parsed or checked.
    pub fn too_large(&self) -> bool {
        too_large(&self.text)
    }

    /// The model of the current text (`name` is the path shown in findings).
    pub fn model(&self, name: &str) -> Arc<Document> {
        self.model.get_or_init(|| Arc::new(build_model(name.to_string(), &self.text, self.tree.clone(), self.take_base()))).clone()
    }

    fn take_base(&self) -> Option<(Arc<Document>, Edit)> {
        self.base.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take()
    }

    /// What it takes to build the model away from the document (and away
    /// from the lock that guards it): the cell, and a builder that fills it.
    pub fn model_job(&self, name: String) -> impl FnOnce() -> Arc<Document> + Send + 'static {
        let cell = self.model.clone();
        let built = match cell.get() {
            Some(model) => Ok(model.clone()),
            None if self.too_large() => Ok(Arc::new(build_model(name.clone(), &self.text, self.tree.clone(), None))),
            None => Err((self.text.clone(), self.tree.clone(), self.take_base())),
        };
        move || match built {
            Ok(model) => model,
            Err((text, tree, base)) => cell.get_or_init(|| Arc::new(model_of(name, text, tree, base))).clone(),
        }
    }

    /// Byte offset of an LSP position; positions past a line's end clamp to
    /// it, lines past the end to the end of the text, and a column inside a
    /// character (a UTF-16 surrogate pair, a UTF-8 sequence) to its start.
    pub fn offset(&self, position: Position, encoding: Encoding) -> usize {
        let rope = &self.rope;
        let line = position.line as usize;
        if line >= rope.len_lines() {
            return self.text.len();
        }
        let line_start_char = rope.line_to_char(line);
        let line_slice = rope.line(line);
        // The line's content, without its line break.
        let mut content_chars = line_slice.len_chars();
        while content_chars > 0 && matches!(line_slice.char(content_chars - 1), '\n' | '\r') {
            content_chars -= 1;
        }
        let col = position.character as usize;
        let char_in_line = match encoding {
            Encoding::Utf16 => {
                let content_cu = line_slice.char_to_utf16_cu(content_chars);
                if col >= content_cu { content_chars } else { line_slice.utf16_cu_to_char(col) }
            }
            Encoding::Utf8 => {
                let content_bytes = line_slice.char_to_byte(content_chars);
                if col >= content_bytes { content_chars } else { line_slice.byte_to_char(col) }
            }
        };
        rope.char_to_byte(line_start_char + char_in_line)
    }

    /// The LSP position of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize, encoding: Encoding) -> Position {
        position_of(&self.text, &self.rope, offset, encoding)
    }

    pub fn range(&self, span: crate::syntax::Span, encoding: Encoding) -> Range {
        Range { start: self.position(span.start, encoding), end: self.position(span.end, encoding) }
    }

    /// The positions of the ends of `spans`, computed together.
    pub fn positions<'a>(&self, spans: impl IntoIterator<Item = &'a crate::syntax::Span>, encoding: Encoding) -> PositionMap {
        PositionMap::new(&self.text, &self.rope, spans.into_iter().flat_map(|s| [s.start, s.end]).collect(), encoding)
    }

    /// Applies one content change (a range and its replacement, or the whole
    /// text), against the text the previous change produced, and updates
    /// the tree incrementally.
    pub fn apply(&mut self, range: Option<Range>, new_text: &str, encoding: Encoding) {
        // The model of the text before this change, if it was built.
        let before = self.model.get().cloned();
        self.model = ModelCell::default();
        *self.base.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
        let Some(range) = range else {
            *self = OpenDocument::new(new_text.to_string(), self.version);
            return;
        };
        let mut start = self.offset(range.start, encoding);
        let mut end = self.offset(range.end, encoding);
        if end < start {
            std::mem::swap(&mut start, &mut end);
        }
        // Tree positions of the edit, for the incremental parse (not for a
        // text over the limit, which is not parsed).
        let old_points = (!self.too_large()).then(|| (point_at(&self.text, start), point_at(&self.text, end)));
        self.text.replace_range(start..end, new_text);
        let start_char = self.rope.byte_to_char(start);
        let end_char = self.rope.byte_to_char(end);
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, new_text);
        if self.too_large() {
            self.tree = crate::syntax::parse("");
            return;
        }
        let Some((start_position, old_end_position)) = old_points else {
            // Back under the limit: parse it whole.
            self.tree = crate::syntax::parse(&self.text);
            return;
        };
        let new_end = start + new_text.len();
        let new_end_position = point_at(&self.text, new_end);
        self.tree.edit(&InputEdit { start_byte: start, old_end_byte: end, new_end_byte: new_end, start_position, old_end_position, new_end_position });
        let mut parser = crate::syntax::parser();
        let tree = parser.parse(&self.text, Some(&self.tree)).unwrap_or_else(|| crate::syntax::parse(&self.text));
        if let Some(before) = before {
            let changed = self.tree.changed_ranges(&tree).map(|r| r.start_byte..r.end_byte).collect();
            *self.base.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some((before, Edit { start, old_end: end, new_end, changed }));
        }
        self.tree = tree;
    }
}

fn too_large(text: &str) -> bool {
    text.len() as u64 > crate::load::MAX_FILE_BYTES
}

/// The model of `text`, or, for a text over the size limit, an empty model
/// whose one syntax error says why it is not checked.
fn build_model(name: String, text: &str, tree: Tree, base: Option<(Arc<Document>, Edit)>) -> Document {
    if !too_large(text) {
        return model_of(name, text.to_string(), tree, base);
    }
    let mut doc = Document::parse(name, String::new());
    let (mib, limit) = (text.len() >> 20, crate::load::MAX_FILE_BYTES >> 20);
    doc.syntax_errors.push(crate::model::SyntaxError {
        span: crate::syntax::Span::new(0, 0),
        ja: format!("このファイルは {mib} MiB あり、検査できる上限 ({limit} MiB) を超えています。正しいファイルですか？ (市全体の計画でも 1 MB 未満です)"),
        en: format!("this file is {mib} MiB, over the {limit} MiB plancheck checks; is it the right file? (a whole city's plan is under 1 MB)"),
        fix: None,
    });
    doc
}

/// The model of `text`: patched from the model before the last edit where
/// that edit allows, else built whole.
fn model_of(name: String, text: String, tree: Tree, base: Option<(Arc<Document>, Edit)>) -> Document {
    match base {
        Some((before, edit)) if before.path == name => match before.patched(&edit, text, tree) {
            Ok(model) => model,
            Err((text, tree)) => Document::with_tree(name, text, tree),
        },
        _ => Document::with_tree(name, text, tree),
    }
}

/// The LSP position of a byte offset in `text` (with `rope` its rope),
/// clamped to the text and moved back to a character boundary.
pub fn position_of(text: &str, rope: &Rope, offset: usize, encoding: Encoding) -> Position {
    let offset = crate::syntax::LineIndex::floor_boundary(text, offset.min(text.len()));
    let char_idx = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_idx);
    let character = match encoding {
        Encoding::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(rope.line_to_char(line)),
        Encoding::Utf8 => offset - rope.line_to_byte(line),
    };
    Position { line: line as u32, character: character as u32 }
}

/// The LSP positions of `offsets` (sorted) in `text` (with `rope` its
/// rope), as [`position_of`] gives them: each one near the one before (at
/// most [`SWEEP_GAP`] bytes on) by scanning on from it, the others through
/// the rope. Many offsets cost about one pass over the text, few cost a
/// rope search each.
pub fn positions_of(text: &str, rope: &Rope, offsets: &[usize], encoding: Encoding) -> Vec<Position> {
    sweep(text, rope, offsets, encoding).0
}

/// [`positions_of`], and how many rope searches and scanned bytes it took.
fn sweep(text: &str, rope: &Rope, offsets: &[usize], encoding: Encoding) -> (Vec<Position>, usize, usize) {
    let bytes = text.as_bytes();
    let (mut searches, mut scanned) = (0, 0);
    let mut out = Vec::with_capacity(offsets.len());
    let mut at: Option<(usize, Position)> = None;
    for &offset in offsets {
        let offset = crate::syntax::LineIndex::floor_boundary(text, offset.min(text.len()));
        let position = match at {
            Some((from, mut position)) if from <= offset && offset - from <= SWEEP_GAP => {
                scanned += offset - from;
                for (i, c) in text[from..offset].char_indices() {
                    // Line breaks as the rope counts them (`cr_lines`): `\n`, `\r\n`, a lone `\r`.
                    if c == '\n' || (c == '\r' && bytes.get(from + i + 1) != Some(&b'\n')) {
                        position.line += 1;
                        position.character = 0;
                    } else {
                        position.character += match encoding {
                            Encoding::Utf16 => c.len_utf16(),
                            Encoding::Utf8 => c.len_utf8(),
                        } as u32;
                    }
                }
                position
            }
            _ => {
                searches += 1;
                position_of(text, rope, offset, encoding)
            }
        };
        out.push(position);
        at = Some((offset, position));
    }
    (out, searches, scanned)
}

/// See [`positions_of`].
const SWEEP_GAP: usize = 4096;

/// The LSP positions of a set of byte offsets in one text, computed
/// together (see [`positions_of`]): for the places of many findings,
/// blocks or fields at once.
pub struct PositionMap {
    offsets: Vec<usize>,
    positions: Vec<Position>,
}

impl PositionMap {
    pub fn new(text: &str, rope: &Rope, mut offsets: Vec<usize>, encoding: Encoding) -> PositionMap {
        offsets.sort_unstable();
        offsets.dedup();
        let positions = positions_of(text, rope, &offsets, encoding);
        PositionMap { offsets, positions }
    }

    /// The position of an offset given to [`PositionMap::new`] (others: the start).
    pub fn position(&self, offset: usize) -> Position {
        self.offsets.binary_search(&offset).map_or(Position::default(), |i| self.positions[i])
    }

    pub fn range(&self, span: crate::syntax::Span) -> Range {
        Range { start: self.position(span.start), end: self.position(span.end) }
    }
}

/// Tree-sitter's point (row by `\n`, column in bytes) of a byte offset.
fn point_at(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let column = offset - before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    Point { row, column }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn a_document_over_the_size_limit_is_kept_but_not_checked() {
        let limit = crate::load::MAX_FILE_BYTES as usize;
        let mut text = "施策 1-1-1 a {\n  全体評価: A\n}\n".to_string();
        text.push_str(&"#".repeat(limit + 1 - text.len() + 1));
        let mut doc = OpenDocument::new(text, 1);
        assert!(doc.too_large());
        assert_eq!(doc.tree.root_node().end_byte(), 0, "not parsed");
        let model = doc.model("big.plan");
        assert_eq!(model.syntax_errors.len(), 1);
        assert!(model.syntax_errors[0].ja.contains("64 MiB"), "{}", model.syntax_errors[0].ja);
        // Edits still apply; back under the limit, the whole text is parsed.
        doc.apply(Some(Range { start: pos(3, 0), end: pos(3, 10) }), "", Encoding::Utf16);
        assert!(!doc.too_large());
        assert!(doc.text.starts_with("施策 1-1-1 a {"));
        assert_eq!(doc.tree.root_node().end_byte(), doc.text.len());
        let model = doc.model("big.plan");
        assert!(model.syntax_errors.is_empty(), "{:?}", model.syntax_errors);
        assert_eq!(model.blocks.len(), 1);
    }

    #[test]
    fn utf16_and_utf8_positions_round_trip_over_cjk_and_astral_text() {
        let doc = OpenDocument::new("施策 𠮷野家 {\r\n  全体評価: 😀B\n}".to_string(), 1);
        let ya = doc.text.find('野').unwrap();
        assert_eq!(doc.position(ya, Encoding::Utf16), pos(0, 5));
        assert_eq!(doc.position(ya, Encoding::Utf8), pos(0, 11));
        assert_eq!(doc.offset(pos(0, 5), Encoding::Utf16), ya);
        assert_eq!(doc.offset(pos(0, 11), Encoding::Utf8), ya);
        // Inside the surrogate pair of 𠮷: the character's start.
        assert_eq!(doc.offset(pos(0, 4), Encoding::Utf16), doc.text.find('𠮷').unwrap());
        let b = doc.text.find('B').unwrap();
        assert_eq!(doc.position(b, Encoding::Utf16), pos(1, 10));
        assert_eq!(doc.offset(pos(1, 10), Encoding::Utf16), b);
        // Past the end of a CRLF line: before the \r.
        assert_eq!(doc.offset(pos(0, 99), Encoding::Utf16), doc.text.find('\r').unwrap());
        assert_eq!(doc.offset(pos(9, 0), Encoding::Utf16), doc.text.len());
    }

    #[test]
    fn positions_in_one_sweep_equal_positions_one_by_one() {
        let mut text = String::new();
        for i in 0..300 {
            text.push_str(["施策 𠮷 {\r\n", "  a: b\n", "x\ry\n", "\r\r\n", "😀😀\r"][i % 5]);
        }
        text.push_str(&"長".repeat(3000)); // a long last line: offsets far apart go through the rope
        text.push('\n');
        let rope = Rope::from_str(&text);
        let offsets: Vec<usize> = (0..=text.len() + 2).step_by(3).chain([text.len() - 1, text.len() + 5]).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            let swept = positions_of(&text, &rope, &offsets, encoding);
            for (&offset, position) in offsets.iter().zip(&swept) {
                assert_eq!(*position, position_of(&text, &rope, offset, encoding), "offset {offset}");
            }
            // Work: at most one pass over the text, a rope search per gap over the limit.
            let (_, searches, scanned) = sweep(&text, &rope, &offsets, encoding);
            assert!(scanned <= text.len(), "{scanned}");
            assert!(searches <= text.len() / SWEEP_GAP + 2, "{searches}");
            let sparse = [0, text.len() / 2, text.len()];
            let swept = positions_of(&text, &rope, &sparse, encoding);
            assert_eq!(swept, sparse.map(|o| position_of(&text, &rope, o, encoding)));
        }
    }

    #[test]
    fn incremental_edits_match_a_fresh_parse() {
        let mut doc = OpenDocument::new("施策 1-1-1 健康 {\n  全体評価: A\n}\n".to_string(), 1);
        doc.apply(Some(Range { start: pos(1, 6), end: pos(1, 9) }), "：Ｂ\n  代表課: 健康づくり課", Encoding::Utf16);
        assert_eq!(doc.text, "施策 1-1-1 健康 {\n  全体評価：Ｂ\n  代表課: 健康づくり課\n}\n");
        assert_eq!(doc.rope.to_string(), doc.text);
        assert_eq!(doc.tree.root_node().to_sexp(), crate::syntax::parse(&doc.text).root_node().to_sexp());
    }
}
