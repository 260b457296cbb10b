//! The official table layout (the 17 columns of the published 成果・課題一覧)
//! and how a sheet is laid out in it: shared by export (sheet → rows) and
//! import (rows → sheet).
//!
//! The published table has two more columns than its header names: under
//! the merged heading 定量評価 stand the indicator's grade and the 施策's
//! summary level, under 定性評価 the 展開's level and the 施策's. plancheck
//! writes both, with the header `定量評価` / `定量評価(施策)` (and in `.xlsx`
//! a second header row), and reads either form. Fields the official table
//! has no column for (見込み, 方向, 備考) get columns after 施策代表課 when a
//! plan uses them.

use crate::sheet::{Measure, Sheet};

/// A column of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    BasicPolicy,
    Policy,
    Measure,
    OverallGrade,
    SelfAssessment,
    Indicator,
    Actual,
    Target,
    IndicatorGrade,
    QuantitativeLevel,
    Development,
    Action,
    Result,
    Issue,
    DevelopmentLevel,
    QualitativeLevel,
    NextIssue,
    NextDirection,
    Department,
    // Not in the official table.
    Forecast,
    Direction,
    MeasureRemark,
    IndicatorRemark,
    DevelopmentRemark,
    // Computed (`--with-computed`): written, never read back.
    ComputedIndicatorGrade,
    Ratio,
    ComputedQuantitativeLevel,
    ComputedQualitativeLevel,
}

/// The official columns, in order, with the two summary columns in place.
pub const OFFICIAL: [Column; 19] = [
    Column::BasicPolicy,
    Column::Policy,
    Column::Measure,
    Column::OverallGrade,
    Column::SelfAssessment,
    Column::Indicator,
    Column::Actual,
    Column::Target,
    Column::IndicatorGrade,
    Column::QuantitativeLevel,
    Column::Development,
    Column::Action,
    Column::Result,
    Column::Issue,
    Column::DevelopmentLevel,
    Column::QualitativeLevel,
    Column::NextIssue,
    Column::NextDirection,
    Column::Department,
];

impl Column {
    /// The header text (years from the plan's 実績年度/目標年度).
    pub fn header(self, actual_year: &str, target_year: &str) -> String {
        match self {
            Column::BasicPolicy => "基本政策".into(),
            Column::Policy => "政策".into(),
            Column::Measure => "施策名".into(),
            Column::OverallGrade => "全体評価".into(),
            Column::SelfAssessment => "自己評価".into(),
            Column::Indicator => "指標".into(),
            Column::Actual => format!("{actual_year}実績値"),
            Column::Target => format!("{target_year}目標値"),
            Column::IndicatorGrade => "定量評価".into(),
            Column::QuantitativeLevel => "定量評価(施策)".into(),
            Column::Development => "施策の展開".into(),
            Column::Action => "主な取組".into(),
            Column::Result => "成果".into(),
            Column::Issue => "課題".into(),
            Column::DevelopmentLevel => "定性評価".into(),
            Column::QualitativeLevel => "定性評価(施策)".into(),
            Column::NextIssue => "次期計画で取り組むべき課題".into(),
            Column::NextDirection => "次期計画での取組の方向性".into(),
            Column::Department => "施策代表課".into(),
            Column::Forecast => "見込み".into(),
            Column::Direction => "方向".into(),
            Column::MeasureRemark => "備考(施策)".into(),
            Column::IndicatorRemark => "備考(指標)".into(),
            Column::DevelopmentRemark => "備考(展開)".into(),
            Column::ComputedIndicatorGrade => "定量評価(計算)".into(),
            Column::Ratio => "達成率(計算)".into(),
            Column::ComputedQuantitativeLevel => "定量評価(施策・計算)".into(),
            Column::ComputedQualitativeLevel => "定性評価(施策・計算)".into(),
        }
    }

    /// Whether the column holds one value per 施策 (merged over its rows).
    pub fn is_per_measure(self) -> bool {
        matches!(
            self,
            Column::BasicPolicy
                | Column::Policy
                | Column::Measure
                | Column::OverallGrade
                | Column::SelfAssessment
                | Column::QuantitativeLevel
                | Column::QualitativeLevel
                | Column::Department
                | Column::ComputedQuantitativeLevel
                | Column::ComputedQualitativeLevel
        )
    }

