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

use crate::model::schema::{self, CellForm, FieldDef, Heading};
use crate::model::{BlockKind, FieldKey};
use crate::sheet::{Fields, Measure, Sheet};

/// A column of the table: a block's ID and title, a field of a block (its
/// heading, cell layout and import names from the field table,
/// [`schema::FIELDS`]), or a computed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// A 基本目標's ID and title: the first column of a plan that has them.
    Goal,
    BasicPolicy,
    Policy,
    /// 施策名: the 施策's ID and title.
    Measure,
    /// Read only (another body's layout): 施策番号, the 施策's ID in a column
    /// of its own; 施策名 then holds its title alone (`MeasureTitle`).
    MeasureNumber,
    MeasureTitle,
    /// Read only: 単位, the unit of the row's values written without one.
    Unit,
    /// The 指標's title.
    Indicator,
    /// The 施策の展開's title.
    Development,
    /// A field of a 施策, 指標 or 展開.
    Field(BlockKind, FieldKey),
    // Computed (`--with-computed`): written, never read back.
    ComputedIndicatorGrade,
    Ratio,
    ComputedQuantitativeLevel,
    ComputedQualitativeLevel,
}

impl Column {
    pub const QUANTITATIVE_LEVEL: Column = Column::Field(BlockKind::Measure, FieldKey::QuantitativeLevel);
    pub const QUALITATIVE_LEVEL: Column = Column::Field(BlockKind::Measure, FieldKey::QualitativeLevel);
    pub const INDICATOR_GRADE: Column = Column::Field(BlockKind::Indicator, FieldKey::IndicatorGrade);
    pub const DEVELOPMENT_LEVEL: Column = Column::Field(BlockKind::Development, FieldKey::DevelopmentLevel);
    pub const ACTUAL: Column = Column::Field(BlockKind::Indicator, FieldKey::Actual);
    pub const TARGET: Column = Column::Field(BlockKind::Indicator, FieldKey::Target);
}

/// The official columns, in order, with the two summary columns in place.
pub const OFFICIAL: [Column; 19] = {
    use BlockKind as B;
    use Column::Field as F;
    use FieldKey as K;
    [
        Column::BasicPolicy,
        Column::Policy,
        Column::Measure,
        F(B::Measure, K::OverallGrade),
        F(B::Measure, K::SelfAssessment),
        Column::Indicator,
        F(B::Indicator, K::Actual),
        F(B::Indicator, K::Target),
        F(B::Indicator, K::IndicatorGrade),
        F(B::Measure, K::QuantitativeLevel),
        Column::Development,
        F(B::Development, K::Action),
        F(B::Development, K::Result),
        F(B::Development, K::Issue),
        F(B::Development, K::DevelopmentLevel),
        F(B::Measure, K::QualitativeLevel),
        F(B::Measure, K::NextIssue),
        F(B::Measure, K::NextDirection),
        F(B::Measure, K::Department),
    ]
};

/// The blocks that have their own rows or cells in the table.
pub const TABLE_BLOCKS: [BlockKind; 3] = [BlockKind::Measure, BlockKind::Indicator, BlockKind::Development];

/// The columns for fields the official table has none for (見込み, 方向,
/// 備考 of each block), in the field table's order: written after
/// 施策代表課 when a plan uses them.
pub fn extra_columns() -> impl Iterator<Item = Column> {
    schema::FIELDS.iter().filter(|d| d.column.is_some()).flat_map(|d| TABLE_BLOCKS.into_iter().filter(|&b| d.allowed_in(b)).map(|b| Column::Field(b, d.key))).filter(|c| !OFFICIAL.contains(c))
}

/// Every column import knows: official, extra, computed.
pub fn all_columns() -> impl Iterator<Item = Column> {
    std::iter::once(Column::Goal).chain(OFFICIAL).chain(extra_columns()).chain([Column::ComputedIndicatorGrade, Column::Ratio, Column::ComputedQuantitativeLevel, Column::ComputedQualitativeLevel])
}

