//! Reading a table into a grid of cells: TSV (and the text dump of a PDF),
//! CSV, or a workbook's worksheets, one grid (a [`Page`]) each.
//!
//! Text files are read in UTF-8 (with or without a BOM), UTF-16 (with a
//! BOM, or told by its zero bytes) or Shift_JIS/CP932, what office systems
//! still write. A workbook is checked for what it is before it is opened:
//! an empty file, an old `.xls` under the `.xlsx` name (read as `.xls`), a
//! password-protected one, a damaged (cut off) one, or no workbook at all
//! (a CSV or an HTML table under the Excel name) each get their own message.

use super::ImportError;
use crate::diagnostics::Lang;
use crate::table::{OVERFLOW_MARKER, OVERFLOW_SHEET};
use std::path::Path;

/// Cells by row, as read (not trimmed). Rows may have different lengths
/// (a workbook's row ends at its last non-empty cell).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grid {
    pub rows: Vec<Vec<String>>,
    /// The sheet's merged ranges (a workbook's; none in CSV): a cell merged
    /// down its rows (a 政策 written once beside its 施策) names them all.
    pub merges: Vec<Merge>,
    /// What reading the file kept in another form (a formula without its
    /// value): passed on as the import's warnings.
    pub warnings: Vec<super::Warning>,
}

/// A merged range of cells, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: u32,
    pub first_column: u32,
    pub last_row: u32,
    pub last_column: u32,
}

impl Merge {
    /// `A4:B9` (as a sheet's XML writes it); `None` when it is not a range.
    pub fn of_ref(reference: &str) -> Option<Merge> {
        let (first, last) = reference.split_once(':')?;
        let ((first_row, first_column), (last_row, last_column)) = (parse_address(first)?, parse_address(last)?);
        let (first_row, first_column, last_row, last_column) = (first_row as u32, first_column as u32, last_row as u32, last_column as u32);
        (first_row <= last_row && first_column <= last_column).then_some(Merge { first_row, first_column, last_row, last_column })
    }

    /// Whether the range covers this cell (0-based) below its first row.
    pub fn covers_below_its_top(&self, row: u32, column: u32) -> bool {
        self.first_row < row && row <= self.last_row && (self.first_column..=self.last_column).contains(&column)
    }
}

impl Grid {
    /// Whether a cell (0-based) lies under the top of a merged range: its
    /// text is the range's, written in the range's first row.
    pub fn merged_from_above(&self, row: usize, column: usize) -> bool {
        self.merges.iter().any(|m| m.covers_below_its_top(row as u32, column as u32))
    }

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
        Grid { rows: text.lines().map(|line| line.split('\t').map(|c| cell(unguard_cell(c))).collect()).collect(), ..Grid::default() }
    }

    /// Delimited text with quoting (cells may hold line breaks), as Excel writes it.
    pub fn from_delimited(text: &str, delimiter: u8) -> Result<Grid, ImportError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut rows = Vec::new();
        // The csv reader skips blank lines; a spreadsheet shows each as an
        // empty row, and the rows below keep their numbers.
        // (Lines counted from each record's first byte: the reader's own
        // line numbers count a run of blank lines late.)
        let bytes = text.as_bytes();
        // Lines before `counted_to`, and those of them inside cells.
        let (mut counted_to, mut lines, mut in_cells) = (0usize, 0usize, 0usize);
        for record in reader.records() {
            let record = record.map_err(|e| {
                let at = e.position().map(|p| format!("line {}: ", p.line())).unwrap_or_default();
                ImportError(format!("{at}{e}"))
            })?;
            // The record's position is where the reader began it: before
            // the blank lines above it.
            if let Some(mut start) = record.position().map(|p| p.byte() as usize).filter(|&b| b >= counted_to && b <= bytes.len()) {
                while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
                    start += 1;
                }
                lines += bytes[counted_to..start].iter().filter(|&&b| b == b'\n').count();
                counted_to = start;
                while rows.len() < lines - in_cells.min(lines) {
                    rows.push(Vec::new());
                }
            }
            in_cells += record.iter().map(|c| c.matches('\n').count()).sum::<usize>();
            rows.push(record.iter().map(|c| cell(unguard_cell(c))).collect());
        }
        Ok(Grid { rows, ..Grid::default() })
    }
}

/// A CSV/TSV cell without the `'` that guards a formula character (what
/// `plancheck export` writes, and what the `'` means to a spreadsheet: text
/// follows): exactly one `'` before `=`, `+`, `-`, `@`, tab, CR, white
/// space before one of the first four (`crate::table::formula_like`), or
/// another `'` is removed; any other `'` is text.
pub fn unguard_cell(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if crate::table::formula_like(rest) || rest.starts_with('\'') => rest,
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

/// A workbook's worksheets (or a text file's one table), in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Book {
    pub pages: Vec<Page>,
    /// What reading left out or read another way (a hidden sheet, the
    /// encoding of a text file): passed on as the import's warnings.
    pub warnings: Vec<super::Warning>,
}

/// One worksheet's cells (a text file's: no name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    pub name: Option<String>,
    pub grid: Grid,
}

/// What to read of a workbook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    pub limits: WorkbookLimits,
    /// Only these sheets, by name (`--sheet`); every visible one when empty.
    pub sheets: Vec<String>,
    /// Hidden sheets too (`--include-hidden`).
    pub include_hidden: bool,
}

/// Reads a table file, by its extension: `.xlsx`/`.xlsm`/`.xls`/`.ods`
/// (the first worksheet), `.csv` (comma), `.tsv`/`.txt` (tab; quoted cells
/// are read when the file uses quotes).
pub fn read_grid(path: &Path) -> Result<Grid, ImportError> {
    read_grid_with(path, &WorkbookLimits::default())
}

