//! Reading a table into a grid of cells: TSV (and the text dump of a PDF),
//! CSV, or the first worksheet of an `.xlsx`.

use super::ImportError;
use crate::table::{OVERFLOW_MARKER, OVERFLOW_SHEET};
use std::path::Path;

/// Cells by row, as read (not trimmed). Rows may have different lengths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grid {
    pub rows: Vec<Vec<String>>,
}

impl Grid {
    /// Every cell with text (not only white space), as (row, column),
    /// 1-based, in reading order: what an import must place.
    pub fn non_empty_cells(&self) -> Vec<(usize, usize)> {
        let mut cells = Vec::new();
        for (r, row) in self.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.trim().is_empty() {
                    cells.push((r + 1, c + 1));
                }
            }
        }
        cells
    }

    /// Tab-separated text, one row per line (a PDF dump, or TSV without quoting).
    pub fn from_tsv(text: &str) -> Grid {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Grid { rows: text.lines().map(|line| line.split('\t').map(|c| cell(unguard_cell(c))).collect()).collect() }
    }

    /// Delimited text with quoting (cells may hold line breaks), as Excel writes it.
    pub fn from_delimited(text: &str, delimiter: u8) -> Result<Grid, ImportError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let at = e.position().map(|p| format!("line {}: ", p.line())).unwrap_or_default();
                ImportError(format!("{at}{e}"))
            })?;
            rows.push(record.iter().map(|c| cell(unguard_cell(c))).collect());
        }
        Ok(Grid { rows })
    }
}

/// A CSV/TSV cell without the `'` that guards a formula character (what
/// `plancheck export` writes, and what the `'` means to a spreadsheet: text
/// follows): exactly one `'` before `=`, `+`, `-`, `@`, tab, CR or another
/// `'` is removed; any other `'` is text.
pub fn unguard_cell(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(crate::table::FORMULA_STARTS) || rest.starts_with('\'') => rest,
        _ => text,
    }
}

/// A cell's text with its line breaks as `\n` (a lone CR, as old Mac
/// Excel writes, would otherwise end a line of the `.plan` text), and the
/// other control characters (NUL, vertical tab, form feed, ... pasted from
/// other systems; a `.plan` cannot hold them) as their visible Unicode
/// pictures (`␀`, `␋`, `␌`): nothing is dropped, and the line says what
/// was there.
fn cell(text: &str) -> String {
    let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_string() };
    if !text.contains(is_control) {
        return text;
    }
    text.chars()
        .map(|c| match c {
            '\u{0}'..='\u{1f}' if is_control(c) => char::from_u32(0x2400 + c as u32).unwrap_or(c),
            '\u{7f}' => '\u{2421}',
            c => c,
        })
        .collect()
}

/// Control characters other than tab and line feed.
fn is_control(c: char) -> bool {
    (c.is_ascii_control() && c != '\t' && c != '\n') || c == '\u{7f}'
}

/// Reads a table file, by its extension: `.xlsx`/`.xlsm`/`.xls`/`.ods`
/// (the first worksheet), `.csv` (comma), `.tsv`/`.txt` (tab; quoted cells
/// are read when the file uses quotes).
pub fn read_grid(path: &Path) -> Result<Grid, ImportError> {
    let shown = path.display();
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    match extension.as_str() {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => read_workbook(path),
        "csv" | "tsv" | "txt" | "tab" => {
            let bytes = crate::load::read_bytes(path).map_err(|e| ImportError(e.to_string()))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                let offset = e.utf8_error().valid_up_to();
                ImportError(format!("{shown}: not UTF-8 (byte {offset}); save it as UTF-8 (Excel: CSV UTF-8), or import the .xlsx directly"))
            })?;
            if extension == "csv" {
                Grid::from_delimited(&text, b',').map_err(|e| ImportError(format!("{shown}: {e}")))
            } else if text.contains("\t\"") || text.starts_with('"') {
                Grid::from_delimited(&text, b'\t').map_err(|e| ImportError(format!("{shown}: {e}")))
            } else {
                Ok(Grid::from_tsv(&text))
            }
        }
        _ => Err(ImportError(format!("{shown}: unknown table format `.{extension}` (use .xlsx, .csv, .tsv or .txt)"))),
    }
}

