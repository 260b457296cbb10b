//! `plancheck export`: a plan as JSON (a versioned schema), CSV/TSV or
//! `.xlsx` in the official table layout. What goes in is the sheet
//! (`crate::sheet`), so every format carries the same content.

use crate::sheet::Sheet;
use crate::table::{Column, FORMULA_STARTS, OVERFLOW_MARKER, OVERFLOW_SHEET, Table, formula_like};
use schemars::JsonSchema;
use serde::Serialize;

/// The version of the JSON export's shape; bumped on any incompatible change.
pub const JSON_VERSION: u32 = 1;

/// The JSON export: `{"format": "plancheck-export", "version": 1, ...sheet}`.
#[derive(Serialize, JsonSchema)]
pub struct JsonExport<'a> {
    /// Always `plancheck-export`.
    pub format: &'static str,
    /// The shape's version (1).
    pub version: u32,
    #[serde(flatten)]
    pub sheet: &'a Sheet,
}

pub fn to_json(sheet: &Sheet) -> String {
    let export = JsonExport { format: "plancheck-export", version: JSON_VERSION, sheet };
    serde_json::to_string_pretty(&export).expect("a sheet serialises") + "\n"
}

/// The JSON Schema of the export (`schema/export-v1.schema.json`).
pub fn json_schema() -> String {
    let mut schema = schemars::schema_for!(JsonExport<'static>);
    schema.insert("$id".into(), serde_json::json!(format!("{}export-v1.schema.json", plancheck_linter::diagnostics::SCHEMA_URL)));
    schema.insert("title".into(), serde_json::json!("plancheck export, version 1"));
    serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n"
}

/// CSV (or TSV with `delimiter = b'\t'`), UTF-8 with a byte order mark so
/// that Excel reads the Japanese text as UTF-8. Cells that a spreadsheet
/// would run as a formula are guarded by a leading `'` (see [`guard_cell`]).
/// The 計画 block's rows come first, then an empty row, then the table.
pub fn to_csv(table: &Table, delimiter: u8) -> String {
    let mut writer = csv::WriterBuilder::new().delimiter(delimiter).terminator(csv::Terminator::CRLF).flexible(true).from_writer(Vec::new());
    for cell in &table.plan_rows {
        writer.write_record([guard_cell(cell).as_bytes()]).expect("writing to memory");
    }
    if !table.plan_rows.is_empty() {
        writer.write_record([""]).expect("writing to memory");
    }
    for row in std::iter::once(&table.headers).chain(&table.rows) {
        let guarded: Vec<std::borrow::Cow<'_, str>> = row.iter().map(|c| guard_cell(c)).collect();
        writer.write_record(guarded.iter().map(|c| c.as_bytes())).expect("writing to memory");
    }
    let bytes = writer.into_inner().expect("writing to memory");
    let mut out = String::from('\u{feff}');
    out.push_str(&String::from_utf8(bytes).expect("the cells are UTF-8"));
    out
}

/// A cell as CSV/TSV export writes it: with a `'` in front (Excel's text
/// prefix, OWASP's advice against CSV injection) when it starts with a
/// formula character, or with white space before one (`\n=cmd`: a text
/// whose first line is empty; see [`crate::table::formula_like`]), so
/// `=HYPERLINK(…)` or `@SUM(…)` stays text. Not
/// guarded, since no spreadsheet runs them: a lone `-` (the format's "not
/// obtainable") and a plain number (`-5`, `-5%`, `+1,234.5`). A cell that
/// already starts with `'` before a formula character or another `'` gets
/// one more, so that [`crate::import::grid::unguard_cell`] (which removes
/// exactly one) gives back what was written.
pub fn guard_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let rest = cell.strip_prefix('\'');
    let guard = match rest {
        Some(rest) => formula_like(rest) || rest.starts_with('\''),
        None if cell.starts_with(FORMULA_STARTS) => cell != "-" && !is_plain_number(cell),
        // White space (a line break) before a formula character.
        None => {
            formula_like(cell) && {
                let shown = cell.trim_start();
                shown != "-" && !is_plain_number(shown)
            }
        }
    };
    if guard { format!("'{cell}").into() } else { cell.into() }
}

/// `-5`, `+12.5%`, `-1,234`: a sign, digits (with commas), an optional
/// fraction and percent sign, nothing else.
fn is_plain_number(cell: &str) -> bool {
    let body = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let body = body.strip_suffix('%').unwrap_or(body);
    let (whole, fraction) = body.split_once('.').unwrap_or((body, "0"));
    !whole.is_empty()
        && whole.starts_with(|c: char| c.is_ascii_digit())
        && whole.chars().all(|c| c.is_ascii_digit() || c == ',')
        && !fraction.is_empty()
        && fraction.chars().all(|c| c.is_ascii_digit())
}