/// Reads every worksheet of a workbook (the visible ones, or those
/// `options` names), or a text file's table, with messages in `lang`.
pub fn read_book_in(path: &Path, options: &ReadOptions, lang: Lang) -> Result<Book, ImportError> {
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    if matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
        return read_workbook(path, options, lang);
    }
    let mut warnings = Vec::new();
    let grid = read_text_table(path, &options.limits, lang, &mut warnings)?;
    Ok(Book { pages: vec![Page { name: None, grid }], warnings })
}

/// [`read_grid`] with other limits on workbooks (messages in English).
pub fn read_grid_with(path: &Path, limits: &WorkbookLimits) -> Result<Grid, ImportError> {
    read_grid_in(path, limits, Lang::En)
}

/// [`read_grid_with`] with its messages (errors and warnings) in `lang`:
/// a workbook's first visible worksheet.
pub fn read_grid_in(path: &Path, limits: &WorkbookLimits, lang: Lang) -> Result<Grid, ImportError> {
    let options = ReadOptions { limits: *limits, ..ReadOptions::default() };
    let mut book = read_book_in(path, &options, lang)?;
    let mut grid = book.pages.drain(..).next().map(|p| p.grid).unwrap_or_default();
    grid.warnings.splice(0..0, book.warnings);
    Ok(grid)
}

/// A CSV/TSV/TXT file's table, its encoding detected.
fn read_text_table(path: &Path, limits: &WorkbookLimits, lang: Lang, warnings: &mut Vec<super::Warning>) -> Result<Grid, ImportError> {
    let shown = path.display();
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    match extension.as_str() {
        "csv" | "tsv" | "txt" | "tab" => {
            let bytes = crate::load::read_bytes(path).map_err(|e| ImportError(e.to_string()))?;
            if bytes.is_empty() {
                return Err(ImportError(lang.pick(format!("{shown}: 空のファイルです (0 バイト)"), format!("{shown}: the file is empty (0 bytes)"))));
            }
            let (text, encoding) = decode_text(&bytes).map_err(|offset| {
                ImportError(lang.pick(
                    format!("{shown}: 文字コードを読めません ({offset} バイト目で UTF-8 としても Shift_JIS としても正しくありません)。UTF-8 で保存する (Excel: CSV UTF-8) か、.xlsx をそのまま取り込んでください"),
                    format!("{shown}: cannot tell its encoding (at byte {offset} it is neither valid UTF-8 nor Shift_JIS); save it as UTF-8 (Excel: CSV UTF-8), or import the .xlsx directly"),
                ))
            })?;
            if let Some(encoding) = encoding {
                warnings.push(super::Warning::at_file(lang.pick(format!("{encoding} のファイルとして読みました"), format!("read as {encoding}"))));
            }
            let text = text.as_str();

            // Each cell costs memory even when empty: a line of 60 million
            // commas is not a table. Counted before parsing (a delimiter
            // inside quotes counts too, which only errs on the safe side).
            let delimiter = if extension == "csv" { b',' } else { b'\t' };
            let cells = text.bytes().filter(|&b| b == delimiter || b == b'\n').count();
            if cells > limits.grid_cells {
                let line = text.bytes().scan(0usize, |count, b| {
                    *count += usize::from(b == delimiter || b == b'\n');
                    Some((*count, b))
                });
                let at = line.take_while(|(count, _)| *count <= limits.grid_cells).filter(|(_, b)| *b == b'\n').count() + 1;
                return Err(ImportError(lang.pick(
                    format!("{shown}: セルが {} を超えます ({at} 行目)。plancheck が取り込む表はそこまでです", limits.grid_cells),
                    format!("{shown}: more than {} cells (at line {at}); plancheck imports tables up to that", limits.grid_cells),
                )));
            }
            if extension == "csv" {
                Grid::from_delimited(text, b',').map_err(|e| ImportError(format!("{shown}: {e}")))
            } else if text.contains("\t\"") || text.starts_with('"') {
                Grid::from_delimited(text, b'\t').map_err(|e| ImportError(format!("{shown}: {e}")))
            } else {
                Ok(Grid::from_tsv(text))
            }
        }
        _ => Err(ImportError(lang.pick(
            format!("{shown}: `.{extension}` は表の形式として読めません (.xlsx, .csv, .tsv, .txt を使ってください)"),
            format!("{shown}: unknown table format `.{extension}` (use .xlsx, .csv, .tsv or .txt)"),
        ))),
    }
}

/// A text file's characters: UTF-8 (a BOM removed later), UTF-16 (with a
/// BOM, or without one when every other byte of its start is zero), else
/// Shift_JIS (Windows' CP932). The encoding's name when it was not UTF-8;
/// `Err(offset)` of the first byte no encoding reads.
pub fn decode_text(bytes: &[u8]) -> Result<(String, Option<&'static str>), usize> {
    use encoding_rs::{SHIFT_JIS, UTF_16BE, UTF_16LE};
    let utf16 = |encoding: &'static encoding_rs::Encoding, body: &[u8], name: &'static str| {
        encoding.decode_without_bom_handling_and_without_replacement(body).map(|t| (t.into_owned(), Some(name))).ok_or(0usize)
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => return utf16(UTF_16LE, rest, "UTF-16 (LE)"),
        [0xFE, 0xFF, rest @ ..] => return utf16(UTF_16BE, rest, "UTF-16 (BE)"),
        _ => {}
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => return Ok((text.to_string(), None)),
        Err(e) if e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4 => {
            // Cut in the middle of a character at the very end.
            return Err(e.valid_up_to());
        }
        Err(_) => {}
    }
    // UTF-16 without a BOM: ASCII text has a zero in every other byte.
    let head = &bytes[..bytes.len().min(4096) & !1];
    let zeros_at = |parity: usize| head.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    if head.len() >= 4 {
        let half = head.len() / 2;
        if zeros_at(1) * 3 > half && zeros_at(0) * 10 < half {
            return utf16(UTF_16LE, &bytes[..bytes.len() & !1], "UTF-16 (LE)");
        }
        if zeros_at(0) * 3 > half && zeros_at(1) * 10 < half {
            return utf16(UTF_16BE, &bytes[..bytes.len() & !1], "UTF-16 (BE)");
        }
    }
    if let Some(text) = SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes) {
        return Ok((text.into_owned(), Some("Shift_JIS (CP932)")));
    }
    // UTF-16 without a BOM and mostly Japanese (few zero bytes): when it
    // reads whole, with its line ends where a table has them.
    if bytes.len().is_multiple_of(2) {
        for (encoding, name) in [(UTF_16LE, "UTF-16 (LE)"), (UTF_16BE, "UTF-16 (BE)")] {
            if let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(bytes)
                && text.contains('\n')
                && !text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            {
                return Ok((text.into_owned(), Some(name)));
            }
        }
    }
    Err(std::str::from_utf8(bytes).err().map_or(0, |e| e.valid_up_to()))
}

