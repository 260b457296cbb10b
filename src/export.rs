//! `plancheck export`: a plan as JSON (a versioned schema), CSV/TSV or
//! `.xlsx` in the official table layout. What goes in is the sheet
//! (`crate::sheet`), so every format carries the same content.

use crate::sheet::Sheet;
use crate::table::{Column, Table};
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
    schema.insert("$id".into(), serde_json::json!("https://plancheck.invalid/schema/export-v1.schema.json"));
    schema.insert("title".into(), serde_json::json!("plancheck export, version 1"));
    serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n"
}

/// CSV (or TSV with `delimiter = b'\t'`), UTF-8 with a byte order mark so
/// that Excel reads the Japanese text as UTF-8.
pub fn to_csv(table: &Table, delimiter: u8) -> String {
    let mut writer = csv::WriterBuilder::new().delimiter(delimiter).terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    writer.write_record(&table.headers).expect("writing to memory");
    for row in &table.rows {
        writer.write_record(row).expect("writing to memory");
    }
    let bytes = writer.into_inner().expect("writing to memory");
    let mut out = String::from('\u{feff}');
    out.push_str(&String::from_utf8(bytes).expect("the cells are UTF-8"));
    out
}

/// `.xlsx` bytes: the official layout with a two-row header (定量評価 and
/// 定性評価 each over their two columns), 施策 cells merged over its rows,
/// text wrapped, the header frozen, A4 landscape.
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
    // Two header rows: a merged heading over each pair of rating columns.
    let pairs = [(Column::IndicatorGrade, Column::QuantitativeLevel, "定量評価"), (Column::DevelopmentLevel, Column::QualitativeLevel, "定性評価")];
    let mut paired = vec![false; table.columns.len()];
    for (left, right, title) in pairs {
        let (Some(l), Some(r)) = (table.columns.iter().position(|&c| c == left), table.columns.iter().position(|&c| c == right)) else { continue };
        if r != l + 1 {
            continue;
        }
        sheet.merge_range(0, l as u16, 0, r as u16, title, &header)?;
        sheet.write_string_with_format(1, l as u16, if left == Column::IndicatorGrade { "指標" } else { "展開" }, &header)?;
        sheet.write_string_with_format(1, r as u16, "施策", &header)?;
        paired[l] = true;
        paired[r] = true;
    }
    for (i, title) in table.headers.iter().enumerate() {
        if !paired[i] {
            sheet.merge_range(0, i as u16, 1, i as u16, title, &header)?;
        }
    }
    const TOP: u32 = 2;
    for (r, row) in table.rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let format = if is_short(table.columns[c]) { &centered } else { &cell };
            sheet.write_string_with_format(TOP + r as u32, c as u16, value, format)?;
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
                let (top, bottom) = (TOP + first as u32, TOP + (first + count - 1) as u32);
                sheet.merge_range(top, c as u16, bottom, c as u16, &table.rows[first][c], format)?;
            }
        }
    }
    for (c, column) in table.columns.iter().enumerate() {
        sheet.set_column_width(c as u16, width(*column))?;
    }
    sheet.set_freeze_panes(TOP, 0)?;
    sheet.set_landscape();
    sheet.set_paper_size(9); // A4
    sheet.set_repeat_rows(0, TOP - 1)?;
    sheet.set_print_fit_to_pages(1, 0);
    workbook.save_to_buffer()
}

fn is_short(column: Column) -> bool {
    matches!(
        column,
        Column::OverallGrade
            | Column::IndicatorGrade
            | Column::QuantitativeLevel
            | Column::DevelopmentLevel
            | Column::QualitativeLevel
            | Column::ComputedIndicatorGrade
            | Column::ComputedQuantitativeLevel
            | Column::ComputedQualitativeLevel
            | Column::Direction
    )
}

fn width(column: Column) -> f64 {
    match column {
        c if is_short(c) => 6.0,
        Column::Actual | Column::Target | Column::Forecast | Column::Ratio => 11.0,
        Column::BasicPolicy | Column::Policy | Column::Measure | Column::Indicator | Column::Development | Column::Department => 18.0,
        _ => 36.0,
    }
}