/// Excel's limit on a cell's text, in UTF-16 code units.
pub const XLSX_CELL_LIMIT: usize = 32_767;

/// Cells over Excel's limit: the cell keeps its beginning and
/// [`OVERFLOW_MARKER`]; the sheet [`OVERFLOW_SHEET`] gets a row with the
/// cell's address, what it is (施策 and column), and the whole text in
/// pieces under the limit. Returns the rows to write and the overflow rows.
fn split_long_cells(table: &Table, top: u32) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    const PIECE: usize = 32_000;
    let utf16 = |s: &str| s.encode_utf16().count();
    let mut rows = table.rows.clone();
    let mut overflow = Vec::new();
    let measure_column = table.columns.iter().position(|&c| c == Column::Measure);
    for (r, row) in rows.iter_mut().enumerate() {
        for (c, value) in row.iter_mut().enumerate() {
            if utf16(value) <= XLSX_CELL_LIMIT {
                continue;
            }
            let address = format!("{}{}", crate::table::column_letters(c), r + top as usize + 1);
            let first_row = table.measures.iter().find(|&&(first, count)| r >= first && r < first + count).map_or(r, |&(first, _)| first);
            let measure = measure_column.map(|m| table.rows[first_row][m].clone()).unwrap_or_default();
            let mut record = vec![address, format!("{measure} / {}", table.headers[c])];
            let (mut piece, mut units) = (String::new(), 0);
            for ch in value.chars() {
                if units + ch.len_utf16() > PIECE {
                    record.push(std::mem::take(&mut piece));
                    units = 0;
                }
                piece.push(ch);
                units += ch.len_utf16();
            }
            record.push(piece);
            let keep = XLSX_CELL_LIMIT - utf16(OVERFLOW_MARKER);
            let mut cut = String::new();
            let mut units = 0;
            for ch in value.chars() {
                units += ch.len_utf16();
                if units > keep {
                    break;
                }
                cut.push(ch);
            }
            cut.push_str(OVERFLOW_MARKER);
            *value = cut;
            overflow.push(record);
        }
    }
    (rows, overflow)
}

/// `.xlsx` bytes: the official layout with a two-row header (定量評価 and
/// 定性評価 each over their two columns), 施策 cells merged over its rows,
/// text wrapped, the header frozen, A4 landscape. A quantity written as a
/// plain number with a unit (`5,900人`, `55.4%`, `-3.5`) is a number cell
/// whose format shows it as written, so the sheet sums and charts it and
/// import reads it back the same.
pub fn to_xlsx(table: &Table) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("成果・課題一覧")?;
    let font = "Yu Gothic";
    let header = Format::new()
        .set_bold()
        .set_font_name(font)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_background_color("#DDEBF7");
    let cell = Format::new().set_font_name(font).set_text_wrap().set_align(FormatAlign::Top).set_border(FormatBorder::Thin);
    let centered = cell.clone().set_align(FormatAlign::Center);
    // The 計画 block's rows, then an empty row, then the two header rows.
    for (r, text) in table.plan_rows.iter().enumerate() {
        sheet.write_string(r as u32, 0, text)?;
    }
    let head = if table.plan_rows.is_empty() { 0 } else { table.plan_rows.len() as u32 + 1 };
    // Two header rows: a merged heading over each pair of rating columns.
    let mut paired = vec![false; table.columns.len()];
    for (l, left) in table.columns.iter().enumerate() {
        let (Column::Field(kind, key), Some(right)) = (*left, left.summary_pair()) else { continue };
        if table.columns.get(l + 1) != Some(&right) {
            continue;
        }
        let r = l + 1;
        sheet.merge_range(head, l as u16, head, r as u16, crate::model::schema::def(key).name(), &header)?;
        sheet.write_string_with_format(head + 1, l as u16, kind.keyword(), &header)?;
        sheet.write_string_with_format(head + 1, r as u16, "施策", &header)?;
        paired[l] = true;
        paired[r] = true;
    }
    for (i, title) in table.headers.iter().enumerate() {
        if !paired[i] {
            sheet.merge_range(head, i as u16, head + 1, i as u16, title, &header)?;
        }
    }
    let top = head + 2;
    let (rows, overflow) = split_long_cells(table, top);
    let quantity = |column: Column| column.def().is_some_and(|d| d.value == crate::model::ValueKind::Quantity);
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let format = if is_short(table.columns[c]) { &centered } else { &cell };
            // A quantity as a number, shown as written (`5,900人`, `55.4%`).
            match number_cell(value).filter(|_| quantity(table.columns[c])) {
                Some((number, shown)) => sheet.write_number_with_format(top + r as u32, c as u16, number, &format.clone().set_num_format(&shown))?,
                None => sheet.write_string_with_format(top + r as u32, c as u16, value, format)?,
            };
        }
    }
    // A 施策's own cells span its rows.
    for &(first, count) in &table.measures {
        if count < 2 {
            continue;
        }
        for (c, column) in table.columns.iter().enumerate() {
            if column.is_per_measure() {
                let format = if is_short(*column) { &centered } else { &cell };
                let (from, to) = (top + first as u32, top + (first + count - 1) as u32);
                sheet.merge_range(from, c as u16, to, c as u16, &rows[first][c], format)?;
            }
        }
    }
    for (c, column) in table.columns.iter().enumerate() {
        sheet.set_column_width(c as u16, width(*column))?;
    }
    sheet.set_freeze_panes(top, 0)?;
    sheet.set_landscape();
    sheet.set_paper_size(9); // A4
    sheet.set_repeat_rows(head, top - 1)?;
    sheet.set_print_fit_to_pages(1, 0);
    if !overflow.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.set_name(OVERFLOW_SHEET)?;
        for (c, title) in ["セル / cell", "施策 / 列 (column)", "全文 (左から続けて読む) / the whole text, read on to the right"].iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *title, &header)?;
        }
        for (r, record) in overflow.iter().enumerate() {
            for (c, value) in record.iter().enumerate() {
                sheet.write_string(r as u32 + 1, c as u16, value)?;
            }
        }
    }
    workbook.save_to_buffer()
}