fn read_workbook(path: &Path) -> Result<Grid, ImportError> {
    use calamine::{Data, Reader, open_workbook_auto};
    let shown = path.display();
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() > crate::load::MAX_FILE_BYTES
    {
        return Err(ImportError(format!("{shown}: is {} MiB; plancheck imports workbooks up to {} MiB", meta.len() >> 20, crate::load::MAX_FILE_BYTES >> 20)));
    }
    let mut workbook = open_workbook_auto(path).map_err(|e| ImportError(format!("{shown}: cannot open the workbook: {e}")))?;
    let Some(name) = workbook.sheet_names().first().cloned() else {
        return Err(ImportError(format!("{shown}: the workbook has no worksheet")));
    };
    let range = workbook.worksheet_range(&name).map_err(|e| ImportError(format!("{shown}: worksheet `{name}`: {e}")))?;
    // Cells are placed by their absolute position (the used range may not start at A1).
    let (top, left) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let mut rows = vec![Vec::new(); top];
    for row in range.rows() {
        let mut cells = vec![String::new(); left];
        cells.extend(row.iter().map(|cell| match cell {
            Data::Empty => String::new(),
            Data::String(s) => self::cell(s),
            Data::Float(f) => format_number(*f),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(d) => d.to_string(),
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Error(e) => format!("#{e:?}"),
        }));
        rows.push(cells);
    }
    let mut grid = Grid { rows };
    // Cells over Excel's limit that `plancheck export` cut: their whole text.
    if workbook.sheet_names().iter().any(|n| n == OVERFLOW_SHEET)
        && let Ok(overflow) = workbook.worksheet_range(OVERFLOW_SHEET)
    {
        let records: Vec<Vec<String>> = overflow.rows().map(|row| row.iter().map(|c| if let Data::String(s) = c { self::cell(s) } else { String::new() }).collect()).collect();
        grid.restore_overflow(&records);
    }
    Ok(grid)
}

impl Grid {
    /// Puts back the cells `plancheck export` cut: each record of the
    /// overflow sheet is the cell's address (`E12`), what it is, and its
    /// text in pieces; a cell is replaced only if it ends with the marker.
    fn restore_overflow(&mut self, records: &[Vec<String>]) {
        for record in records {
            let Some((row, column)) = record.first().and_then(|a| parse_address(a)) else { continue };
            let Some(cell) = self.rows.get_mut(row).and_then(|r| r.get_mut(column)) else { continue };
            if cell.ends_with(OVERFLOW_MARKER) {
                *cell = record.iter().skip(2).map(String::as_str).collect();
            }
        }
    }
}

/// `E12` → (11, 4), 0-based.
fn parse_address(address: &str) -> Option<(usize, usize)> {
    let split = address.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = address.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let column = letters.bytes().fold(0usize, |n, b| n * 26 + (b - b'A' + 1) as usize) - 1;
    let row: usize = digits.parse().ok()?;
    Some((row.checked_sub(1)?, column))
}

/// A number cell as its shortest exact text (`5900`, `32.6`).
fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 { format!("{}", f as i64) } else { format!("{f}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_cells_become_visible_pictures() {
        let grid = Grid::from_delimited("\"目標\u{0}\",\"55人(R4年\u{b}\u{3})\",\"a\r\nb\tc\u{7f}\"\n", b',').unwrap();
        assert_eq!(grid.rows[0], ["目標␀", "55人(R4年␋␃)", "a\nb\tc␡"]);
        assert_eq!(Grid::from_tsv("x\u{c}\ty").rows[0], ["x␌", "y"]);
    }
}