/// How much of a workbook plancheck reads: a workbook is a zip of XML
/// files, and a small one can claim (or expand to) gigabytes, or place one
/// cell at XFD1048576 so that a dense grid would need 512 GiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkbookLimits {
    /// The largest uncompressed size one zip entry may declare (a sheet,
    /// the shared strings).
    pub entry_bytes: u64,
    /// The largest total of the declared uncompressed sizes.
    pub total_bytes: u64,
    /// The most cells a sheet's grid may hold: each row up to its last
    /// non-empty cell, and one for each row (for CSV/TSV: its delimiters
    /// and line breaks).
    pub grid_cells: usize,
    /// The longest text one cell of a workbook may hold, in bytes (UTF-8).
    /// Excel's own limit is 32,767 characters (96 KiB of Japanese), and
    /// `plancheck export` puts a longer cell's text in the sheet `続き` in
    /// pieces under that limit: a cell of more is from neither, and a few
    /// kilobytes of zip can expand to one of 100 MiB.
    pub cell_bytes: usize,
    /// The most text the cells of a workbook may hold in all (the sheet and
    /// `続き`), in bytes: a `.plan` longer than `load::MAX_FILE_BYTES` could
    /// not be checked.
    pub text_bytes: usize,
}

impl Default for WorkbookLimits {
    fn default() -> Self {
        WorkbookLimits { entry_bytes: 128 << 20, total_bytes: 256 << 20, grid_cells: 4 << 20, cell_bytes: 1 << 20, text_bytes: crate::load::MAX_FILE_BYTES as usize }
    }
}

/// Refuses a zip (`.xlsx`, `.xlsm`, `.xlsb`, `.ods`) whose central
/// directory declares an entry or a total larger than `limits`, before any
/// of it is decompressed. An entry that decompresses to more than it
/// declares is refused while it is read (the zip reader stops one byte
/// past the declared size), so the declared sizes bound what is read.
pub fn check_zip_sizes(path: &Path, limits: &WorkbookLimits) -> Result<(), ImportError> {
    check_zip_sizes_in(path, limits, Lang::En)
}

fn check_zip_sizes_in(path: &Path, limits: &WorkbookLimits, lang: Lang) -> Result<(), ImportError> {
    let shown = path.display();
    let unreadable = |e: &dyn std::fmt::Display| ImportError(lang.pick(format!("{shown}: ブック (zip) として読めません: {e}"), format!("{shown}: not a readable workbook (zip): {e}")));
    let file = std::fs::File::open(path).map_err(|e| ImportError(format!("{shown}: {e}")))?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| unreadable(&e))?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| unreadable(&e))?;
        let size = entry.size();
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_else(|_| format!("#{i}"));
        if size > limits.entry_bytes {
            return Err(ImportError(lang.pick(
                format!(
                    "{shown}: 部品 `{name}` は展開すると {} MiB になります。plancheck が読むブックの部品は {} MiB までです (これほど大きなシートは計画ではありません。zip 爆弾かもしれません)",
                    size >> 20,
                    limits.entry_bytes >> 20
                ),
                format!(
                    "{shown}: its part `{name}` would expand to {} MiB; plancheck reads workbook parts up to {} MiB (a sheet this large is not a plan; it may be a zip bomb)",
                    size >> 20,
                    limits.entry_bytes >> 20
                ),
            )));
        }
        total = total.saturating_add(size);
        if total > limits.total_bytes {
            return Err(ImportError(lang.pick(
                format!("{shown}: 部品を展開すると合わせて {} MiB を超えます (`{name}` で)。plancheck が読むブックはそこまでです (zip 爆弾かもしれません)", limits.total_bytes >> 20),
                format!("{shown}: its parts would expand to more than {} MiB in all (at `{name}`); plancheck reads workbooks up to that (it may be a zip bomb)", limits.total_bytes >> 20),
            )));
        }
    }
    Ok(())
}

/// Whether an `.xlsx`'s cached formula values were calculated when it was
/// saved: `xl/workbook.xml` does not ask to recalculate every formula on
/// loading (`<calcPr fullCalcOnLoad="1"/>`, what generators that do not
/// calculate write). Its size was checked with the others.
fn calculated_when_saved(path: &Path) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else { return true };
    let Ok(mut archive) = zip::ZipArchive::new(std::io::BufReader::new(file)) else { return true };
    let Ok(entry) = archive.by_name("xl/workbook.xml") else { return true };
    let mut xml = String::new();
    if entry.take(64 << 20).read_to_string(&mut xml).is_err() {
        return true;
    }
    !(xml.contains("fullCalcOnLoad=\"1\"") || xml.contains("fullCalcOnLoad=\"true\""))
}

/// What a file that should be a workbook is, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Zip,
    /// An OLE compound file: an `.xls`, or an encrypted (password-protected) `.xlsx`.
    Compound {
        encrypted: bool,
    },
    Empty,
    Text,
    Other,
}