/// A column of grades or levels (centred, narrow).
fn is_short(column: Column) -> bool {
    use crate::model::ValueKind as V;
    match column {
        Column::ComputedIndicatorGrade | Column::ComputedQuantitativeLevel | Column::ComputedQualitativeLevel => true,
        _ => column.def().is_some_and(|d| matches!(d.value, V::Grade | V::IndicatorGrade | V::Level | V::Direction)),
    }
}

fn width(column: Column) -> f64 {
    use crate::model::ValueKind as V;
    let def = column.def();
    match column {
        c if is_short(c) => 6.0,
        Column::Ratio => 11.0,
        _ if def.is_some_and(|d| d.value == V::Quantity) => 11.0,
        Column::BasicPolicy | Column::Policy | Column::Measure | Column::Indicator | Column::Development => 18.0,
        // A name (施策代表課), not prose.
        _ if def.is_some_and(|d| d.value == V::Text && !d.prose && d.column.as_ref().is_some_and(|c| c.cell == crate::model::CellForm::Single)) => 18.0,
        _ => 36.0,
    }
}

#[cfg(test)]
mod tests {
    use super::guard_cell;
    use crate::import::grid::unguard_cell;

    // --- issue 14, fixes, workbooks and reports ---

    #[test]
    fn guarding_a_cell_is_undone_by_import_exactly() {
        let cells = ["=1+1", "+x", "-x", "@SUM(A1)", "\tx", "\rx", "-", "-5%", "-1,234.5", "+3", "'", "'a", "'=1", "''", "'''=", "a=b", "", "-.5", "--5"];
        for cell in cells {
            let guarded = guard_cell(cell);
            assert_eq!(unguard_cell(&guarded), cell, "{cell:?} written as {guarded:?}");
            let formula = guarded.starts_with(['=', '+', '-', '@', '\t', '\r']);
            assert!(!formula || cell == "-" || cell.trim_start_matches(['+', '-']).starts_with(|c: char| c.is_ascii_digit()), "{cell:?} written as {guarded:?}");
        }
        assert_eq!(guard_cell("-5%"), "-5%");
        assert_eq!(guard_cell("-.5"), "'-.5");
        assert_eq!(guard_cell("--5"), "'--5");
    }

    // --- issue 14, formatter, import and report, round 2 ---

