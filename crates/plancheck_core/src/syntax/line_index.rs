//! Byte offsets to line/column positions, in the three units plancheck
//! needs: characters (Unicode scalar values, what users and the JSON output
//! see), UTF-16 code units (LSP's default) and bytes (UTF-8).

/// A 0-based line and a 0-based column in some unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// Line starts of one text, for position conversion. A line ends at `\n`;
/// a `\r` before it belongs to the line's end, not to any column a user sees.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr_newlines(text).map(|i| i + 1));
        LineIndex { line_starts, len: text.len() }
    }

    /// The index of the text after `delta` bytes were inserted (or removed,
    /// when negative) at `at`, no line end among them.
    pub fn shifted(&self, at: usize, delta: isize) -> LineIndex {
        let line_starts = self.line_starts.iter().map(|&s| if s > at { s.saturating_add_signed(delta) } else { s }).collect();
        LineIndex { line_starts, len: self.len.saturating_add_signed(delta) }
    }

    /// The byte offsets where lines start (the first is 0).
    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based line containing `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where 0-based `line` starts (clamped).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// Byte range of `line`'s content, without its `\n` or `\r\n`.
    pub fn line_span(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.line_start(line);
        let mut end = self.line_starts.get(line + 1).map_or(self.len, |next| next - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        (start, end.max(start))
    }

    /// The largest char boundary of `text` at or before `offset`.
    pub fn floor_boundary(text: &str, offset: usize) -> usize {
        floor_char_boundary(text, offset)
    }

    /// 0-based line and column counted in characters. An offset inside a
    /// multi-byte character is moved back to that character's start.
    pub fn char_position(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        LineCol { line, col: text[start..offset].chars().count() }
    }

    /// 0-based line and column counted in UTF-16 code units.
    pub fn utf16_position(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        LineCol { line, col: text[start..offset].chars().map(char::len_utf16).sum() }
    }

    /// Byte offset of a 0-based line and a column counted in characters.
    /// Columns past the line's end clamp to the end (before `\r\n`); lines
    /// past the end clamp to the end of the text.
    pub fn offset_of_char_position(&self, text: &str, pos: LineCol) -> usize {
        if pos.line >= self.line_count() {
            return self.len;
        }
        let (start, end) = self.line_span(text, pos.line);
        text[start..end].char_indices().nth(pos.col).map_or(end, |(i, _)| start + i)
    }

    /// Byte offset of a 0-based line and a column counted in UTF-16 code
    /// units. A column in the middle of a surrogate pair resolves to the
    /// start of that character.
    pub fn offset_of_utf16_position(&self, text: &str, pos: LineCol) -> usize {
        if pos.line >= self.line_count() {
            return self.len;
        }
        let (start, end) = self.line_span(text, pos.line);
        let mut units = 0;
        for (i, c) in text[start..end].char_indices() {
            let next = units + c.len_utf16();
            if next > pos.col {
                return start + i;
            }
            units = next;
        }
        end
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i)
}

/// The largest char boundary `<= offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_and_utf16_columns_differ_outside_the_bmp() {
        let text = "施策 𠮷野家\r\n指標: 5人";
        let index = LineIndex::new(text);
        let ya = text.find('野').unwrap();
        assert_eq!(index.char_position(text, ya), LineCol { line: 0, col: 4 });
        assert_eq!(index.utf16_position(text, ya), LineCol { line: 0, col: 5 });
        let five = text.find('5').unwrap();
        assert_eq!(index.char_position(text, five), LineCol { line: 1, col: 4 });
        assert_eq!(index.offset_of_utf16_position(text, LineCol { line: 0, col: 5 }), ya);
        assert_eq!(index.offset_of_char_position(text, LineCol { line: 0, col: 4 }), ya);
        // Past the end of a CRLF line: the end of its content, before \r.
        assert_eq!(index.offset_of_char_position(text, LineCol { line: 0, col: 99 }), text.find('\r').unwrap());
        // Inside a surrogate pair: the character's start.
        let kichi = text.find('𠮷').unwrap();
        assert_eq!(index.offset_of_utf16_position(text, LineCol { line: 0, col: 4 }), kichi);
        assert_eq!(index.offset_of_utf16_position(text, LineCol { line: 9, col: 0 }), text.len());
    }

    #[test]
    fn offsets_inside_a_character_move_to_its_start() {
        let text = "あい";
        let index = LineIndex::new(text);
        assert_eq!(index.char_position(text, 4), LineCol { line: 0, col: 1 });
        assert_eq!(index.char_position(text, 100), LineCol { line: 0, col: 2 });
    }
}