fn sniff(path: &Path) -> Result<Container, ImportError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| ImportError(format!("{}: {e}", path.display())))?;
    let mut head = Vec::new();
    file.take(1 << 20).read_to_end(&mut head).map_err(|e| ImportError(format!("{}: {e}", path.display())))?;
    Ok(match head.as_slice() {
        [] => Container::Empty,
        [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] => Container::Zip,
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, ..] => {
            // An encrypted OOXML package is a compound file with these streams.
            let name: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
            Container::Compound { encrypted: head.windows(name.len()).any(|w| w == name.as_slice()) }
        }
        bytes if decode_text(&bytes[..bytes.len().min(4096)]).is_ok() && !bytes.iter().take(4096).any(|&b| b == 0 && bytes[0] != 0xFF && bytes[0] != 0xFE) => Container::Text,
        _ => Container::Other,
    })
}

/// The message for a file that is not the workbook its name says.
fn not_a_workbook(path: &Path, container: Container, lang: Lang) -> Option<ImportError> {
    let shown = path.display();
    let message = match container {
        Container::Empty => lang.pick(
            format!("{shown}: 空のファイルです (0 バイト)。保存し直すか、元のファイルをもう一度コピーしてください"),
            format!("{shown}: the file is empty (0 bytes); save it again, or copy the original once more"),
        ),
        Container::Compound { encrypted: true } => lang.pick(
            format!("{shown}: パスワードで保護されたブックです。Excel で開いてパスワードを外し (ファイル > 情報 > ブックの保護 > パスワードを使用して暗号化 を空に)、保存してから取り込んでください"),
            format!(
                "{shown}: the workbook is password-protected; open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, left empty), save it and import it again"
            ),
        ),
        Container::Text => lang.pick(
            format!("{shown}: ブックではなく文字のファイルです (CSV や HTML の表が Excel の名前で保存されています)。拡張子を .csv にするか、Excel で開いて .xlsx として保存してください"),
            format!("{shown}: not a workbook but a text file (a CSV or HTML table saved under an Excel name); rename it to .csv, or open it in Excel and save it as .xlsx"),
        ),
        Container::Other => lang.pick(
            format!("{shown}: ブックではありません (Excel のファイルの形をしていません)。Excel で開けるか確かめ、.xlsx として保存し直してください"),
            format!("{shown}: not a workbook (it does not have the form of an Excel file); check that Excel opens it, and save it again as .xlsx"),
        ),
        Container::Zip | Container::Compound { encrypted: false } => return None,
    };
    Some(ImportError(message))
}

/// Whether a zip's central directory can be read; the message for a
/// damaged (cut off) workbook if not.
fn damaged(path: &Path, lang: Lang) -> Option<ImportError> {
    let file = std::fs::File::open(path).ok()?;
    zip::ZipArchive::new(std::io::BufReader::new(file)).err()?;
    let shown = path.display();
    Some(ImportError(lang.pick(
        format!("{shown}: ブックが壊れています (zip の目録が読めません: 途中で切れたファイルかもしれません)。元のファイルをもう一度コピーするか、Excel で開いて保存し直してください"),
        format!("{shown}: the workbook is damaged (its zip directory cannot be read: the file may have been cut off); copy the original again, or open it in Excel and save it again"),
    )))
}