    pub fn is_computed(self) -> bool {
        matches!(self, Column::ComputedIndicatorGrade | Column::Ratio | Column::ComputedQuantitativeLevel | Column::ComputedQualitativeLevel)
    }
}

/// The characters that make a spreadsheet read a CSV cell as a formula
/// when it starts with one (OWASP's list: `=`, `+`, `-`, `@`, tab, CR):
/// CSV/TSV export guards such cells with a `'`, import removes it.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a CSV/TSV cell may be read as a formula: it starts with one of
/// [`FORMULA_STARTS`], or with white space (a line break, spaces: a text
/// whose first line is empty) before `=`, `+`, `-` or `@`, which some
/// spreadsheets skip. Export guards such cells (see
/// `export::guard_cell`), import removes the guard.
pub fn formula_like(cell: &str) -> bool {
    cell.starts_with(FORMULA_STARTS) || (cell.starts_with(char::is_whitespace) && cell.trim_start().starts_with(['=', '+', '-', '@']))
}

/// The sheet where `.xlsx` export puts the whole text of a cell over
/// Excel's limit of 32,767 characters (the cell itself keeps its beginning
/// and ends with [`OVERFLOW_MARKER`]); import puts it back.
pub const OVERFLOW_SHEET: &str = "続き";
/// The end of a cut cell (the rest is in [`OVERFLOW_SHEET`]).
pub const OVERFLOW_MARKER: &str = "…［長すぎるため続きはシート「続き」にあります / continued in sheet 続き］";

/// Separates several items of one field in a cell (several 備考): a blank
/// line. Several 取組 are one per line, as in the published table.
pub const ITEM_SEPARATOR: &str = "\n\n";

/// A sheet laid out in rows.
pub struct Table {
    pub columns: Vec<Column>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// For each 施策: its first row and its number of rows (for merging).
    pub measures: Vec<(usize, usize)>,
}