    /// White space (a line break, spaces, a full-width space) before a
    /// formula character is guarded too; the round trip stays exact.
    #[test]
    fn a_cell_led_by_white_space_before_a_formula_character_is_guarded() {
        for cell in ["\n=cmd", "\n\n@SUM(A1)", "  +x", "\u{3000}-x", "\r\n=1", " \t=1"] {
            let guarded = guard_cell(cell);
            assert_eq!(guarded, format!("'{cell}"), "{cell:?}");
            assert_eq!(unguard_cell(&guarded), cell);
        }
        for cell in ["\n-", " -5", "\n+1,234.5", " a=b", "\nテキスト", " ", "\n"] {
            assert_eq!(guard_cell(cell), cell, "{cell:?}");
            assert_eq!(unguard_cell(cell), cell);
        }
        for cell in ["'\n=cmd", "' =1", "'\n", "' a"] {
            assert_eq!(unguard_cell(&guard_cell(cell)), cell, "{cell:?}");
        }
        assert_eq!(guard_cell("'\n=cmd"), "''\n=cmd");
    }
}

/// A quantity cell's number and the number format that shows it as written:
/// `5,900人` → (5900, `#,##0"人"`), `55.4%` → (0.554, `0.0%`), `-3` → (-3,
/// `0`). `None` for anything else (a note, a range, `-`, more than 15
/// significant digits, a unit a format cannot quote).
pub fn number_cell(text: &str) -> Option<(f64, String)> {
    let text = text.trim();
    let digits_end = text.find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.' || c == '-')).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits_end);
    let negative = number.starts_with('-');
    let body = number.strip_prefix('-').unwrap_or(number);
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    // Digits grouped by threes, or not at all; a fraction of digits.
    let grouped = whole.contains(',');
    let groups: Vec<&str> = whole.split(',').collect();
    let well_formed = !whole.is_empty()
        && groups.iter().all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        && (!grouped || groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3) && !groups[0].starts_with('0'))
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && (body.contains('.') != fraction.is_empty())
        && !(whole.len() > 1 && whole.starts_with('0') && !grouped);
    let significant = whole.replace(',', "").trim_start_matches('0').len() + fraction.len();
    let unit_ok = unit.is_empty() || unit == "%" || unit.chars().all(|c| !c.is_ascii_digit() && !c.is_whitespace() && !c.is_control() && !"\"\\()（）[]~〜～-+/:;,.@*?#0".contains(c));
    if !well_formed || !unit_ok || significant > 15 || significant == 0 && !whole.bytes().all(|b| b == b'0') {
        return None;
    }
    let plain: String = format!("{}{}{}", if negative { "-" } else { "" }, whole.replace(',', ""), if fraction.is_empty() { String::new() } else { format!(".{fraction}") });
    let value: f64 = plain.parse().ok()?;
    let decimals = if fraction.is_empty() { String::new() } else { format!(".{}", "0".repeat(fraction.len())) };
    let integer = if grouped { "#,##0" } else { "0" };
    // A percentage is its hundredth, its decimal point moved in the text
    // (`55.4` → `0.554`, never 55.4 ÷ 100 in binary).
    let hundredth = || -> Option<f64> {
        let digits = format!("{}{fraction}", whole.replace(',', ""));
        let scale = fraction.len() + 2;
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (integer, decimal) = padded.split_at(padded.len() - scale);
        format!("{}{integer}.{decimal}", if negative { "-" } else { "" }).parse().ok()
    };
    let (value, shown) = match unit {
        "%" => (hundredth()?, format!("{integer}{decimals}%")),
        "" => (value, format!("{integer}{decimals}")),
        unit => (value, format!("{integer}{decimals}\"{unit}\"")),
    };
    // A grouped number below 1,000 would not show its comma: kept as text.
    (!grouped || value.abs() >= 1000.0 || unit == "%" && value.abs() * 100.0 >= 1000.0).then_some((value, shown))
}

#[cfg(test)]
mod number_tests {
    use super::number_cell;

    #[test]
    fn quantities_become_numbers_shown_as_written() {
        assert_eq!(number_cell("5,900人"), Some((5900.0, "#,##0\"人\"".to_string())));
        assert_eq!(number_cell("55.4%"), Some((0.554, "0.0%".to_string())));
        assert_eq!(number_cell("-10.25"), Some((-10.25, "0.00".to_string())));
        assert_eq!(number_cell("128.0万人"), Some((128.0, "0.0\"万人\"".to_string())));
        assert_eq!(number_cell("0"), Some((0.0, "0".to_string())));
        for text in ["5,900人 (R5年度)", "20〜25%", "-", "", "1,00人", "05", "1.", ".5", "12345678901234567", "5人/年", "5 人", "R5", "1,2,3"] {
            assert_eq!(number_cell(text), None, "{text}");
        }
    }
}