fn read_workbook(path: &Path, options: &ReadOptions, lang: Lang) -> Result<Book, ImportError> {
    use calamine::{Reader, open_workbook_auto};
    let shown = path.display();
    let limits = &options.limits;
    // Only a regular file of bounded size (never a FIFO or a device).
    crate::load::open_regular(path).map_err(|e| ImportError(e.to_string()))?;
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    let container = sniff(path)?;
    if let Some(error) = not_a_workbook(path, container, lang) {
        return Err(error);
    }
    let mut warnings = Vec::new();
    // An old `.xls` under another name: read as what it is.
    let extension = match (container, extension.as_str()) {
        (Container::Compound { .. }, "xls") => extension,
        (Container::Compound { .. }, _) => {
            warnings.push(super::Warning::at_file(lang.pick(
                format!("このファイルは古い Excel 97-2003 形式 (.xls) です (名前は .{extension})。.xls として読みました"),
                format!("this file is an old Excel 97-2003 workbook (.xls) under the name .{extension}; read as .xls"),
            )));
            "xls".to_string()
        }
        (Container::Zip, "xls") => {
            warnings.push(super::Warning::at_file(
                lang.pick("このファイルは .xlsx 形式です (名前は .xls)。.xlsx として読みました".to_string(), "this file is an .xlsx workbook under the name .xls; read as .xlsx".to_string()),
            ));
            "xlsx".to_string()
        }
        _ => extension,
    };
    if extension != "xls" {
        if let Some(error) = damaged(path, lang) {
            return Err(error);
        }
        check_zip_sizes_in(path, limits, lang)?;
    }
    let open_error = |e: &dyn std::fmt::Display| ImportError(lang.pick(format!("{shown}: ブックを開けません: {e}"), format!("{shown}: cannot open the workbook: {e}")));
    let sheet_error = |name: &str, e: &dyn std::fmt::Display| ImportError(lang.pick(format!("{shown}: シート `{name}`: {e}"), format!("{shown}: worksheet `{name}`: {e}")));
    // .xlsx/.xlsm: cell by cell from the sheet's XML (never a dense range),
    // with the formulas; .xlsb record by record. .xls and .ods through
    // calamine's range (bounded by the formats' 65,536 × 256 cells and
    // calamine's cap of 10^8 cells).
    let mut text_left = limits.text_bytes;
    let mut read: Vec<(String, Vec<SheetCell>)> = Vec::new();
    let mut merges: std::collections::HashMap<String, Vec<Merge>> = std::collections::HashMap::new();
    let mut overflow = Vec::new();
    let chosen = |metadata: &[calamine::Sheet], warnings: &mut Vec<super::Warning>| -> Result<Vec<String>, ImportError> { choose_sheets(path, metadata, options, lang, warnings) };
    if matches!(extension.as_str(), "xlsx" | "xlsm") {
        let calculated = calculated_when_saved(path);
        // Hidden rows and columns (the part sizes were checked above).
        // And the merged ranges, always; and the findings sheets
        // `check --annotate` added (known by their part, not their name).
        let (layouts, findings_sheets) = match std::fs::File::open(path).ok().and_then(|f| zip::ZipArchive::new(std::io::BufReader::new(f)).ok()) {
            Some(mut zip) => super::hidden::layouts_by_sheet(&mut zip, limits.entry_bytes),
            _ => Default::default(),
        };
        let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(path).map_err(|e| open_error(&e))?;
        let metadata = workbook.sheets_metadata().to_vec();
        let metadata: Vec<calamine::Sheet> = metadata
            .into_iter()
            .filter(|m| {
                let ours = findings_sheets.contains(&m.name) && options.sheets.is_empty();
                if ours {
                    warnings.push(super::Warning::at_file(lang.pick(
                        format!("シート `{}` は plancheck check --annotate が書いた指摘の一覧なので取り込みません", m.name),
                        format!("sheet `{}` is the list of findings plancheck check --annotate wrote, and is not imported", m.name),
                    )));
                }
                !ours
            })
            .collect();
        for name in chosen(&metadata, &mut warnings)? {
            let mut cells = xlsx_cells(&mut workbook, &name, limits, lang, &mut text_left, calculated).map_err(|e| e.in_sheet(&shown, &name, lang))?;
            // The findings sheet of a copy saved again by another program
            // (its part renamed): its name and its headings, as written.
            if options.sheets.is_empty() && is_findings_sheet(&name, &cells) {
                warnings.push(super::Warning::at_file(lang.pick(
                    format!("シート `{name}` は plancheck check --annotate が書いた指摘の一覧なので取り込みません"),
                    format!("sheet `{name}` is the list of findings plancheck check --annotate wrote, and is not imported"),
                )));
                continue;
            }
            let layout = layouts.get(&name);
            if let Some(hidden) = layout.filter(|_| !options.include_hidden) {
                leave_out_hidden(&name, &mut cells, hidden, lang, &mut warnings);
            }
            merges.insert(name.clone(), layout.map(|l| l.merges.clone()).unwrap_or_default());
            read.push((name, cells));
        }
        if metadata.iter().any(|m| m.name == OVERFLOW_SHEET) {
            overflow = xlsx_cells(&mut workbook, OVERFLOW_SHEET, limits, lang, &mut text_left, calculated).map_err(|e| e.in_sheet(&shown, OVERFLOW_SHEET, lang))?;
        }
    } else if extension == "xlsb" {
        let mut workbook: calamine::Xlsb<_> = calamine::open_workbook(path).map_err(|e| open_error(&e))?;
        let metadata = workbook.sheets_metadata().to_vec();
        for name in chosen(&metadata, &mut warnings)? {
            let cells = xlsb_cells(&mut workbook, &name, limits, lang, &mut text_left).map_err(|e| e.in_sheet(&shown, &name, lang))?;
            read.push((name, cells));
        }
        if metadata.iter().any(|m| m.name == OVERFLOW_SHEET) {
            overflow = xlsb_cells(&mut workbook, OVERFLOW_SHEET, limits, lang, &mut text_left).map_err(|e| e.in_sheet(&shown, OVERFLOW_SHEET, lang))?;
        }
    } else {
        let mut workbook = if extension == "xls" { calamine::Sheets::Xls(calamine::open_workbook(path).map_err(|e| open_error(&e))?) } else { open_workbook_auto(path).map_err(|e| open_error(&e))? };
        let metadata = workbook.sheets_metadata().to_vec();
        let mut read_sheet = |sheet: &str| -> Result<Vec<SheetCell>, ImportError> {
            let range = workbook.worksheet_range(sheet).map_err(|e| sheet_error(sheet, &e))?;
            let formulas = workbook.worksheet_formula(sheet).ok();
            let mut cells = CellLimit::new(limits, lang, text_left);
            for (r, c, value) in range.used_cells() {
                let (r, c) = (range.start().map_or(0, |s| s.0) + r as u32, range.start().map_or(0, |s| s.1) + c as u32);
                let formula = formulas.as_ref().and_then(|f| f.get_value((r, c))).filter(|f| !f.is_empty()).cloned();
                cells.push(r, c, value.clone(), formula).map_err(|e| e.in_sheet(&shown, sheet, lang))?;
            }
            text_left = cells.text_left;
            Ok(cells.cells)
        };
        for name in chosen(&metadata, &mut warnings)? {
            let cells = read_sheet(&name)?;
            read.push((name, cells));
        }
        if metadata.iter().any(|m| m.name == OVERFLOW_SHEET) {
            overflow = read_sheet(OVERFLOW_SHEET)?;
        }
        // An .xls's merged ranges (calamine reads none from .ods).
        if let calamine::Sheets::Xls(xls) = &workbook {
            for (name, _) in &read {
                let of = |d: &calamine::Dimensions| Merge { first_row: d.start.0, first_column: d.start.1, last_row: d.end.0, last_column: d.end.1 };
                merges.insert(name.clone(), xls.merge_cells_by_sheet_name(name).unwrap_or_default().iter().map(of).collect());
            }
        }
    }
    let mut pages = Vec::new();
    for (name, mut cells) in read {
        let mut formulas = Vec::new();
        for cell in cells.iter().filter(|c| c.unrendered.is_some()) {
            let format = cell.unrendered.as_deref().unwrap_or_default();
            formulas.push(super::Warning {
                sheet: Some(name.clone()),
                row: cell.row as usize + 1,
                column: cell.column as usize + 1,
                message: lang.pick(
                    format!("表示形式 `{format}` で数値を表示できないため、値 `{}` のまま読みました (シートの見た目と違うかもしれません)", cell.text),
                    format!("its value cannot be shown in the number format `{format}`: read as the value `{}` (it may differ from what the sheet shows)", cell.text),
                ),
            });
        }
        for cell in cells.iter().filter(|c| c.kept_formula) {
            formulas.push(super::Warning {
                sheet: Some(name.clone()),
                row: cell.row as usize + 1,
                column: cell.column as usize + 1,
                message: lang.pick(
                    format!("この数式には計算された値がありません (ブックが計算せずに保存されました)。数式をそのまま文字として残します: `{}`", super::one_line(&cell.text)),
                    format!("this formula has no computed value (the workbook was saved without calculating it); its formula is kept as the text: `{}`", super::one_line(&cell.text)),
                ),
            });
        }
        let mut grid = grid_of(&mut cells, limits, lang).map_err(|e| e.in_sheet(&shown, &name, lang))?;
        grid.warnings = formulas;
        grid.merges = merges.remove(&name).unwrap_or_default();
        pages.push(Page { name: Some(name), grid });
    }
    // Cells over Excel's limit that `plancheck export` cut (in its one
    // sheet): their whole text.
    if !overflow.is_empty()
        && let Some(first) = pages.first_mut()
    {
        let records = grid_of(&mut overflow, limits, lang).map_err(|e| e.in_sheet(&shown, OVERFLOW_SHEET, lang))?;
        first.grid.restore_overflow(&records.rows);
    }
    Ok(Book { pages, warnings })
}