/// Lays out a sheet: one row per indicator / 展開 / 次期 pair (the i-th of
/// each on the i-th row of its 施策), the 施策's own cells on its first row.
pub fn layout(sheet: &Sheet, with_computed: bool) -> Table {
    let uses = |f: &dyn Fn(&Measure) -> bool| sheet.measures().any(|(_, _, m)| f(m));
    let mut columns: Vec<Column> = OFFICIAL.to_vec();
    if with_computed {
        let at = |columns: &Vec<Column>, c: Column| columns.iter().position(|&x| x == c).unwrap() + 1;
        columns.insert(at(&columns, Column::IndicatorGrade), Column::Ratio);
        columns.insert(at(&columns, Column::Ratio), Column::ComputedIndicatorGrade);
        columns.insert(at(&columns, Column::QuantitativeLevel), Column::ComputedQuantitativeLevel);
        columns.insert(at(&columns, Column::QualitativeLevel), Column::ComputedQualitativeLevel);
    }
    if uses(&|m| m.indicators.iter().any(|i| i.forecast.is_some())) {
        columns.push(Column::Forecast);
    }
    if uses(&|m| m.indicators.iter().any(|i| i.direction.is_some())) {
        columns.push(Column::Direction);
    }
    if uses(&|m| !m.remarks.is_empty()) {
        columns.push(Column::MeasureRemark);
    }
    if uses(&|m| m.indicators.iter().any(|i| !i.remarks.is_empty())) {
        columns.push(Column::IndicatorRemark);
    }
    if uses(&|m| m.developments.iter().any(|d| !d.remarks.is_empty())) {
        columns.push(Column::DevelopmentRemark);
    }
    let (actual_year, target_year) = years(sheet);
    let headers = columns.iter().map(|c| c.header(&actual_year, &target_year)).collect();
    let mut rows = Vec::new();
    let mut measures = Vec::new();
    for (basic, policy, measure) in sheet.measures() {
        let count = [measure.indicators.len(), measure.developments.len(), measure.next_issues.len(), measure.next_directions.len(), 1].into_iter().max().unwrap_or(1);
        measures.push((rows.len(), count));
        for i in 0..count {
            let indicator = measure.indicators.get(i);
            let development = measure.developments.get(i);
            let computed = indicator.and_then(|x| x.computed.as_ref());
            let row = columns
                .iter()
                .map(|&column| {
                    let first = i == 0;
                    let text = |t: &Option<String>| t.clone().unwrap_or_default();
                    match column {
                        Column::BasicPolicy if first => labelled(&basic.id, &basic.title),
                        Column::Policy if first => labelled(&policy.id, &policy.title),
                        Column::Measure if first => labelled(&measure.id, &measure.title),
                        Column::OverallGrade if first => text(&measure.overall_grade),
                        Column::SelfAssessment if first => text(&measure.self_assessment),
                        Column::QuantitativeLevel if first => text(&measure.quantitative_level),
                        Column::QualitativeLevel if first => text(&measure.qualitative_level),
                        Column::Department if first => text(&measure.department),
                        Column::MeasureRemark if first => measure.remarks.join(ITEM_SEPARATOR),
                        Column::ComputedQuantitativeLevel if first => measure.computed.as_ref().and_then(|c| c.quantitative_level.clone()).unwrap_or_default(),
                        Column::ComputedQualitativeLevel if first => measure.computed.as_ref().and_then(|c| c.qualitative_level.clone()).unwrap_or_default(),
                        Column::Indicator => indicator.map(|x| x.title.clone()).unwrap_or_default(),
                        Column::Actual => indicator.map(|x| text(&x.actual)).unwrap_or_default(),
                        Column::Target => indicator.map(|x| text(&x.target)).unwrap_or_default(),
                        Column::Forecast => indicator.map(|x| text(&x.forecast)).unwrap_or_default(),
                        Column::Direction => indicator.map(|x| text(&x.direction)).unwrap_or_default(),
                        Column::IndicatorGrade => indicator.map(|x| text(&x.grade)).unwrap_or_default(),
                        Column::IndicatorRemark => indicator.map(|x| x.remarks.join(ITEM_SEPARATOR)).unwrap_or_default(),
                        Column::ComputedIndicatorGrade => computed.and_then(|c| c.grade.clone()).unwrap_or_default(),
                        Column::Ratio => computed.and_then(|c| c.ratio_percent.as_ref().map(|r| format!("{r}%"))).unwrap_or_default(),
                        Column::Development => development.map(|d| d.title.clone()).unwrap_or_default(),
                        Column::Action => development.map(|d| d.actions.join("\n")).unwrap_or_default(),
                        Column::Result => development.map(|d| d.results.join(ITEM_SEPARATOR)).unwrap_or_default(),
                        Column::Issue => development.map(|d| d.issues.join(ITEM_SEPARATOR)).unwrap_or_default(),
                        Column::DevelopmentLevel => development.map(|d| text(&d.level)).unwrap_or_default(),
                        Column::DevelopmentRemark => development.map(|d| d.remarks.join(ITEM_SEPARATOR)).unwrap_or_default(),
                        Column::NextIssue => measure.next_issues.get(i).cloned().unwrap_or_default(),
                        Column::NextDirection => measure.next_directions.get(i).cloned().unwrap_or_default(),
                        _ => String::new(),
                    }
                })
                .collect();
            rows.push(row);
        }
    }
    Table { columns, headers, rows, measures }
}

/// The years of the 実績 and 目標 columns: the plan's, else the seed's.
pub fn years(sheet: &Sheet) -> (String, String) {
    let plan = sheet.plan.as_ref();
    (plan.and_then(|p| p.actual_year.clone()).unwrap_or_else(|| "令和4年度".into()), plan.and_then(|p| p.target_year.clone()).unwrap_or_else(|| "令和6年度".into()))
}

/// `ID title` in one cell, as the published table prints it.
fn labelled(id: &str, title: &Option<String>) -> String {
    match title {
        Some(title) if !title.is_empty() => format!("{id} {title}"),
        _ => id.to_string(),
    }
}

/// `A`, `B`, ..., `Z`, `AA`, ... for a 0-based column.
pub fn column_letters(mut c: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII")
}