impl Column {
    /// The field's row in the field table, for a field's column.
    pub fn def(self) -> Option<&'static FieldDef> {
        match self {
            Column::Field(_, key) => Some(schema::def(key)),
            _ => None,
        }
    }

    /// How the field's values are laid out in cells (`None`: not a field).
    pub fn cell_form(self) -> Option<CellForm> {
        self.def().and_then(|d| d.column.as_ref()).map(|c| c.cell)
    }

    /// The header text; `year` gives the plan's 実績年度 and 目標年度 for
    /// the headings that start with them.
    pub fn header(self, year: &dyn Fn(FieldKey) -> String) -> String {
        match self {
            Column::Goal => "基本目標".into(),
            Column::BasicPolicy => "基本政策".into(),
            Column::Policy => "政策".into(),
            Column::Measure | Column::MeasureTitle => "施策名".into(),
            Column::MeasureNumber => "施策番号".into(),
            Column::Unit => "単位".into(),
            Column::Indicator => "指標".into(),
            Column::Development => "施策の展開".into(),
            Column::Field(kind, key) => match schema::def(key).column.as_ref().map(|c| c.heading) {
                Some(Heading::Plain(heading)) => heading.into(),
                Some(Heading::AfterYear(year_key, heading)) => format!("{}{heading}", year(year_key)),
                Some(Heading::PerBlock(heading)) => format!("{heading}({})", kind.keyword()),
                None => schema::def(key).name().into(),
            },
            Column::ComputedIndicatorGrade => "定量評価(計算)".into(),
            Column::Ratio => "達成率(計算)".into(),
            Column::ComputedQuantitativeLevel => "定量評価(施策・計算)".into(),
            Column::ComputedQualitativeLevel => "定性評価(施策・計算)".into(),
        }
    }

    /// Whether the column holds one value per 施策 (merged over its rows).
    pub fn is_per_measure(self) -> bool {
        match self {
            Column::Goal
            | Column::BasicPolicy
            | Column::Policy
            | Column::Measure
            | Column::MeasureNumber
            | Column::MeasureTitle
            | Column::ComputedQuantitativeLevel
            | Column::ComputedQualitativeLevel => true,
            Column::Field(BlockKind::Measure, _) => self.cell_form() != Some(CellForm::PerRow),
            _ => false,
        }
    }

    pub fn is_computed(self) -> bool {
        matches!(self, Column::ComputedIndicatorGrade | Column::Ratio | Column::ComputedQuantitativeLevel | Column::ComputedQualitativeLevel)
    }

    /// The 施策 summary column a block's column is paired with under one
    /// merged heading (the 指標's 定量評価 with the 施策's): the 施策's field
    /// that sums up this block and has this field's name.
    pub fn summary_pair(self) -> Option<Column> {
        let Column::Field(kind, key) = self else { return None };
        let name = schema::def(key).name();
        schema::fields_in(BlockKind::Measure).find(|d| d.summarizes == Some(kind) && d.name() == name).map(|d| Column::Field(BlockKind::Measure, d.key))
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

/// The findings sheet `check --annotate` adds to a copy of a workbook
/// (another name when the workbook has a sheet of this name: `plancheck指摘 (2)`);
/// import leaves it out.
pub const FINDINGS_SHEET: &str = "plancheck指摘";

/// The findings sheet's headings, in Japanese and in English.
pub const FINDINGS_HEADINGS: [[&str; 6]; 2] = [["重大度", "シート", "セル", "規則", "内容", "修正案"], ["severity", "sheet", "cell", "rule", "finding", "fix"]];
/// The end of a cut cell (the rest is in [`OVERFLOW_SHEET`]).
pub const OVERFLOW_MARKER: &str = "…［長すぎるため続きはシート「続き」にあります / continued in sheet 続き］";

/// Separates several items of one field in a cell (several 備考): a blank
/// line. Several 取組 are one per line, as in the published table.
pub const ITEM_SEPARATOR: &str = "\n\n";

/// A sheet laid out in rows.
pub struct Table {
    /// The 計画 block, one cell a row above the header: `計画: TITLE`,
    /// then each field `KEY: VALUE` (import reads them back as the 計画's).
    pub plan_rows: Vec<String>,
    pub columns: Vec<Column>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// For each 施策: its first row and its number of rows (for merging).
    pub measures: Vec<(usize, usize)>,
}

/// The container columns of a sheet: one per level of its hierarchy
/// (`階層`), and any other level a block was written at (the checker
/// reports it; the table keeps it).
fn container_columns(sheet: &Sheet) -> Vec<Column> {
    let hierarchy = sheet.hierarchy();
    let has_level = |kind| hierarchy.depth(kind).is_some();
    let goal = has_level(BlockKind::Goal) || !sheet.goals.is_empty();
    let basic = has_level(BlockKind::BasicPolicy) || sheet.basic_policies.iter().any(|b| !b.id.is_empty() || b.title.is_some());
    let policy = has_level(BlockKind::Policy) || sheet.basic_policies.iter().flat_map(|b| &b.policies).any(|p| !p.id.is_empty() || p.title.is_some());
    [(goal, Column::Goal), (basic, Column::BasicPolicy), (policy, Column::Policy)].into_iter().filter(|(used, _)| *used).map(|(_, c)| c).collect()
}

/// Lays out a sheet: one row per indicator / 展開 / 次期 pair (the i-th of
/// each on the i-th row of its 施策), the 施策's own cells on its first row.
/// The container columns are the plan's levels (基本目標 before 基本政策
/// in a four-level plan; no 基本政策 column in `政策 > 施策`).
pub fn layout(sheet: &Sheet, with_computed: bool) -> Table {
    let mut columns: Vec<Column> = container_columns(sheet);
    columns.extend(OFFICIAL.into_iter().filter(|c| !matches!(c, Column::BasicPolicy | Column::Policy)));
    if with_computed {
        let at = |columns: &Vec<Column>, c: Column| columns.iter().position(|&x| x == c).unwrap() + 1;
        columns.insert(at(&columns, Column::INDICATOR_GRADE), Column::Ratio);
        columns.insert(at(&columns, Column::Ratio), Column::ComputedIndicatorGrade);
        columns.insert(at(&columns, Column::QUANTITATIVE_LEVEL), Column::ComputedQuantitativeLevel);
        columns.insert(at(&columns, Column::QUALITATIVE_LEVEL), Column::ComputedQualitativeLevel);
    }
    for column in extra_columns() {
        let Column::Field(kind, key) = column else { continue };
        let used = sheet.measures().any(|(_, _, m)| match kind {
            BlockKind::Measure => m.fields.has(key),
            BlockKind::Indicator => m.indicators.iter().any(|i| i.fields.has(key)),
            _ => m.developments.iter().any(|d| d.fields.has(key)),
        });
        if used {
            columns.push(column);
        }
    }
    let (actual_year, target_year) = years(sheet);
    let year = |key: FieldKey| if key == FieldKey::ActualYear { actual_year.clone() } else { target_year.clone() };
    let headers = columns.iter().map(|c| c.header(&year)).collect();
    let mut rows = Vec::new();
    let mut measures = Vec::new();
    for (basic, policy, measure) in sheet.measures() {
        let count = rows_of(measure);
        measures.push((rows.len(), count));
        for i in 0..count {
            let indicator = measure.indicators.get(i);
            let development = measure.developments.get(i);
            let computed = indicator.and_then(|x| x.computed.as_ref());
            let first = i == 0;
            let goal = sheet.goal_of(basic);
            let row = columns
                .iter()
                .map(|&column| match column {
                    Column::Goal if first => goal.map(|g| labelled(&g.id, &g.title)).unwrap_or_default(),
                    Column::BasicPolicy if first => labelled(&basic.id, &basic.title),
                    Column::Policy if first => labelled(&policy.id, &policy.title),
                    Column::Measure if first => labelled(&measure.id, &measure.title),
                    Column::Field(BlockKind::Measure, key) if column.cell_form() == Some(CellForm::PerRow) => measure.fields.all(key).get(i).cloned().unwrap_or_default(),
                    Column::Field(BlockKind::Measure, key) if first => cell(&measure.fields, key),
                    Column::Field(BlockKind::Indicator, key) => indicator.map(|x| cell(&x.fields, key)).unwrap_or_default(),
                    Column::Field(BlockKind::Development, key) => development.map(|x| cell(&x.fields, key)).unwrap_or_default(),
                    Column::ComputedQuantitativeLevel if first => measure.computed.as_ref().and_then(|c| c.quantitative_level.clone()).unwrap_or_default(),
                    Column::ComputedQualitativeLevel if first => measure.computed.as_ref().and_then(|c| c.qualitative_level.clone()).unwrap_or_default(),
                    Column::Indicator => indicator.map(|x| x.title.clone()).unwrap_or_default(),
                    Column::ComputedIndicatorGrade => computed.and_then(|c| c.grade.clone()).unwrap_or_default(),
                    Column::Ratio => computed.and_then(|c| c.ratio_percent.as_ref().map(|r| format!("{r}%"))).unwrap_or_default(),
                    Column::Development => development.map(|d| d.title.clone()).unwrap_or_default(),
                    _ => String::new(),
                })
                .collect();
            rows.push(row);
        }
    }
    Table { plan_rows: plan_rows(sheet), columns, headers, rows, measures }
}

/// The 計画 block as cells: `計画: TITLE` (or `計画`), then its fields as
/// written, `KEY: VALUE` (a value of several lines in one cell).
pub fn plan_rows(sheet: &Sheet) -> Vec<String> {
    let Some(plan) = &sheet.plan else { return Vec::new() };
    let title = match plan.title.as_deref().filter(|t| !t.is_empty()) {
        Some(title) => format!("{}: {title}", BlockKind::Plan.keyword()),
        None => BlockKind::Plan.keyword().to_string(),
    };
    std::iter::once(title).chain(plan.fields.entries().flat_map(|(def, values)| values.iter().map(move |v| format!("{}: {v}", def.name())))).collect()
}

/// A cell that [`plan_rows`] wrote: `計画` with its title, or a 計画
/// field (by any of its names) with its value.
pub enum PlanCell {
    Title(Option<String>),
    Field(FieldKey, String),
}

/// Reads a cell that stands alone on its row above a table's header as a
/// part of the 計画 block, if it is one.
pub fn plan_cell(cell: &str) -> Option<PlanCell> {
    let cell = cell.trim();
    if cell == BlockKind::Plan.keyword() {
        return Some(PlanCell::Title(None));
    }
    let (key, value) = cell.split_once([':', '：'])?;
    let (key, value) = (key.trim(), value.trim());
    if key == BlockKind::Plan.keyword() {
        return Some(PlanCell::Title((!value.is_empty()).then(|| value.to_string())));
    }
    let def = schema::fields_in(BlockKind::Plan).find(|d| d.names.contains(&key))?;
    // A value of several lines keeps them (the cell's own line breaks).
    let value = cell.split_once([':', '：']).map_or("", |(_, v)| v).trim_start_matches([' ', '\u{3000}']).trim_end().to_string();
    Some(PlanCell::Field(def.key, value))
}

/// The rows of a 施策: one per indicator / 展開 / value of a field laid out
/// one per row (the i-th of each on the i-th row), at least one.
fn rows_of(measure: &Measure) -> usize {
    let per_row = measure.fields.entries().filter(|(d, _)| d.column.as_ref().is_some_and(|c| c.cell == CellForm::PerRow)).map(|(_, v)| v.len());
    per_row.chain([measure.indicators.len(), measure.developments.len(), 1]).max().unwrap_or(1)
}

/// A field's values in one cell, as its cell form lays them out.
fn cell<K>(fields: &Fields<K>, key: FieldKey) -> String {
    let separator = match schema::def(key).column.as_ref().map(|c| c.cell) {
        Some(CellForm::Lines) => "\n",
        _ => ITEM_SEPARATOR,
    };
    fields.all(key).join(separator)
}

/// The years of the 実績 and 目標 columns: the plan's, else none (the
/// heading alone: `実績値`; a year is never invented).
pub fn years(sheet: &Sheet) -> (String, String) {
    let plan = sheet.plan.as_ref();
    let year = |key| plan.and_then(|p| p.fields.get(key)).map(str::to_string).unwrap_or_default();
    (year(FieldKey::ActualYear), year(FieldKey::TargetYear))
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