/// A sheet named as `check --annotate` names its findings sheet whose first
/// row is that sheet's headings.
fn is_findings_sheet(name: &str, cells: &[SheetCell]) -> bool {
    let findings = crate::table::FINDINGS_SHEET;
    let named = name == findings || name.strip_prefix(findings).is_some_and(|rest| rest.starts_with(" ("));
    let first_row: Vec<&str> = cells.iter().filter(|c| c.row == 0).map(|c| c.text.trim()).collect();
    named && crate::table::FINDINGS_HEADINGS.iter().any(|h| first_row == h)
}

/// Leaves out the cells of hidden rows and columns, saying which (never
/// their text: a hidden column holds what is not to be published).
fn leave_out_hidden(sheet: &str, cells: &mut Vec<SheetCell>, hidden: &super::hidden::Hidden, lang: Lang, warnings: &mut Vec<super::Warning>) {
    let before = cells.len();
    let mut columns = std::collections::BTreeSet::new();
    let mut rows = std::collections::BTreeSet::new();
    cells.retain(|c| {
        if hidden.columns.contains(&c.column) {
            columns.insert(c.column);
            false
        } else if hidden.rows.contains(&c.row) {
            rows.insert(c.row);
            false
        } else {
            true
        }
    });
    let left_out = before - cells.len();
    if left_out == 0 {
        return;
    }
    let columns: Vec<String> = columns.iter().map(|&c| crate::table::column_letters(c as usize)).collect();
    let rows: Vec<String> = rows.iter().map(|r| (r + 1).to_string()).collect();
    let (ja, en) = match (columns.is_empty(), rows.is_empty()) {
        (false, true) => (format!("非表示の列 {}", columns.join(", ")), format!("hidden column(s) {}", columns.join(", "))),
        (true, false) => (format!("非表示の行 {}", rows.join(", ")), format!("hidden row(s) {}", rows.join(", "))),
        _ => (format!("非表示の列 {} と行 {}", columns.join(", "), rows.join(", ")), format!("hidden column(s) {} and row(s) {}", columns.join(", "), rows.join(", "))),
    };
    warnings.push(super::Warning::at_file(lang.pick(
        format!("シート `{sheet}` の{ja}のセル ({left_out} 個) は取り込みません (取り込むには --include-hidden)"),
        format!("sheet `{sheet}`: the {left_out} cell(s) of its {en} are not imported (--include-hidden imports them)"),
    )));
}

/// The sheets to read, in the workbook's order: those named by `--sheet`
/// (every one must exist), else every worksheet but the overflow sheet;
/// hidden ones left out with a warning unless `include_hidden`; chart
/// sheets never (they have no cells).
fn choose_sheets(path: &Path, metadata: &[calamine::Sheet], options: &ReadOptions, lang: Lang, warnings: &mut Vec<super::Warning>) -> Result<Vec<String>, ImportError> {
    let shown = path.display();
    let listed = || metadata.iter().map(|m| format!("`{}`", m.name)).collect::<Vec<_>>().join(", ");
    if metadata.is_empty() {
        return Err(ImportError(lang.pick(format!("{shown}: ブックにシートがありません"), format!("{shown}: the workbook has no worksheet"))));
    }
    for wanted in &options.sheets {
        if !metadata.iter().any(|m| &m.name == wanted) {
            return Err(ImportError(lang.pick(
                format!("{shown}: シート `{wanted}` はありません (このブックのシート: {})", listed()),
                format!("{shown}: there is no sheet `{wanted}` (this workbook's sheets: {})", listed()),
            )));
        }
    }
    let mut chosen = Vec::new();
    for sheet in metadata {
        if sheet.name == OVERFLOW_SHEET || !options.sheets.is_empty() && !options.sheets.contains(&sheet.name) {
            continue;
        }
        if sheet.typ != calamine::SheetType::WorkSheet {
            continue;
        }
        if sheet.visible != calamine::SheetVisible::Visible && !options.include_hidden && options.sheets.is_empty() {
            warnings.push(super::Warning::at_file(lang.pick(
                format!("シート `{}` は非表示なので取り込みません (取り込むには --include-hidden)", sheet.name),
                format!("sheet `{}` is hidden and is not imported (--include-hidden imports it)", sheet.name),
            )));
            continue;
        }
        chosen.push(sheet.name.clone());
    }
    if chosen.is_empty() {
        return Err(ImportError(lang.pick(
            format!("{shown}: 取り込むシートがありません (どのシートも非表示です: {})。--include-hidden で非表示のシートも取り込めます", listed()),
            format!("{shown}: no sheet to import (every sheet is hidden: {}); --include-hidden imports hidden sheets too", listed()),
        )));
    }
    Ok(chosen)
}

/// A non-empty cell of a sheet, 0-based.
struct SheetCell {
    row: u32,
    column: u32,
    text: String,
    /// A formula without a cached value, kept as its text (`=SUM(A1:A3)`).
    kept_formula: bool,
    /// A number format the cell's value could not be shown in (kept as
    /// its value, and said).
    unrendered: Option<String>,
}

/// Why a sheet was refused, before the file and sheet are known.
struct SheetError(String);

impl SheetError {
    fn in_sheet(self, shown: &std::path::Display<'_>, sheet: &str, lang: Lang) -> ImportError {
        ImportError(lang.pick(format!("{shown}: シート `{sheet}`: {}", self.0), format!("{shown}: worksheet `{sheet}`: {}", self.0)))
    }
}

impl From<calamine::XlsxError> for SheetError {
    fn from(e: calamine::XlsxError) -> Self {
        SheetError(e.to_string())
    }
}

/// The non-empty cells of a sheet, at most as many as the grid may hold,
/// each and all together at most as long as the limits say.
struct CellLimit {
    cells: Vec<SheetCell>,
    most: usize,
    cell_bytes: usize,
    text_bytes: usize,
    lang: Lang,
    /// Whether a formula's cached empty string is its value (the workbook
    /// was calculated when saved), not a placeholder.
    empty_is_value: bool,
    /// The text the workbook's cells may still hold (shared by its sheets).
    text_left: usize,
}

impl CellLimit {
    fn new(limits: &WorkbookLimits, lang: Lang, text_left: usize) -> Self {
        CellLimit { cells: Vec::new(), most: limits.grid_cells, cell_bytes: limits.cell_bytes, text_bytes: limits.text_bytes, lang, empty_is_value: true, text_left }
    }

    /// A cell's text within the limits, checked before anything else reads it.
    fn check_text(&mut self, row: u32, column: u32, len: usize) -> Result<(), SheetError> {
        if len > self.cell_bytes {
            return Err(SheetError(self.lang.pick(
                format!(
                    "セル {} の文字は {} あります。plancheck が取り込むセルは {} までです (Excel 自体の上限は 32,767 文字で、`plancheck export` はそれより長い文をシート `{OVERFLOW_SHEET}` に分けて書きます)",
                    address(row, column),
                    size(len),
                    size(self.cell_bytes)
                ),
                format!(
                    "cell {} holds {} of text; plancheck imports cells up to {} (Excel's own limit is 32,767 characters, and `plancheck export` writes longer texts in pieces in the sheet `{OVERFLOW_SHEET}`)",
                    address(row, column),
                    size(len),
                    size(self.cell_bytes)
                ),
            )));
        }
        match self.text_left.checked_sub(len) {
            Some(left) => self.text_left = left,
            None => {
                return Err(SheetError(self.lang.pick(
                    format!("セルの文字が計画に書ける量を超えます (セル {} で、合わせて {} を超えます)。plancheck が検査する計画はそこまでです", address(row, column), size(self.text_bytes)),
                    format!("its cells hold more text than a plan may (at cell {}: more than {} in all); plancheck checks plans up to that", address(row, column), size(self.text_bytes)),
                )));
            }
        }
        Ok(())
    }

    fn push(&mut self, row: u32, column: u32, value: calamine::Data, formula: Option<String>) -> Result<(), SheetError> {
        self.push_formatted(row, column, value, formula, None)
    }

    /// [`CellLimit::push`] of a cell whose number format is `format`: a
    /// number is the text the format shows (`55.4%`, `5,900件`); one the
    /// format cannot be rendered for keeps its value, noted in `unrendered`.
    fn push_formatted(&mut self, row: u32, column: u32, value: calamine::Data, formula: Option<String>, format: Option<&str>) -> Result<(), SheetError> {
        let raw = match &value {
            calamine::Data::String(s) | calamine::Data::DateTimeIso(s) | calamine::Data::DurationIso(s) => s.len(),
            _ => 0,
        };
        self.check_text(row, column, raw.max(formula.as_ref().map_or(0, String::len)))?;
        let number = match &value {
            calamine::Data::Float(f) => Some(*f),
            calamine::Data::Int(i) => Some(*i as f64),
            calamine::Data::DateTime(d) => Some(d.as_f64()),
            _ => None,
        };
        let mut unrendered = None;
        let shown = match (number, format.filter(|f| !f.is_empty() && !f.eq_ignore_ascii_case("general"))) {
            (Some(number), Some(format)) => {
                let shown = super::numfmt::display(number, format);
                if shown.is_none() {
                    unrendered = Some(format.to_string());
                }
                shown
            }
            _ => None,
        };
        let mut text = shown.map(|t| self::cell(&t)).unwrap_or_else(|| data_text(&value));
        let mut kept_formula = false;
        // A cached empty string (`<v></v>` of a `str` formula, `=""`) is a
        // computed value, the cell empty as the sheet shows it, when the
        // workbook was calculated when saved (as Excel saves); generators
        // that do not calculate write the same for every formula.
        let uncomputed = match &value {
            calamine::Data::Empty => true,
            calamine::Data::String(s) => s.is_empty() && !self.empty_is_value,
            _ => false,
        };
        if uncomputed && let Some(formula) = formula.filter(|f| !f.trim().is_empty()) {
            // Saved without calculating (as many generators write): the
            // formula is what the cell says.
            text = self::cell(&format!("={}", formula.trim_start_matches('=')));
            kept_formula = true;
        }
        if text.trim().is_empty() {
            return Ok(());
        }
        if self.cells.len() >= self.most {
            return Err(SheetError(self.lang.pick(
                format!("空でないセルが {} を超えます (セル {} で)。plancheck が取り込むシートはそこまでです", self.most, address(row, column)),
                format!("more than {} non-empty cells (at cell {}); plancheck imports sheets up to that", self.most, address(row, column)),
            )));
        }
        self.cells.push(SheetCell { row, column, text, kept_formula, unrendered });
        Ok(())
    }
}

/// The non-empty cells of an `.xlsx` sheet with their formulas, read from
/// its XML one at a time.
fn xlsx_cells<RS: std::io::Read + std::io::Seek>(
    workbook: &mut calamine::Xlsx<RS>,
    sheet: &str,
    limits: &WorkbookLimits,
    lang: Lang,
    text_left: &mut usize,
    calculated: bool,
) -> Result<Vec<SheetCell>, SheetError> {
    // The number formats, to show each number as the sheet does.
    let styles = workbook.worksheet_style(sheet).ok();
    let mut reader = workbook.worksheet_cells_reader(sheet)?;
    let mut cells = CellLimit::new(limits, lang, *text_left);
    cells.empty_is_value = calculated;
    while let Some(cell) = reader.next_cell_with_formula()? {
        let (row, column) = cell.pos;
        let format = styles.as_ref().and_then(|s| s.get((row, column))).and_then(|s| s.number_format.as_ref()).map(|f| f.format_code.as_str());
        cells.push_formatted(row, column, cell.value.into(), cell.formula, format)?;
    }
    *text_left = cells.text_left;
    Ok(cells.cells)
}

/// The non-empty cells of an `.xlsb` sheet, read one record at a time
/// (Excel, the only writer of `.xlsb`, saves formulas with their values).
fn xlsb_cells<RS: std::io::Read + std::io::Seek>(workbook: &mut calamine::Xlsb<RS>, sheet: &str, limits: &WorkbookLimits, lang: Lang, text_left: &mut usize) -> Result<Vec<SheetCell>, SheetError> {
    let mut reader = workbook.worksheet_cells_reader(sheet)?;
    let mut cells = CellLimit::new(limits, lang, *text_left);
    while let Some(cell) = reader.next_cell()? {
        let (row, column) = cell.get_position();
        cells.push(row, column, cell.get_value().clone().into(), None)?;
    }
    *text_left = cells.text_left;
    Ok(cells.cells)
}

impl From<calamine::XlsbError> for SheetError {
    fn from(e: calamine::XlsbError) -> Self {
        SheetError(e.to_string())
    }
}

/// The grid of `cells`: each row as long as its last non-empty cell, so it
/// is sized by the cells, not by the sheet's range; refused when that is
/// more than `limits.grid_cells` (naming the cell where it would be).
fn grid_of(cells: &mut [SheetCell], limits: &WorkbookLimits, lang: Lang) -> Result<Grid, SheetError> {
    cells.sort_by_key(|c| (c.row, c.column));
    // Each row's length is its last cell's column + 1; the grid also holds
    // one (empty) row for each row up to the last.
    let mut size = cells.last().map_or(0, |c| c.row as usize + 1);
    for (i, cell) in cells.iter().enumerate() {
        let last_in_row = cells.get(i + 1).is_none_or(|next| next.row != cell.row);
        if last_in_row {
            size = size.saturating_add(cell.column as usize + 1);
        }
        if size > limits.grid_cells {
            return Err(SheetError(lang.pick(
                format!(
                    "セルが広がりすぎていて取り込めません (セル {} で、各行の最後のセルまでの空のセルも数えて {} を超えます)。表を左上に移すか、表から遠く離れたセルを消してください",
                    address(cell.row, cell.column),
                    limits.grid_cells
                ),
                format!(
                    "its cells are spread too far to import (at cell {}: more than {} cells counting the empty ones before each row's last cell); move the table to the top left, or delete stray cells far from it",
                    address(cell.row, cell.column),
                    limits.grid_cells
                ),
            )));
        }
    }
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); cells.last().map_or(0, |c| c.row as usize + 1)];
    for cell in cells.iter_mut() {
        let row = &mut rows[cell.row as usize];
        if row.len() <= cell.column as usize {
            row.resize(cell.column as usize + 1, String::new());
        }
        row[cell.column as usize] = std::mem::take(&mut cell.text);
    }
    Ok(Grid { rows, ..Grid::default() })
}

/// A cell's value as text.
fn data_text(value: &calamine::Data) -> String {
    use calamine::Data;
    match value {
        Data::Empty => String::new(),
        Data::String(s) => self::cell(s),
        Data::Float(f) => format_number(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        // As the sheet shows it: `#DIV/0!`, `#N/A`, `#VALUE!`.
        Data::Error(e) => e.to_string(),
    }
}

/// A size in bytes as people read it: `100 MiB`, `1 MiB`, `512 KiB`.
fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// `(0, 0)` → `A1`.
fn address(row: u32, column: u32) -> String {
    format!("{}{}", crate::table::column_letters(column as usize), row as u64 + 1)
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
/// `H6` → (5, 7), 0-based (row, column).
pub fn parse_cell_address(address: &str) -> Option<(usize, usize)> {
    parse_address(address)
}

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

    /// A blank line is an empty row, as a spreadsheet shows it: the rows
    /// below keep their numbers, after a cell of several lines too.
    #[test]
    fn blank_lines_of_a_csv_are_empty_rows() {
        let grid = Grid::from_delimited("title\r\n\r\nh1,h2\r\n\"a\r\nb\",c\r\n\r\n\r\nlast,x\r\n", b',').unwrap();
        let rows: Vec<Vec<&str>> = grid.rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
        assert_eq!(rows, [vec!["title"], vec![], vec!["h1", "h2"], vec!["a\nb", "c"], vec![], vec![], vec!["last", "x"]]);
    }

    #[test]
    fn merged_ranges_are_read_from_their_reference() {
        assert_eq!(Merge::of_ref("B4:C9"), Some(Merge { first_row: 3, first_column: 1, last_row: 8, last_column: 2 }));
        assert_eq!(Merge::of_ref("C9:B4"), None);
        assert_eq!(Merge::of_ref("B4"), None);
        let grid = Grid { merges: vec![Merge::of_ref("A4:A6").unwrap()], ..Grid::default() };
        assert!(!grid.merged_from_above(3, 0) && grid.merged_from_above(4, 0) && grid.merged_from_above(5, 0) && !grid.merged_from_above(6, 0) && !grid.merged_from_above(4, 1));
    }
}
