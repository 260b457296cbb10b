//! `plancheck import`: a table in the official layout (TSV, CSV, `.xlsx`, or
//! the text dump of a published PDF) to a `.plan`.
//!
//! The table is read into a grid of cells (`grid`), its header rows are
//! recognised (they may repeat on every page), and each data row's cells are
//! aligned with the header's columns (`align`): by position where the row is
//! regular, by what each cell looks like (an ID, a grade, a level, a
//! quantity, a department, prose) where it is not — a PDF dump shifts cells
//! left and right and merges some. Rows whose 施策 cell is blank continue the
//! 施策 above (merged cells). The result is a `Sheet`, printed in the
//! formatter's layout.
//!
//! The sheet's hierarchy is read from its header and its IDs: a header with
//! a 基本目標 column, or without a 基本政策 one, and 施策 numbers of two or
//! four parts, or fixed-width codes (`010203004` under `010203`), give the
//! plan's `階層` and `番号`; a table of the official layout has the spec's.
//!
//! Nothing is lost: every non-empty cell is placed in a field, or, when the
//! importer cannot place it with confidence, in a `備考` of the nearest block
//! with a comment naming its row and column, and a warning. `Placement`
//! records where each cell went (the tests check it cell by cell).

pub mod align;
mod card;
pub mod grid;
pub mod hidden;
pub mod legend;
pub mod numfmt;

use crate::model::hierarchy::{Hierarchy, Numbering};
use crate::model::schema::{CellForm, Heading};
use crate::model::{BlockKind, FieldKey};
use crate::sheet::{BasicPolicy, Development, Indicator, Measure, MeasureAt, NoteTarget, PlanInfo, Policy, Sheet, one_line};
use crate::table::Column;
use align::CellKind;
pub use grid::{Book, Grid, Page, read_grid};
use std::collections::HashMap;

/// Where a cell of the input went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Into a field (or a title) of the output, as `column` says.
    Field(Column),
    /// Into a `備考`, with a comment naming the row and column.
    Remark,
    /// The repeat of a cell already placed on the same row (a title or a
    /// grade printed twice): kept in a comment.
    Comment,
    /// A header cell (the column names), or a computed column (never read back).
    Header,
    /// A part of the 計画 block written above the table (`計画: TITLE`,
    /// `実績年度: 令和5年度`, as export writes them).
    Plan,
}

/// A cell the importer could not place with confidence, or something
/// reading the file did another way (then `row` is 0: the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The worksheet, for a workbook's cell.
    pub sheet: Option<String>,
    /// 1-based row and column of the input (0: not a cell).
    pub row: usize,
    pub column: usize,
    pub message: String,
}

impl Warning {
    /// A warning about the whole file (a hidden sheet left out, the encoding).
    pub fn at_file(message: String) -> Warning {
        Warning { sheet: None, row: 0, column: 0, message }
    }

    /// Where the cell is: `基本政策2!F12` in a workbook, `2 行 7 列` (`row 2,
    /// column 7`) in a text file; `None` for the whole file.
    pub fn location(&self, lang: crate::diagnostics::Lang) -> Option<String> {
        if self.row == 0 {
            return None;
        }
        Some(match &self.sheet {
            Some(sheet) => cell_address(sheet, self.row, self.column),
            None => lang.pick(format!("{} 行 {} 列", self.row, self.column), format!("row {}, column {}", self.row, self.column)),
        })
    }

    /// The warning in `lang`: `row 2, column 7: …`, `基本政策2!F12: …`.
    pub fn shown(&self, lang: crate::diagnostics::Lang) -> String {
        match self.location(lang) {
            Some(at) => format!("{at}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

/// A workbook cell's address as Excel writes it (`基本政策2!F12`, the sheet
/// quoted when its name has a space or a sign: `'R5 実績'!B3`); 1-based.
pub fn cell_address(sheet: &str, row: usize, column: usize) -> String {
    // Quoted as Excel quotes it: a name with other characters, one that
    // starts with a digit (`2024`) or reads as a cell (`A1`, `R1C1`).
    let looks_like_cell = {
        let digits = sheet.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let letters = sheet.len() - digits.len();
        (1..=3).contains(&letters) && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) || {
            // R1C1 (R, digits, C, digits).
            let upper = sheet.to_ascii_uppercase();
            upper.strip_prefix('R').and_then(|rest| rest.split_once('C')).is_some_and(|(r, c)| r.bytes().chain(c.bytes()).all(|b| b.is_ascii_digit()))
        }
    };
    let plain = sheet.chars().all(|c| c.is_alphanumeric() || c == '_' || !c.is_ascii()) && !sheet.starts_with(|c: char| c.is_ascii_digit()) && !looks_like_cell;
    let sheet = if plain && !sheet.contains(char::is_whitespace) { sheet.to_string() } else { format!("'{}'", sheet.replace('\'', "''")) };
    format!("{sheet}!{}{row}", crate::table::column_letters(column.saturating_sub(1)))
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown(crate::diagnostics::Lang::En))
    }
}

pub struct Imported {
    pub sheet: Sheet,
    /// The `.plan` text (the sheet with the comments on provenance).
    pub text: String,
    pub warnings: Vec<Warning>,
    /// Every non-empty input cell, per page (sheet): (row, column, 1-based)
    /// → where it went.
    pub placements: Vec<Vec<((usize, usize), Placement)>>,
    /// Indicators given `方向: 減少` because their name and their stated
    /// grade both say lower is better (the table has no 方向 column).
    pub inferred_directions: usize,
    /// The input cell of each field (see [`Imported::cell_of`]).
    pub cells: HashMap<FieldPlace, CellAt>,
    /// The empty cell where a field would be, on its block's first row, under
    /// its column (see [`Imported::blank_cell_of`]).
    pub blank_cells: HashMap<FieldPlace, CellAt>,
    /// How the table was read: its hierarchy, each header's headings and
    /// what they were read as (`import --explain`).
    pub explanation: Vec<String>,
}

impl Imported {
    pub fn count(&self) -> (usize, usize, usize) {
        let measures: Vec<_> = self.sheet.measures().map(|(_, _, m)| m).collect();
        (measures.len(), measures.iter().map(|m| m.indicators.len()).sum(), measures.iter().map(|m| m.developments.len()).sum())
    }

    pub fn remarks(&self) -> usize {
        self.placements.iter().flatten().filter(|(_, p)| *p == Placement::Remark).count()
    }
}

/// What a column is read as, in words: `指標 の 実績`, `施策 の ID と名前`.
fn describe_column(column: Column, lang: crate::diagnostics::Lang) -> String {
    let (ja, en): (String, String) = match column {
        Column::Goal => ("基本目標 の番号と名前".into(), "the 基本目標's number and name".into()),
        Column::BasicPolicy => ("基本政策 の番号と名前".into(), "the 基本政策's number and name".into()),
        Column::Policy => ("政策 の番号と名前".into(), "the 政策's number and name".into()),
        Column::Measure => ("施策 の番号と名前".into(), "the 施策's number and name".into()),
        Column::MeasureNumber => ("施策 の番号".into(), "the 施策's number".into()),
        Column::MeasureTitle => ("施策 の名前".into(), "the 施策's name".into()),
        Column::Unit => ("単位 (単位のない値の後に付けます)".into(), "the unit (after the row's values that have none)".into()),
        Column::Indicator => ("指標 の名前".into(), "the 指標's name".into()),
        Column::Development => ("施策の展開 の名前".into(), "the 展開's name".into()),
        Column::Field(kind, key) => {
            let name = crate::model::schema::def(key).name();
            (format!("{} の {name}", kind.keyword()), format!("the {} of the {}", name, kind.keyword()))
        }
        _ => ("計算値 (読み戻しません)".into(), "a computed value (never read back)".into()),
    };
    lang.pick(ja, en)
}

/// A field of the imported sheet: its 施策, the 指標 or 展開 in it (by
/// kind and index), and the field (`None`: the block's ID and title).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldPlace {
    pub measure: MeasureAt,
    pub child: Option<(BlockKind, usize)>,
    pub key: Option<FieldKey>,
}

/// A cell of the input: its sheet (a workbook's), 1-based row and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellAt {
    pub sheet: Option<String>,
    pub row: usize,
    pub column: usize,
}

impl CellAt {
    /// `基本政策2!I12`, or `I12` in a text table.
    pub fn address(&self) -> String {
        match &self.sheet {
            Some(sheet) => cell_address(sheet, self.row, self.column),
            None => format!("{}{}", crate::table::column_letters(self.column.saturating_sub(1)), self.row),
        }
    }
}

impl Imported {
    /// The input cell a span of the imported plan's text came from: the
    /// field's own cell, else its block's, else its 施策's (`doc` is the
    /// plan parsed from [`Imported::text`]).
    pub fn cell_of(&self, doc: &crate::model::Document, span: crate::syntax::Span) -> Option<&CellAt> {
        let (measure, child, block) = self.block_at(doc, span)?;
        let key = block.fields.iter().find(|f| f.span.start <= span.start && span.end <= f.span.end).and_then(|f| f.key());
        let look = |child, key| self.cells.get(&FieldPlace { measure, child, key });
        // A block without a cell of its own (a 展開 with no title): its first cell.
        let first_of = |child| self.cells.iter().filter(|(p, _)| p.measure == measure && p.child == child).map(|(_, c)| c).min_by_key(|c| (c.row, c.column));
        look(child, key).or_else(|| look(child, None)).or_else(|| first_of(child)).or_else(|| look(None, None))
    }

    /// The innermost 施策, 指標 or 展開 of the plan's text at `span`: its
    /// place in the sheet (the 施策, and which child of it), and the block.
    fn block_at<'d>(&self, doc: &'d crate::model::Document, span: crate::syntax::Span) -> Option<BlockPlace<'d>> {
        let inside = |b: &crate::model::Block| b.span.start <= span.start && span.end <= b.span.end;
        let (id, block) = doc.blocks.iter().enumerate().filter(|(_, b)| inside(b)).min_by_key(|(_, b)| b.span.end - b.span.start)?;
        let (measure_id, child) = match block.kind {
            Some(BlockKind::Measure) => (id, None),
            Some(kind @ (BlockKind::Indicator | BlockKind::Development)) => {
                let parent = block.parent?;
                let index = doc.blocks[parent].children.iter().filter(|&&c| doc.blocks[c].kind == Some(kind)).position(|&c| c == id)?;
                (parent, Some((kind, index)))
            }
            _ => return None,
        };
        let ordinal = doc.blocks_of(BlockKind::Measure).position(|(m, _)| m == measure_id)?;
        Some((*self.sheet.measures_in_writing_order().get(ordinal)?, child, block))
    }

    /// The empty cell a field left blank would be in (a finding that it is
    /// missing belongs there, not on the block's name): the first of `keys`
    /// that the block at `span` has no value for and has a column for.
    pub fn blank_cell_of(&self, doc: &crate::model::Document, span: crate::syntax::Span, keys: &[FieldKey]) -> Option<&CellAt> {
        let (measure, child, block) = self.block_at(doc, span)?;
        keys.iter().filter(|&&k| !block.has_value(k)).find_map(|&k| self.blank_cells.get(&FieldPlace { measure, child, key: Some(k) }))
    }
}

/// A block of the imported plan and its place in the sheet: its 施策, which
/// child of it (none for the 施策 itself).
type BlockPlace<'d> = (MeasureAt, Option<(BlockKind, usize)>, &'d crate::model::Block);

/// Errors that stop an import (a table without a recognisable header).
#[derive(Debug)]
pub struct ImportError(pub String);

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A header row's columns: for each cell index, the column it names.
#[derive(Debug, Clone)]
struct Header {
    columns: Vec<Option<Column>>,
    /// Years in parentheses after a heading (`基準値(R元)`), by column
    /// (the 実績 and 目標 years go to the plan).
    years: Vec<(Column, String)>,
    /// Cell indices of the columns `[import.columns]` leaves out (`除外`).
    skipped: Vec<usize>,
    /// Headings that are not columns of the official table (`メモ欄`), by
    /// cell index: their cells are kept as 備考, never read as a field.
    foreign: Vec<(usize, String)>,
    /// How many headings were recognised.
    known: usize,
}

/// The headings import recognises, from the field table: each column's
/// heading, the names of its field and the aliases the table gives it
/// (under a name several columns share, the first not yet seen on the
/// row: the first `定量評価` is the 指標's, the second the 施策's), and the
/// headings that end in a field's heading after a year (`令和4年度実績値`).
struct Headings {
    exact: HashMap<String, Vec<Column>>,
    after_year: Vec<(&'static str, FieldKey, Column)>,
}

fn headings() -> &'static Headings {
    static HEADINGS: std::sync::OnceLock<Headings> = std::sync::OnceLock::new();
    HEADINGS.get_or_init(|| {
        let mut exact: HashMap<String, Vec<Column>> = HashMap::new();
        let mut add = |name: String, column: Column| {
            let list = exact.entry(name).or_default();
            if !list.contains(&column) {
                list.push(column);
            }
        };
        let mut after_year = Vec::new();
        let mut named = Vec::new();
        for column in crate::table::all_columns() {
            add(column.header(&|_| String::new()), column);
            let (Column::Field(_, key), Some(def)) = (column, column.def()) else { continue };
            let table = def.column.as_ref().expect("a field's column has a column definition");
            if let Heading::AfterYear(year, heading) = table.heading {
                after_year.push((heading, year, column));
            }
            // A field in several blocks (備考): its plain names are the first block's.
            if named.contains(&key) {
                continue;
            }
            named.push(key);
            for name in def.names.iter().chain(table.aliases) {
                add(name.to_string(), column);
            }
        }
        add("展開".to_string(), Column::Development);
        add("指標名".to_string(), Column::Indicator);
        add("単位".to_string(), Column::Unit);
        for name in ["施策番号", "施策No", "施策No.", "施策コード", "事業番号", "事業コード"] {
            add(name.to_string(), Column::MeasureNumber);
        }
        Headings { exact, after_year }
    })
}

/// A header recognised, with the 実績 and 目標 years its headings give.
type Recognised = (Header, Option<String>, Option<String>);

/// Recognises a header row: at least four of the official headings.
fn header_of(row: &[String], mapping: &Mapping) -> Option<Recognised> {
    let cells: Vec<(&str, Option<&str>)> = row.iter().map(|c| (c.as_str(), None)).collect();
    header_of_cells(&cells, mapping)
}

/// The block a heading over several columns names (`指標`, `施策の展開`,
/// `施策`): the block its sub-headings' fields belong to.
fn block_named(group: &str) -> Option<BlockKind> {
    if group.contains("指標") {
        Some(BlockKind::Indicator)
    } else if group.contains("展開") || group.contains("取組") {
        Some(BlockKind::Development)
    } else if group.contains("施策") {
        Some(BlockKind::Measure)
    } else {
        None
    }
}

fn column_block(column: Column) -> Option<BlockKind> {
    match column {
        Column::Field(block, _) => Some(block),
        Column::Indicator | Column::Unit => Some(BlockKind::Indicator),
        Column::Development => Some(BlockKind::Development),
        Column::Measure | Column::MeasureNumber | Column::MeasureTitle => Some(BlockKind::Measure),
        _ => None,
    }
}

/// Recognises a header from its cells, each with the heading over it in a
/// two-row header (`令和5年度` over `実績値`, `施策の展開` over `評価`): the
/// two read together first (`令和5年度実績値`), then the cell under its
/// group's block (`評価` under `施策の展開` is the 展開's 定性評価), then
/// the cell alone.
fn header_of_cells(row: &[(&str, Option<&str>)], mapping: &Mapping) -> Option<Recognised> {
    let headings = headings();
    let mut columns: Vec<Option<Column>> = Vec::new();
    let mut known = 0;
    let (mut actual_year, mut target_year) = (None, None);
    let mut foreign = Vec::new();
    let mut years = Vec::new();
    let mut skipped = Vec::new();
    for &(cell, group) in row {
        // A column's name is a few words: a longer cell is not one (and is
        // not copied for every row tried as a header).
        let squeeze = |text: &str| -> String { if text.len() > 256 { String::from("-") } else { text.split_whitespace().collect() } };
        let name = squeeze(cell);
        let group = group.map(squeeze).filter(|g| !g.is_empty() && *g != name);
        // The body's own headings first (`[import.columns]`), with their group.
        let mapped = group.as_ref().and_then(|g| mapping.get(&format!("{g}{name}"))).or_else(|| mapping.get(&name));
        match mapped {
            Some(Mapped::Column(column)) => {
                known += 1;
                columns.push(Some(*column));
                continue;
            }
            Some(Mapped::Skip) => {
                skipped.push(columns.len());
                columns.push(None);
                continue;
            }
            None => {}
        }
        let exact =
            |name: &str, columns: &Vec<Option<Column>>| headings.exact.get(name).and_then(|candidates| candidates.iter().find(|c| !columns.contains(&Some(**c))).or(candidates.first()).copied());
        let mut read = |name: &str, columns: &Vec<Option<Column>>| -> Option<Column> {
            let mut column = match exact(name, columns) {
                Some(column) => Some(column),
                None => headings.after_year.iter().find(|(heading, _, _)| name.ends_with(heading)).map(|&(heading, year, column)| {
                    let value = name.strip_suffix(heading).filter(|y| !y.is_empty()).map(str::to_string);
                    match year {
                        FieldKey::ActualYear => actual_year = value,
                        _ => target_year = value,
                    }
                    column
                }),
            };
            // `実績値(R5)`, `基準値（R元）`: a heading with its year after it.
            if column.is_none()
                && let Some((base, year)) = name.strip_suffix([')', '）']).and_then(|n| n.rsplit_once(['(', '（'])).filter(|(base, year)| !base.is_empty() && !year.is_empty())
                && let Some(found) = exact(base, columns)
            {
                match found {
                    Column::Field(_, FieldKey::Actual) => actual_year = Some(year.to_string()),
                    Column::Field(_, FieldKey::Target) => target_year = Some(year.to_string()),
                    other => years.push((other, year.to_string())),
                }
                column = Some(found);
            }
            column
        };
        let in_group = |columns: &Vec<Option<Column>>| -> Option<Column> {
            let block = block_named(group.as_deref()?)?;
            let candidates = headings.exact.get(&name)?;
            let of_block = |c: &&Column| column_block(**c) == Some(block);
            let found = candidates.iter().filter(of_block).find(|c| !columns.contains(&Some(**c))).or_else(|| candidates.iter().find(of_block)).copied();
            // `評価` (an indicator's grade alone) under another block: that
            // block's own grade.
            found.or_else(|| {
                candidates.contains(&Column::INDICATOR_GRADE).then_some(match block {
                    BlockKind::Development => Column::DEVELOPMENT_LEVEL,
                    BlockKind::Measure => Column::Field(BlockKind::Measure, FieldKey::OverallGrade),
                    _ => Column::INDICATOR_GRADE,
                })
            })
        };
        let column = group.as_ref().and_then(|g| exact(&format!("{g}{name}"), &columns).map(|c| (c, true))).map(|(c, _)| c);
        let column = column
            .or_else(|| {
                // A group that is a year (`令和5年度` over `実績値`).
                let g = group.as_deref().filter(|g| is_year_heading(g))?;
                let joined = format!("{g}{name}");
                headings.after_year.iter().any(|(heading, _, _)| joined.ends_with(heading) && joined.len() > heading.len()).then(|| read(&joined, &columns)).flatten()
            })
            .or_else(|| in_group(&columns))
            .or_else(|| read(&name, &columns));
        known += usize::from(column.is_some());
        if column.is_none() && !name.is_empty() {
            let shown = match &group {
                Some(g) => format!("{g} / {}", cell.trim()),
                None => cell.trim().to_string(),
            };
            foreign.push((columns.len(), shown));
        }
        columns.push(column);
    }
    let names_measures = columns.contains(&Some(Column::Measure)) || columns.contains(&Some(Column::MeasureNumber));
    (known >= 4 && names_measures).then_some((Header { columns, years, skipped, foreign, known }, actual_year, target_year))
}

/// A heading that is a year (`令和5年度`, `R5`, `2023年度`), over the
/// columns of that year.
fn is_year_heading(text: &str) -> bool {
    text.chars().count() <= 10
        && (text.contains('年') || ["R", "H", "令和", "平成"].iter().any(|era| text.strip_prefix(era).is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit() || c == '元'))))
}

/// A header in two rows: group headings (merged over their columns, or
/// written once at the left of them) over the columns' own. `upper` and
/// `lower` are read together when that reads more columns than `upper`
/// alone and another reading than `lower` alone; each column's heading is
/// the lower cell, under the group heading to its left, else the upper cell
/// (a heading merged down both rows). Returns the header and each column's
/// text as shown (`指標 / 評価`).
fn two_row_header(upper: &[String], lower: &[String], mapping: &Mapping) -> Option<(Recognised, Vec<String>)> {
    let label = |c: &str| c.chars().count() <= 30 && !c.contains('\n');
    // A title alone on its row is not a group heading.
    let filled = |row: &[String]| row.iter().filter(|c| !c.trim().is_empty()).count();
    if !upper.iter().chain(lower).all(|c| label(c.trim())) || filled(upper) < 2 || filled(lower) == 0 {
        return None;
    }
    // The second header row plancheck writes (指標 / 施策 under the summary
    // columns) is read as such below.
    if lower.iter().all(|c| matches!(c.trim(), "" | "指標" | "施策" | "展開")) {
        return None;
    }
    let width = upper.len().max(lower.len());
    fn at(row: &[String], i: usize) -> &str {
        row.get(i).map_or("", |c| c.trim())
    }
    let mut cells: Vec<(&str, Option<&str>)> = Vec::with_capacity(width);
    let mut shown = Vec::with_capacity(width);
    let mut group: Option<&str> = None;
    for i in 0..width {
        let (top, bottom) = (at(upper, i), at(lower, i));
        if !top.is_empty() {
            group = Some(top);
        }
        if bottom.is_empty() {
            // A heading down both rows; it ends the group to its left.
            cells.push((top, None));
            shown.push(top.to_string());
            group = None;
        } else {
            cells.push((bottom, group));
            shown.push(match group {
                Some(g) => format!("{g} / {bottom}"),
                None => bottom.to_string(),
            });
        }
    }
    let combined = header_of_cells(&cells, mapping)?;
    let alone_upper = header_of(upper, mapping).map_or(0, |(h, _, _)| h.known);
    let alone_lower = header_of(lower, mapping).map(|(h, _, _)| h.columns);
    let differs = alone_lower.is_none_or(|columns| columns.iter().chain(std::iter::repeat(&None)).take(width).ne(combined.0.columns.iter().chain(std::iter::repeat(&None)).take(width)));
    (combined.0.known > alone_upper && differs).then_some((combined, shown))
}

/// The columns a data row is aligned with: the header's, with the two
/// summary columns the published table has but its header does not name.
/// The columns a row is aligned with, each with its header cell's index.
type Template = Vec<(Column, Option<usize>)>;

fn template(header: &Header) -> Template {
    let mut columns: Vec<(Column, Option<usize>)> = header.columns.iter().enumerate().filter_map(|(i, c)| c.map(|c| (c, Some(i)))).collect();
    // With a 施策番号 column, 施策名 is the title alone; and the layout is
    // another body's, not the published table with its unnamed columns.
    if columns.iter().any(|&(c, _)| c == Column::MeasureNumber) {
        for (c, _) in columns.iter_mut().filter(|(c, _)| *c == Column::Measure) {
            *c = Column::MeasureTitle;
        }
        return columns;
    }
    let has = |columns: &Vec<(Column, Option<usize>)>, c: Column| columns.iter().any(|&(x, _)| x == c);
    for (after, implied) in crate::table::all_columns().filter_map(|c| c.summary_pair().map(|pair| (c, pair))) {
        if !has(&columns, implied)
            && let Some(i) = columns.iter().position(|&(c, _)| c == after)
        {
            columns.insert(i + 1, (implied, None));
        }
    }
    columns
}

/// A row's only non-empty cell, when it is a part of the 計画 block.
fn lone_plan_cell(row: &[String]) -> Option<(usize, crate::table::PlanCell)> {
    let mut cells = row.iter().enumerate().filter(|(_, c)| !c.trim().is_empty());
    let (c, cell) = cells.next()?;
    if cells.next().is_some() {
        return None;
    }
    crate::table::plan_cell(cell).map(|p| (c, p))
}

/// The `階層` and `番号` a table's 計画 rows (above its header) declare.
fn declared_hierarchy(grid: &Grid, mapping: &Mapping) -> Option<(Option<String>, Option<String>)> {
    let (mut levels, mut numbering) = (None, None);
    for row in grid.rows.iter().take_while(|row| header_of(row, mapping).is_none()) {
        match lone_plan_cell(row) {
            Some((_, crate::table::PlanCell::Field(FieldKey::Hierarchy, value))) => levels = Some(value),
            Some((_, crate::table::PlanCell::Field(FieldKey::Numbering, value))) => numbering = Some(value),
            _ => {}
        }
    }
    (levels.is_some() || numbering.is_some()).then_some((levels, numbering))
}

/// The hierarchy of a table, from its first header and the IDs under it
/// (the first 500 data rows): dashed 施策 numbers of one length (more than half of them)
/// give the depth, the header's container columns the levels above (when
/// they are as many; else the deepest levels); 施策 codes of digits that
/// extend their containers' codes on the same row give the widths. The
/// spec's hierarchy when the IDs say nothing else.
fn infer_hierarchy(grid: &Grid, mapping: &Mapping) -> Hierarchy {
    const CONTAINERS: [(BlockKind, Column); 3] = [(BlockKind::Goal, Column::Goal), (BlockKind::BasicPolicy, Column::BasicPolicy), (BlockKind::Policy, Column::Policy)];
    let Some((at, header)) = grid.rows.iter().enumerate().find_map(|(r, row)| header_of(row, mapping).map(|(h, _, _)| (r, h))) else { return Hierarchy::default() };
    let index = |c: Column| header.columns.iter().position(|x| *x == Some(c));
    let Some(measure_at) = index(Column::MeasureNumber).or_else(|| index(Column::Measure)) else { return Hierarchy::default() };
    let containers: Vec<(BlockKind, usize)> = CONTAINERS.iter().filter_map(|&(kind, column)| index(column).map(|i| (kind, i))).collect();
    let word = |row: &Vec<String>, i: usize| row.get(i).map(|cell| leading_word(cell)).unwrap_or_default();
    let is_digits = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    let mut dashed: HashMap<usize, usize> = HashMap::new();
    let mut codes = 0;
    let mut widths: Option<(Vec<BlockKind>, Vec<usize>)> = None;
    for row in grid.rows.iter().skip(at + 1).take(500) {
        let measure = word(row, measure_at);
        let parts: Vec<&str> = measure.split('-').collect();
        if parts.len() > 1 && parts.iter().all(|p| is_digits(p)) {
            *dashed.entry(parts.len()).or_default() += 1;
        } else if is_digits(&measure) && measure.len() >= 2 {
            codes += 1;
            if widths.is_none() {
                // The containers' codes on this row, each extending the one above.
                let mut levels = Vec::new();
                let mut ends = Vec::new();
                for &(kind, i) in &containers {
                    let code = word(row, i);
                    if is_digits(&code) && measure.starts_with(&code) && ends.last().is_none_or(|&end| code.len() > end) && code.len() < measure.len() {
                        levels.push(kind);
                        ends.push(code.len());
                    }
                }
                if !levels.is_empty() {
                    levels.push(BlockKind::Measure);
                    ends.push(measure.len());
                    let mut start = 0;
                    let widths_here = ends.iter().map(|&end| std::mem::replace(&mut start, end).abs_diff(end)).collect();
                    widths = Some((levels, widths_here));
                }
            }
        }
    }
    let dashed_total: usize = dashed.values().sum();
    if codes > dashed_total {
        return widths.and_then(|(levels, widths)| Hierarchy::new(levels, Numbering::Digits(widths))).unwrap_or_default();
    }
    // Another depth than the spec's only when most 施策 numbers have it.
    let Some((&depth, &count)) = dashed.iter().max_by_key(|&(len, count)| (*count, std::cmp::Reverse(*len))) else { return Hierarchy::default() };
    if !(2..=4).contains(&depth) || depth == 3 || count * 2 <= dashed_total {
        return Hierarchy::default();
    }
    let mut levels: Vec<BlockKind> = containers.iter().map(|(kind, _)| *kind).collect();
    if levels.len() != depth - 1 {
        levels = hierarchy_levels_above(depth);
    }
    levels.push(BlockKind::Measure);
    Hierarchy::new(levels, Numbering::Dashed).unwrap_or_default()
}

/// The levels above 施策 of a hierarchy of `depth` levels whose header does
/// not say: the deepest ones (`政策` for two levels).
fn hierarchy_levels_above(depth: usize) -> Vec<BlockKind> {
    let above = [BlockKind::Goal, BlockKind::BasicPolicy, BlockKind::Policy];
    above[above.len() - (depth - 1).min(above.len())..].to_vec()
}

/// A cell's first word, NFKC-normalised (`１－２　健康` → `1-2`); only the
/// start of a long cell is read.
fn leading_word(cell: &str) -> String {
    let first = crate::import::align::head(cell.trim_start(), 65).split(char::is_whitespace).next().unwrap_or("");
    if first.len() > 64 { String::new() } else { crate::model::value::nfkc(first) }
}

/// Imports a grid. `source` names the input in comments. Warnings and
/// errors in English (see [`import_in`]).
pub fn import(grid: &Grid, source: &str) -> Result<Imported, ImportError> {
    import_in(grid, source, crate::diagnostics::Lang::En)
}

/// [`import`] with its warnings and errors in `lang`.
pub fn import_in(grid: &Grid, source: &str, lang: crate::diagnostics::Lang) -> Result<Imported, ImportError> {
    import_pages(&[(None, grid)], &[], source, lang, &Mapping::default())
}

/// What a heading the body uses is read as (`[import.columns]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mapped {
    Column(Column),
    /// Left out (`除外`), and said.
    Skip,
}

/// The body's own headings, by their text without spaces.
pub type Mapping = HashMap<String, Mapped>;

/// The mapping `[import.columns]` gives: each target read as a heading
/// plancheck knows; one it does not know is refused, naming it.
pub fn mapping_of(settings: &crate::settings::ImportSettings, lang: crate::diagnostics::Lang) -> Result<Mapping, ImportError> {
    let mut mapping = Mapping::new();
    for (heading, target) in &settings.columns {
        let key: String = heading.split_whitespace().collect();
        let target_key: String = crate::model::value::nfkc(target).split_whitespace().collect();
        let mapped = if matches!(target_key.as_str(), "除外" | "skip") {
            Mapped::Skip
        } else {
            match headings().exact.get(&target_key).and_then(|c| c.first()) {
                Some(column) => Mapped::Column(*column),
                None => {
                    return Err(ImportError(lang.pick(
                        format!(
                            "plancheck.toml の [import.columns] `{heading}` = `{target}`: `{target}` は plancheck の見出しではありません (例: 施策代表課、実績値、目標値、指標、施策名、備考、除外)"
                        ),
                        format!("plancheck.toml [import.columns] `{heading}` = `{target}`: `{target}` is not a heading plancheck knows (e.g. 施策代表課, 実績値, 目標値, 指標, 施策名, 備考, 除外)"),
                    )));
                }
            }
        };
        mapping.insert(key, mapped);
    }
    Ok(mapping)
}

/// Imports every page of a book (a workbook's sheets) into one plan with
/// one 計画 block: each sheet's header is found on it; a sheet without one
/// (a cover, notes) is kept in the 計画's 備考, located, and said.
pub fn import_book_in(book: &Book, source: &str, lang: crate::diagnostics::Lang) -> Result<Imported, ImportError> {
    import_book_with(book, source, lang, &Mapping::default())
}

/// [`import_book_in`] with the body's own headings (`[import.columns]`).
pub fn import_book_with(book: &Book, source: &str, lang: crate::diagnostics::Lang, mapping: &Mapping) -> Result<Imported, ImportError> {
    let pages: Vec<(Option<&str>, &Grid)> = book.pages.iter().map(|p| (p.name.as_deref(), &p.grid)).collect();
    import_pages(&pages, &book.warnings, source, lang, mapping)
}

fn import_pages(pages: &[(Option<&str>, &Grid)], read_warnings: &[Warning], source: &str, lang: crate::diagnostics::Lang, mapping: &Mapping) -> Result<Imported, ImportError> {
    let all_cells = || pages.iter().flat_map(|(_, grid)| grid.rows.iter().flatten());
    // The hierarchy the table's 計画 rows declare, else what its IDs say.
    let declared = pages.iter().find_map(|(_, grid)| declared_hierarchy(grid, mapping));
    let hierarchy = match &declared {
        Some((levels, numbering)) => Hierarchy::of_text(levels.as_deref(), numbering.as_deref()),
        None => pages.iter().map(|(_, grid)| infer_hierarchy(grid, mapping)).find(|h| !h.is_default()).unwrap_or_default(),
    };
    let explicit_ids = all_cells().filter_map(|c| measure_key(c, &hierarchy)).collect();
    let mut state = Assembler { dump: !all_cells().any(|c| c.contains('\n')), explicit_ids, lang, hierarchy: hierarchy.clone(), ..Default::default() };
    let (levels, numbering) = hierarchy.declaration();
    if declared.is_none() && (levels.is_some() || numbering.is_some()) {
        let plan = state.sheet.plan.get_or_insert_with(PlanInfo::default);
        for (key, value) in [(FieldKey::Hierarchy, levels), (FieldKey::Numbering, numbering)] {
            if let Some(value) = value {
                plan.fields.insert(key, value);
            }
        }
        state.notes.entry(NoteTarget::File).or_default().push(format!("計画の 階層 ({}) は、表の見出しと番号の形から読みました。", hierarchy.describe()));
    }
    let mut header: Option<(Header, Template)>;
    // Every column some header names (or implies).
    let mut columns_seen: Vec<Column> = Vec::new();
    let mut found_header = false;
    // Rows before a sheet's header, and sheets without one: (sheet, cells).
    let mut preamble: Vec<(Option<&str>, Vec<String>)> = Vec::new();
    let mut placements = Vec::new();
    // The grade and level symbols of the sheet: its printed legend's, read
    // when the header is reached (else the default legend's).
    let mut symbols = align::Symbols::default_legend().clone().with_hierarchy(hierarchy.clone());
    // That legend: its fields as the plan writes them, and as read.
    let mut printed_fields: Vec<(FieldKey, String)> = Vec::new();
    let mut printed_legend = crate::legend::Legend::default();
    // The preamble's rows by paragraph (consecutive rows), for its legend.
    // (page, last row, text): a paragraph never runs from one sheet to the next.
    let mut paragraphs: Vec<(usize, usize, String)> = Vec::new();
    for (page_no, &(page, grid)) in pages.iter().enumerate() {
        let mut skipped_cells = 0;
        state.start_page(page);
        // One sheet per 施策 (a card), when no row is a table's header.
        let rows = &grid.rows;
        if card::is_card(rows, mapping) && !(0..rows.len()).any(|r| header_of(&rows[r], mapping).is_some() || rows.get(r + 1).is_some_and(|next| two_row_header(&rows[r], next, mapping).is_some())) {
            let (seen, title) = state.card(rows, mapping);
            preamble.push((page, title));
            columns_seen.extend(seen);
            state.close_measure();
            found_header = true;
            placements.push(std::mem::take(&mut state.placements));
            continue;
        }
        header = None;
        let mut skip_row = None;
        preamble.push((page, Vec::new()));
        for (r, row) in grid.rows.iter().enumerate() {
            let row_no = r + 1;
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            // The second header row of a workbook plancheck wrote: 指標 / 施策
            // under 定量評価, 展開 / 施策 under 定性評価.
            if let Some((found, columns)) = &mut header
                && row.iter().any(|c| !c.trim().is_empty())
                && row.iter().all(|c| matches!(c.trim(), "" | "指標" | "施策" | "展開"))
            {
                for (i, cell) in row.iter().enumerate() {
                    if cell.trim() == "施策" && i > 0 && found.columns.get(i).is_some_and(Option::is_none) {
                        found.columns[i] = found.columns[i - 1].and_then(Column::summary_pair);
                    }
                    if !cell.trim().is_empty() {
                        state.placements.push(((row_no, i + 1), Placement::Header));
                    }
                }
                *columns = template(found);
                continue;
            }
            if skip_row == Some(r) {
                continue;
            }
            // A header in one row, or in two (group headings over the columns').
            let (recognised, shown, rows) = match grid.rows.get(r + 1).and_then(|next| two_row_header(row, next, mapping)) {
                Some((found, shown)) => (Some(found), std::borrow::Cow::Owned(shown), 2),
                None => (header_of(row, mapping), std::borrow::Cow::Borrowed(row), 1),
            };
            if let Some((found, actual_year, target_year)) = recognised {
                if !std::mem::replace(&mut found_header, true) {
                    // The preamble ends here: its legend is read once.
                    // The same legend printed on the cover and on each sheet is one legend.
                    let mut printed: Vec<String> = Vec::new();
                    for (_, _, text) in &paragraphs {
                        if !printed.contains(text) {
                            printed.push(text.clone());
                        }
                    }
                    printed_fields = legend::printed_legend(&printed);
                    // Legends that disagree: the first is read, and the others said.
                    let scales: Vec<(usize, Vec<String>)> = paragraphs.iter().map(|(page, _, text)| (*page, legend::grade_bounds_of(text))).filter(|(_, g)| g.len() >= 2).collect();
                    if let Some((first_page, first)) = scales.first() {
                        for (page, other) in scales.iter().filter(|(_, g)| g != first) {
                            let name = |p: usize| pages.get(p).and_then(|(n, _)| *n).map_or_else(String::new, |n| lang.pick(format!("シート「{n}」の"), format!("sheet `{n}`'s ")));
                            state.warnings.push(Warning::at_file(lang.pick(
                                format!(
                                    "{}凡例 ({}) は {}凡例 ({}) と違います: 先のものを計画の凡例として読みました。計画 の 指標の評価 を確かめてください",
                                    name(*page),
                                    other.join("、"),
                                    name(*first_page),
                                    first.join("、")
                                ),
                                format!(
                                    "{}legend ({}) differs from {}legend ({}): the first is read as the plan's; check 指標の評価 in the 計画 block",
                                    name(*page),
                                    other.join(", "),
                                    name(*first_page),
                                    first.join(", ")
                                ),
                            )));
                        }
                    }
                    let base = crate::legend::Legend::default();
                    let (_, read, _) = base.with_fields(crate::legend::Method::Ratio, |key| printed_fields.iter().find(|(k, _)| *k == key).map(|(_, t)| (t.as_str(), crate::syntax::Span::default())));
                    symbols = align::Symbols::of(&read).with_hierarchy(hierarchy.clone());
                    printed_legend = read;
                    for (key, year) in [(FieldKey::ActualYear, actual_year), (FieldKey::TargetYear, target_year)] {
                        if let Some(year) = year {
                            state.sheet.plan.get_or_insert_with(PlanInfo::default).fields.insert(key, year);
                        }
                    }
                }
                let columns = template(&found);
                columns_seen.extend(columns.iter().map(|&(c, _)| c));
                state.explain_header(row_no..=row_no + rows - 1, &shown, &found, &columns);
                state.column_years = found.years.clone();
                header = Some((found, columns));
                // A cell of the header row over no column of the table and
                // nothing below (`入力者: 企画課` beside the headings) is text of
                // the sheet, kept with the preamble, not a heading.
                let stray: Vec<usize> = header
                    .as_ref()
                    .map(|(found, _)| found.foreign.iter().map(|(i, _)| *i).filter(|&i| !grid.rows[r + rows..].iter().any(|row| row.get(i).is_some_and(|c| !c.trim().is_empty()))).collect())
                    .unwrap_or_default();
                for (n, header_row) in grid.rows[r..r + rows].iter().enumerate() {
                    for (c, text) in header_row.iter().enumerate().filter(|(_, c)| !c.trim().is_empty()) {
                        if n == 0 && stray.contains(&c) {
                            let at = state.cell_text(row_no, c + 1);
                            preamble.last_mut().expect("one per page").1.push(format!("{at}: {}", text.trim()));
                            state.placements.push(((row_no, c + 1), Placement::Remark));
                        } else {
                            state.placements.push(((row_no + n, c + 1), Placement::Header));
                        }
                    }
                }
                if rows == 2 {
                    skip_row = Some(r + 1);
                }
                continue;
            }
            let Some((found, columns)) = &header else {
                // The 計画 block as export writes it: one cell alone on its row.
                if let Some((c, plan_cell)) = lone_plan_cell(row) {
                    let plan = state.sheet.plan.get_or_insert_with(PlanInfo::default);
                    match plan_cell {
                        crate::table::PlanCell::Title(title) => plan.title = plan.title.take().or(title),
                        crate::table::PlanCell::Field(key, value) => {
                            plan.fields.insert(key, value);
                        }
                    }
                    state.placements.push(((row_no, c + 1), Placement::Plan));
                    continue;
                }
                // Before the first header: the legend and titles of the sheet.
                for (c, cell) in row.iter().enumerate().filter(|(_, c)| !c.trim().is_empty()) {
                    preamble.last_mut().expect("one per page").1.push(cell.trim().to_string());
                    state.placements.push(((row_no, c + 1), Placement::Remark));
                    match paragraphs.last_mut().filter(|_| !found_header) {
                        Some((on, last, text)) if *on == page_no && *last + 1 >= row_no => {
                            text.push('\n');
                            text.push_str(cell.trim());
                            *last = row_no;
                        }
                        _ if found_header => {}
                        _ => paragraphs.push((page_no, row_no, cell.trim().to_string())),
                    }
                }
                continue;
            };
            let all: Vec<(usize, &str)> = row.iter().enumerate().filter(|(_, c)| !c.trim().is_empty()).map(|(i, c)| (i, c.trim())).collect();
            // Cells under a heading that is not an official column are kept as
            // they are (備考), never taken for a field.
            // Columns the body's settings leave out (`除外`): counted, never read.
            let before = all.len();
            let all: Vec<(usize, &str)> = all.into_iter().filter(|(i, _)| !found.skipped.contains(i)).collect();
            skipped_cells += before - all.len();
            let (foreign, mut cells): (Vec<_>, Vec<_>) = all.into_iter().partition(|(i, _)| found.foreign.iter().any(|(f, _)| f == i));
            // A 指標's or 展開's value merged down over the rows of the next
            // ones (one 定量評価, one 成果 for two) is each row's: read again on
            // this row from the merge's first cell (placed there once).
            let mut from_merges = Vec::new();
            if cells.iter().any(|(i, _)| columns.iter().any(|(c, at)| *at == Some(*i) && matches!(c, Column::Indicator | Column::Development))) {
                for m in grid.merges.iter().filter(|m| (m.first_row as usize) < r && r <= m.last_row as usize) {
                    let c = m.first_column as usize;
                    let child_field = columns.iter().any(|(col, at)| *at == Some(c) && matches!(col, Column::Field(BlockKind::Indicator | BlockKind::Development, _)));
                    let top = grid.rows.get(m.first_row as usize).and_then(|row| row.get(c)).map_or("", |t| t.as_str());
                    if child_field && !top.trim().is_empty() && !cells.iter().any(|(i, _)| *i == c) {
                        cells.push((c, top.trim()));
                        from_merges.push(c);
                    }
                }
                cells.sort_by_key(|(i, _)| *i);
            }
            let (assigned, regular) = align::align_in(&cells, columns, &symbols, page.is_some());
            // A container's cell merged down from a row above names this
            // row's container too (the 政策 written once beside its 施策).
            let merged = |level: Column| columns.iter().find(|(c, _)| *c == level).and_then(|(_, i)| *i).is_some_and(|i| grid.merged_from_above(r, i));
            let named = &mut state.row_names_containers;
            named.0 |= merged(Column::Goal);
            named.1 |= merged(Column::BasicPolicy);
            named.2 |= merged(Column::Policy);
            let before = state.block_counts();
            state.row(row_no, &cells, &assigned, regular, &symbols);
            state.record_blanks(row_no, before, columns, &cells);
            if !from_merges.is_empty() {
                state.placements.retain(|((pr, pc), _)| !(*pr == row_no && from_merges.contains(&(pc - 1))));
            }
            for (i, text) in foreign {
                let heading = found.foreign.iter().find(|(f, _)| *f == i).map_or("", |(_, h)| h.as_str());
                state.foreign_cell(row_no, i + 1, text, heading);
            }
        }
        state.close_measure();
        if header.is_none()
            && grid.rows.iter().flatten().any(|c| !c.trim().is_empty())
            && let Some(name) = page
        {
            let cells = grid.non_empty_cells().len();
            state.warnings.push(Warning::at_file(lang.pick(
                format!("シート `{name}` には見出しの行がありません (表紙や注記のシート): その {cells} 個のセルは 計画 の 備考 に残しました"),
                format!("sheet `{name}` has no header row (a cover or notes sheet): its {cells} cells are kept in the 計画's 備考"),
            )));
        }
        if skipped_cells > 0 {
            let on = page.map(|name| lang.pick(format!("シート `{name}` の"), format!("sheet `{name}`: "))).unwrap_or_default();
            state.warnings.push(Warning::at_file(lang.pick(
                format!("{on}plancheck.toml で 除外 とした列のセル ({skipped_cells} 個) は取り込みません"),
                format!("{on}the {skipped_cells} cell(s) of the columns plancheck.toml leaves out (除外) are not imported"),
            )));
        }
        placements.push(std::mem::take(&mut state.placements));
    }
    if !found_header {
        return Err(ImportError(lang.pick(
            format!("{source}: 見出しの行がありません (公式の表の列のうち、施策名 を含む4つ以上を挙げる行: 基本政策, 政策, 施策名, 全体評価, 指標, ...)"),
            format!("{source}: no header row found (a row naming at least four of the official columns, among them 施策名: 基本政策, 政策, 施策名, 全体評価, 指標, ...)"),
        )));
    }
    // A header and nothing under it: not a plan to write (an empty template,
    // or the rows are on a sheet that was not read).
    if state.sheet.measures().next().is_none() {
        let sheets = if pages.len() > 1 || pages.iter().any(|(p, _)| p.is_some()) {
            lang.pick("。ほかのシートにあるなら --sheet で選べます", "; if they are on another sheet, --sheet chooses it")
        } else {
            ""
        };
        return Err(ImportError(lang.pick(
            format!("{source}: 見出しの行はありますが、その下に 施策 の行がありません (施策名 の列に `1-1-1 名前` のような番号で始まるセルがありません){sheets}"),
            format!("{source}: there is a header row but no 施策 row under it (no cell under 施策名 starts with a number such as `1-1-1 name`){sheets}"),
        )));
    }
    // The required fields no header has a column for: the body's form has
    // no place for them (`様式にない項目`), and the check does not ask for them.
    if state.sheet.plan.as_ref().is_none_or(|p| p.fields.get(FieldKey::NotInForm).is_none()) {
        let measures: Vec<&Measure> = state.sheet.measures().map(|(_, _, m)| m).collect();
        let has_indicators = measures.iter().any(|m| !m.indicators.is_empty());
        let has_developments = measures.iter().any(|m| !m.developments.is_empty());
        let absent: Vec<FieldKey> = [
            (BlockKind::Measure, FieldKey::OverallGrade, true),
            (BlockKind::Indicator, FieldKey::Actual, has_indicators),
            (BlockKind::Indicator, FieldKey::Target, has_indicators),
            (BlockKind::Indicator, FieldKey::IndicatorGrade, has_indicators),
            (BlockKind::Development, FieldKey::Result, has_developments),
            (BlockKind::Development, FieldKey::DevelopmentLevel, has_developments),
        ]
        .into_iter()
        .filter(|&(block, key, present)| present && !columns_seen.contains(&Column::Field(block, key)))
        .map(|(_, key, _)| key)
        .collect();
        // Cards' years without a status (`(速報)`): the form has no place for one.
        let absent_status = state.card_statuses.1 > 0 && state.card_statuses.0 == 0;
        if let Some(declaration) = crate::model::hierarchy::absent_declaration(&absent, absent_status) {
            state.sheet.plan.get_or_insert_with(PlanInfo::default).fields.insert(FieldKey::NotInForm, declaration.clone());
            let why = match (absent.is_empty(), absent_status) {
                (false, false) => format!("表に {declaration} の列がない"),
                (true, _) => "推移の年度に状況 (確定・速報・見込み) が書かれていない".to_string(),
                (false, true) => format!("表に {} の列がなく、推移の年度に状況 (確定・速報・見込み) が書かれていない", crate::model::hierarchy::absent_declaration(&absent, false).unwrap_or_default()),
            };
            let written = if absent_status { format!("に {declaration} と") } else { "に".to_string() };
            state.notes.entry(NoteTarget::File).or_default().push(format!("{why}ため、計画 の 様式にない項目 {written}書きました (検査はこれらを求めません)。"));
        }
    }
    // The legend printed above the table, in the plan's legend fields (the
    // text stays in the 備考 too, as printed).
    if !printed_fields.is_empty() {
        let plan = state.sheet.plan.get_or_insert_with(PlanInfo::default);
        for (key, text) in &printed_fields {
            plan.fields.insert(*key, text.clone());
        }
        let read: Vec<&str> = printed_fields.iter().map(|(key, _)| crate::model::schema::def(*key).name()).collect();
        state.notes.entry(NoteTarget::File).or_default().push(format!("計画の {} は、表の上に印刷された凡例から読みました (備考 にも元の文のまま残します)。", read.join("・")));
    }
    let scheme = crate::rating::RatingScheme { legend: printed_legend, ..crate::rating::RatingScheme::default() };
    let inferred_directions = infer_directions(&mut state.sheet, &mut state.notes, &scheme);
    // One sheet's (or a text file's) rows above its header as they were;
    // several sheets' each after its name.
    let named = preamble.iter().filter(|(_, cells)| !cells.is_empty()).count() > 1 || pages.len() > 1;
    let remark: Vec<String> = preamble
        .iter()
        .filter(|(_, cells)| !cells.is_empty())
        .flat_map(|(page, cells)| page.filter(|_| named).map(|name| format!("シート「{name}」:")).into_iter().chain(cells.iter().cloned()))
        .collect();
    // The sheet's printed title (`第3次みどり市総合計画　成果・課題一覧`) names
    // the plan and, before its 総合計画, the municipality: the report's title.
    // The cell stays in the 備考 too.
    if state.sheet.plan.as_ref().is_none_or(|p| p.title.is_none())
        && let Some(title) = preamble.iter().flat_map(|(_, cells)| cells.iter()).find(|c| c.contains("計画") && c.chars().count() <= 80)
    {
        let title: String = title.split(char::is_whitespace).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
        let plan = state.sheet.plan.get_or_insert_with(PlanInfo::default);
        let mut read = vec!["名前"];
        if plan.fields.get(FieldKey::Municipality).is_none()
            && let Some(municipality) = municipality_in(&title)
        {
            plan.fields.insert(FieldKey::Municipality, municipality);
            read.push("自治体");
        }
        state.notes.entry(NoteTarget::File).or_default().push(format!("計画の {} は、表の上の表題「{title}」から読みました。", read.join("と")));
        plan.title = Some(title);
    }
    if !remark.is_empty() {
        let plan = state.sheet.plan.get_or_insert_with(PlanInfo::default);
        plan.fields.insert(FieldKey::Remark, remark.join("\n"));
        let what = if pages.len() > 1 {
            "計画の 備考 は、各シートの表の見出しより前の行 (凡例など) と、見出しのないシート (表紙など) です。"
        } else {
            "計画の 備考 は、表の見出しより前の行 (凡例など) です。"
        };
        state.notes.entry(NoteTarget::File).or_default().push(what.to_string());
    }
    let notes = std::mem::take(&mut state.notes);
    let header_comment = format!("{source} から plancheck import で取り込みました。");
    let text = state.sheet.to_plan_with_notes(&|target| {
        let mut lines = Vec::new();
        if *target == NoteTarget::File {
            lines.push(header_comment.clone());
        }
        lines.extend(notes.get(target).cloned().unwrap_or_default());
        lines
    });
    // In the formatter's layout to the letter (ASCII grades and numbers, ...).
    let text = crate::format::format(&crate::model::Document::parse("import.plan", text.clone())).unwrap_or(text);
    let page_warnings = pages.iter().flat_map(|(_, grid)| grid.warnings.iter().cloned());
    let warnings = read_warnings.iter().cloned().chain(page_warnings).chain(state.warnings).collect();
    let mut explanation = vec![match &declared {
        Some(_) => lang.pick(format!("階層: {} (表の上の 計画 の行から)", hierarchy.describe()), format!("hierarchy: {} (from the 計画 rows above the table)", hierarchy.describe())),
        None if hierarchy.is_default() => lang.pick(format!("階層: {} (既定)", hierarchy.describe()), format!("hierarchy: {} (the default)", hierarchy.describe())),
        None => lang.pick(format!("階層: {} (見出しと番号の形から)", hierarchy.describe()), format!("hierarchy: {} (from the headings and the numbers' shapes)", hierarchy.describe())),
    }];
    explanation.extend(state.explanation);
    Ok(Imported { sheet: state.sheet, text, warnings, placements, inferred_directions, cells: state.cells, blank_cells: state.blank_cells, explanation })
}

/// A published table has no 方向 column: an indicator whose name reads
/// lower-is-better and whose stated grade agrees with its numbers only
/// when lower is better gets `方向: 減少`, with a comment saying why (both
/// must agree; a name alone is left to `missing-direction`). Returns how
/// many. Rated with the default legend (a table has no config), with the
/// legend printed above the table laid over it.
fn infer_directions(sheet: &mut Sheet, notes: &mut HashMap<NoteTarget, Vec<String>>, scheme: &crate::rating::RatingScheme) -> usize {
    use crate::rating::Stated;
    let settings = crate::settings::DirectionSettings::default();
    let mut count = 0;
    let places: Vec<MeasureAt> =
        sheet.basic_policies.iter().enumerate().flat_map(|(b, basic)| basic.policies.iter().enumerate().flat_map(move |(p, policy)| (0..policy.measures.len()).map(move |m| (b, p, m)))).collect();
    for (b, p, m) in places {
        let measure = &mut sheet.basic_policies[b].policies[p].measures[m];
        for (i, indicator) in measure.indicators.iter_mut().enumerate() {
            let fields = &indicator.fields;
            if fields.has(FieldKey::Direction) {
                continue;
            }
            let Some(word) = crate::direction::lower_is_better_word(&indicator.title, &settings) else { continue };
            let Stated::Read(stated) = crate::rating::stated_symbol(scheme, crate::legend::ScaleOf::Indicator, fields.get(FieldKey::IndicatorGrade)) else { continue };
            let read = crate::sheet::ReadValues::of(fields);
            let values = read.stated(fields);
            if values.direction != Stated::Absent {
                continue; // the target's inequality or range says the direction (`10件以下`)
            }
            let Some(other) = crate::direction::other_way(scheme, values, &stated) else { continue };
            let way = crate::direction::keyword(other.direction);
            indicator.fields.insert(FieldKey::Direction, way.to_string());
            notes
                .entry(NoteTarget::Indicator((b, p, m), i))
                .or_default()
                .push(format!("方向: {way} は推定です (表に方向の列がないため): 名前の「{word}」は低いほどよい指標に見え、記載の定量評価 {stated} は {way} として計算したときだけ合います"));
            count += 1;
        }
    }
    count
}

#[derive(Default)]
struct Assembler {
    sheet: Sheet,
    notes: HashMap<NoteTarget, Vec<String>>,
    warnings: Vec<Warning>,
    placements: Vec<((usize, usize), Placement)>,
    /// The current 基本目標, 基本政策 and 政策 (ID, title).
    goal: Option<(String, Option<String>)>,
    basic: Option<(String, Option<String>)>,
    policy: Option<(String, Option<String>)>,
    /// Whether this row itself names them (then a 施策 on it goes under
    /// them, as written, even against its ID: the checker reports that).
    row_names_containers: (bool, bool, bool),
    /// The sheet's hierarchy (its levels and ID shapes).
    hierarchy: Hierarchy,
    /// The worksheet being read (a workbook's), for locations.
    page: Option<String>,
    /// The 単位 cell of the row being read.
    row_unit: Option<String>,
    /// The cell each field's value came from.
    cells: HashMap<FieldPlace, CellAt>,
    /// The empty cell under each field's column on its block's first row.
    blank_cells: HashMap<FieldPlace, CellAt>,
    /// How each header was read (`import --explain`).
    explanation: Vec<String>,
    /// Years the header gives in parentheses (`基準値(R元)`), by column.
    column_years: Vec<(Column, String)>,
    /// The current 施策: its place in the sheet.
    measure: Option<(usize, usize, usize)>,
    /// The input is the text dump of a PDF (no cell has a line break).
    dump: bool,
    /// Every 施策 number written anywhere in the sheet (as `measure_key`),
    /// and those inferred so far: a number the importer infers is none of them.
    explicit_ids: std::collections::HashSet<String>,
    /// Rows of the current 施策, for its comment.
    first_row: usize,
    last_row: usize,
    /// The language of the warnings (the comments in the plan are Japanese,
    /// as the plan is).
    lang: crate::diagnostics::Lang,
    /// The years of cards' indicators read with a status (`(速報)`) and without.
    card_statuses: (usize, usize),
}

/// A cell's leading 施策 number, written as the hierarchy writes it
/// (`１－１－０３ 健康` → `1-1-3`), if it starts with one.
fn measure_key(cell: &str, hierarchy: &Hierarchy) -> Option<String> {
    // Only the first word can be an ID, of a few characters: a long cell is
    // neither normalised nor searched whole.
    let id = leading_word(cell);
    hierarchy.numbers(BlockKind::Measure, &id).map(|numbers| hierarchy.format(&numbers))
}

/// Splits `ID title` (`1-1-1 健康づくり`, `１－１－１　健康`).
fn split_id(cell: &str) -> (String, Option<String>) {
    let normalized = crate::model::value::nfkc(cell);
    let mut parts = normalized.splitn(2, char::is_whitespace);
    let id = parts.next().unwrap_or("").to_string();
    let title = parts.next().map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty());
    // The title as written (NFKC only for the ID).
    let title = title.map(|_| cell.trim().split_once(char::is_whitespace).map_or("", |(_, t)| t).trim().to_string());
    (id, title)
}

impl Assembler {
    /// A new sheet: its own header, containers and rows.
    fn start_page(&mut self, page: Option<&str>) {
        self.close_measure();
        self.measure = None;
        self.goal = None;
        self.basic = None;
        self.policy = None;
        self.row_names_containers = Default::default();
        self.page = page.map(str::to_string);
    }

    /// Says how each heading of a header row was read.
    fn explain_header(&mut self, rows: std::ops::RangeInclusive<usize>, row: &[String], found: &Header, columns: &Template) {
        let lang = self.lang;
        let row_no = *rows.end();
        let numbers = if rows.start() == rows.end() { row_no.to_string() } else { format!("{}〜{}", rows.start(), rows.end()) };
        let at = |col: usize| match &self.page {
            Some(sheet) => cell_address(sheet, row_no, col + 1),
            None => format!("{}{row_no}", crate::table::column_letters(col)),
        };
        let header_row = match &self.page {
            Some(sheet) => lang.pick(format!("見出しの行: シート「{sheet}」の {numbers} 行目"), format!("header row: row {numbers} of sheet {sheet}")),
            None => lang.pick(format!("見出しの行: {numbers} 行目"), format!("header row: row {numbers}")),
        };
        let mut lines = vec![header_row];
        for (i, cell) in row.iter().enumerate().filter(|(_, c)| !c.trim().is_empty()) {
            let heading = one_line(cell);
            let read = columns.iter().find(|(_, x)| *x == Some(i)).map(|&(column, _)| column);
            let what = match read {
                Some(column) => describe_column(column, lang),
                None if found.skipped.contains(&i) => lang.pick("plancheck.toml で 除外: 取り込みません".to_string(), "left out by plancheck.toml (除外)".to_string()),
                None if found.foreign.iter().any(|(f, _)| *f == i) => {
                    lang.pick("表の列ではない: そのセルは 備考 に残します".to_string(), "not a column of the table: its cells are kept as 備考".to_string())
                }
                None => lang.pick("読みません".to_string(), "not read".to_string()),
            };
            let year = found.years.iter().find(|(c, _)| Some(*c) == read).map(|(_, y)| lang.pick(format!(" (年 {y} を値の注記に)"), format!(" (year {y} as each value's note)"))).unwrap_or_default();
            lines.push(format!("  {} 「{heading}」 → {what}{year}", at(i)));
        }
        for (column, at_cell) in columns.iter().filter(|(_, at)| at.is_none()) {
            let _ = at_cell;
            lines.push(lang.pick(
                format!("  (見出しなし) → {} (公表の表の、見出しのない列)", describe_column(*column, lang)),
                format!("  (no heading) → {} (a column the published table has without a heading)", describe_column(*column, lang)),
            ));
        }
        self.explanation.extend(lines);
    }

    /// `シート「基本政策2」の ` before a row's number in a note, in a workbook.
    fn on_sheet(&self) -> String {
        self.page.as_deref().map(|name| format!("シート「{name}」の ")).unwrap_or_default()
    }

    /// A cell in a note: `基本政策2!F12` in a workbook, `12 行 6 列` else.
    fn cell_text(&self, row: usize, col: usize) -> String {
        match &self.page {
            Some(name) => format!("セル {}", cell_address(name, row, col)),
            None => format!("{row} 行 {col} 列のセル"),
        }
    }

    fn measure_mut(&mut self) -> Option<&mut Measure> {
        let (b, p, m) = self.measure?;
        Some(&mut self.sheet.basic_policies[b].policies[p].measures[m])
    }

    fn current_target(&self, kind: Option<Column>) -> NoteTarget {
        let Some(at @ (b, p, m)) = self.measure else { return NoteTarget::File };
        let measure = &self.sheet.basic_policies[b].policies[p].measures[m];
        match kind {
            Some(Column::Indicator) if !measure.indicators.is_empty() => NoteTarget::Indicator(at, measure.indicators.len() - 1),
            Some(Column::Development) if !measure.developments.is_empty() => NoteTarget::Development(at, measure.developments.len() - 1),
            _ => NoteTarget::Measure(at),
        }
    }

    /// A cell kept as a 備考 of the nearest block, with a comment and a warning.
    fn remark(&mut self, row: usize, col: usize, text: &str, why: (&str, &str), near: Option<Column>) {
        let (why, why_en) = why;
        let target = self.current_target(near);
        let note = format!("備考: {} ({why})", self.cell_text(row, col));
        let remark = text.to_string();
        match (&target, self.measure_mut()) {
            (NoteTarget::Indicator(_, i), Some(measure)) => measure.indicators[*i].fields.insert(FieldKey::Remark, remark),
            (NoteTarget::Development(_, i), Some(measure)) => measure.developments[*i].fields.insert(FieldKey::Remark, remark),
            (NoteTarget::Measure(_), Some(measure)) => measure.fields.insert(FieldKey::Remark, remark),
            _ => self.sheet.plan.get_or_insert_with(PlanInfo::default).fields.insert(FieldKey::Remark, remark),
        };
        self.notes.entry(target).or_default().push(note);
        let message = self.lang.pick(format!("{why}。備考 として残しました"), format!("{why_en}; kept as 備考"));
        self.warnings.push(Warning { sheet: self.page.clone(), row, column: col, message });
        self.placements.push(((row, col), Placement::Remark));
    }

    /// A cell under a heading the official table does not have.
    fn foreign_cell(&mut self, row: usize, col: usize, text: &str, heading: &str) {
        self.remark(row, col, text, (&format!("列「{heading}」は公式の表の列ではない"), &format!("the column `{heading}` is not one of the official table's")), None);
    }

    /// The current 施策 and how many 指標 and 展開 it has.
    fn block_counts(&self) -> (Option<MeasureAt>, usize, usize) {
        let Some(at) = self.measure else { return (None, 0, 0) };
        let m = &self.sheet.basic_policies[at.0].policies[at.1].measures[at.2];
        (Some(at), m.indicators.len(), m.developments.len())
    }

    /// For each block this row began, the empty cells under its fields'
    /// columns (where a finding that the field is missing is shown).
    fn record_blanks(&mut self, row: usize, before: (Option<MeasureAt>, usize, usize), columns: &Template, cells: &[(usize, &str)]) {
        let (now, indicators, developments) = self.block_counts();
        let Some(at) = now else { return };
        let new_measure = before.0 != now;
        let blank = |i: usize| !cells.iter().any(|(c, _)| *c == i);
        for &(column, index) in columns {
            let (Column::Field(kind, key), Some(i)) = (column, index) else { continue };
            let child = match kind {
                BlockKind::Measure if new_measure => None,
                BlockKind::Indicator if indicators > if new_measure { 0 } else { before.1 } => Some((kind, indicators - 1)),
                BlockKind::Development if developments > if new_measure { 0 } else { before.2 } => Some((kind, developments - 1)),
                _ => continue,
            };
            if blank(i) {
                self.blank_cells.entry(FieldPlace { measure: at, child, key: Some(key) }).or_insert(CellAt { sheet: self.page.clone(), row, column: i + 1 });
            }
        }
    }

    fn place(&mut self, row: usize, col: usize, column: Column) {
        self.placements.push(((row, col), Placement::Field(column)));
        self.record(row, col, column);
    }

    /// Where the value of `column` on this row came from, for findings on
    /// it (the first cell of each field).
    fn record(&mut self, row: usize, col: usize, column: Column) {
        let Some(at) = self.measure else { return };
        let Some(measure) = self.sheet.basic_policies.get(at.0).and_then(|b| b.policies.get(at.1)).and_then(|p| p.measures.get(at.2)) else { return };
        let last = |kind| match kind {
            BlockKind::Indicator => measure.indicators.len().checked_sub(1).map(|i| (kind, i)),
            BlockKind::Development => measure.developments.len().checked_sub(1).map(|i| (kind, i)),
            _ => None,
        };
        let (child, key) = match column {
            Column::Field(BlockKind::Measure, key) => (None, Some(key)),
            Column::Field(kind, key) => (last(kind), Some(key)),
            Column::Indicator => (last(BlockKind::Indicator), None),
            Column::Development => (last(BlockKind::Development), None),
            Column::Measure | Column::MeasureNumber | Column::MeasureTitle => (None, None),
            _ => return,
        };
        let place = FieldPlace { measure: at, child, key };
        self.cells.entry(place).or_insert(CellAt { sheet: self.page.clone(), row, column: col });
    }

    fn row(&mut self, row_no: usize, cells: &[(usize, &str)], assigned: &[Option<Column>], regular: bool, symbols: &align::Symbols) {
        // In a row read by content (not by position), or any row of a PDF
        // dump: a name with neither
        // values nor a grade beside it is not an indicator; on a row without
        // a 展開 name, it is the 展開's. With a 展開 name too (a PDF page that
        // prints the 展開's name twice), it is left to the rules for
        // unassigned cells.
        let mut assigned = assigned.to_vec();
        let has = |assigned: &[Option<Column>], c: Column| assigned.contains(&Some(c));
        if (!regular || self.dump) && has(&assigned, Column::Indicator) && ![Column::ACTUAL, Column::TARGET, Column::INDICATOR_GRADE].iter().any(|&c| has(&assigned, c)) {
            let replacement = if has(&assigned, Column::Development) { None } else { Some(Column::Development) };
            for a in assigned.iter_mut().filter(|a| **a == Some(Column::Indicator)) {
                *a = replacement;
            }
        }
        let assigned = &assigned[..];
        let get = |column: Column| cells.iter().zip(assigned).find(|(_, a)| **a == Some(column)).map(|((i, text), _)| (*i + 1, *text));
        // Containers. Under the column of a level of the plan, an ID of that
        // level; under another (a block written at a level the plan does not
        // have, as export writes it), any ID.
        let classify = |text: &str| align::classify_with(text, symbols);
        let is_id = |kind: CellKind| matches!(kind, CellKind::GoalId | CellKind::BasicPolicyId | CellKind::PolicyId | CellKind::MeasureId);
        let hierarchy = symbols.hierarchy();
        let of_level = |level: BlockKind, text: &str, id_kind: CellKind| {
            let kind = classify(text);
            // A bare code under its level's column (`01`, as export writes a
            // container without a title) is that level's ID.
            let bare_code = || !text.trim().contains(char::is_whitespace) && hierarchy.level_of_id(&crate::model::value::nfkc(text.trim())) == Some(level);
            if hierarchy.depth(level).is_some() { kind == id_kind || bare_code() } else { is_id(kind) }
        };
        if let Some((col, text)) = get(Column::Goal) {
            let (id, title) = split_id(text);
            if of_level(BlockKind::Goal, text, CellKind::GoalId) {
                self.goal = Some((id, title));
                self.row_names_containers.0 = true;
                self.place(row_no, col, Column::Goal);
            } else {
                self.remark(row_no, col, text, ("基本目標 の列だが番号で始まらない", "under 基本目標 but not starting with a number"), None);
            }
        }
        if let Some((col, text)) = get(Column::BasicPolicy) {
            let (id, title) = split_id(text);
            if of_level(BlockKind::BasicPolicy, text, CellKind::BasicPolicyId) {
                self.basic = Some((id, title));
                self.row_names_containers.1 = true;
                self.place(row_no, col, Column::BasicPolicy);
            } else {
                self.remark(row_no, col, text, ("基本政策 の列だが番号で始まらない", "under 基本政策 but not starting with a number"), None);
            }
        }
        if let Some((col, text)) = get(Column::Policy) {
            let (id, title) = split_id(text);
            if of_level(BlockKind::Policy, text, CellKind::PolicyId) {
                self.policy = Some((id, title));
                self.row_names_containers.2 = true;
                self.place(row_no, col, Column::Policy);
            } else if let Some((_, basic_title)) = self.basic.as_mut().filter(|(_, t)| t.is_none()) {
                // The published table prints the 基本政策's title in the 政策 column.
                *basic_title = Some(text.to_string());
                self.place(row_no, col, Column::BasicPolicy);
            } else {
                let (shape_ja, shape_en, _) = self.hierarchy.depth(BlockKind::Policy).map(|d| self.hierarchy.shape(d)).unwrap_or_else(|| ("番号".into(), "number".into(), String::new()));
                self.remark(row_no, col, text, (&format!("政策 の列だが {shape_ja} の番号で始まらない"), &format!("under 政策 but not starting with a {shape_en} number")), None);
            }
        }
        self.row_unit = get(Column::Unit).map(|(_, u)| u.trim().to_string());
        if let Some((col, number)) = get(Column::MeasureNumber) {
            let (id, _) = split_id(number);
            let title = get(Column::MeasureTitle).map(|(_, t)| one_line(t));
            self.start_measure(row_no, id, title);
            self.place(row_no, col, Column::MeasureNumber);
            if let Some((col, _)) = get(Column::MeasureTitle) {
                self.place(row_no, col, Column::MeasureTitle);
            }
        } else if let Some((col, text)) = get(Column::Measure) {
            let (id, title) = split_id(text);
            self.start_measure(row_no, id, title);
            self.place(row_no, col, Column::Measure);
        } else if self.row_names_containers.2
            && (get(Column::Field(BlockKind::Measure, FieldKey::OverallGrade)).is_some() || get(Column::Field(BlockKind::Measure, FieldKey::SelfAssessment)).is_some())
            && let Some((policy_id, _)) = self.policy.clone()
        {
            // A row that opens a 政策 with a 施策's grade or assessment but no
            // 施策 number (a PDF page that lost it): the next number in that
            // 政策, said in a comment and a warning.
            // The next number after this 政策's 施策 so far that no 施策
            // of the sheet has, above or below (explicit numbers first).
            let count = self.sheet.basic_policies.iter().flat_map(|b| &b.policies).filter(|p| p.id == policy_id).map(|p| p.measures.len()).sum::<usize>();
            let policy_numbers = self.hierarchy.numbers(BlockKind::Policy, &policy_id);
            let numbered = |n: usize| match &policy_numbers {
                Some(numbers) => self.hierarchy.format(&[numbers.as_slice(), &[n as u32]].concat()),
                None => format!("{policy_id}-{n}"),
            };
            let id = (count + 1..).map(numbered).find(|id| !measure_key(id, &self.hierarchy).is_some_and(|key| self.explicit_ids.contains(&key))).expect("an unused number");
            if let Some(key) = measure_key(&id, &self.hierarchy) {
                self.explicit_ids.insert(key);
            }
            self.start_measure(row_no, id.clone(), None);
            let at = self.measure.expect("just started");
            let on = self.on_sheet();
            self.notes.entry(NoteTarget::Measure(at)).or_default().push(format!("{on}{row_no} 行に 施策 の番号がないため、番号 {id} は推定です"));
            let message = self.lang.pick(
                format!("政策 {policy_id} を始める行に 施策 の番号がありません。番号 {id} としました (確かめてください)"),
                format!("no 施策 number on a row that opens 政策 {policy_id}: numbered {id} (please check)"),
            );
            self.warnings.push(Warning { sheet: self.page.clone(), row: row_no, column: 1, message });
        }
        if self.measure.is_none() {
            for ((i, text), _) in
                cells.iter().zip(assigned).filter(|(_, a)| !matches!(a, Some(Column::Goal | Column::BasicPolicy | Column::Policy | Column::Measure | Column::MeasureNumber | Column::MeasureTitle)))
            {
                self.remark(row_no, i + 1, text, ("施策 より前のセル", "a cell before any 施策"), None);
            }
            return;
        }
        self.last_row = row_no;
        // Several indicators joined in one row (names, values and grades each
        // separated by spaces, in order): one indicator each.
        let joined = self.joined_indicators(cells, assigned);
        if let Some(indicators) = &joined {
            let count = indicators.len();
            self.measure_mut().unwrap().indicators.extend(indicators.iter().cloned());
            let target = self.current_target(None);
            let on = self.on_sheet();
            self.notes.entry(target).or_default().push(format!("{on}{row_no} 行は {count} つの指標の名前・値・評価が1つのセルずつに並んでいたため、分けました"));
            for &column in &JOINED_INDICATOR_COLUMNS {
                if let Some((col, _)) = get(column) {
                    self.place(row_no, col, column);
                }
            }
        }
        // Indicator and 展開 of this row.
        let of_block = |kind: BlockKind, title: Column| assigned.iter().flatten().any(|&c| c == title || matches!(c, Column::Field(k, _) if k == kind));
        if joined.is_none() && of_block(BlockKind::Indicator, Column::Indicator) {
            let title = get(Column::Indicator).map(|(_, t)| one_line(t)).unwrap_or_default();
            let measure = self.measure_mut().unwrap();
            measure.indicators.push(Indicator { title, ..Default::default() });
        }
        let any_development_cell = of_block(BlockKind::Development, Column::Development);
        // A regular table has one 展開 per row; in a PDF dump a row without
        // a 展開 name continues the one above.
        let new_development = get(Column::Development).is_some() || any_development_cell && (regular || self.measure_mut().is_some_and(|m| m.developments.is_empty()));
        if new_development {
            let title = get(Column::Development).map(|(_, t)| one_line(t)).unwrap_or_default();
            self.measure_mut().unwrap().developments.push(Development { title, ..Default::default() });
        }
        for ((i, text), column) in cells.iter().zip(assigned) {
            let col = i + 1;
            let Some(column) = *column else {
                // The same text printed twice on one row (a title, a grade): one is enough.
                let twin = cells.iter().zip(assigned).find(|((j, other), a)| a.is_some() && *j != *i && *other == *text);
                if let Some(((j, _), _)) = twin {
                    let target = self.current_target(None);
                    let on = self.on_sheet();
                    self.notes.entry(target).or_default().push(format!("{on}{row_no} 行 {col} 列は同じ行の {} 列と同じ: {}", j + 1, one_line(text)));
                    self.placements.push(((row_no, col), Placement::Comment));
                } else {
                    self.remark(row_no, col, text, ("どの列のセルか決められない", "which column this cell belongs to cannot be told"), None);
                }
                continue;
            };
            if matches!(column, Column::Goal | Column::BasicPolicy | Column::Policy | Column::Measure | Column::MeasureNumber | Column::MeasureTitle) {
                continue; // placed above
            }
            if column == Column::Unit {
                self.place(row_no, col, column);
                continue;
            }
            if column.is_computed() {
                self.placements.push(((row_no, col), Placement::Header));
                continue;
            }
            if joined.is_some() && JOINED_INDICATOR_COLUMNS.contains(&column) {
                continue; // placed above
            }
            self.cell(row_no, col, text, column);
        }
    }

    /// In a PDF dump, a row may join k indicators: k grades in the 定量評価
    /// cell, and k names, k 実績 and k 目標 separated by spaces. `None` unless
    /// all four split into the same k > 1.
    fn joined_indicators(&self, cells: &[(usize, &str)], assigned: &[Option<Column>]) -> Option<Vec<Indicator>> {
        if !self.dump {
            return None;
        }
        let get = |column: Column| cells.iter().zip(assigned).find(|(_, a)| **a == Some(column)).map(|((_, text), _)| text.split_whitespace().collect::<Vec<_>>());
        let grades = get(Column::INDICATOR_GRADE)?;
        let k = grades.len();
        let (names, actuals, targets) = (get(Column::Indicator)?, get(Column::ACTUAL)?, get(Column::TARGET)?);
        if k < 2 || names.len() != k || actuals.len() != k || targets.len() != k {
            return None;
        }
        Some(
            (0..k)
                .map(|i| {
                    let mut indicator = Indicator { title: names[i].to_string(), ..Default::default() };
                    for (key, values) in [(FieldKey::Actual, &actuals), (FieldKey::Target, &targets), (FieldKey::IndicatorGrade, &grades)] {
                        indicator.fields.insert(key, values[i].to_string());
                    }
                    indicator
                })
                .collect(),
        )
    }

    fn start_measure(&mut self, row_no: usize, id: String, title: Option<String>) {
        self.close_measure();
        // Containers named on this row hold the 施策 as written; carried from
        // rows above, only when the ID agrees (a PDF page that omits them).
        let (named_goal, named_basic, named_policy) = std::mem::take(&mut self.row_names_containers);
        let hierarchy = &self.hierarchy;
        // The container of `level` that the ID names ("" for a level the plan does not have).
        let by_id = |level: BlockKind| -> String {
            if hierarchy.depth(level).is_none() {
                return String::new();
            }
            hierarchy.ancestor_id(BlockKind::Measure, &id, level).unwrap_or_else(|| match level {
                // An ID not of the plan's shape: its leading dashed numbers.
                _ if hierarchy.levels()[0] == level => id.split('-').next().unwrap_or("").to_string(),
                _ => id.rsplit_once('-').map_or(String::new(), |(p, _)| p.to_string()),
            })
        };
        let carried = |current: &Option<(String, Option<String>)>, named: bool, level: BlockKind| {
            let expected = by_id(level);
            current.clone().filter(|(x, _)| named || *x == expected).unwrap_or((expected, None))
        };
        let (goal_id, goal_title) = carried(&self.goal, named_goal, BlockKind::Goal);
        let (basic_id, basic_title) = carried(&self.basic, named_basic, BlockKind::BasicPolicy);
        let (policy_id, policy_title) = carried(&self.policy, named_policy, BlockKind::Policy);
        let goal = (!goal_id.is_empty() || goal_title.is_some()).then_some(goal_id);
        if let Some(goal_id) = &goal {
            let title = goal_title;
            let entry = self.sheet.goals.iter_mut().find(|g| &g.id == goal_id);
            match entry {
                Some(g) if g.title.is_none() => g.title = title,
                Some(_) => {}
                None => self.sheet.goals.push(crate::sheet::Goal { id: goal_id.clone(), title, ..Default::default() }),
            }
        }
        let b = match self.sheet.basic_policies.iter().position(|b| b.id == basic_id && b.goal == goal) {
            Some(b) => b,
            None => {
                self.sheet.basic_policies.push(BasicPolicy { goal: goal.clone(), id: basic_id.clone(), ..Default::default() });
                self.sheet.basic_policies.len() - 1
            }
        };
        let basic = &mut self.sheet.basic_policies[b];
        if basic.title.is_none() {
            basic.title = basic_title;
        }
        let p = match basic.policies.iter().position(|p| p.id == policy_id) {
            Some(p) => p,
            None => {
                basic.policies.push(Policy { id: policy_id, ..Default::default() });
                basic.policies.len() - 1
            }
        };
        let policy = &mut basic.policies[p];
        if policy.title.is_none() {
            policy.title = policy_title;
        }
        policy.measures.push(Measure { id, title, ..Default::default() });
        self.measure = Some((b, p, policy.measures.len() - 1));
        self.first_row = row_no;
        self.last_row = row_no;
    }

    /// Ends the current 施策 (its rows named in a comment); once.
    fn close_measure(&mut self) {
        if let Some(at) = self.measure.take() {
            let (first, last) = (self.first_row, self.last_row);
            let rows = if first == last { format!("{first} 行") } else { format!("{first}-{last} 行") };
            let on = self.on_sheet();
            self.notes.entry(NoteTarget::Measure(at)).or_default().insert(0, format!("取り込み元: {on}{rows}"));
        }
    }

    /// A cell of a field's column: into the field of the 施策, or of the
    /// 指標 or 展開 of its row, as the field's cell form reads it.
    fn cell(&mut self, row: usize, col: usize, text: &str, column: Column) {
        let Column::Field(kind, key) = column else {
            // A title (set when its block was made) or a computed value.
            if matches!(column, Column::Indicator | Column::Development) {
                self.place(row, col, column);
            }
            return;
        };
        let def = crate::model::schema::def(key);
        let form = column.cell_form().unwrap_or(CellForm::Single);
        let dump = self.dump;
        let mut value = if def.prose { prose(text, dump) } else { text.to_string() };
        // A value in another body's layout: the row's 単位 after a bare
        // number (`5900` and `件`), the heading's year as its note
        // (`基準値(R元)`).
        if def.value == crate::model::ValueKind::Quantity
            && let Ok(crate::model::value::Quantity::Value(m)) = crate::model::value::parse_quantity(&value)
        {
            // The unit is the values' own, never an achievement ratio's.
            if m.unit.is_empty()
                && key != FieldKey::StatedRatio
                && let Some(unit) = &self.row_unit
            {
                value = format!("{}{unit}", value.trim());
            }
            if m.note.is_none()
                && let Some((_, year)) = self.column_years.iter().find(|(c, _)| *c == column)
            {
                value = format!("{} ({year})", value.trim());
            }
        }
        let measure = self.measure_mut().expect("cells are read once a 施策 is open");
        let placed = match kind {
            BlockKind::Indicator => match measure.indicators.last_mut() {
                Some(indicator) => read_cell(&mut indicator.fields, key, form, value, text, dump),
                None => return self.remark(row, col, text, ("指標 がない行の指標のセル", "a cell of a 指標 on a row without 指標"), None),
            },
            BlockKind::Development => match measure.developments.last_mut() {
                Some(development) => read_cell(&mut development.fields, key, form, value, text, dump),
                None => return self.remark(row, col, text, ("施策の展開 がない行の展開のセル", "a cell of a 展開 on a row without 施策の展開"), None),
            },
            _ => read_cell(&mut measure.fields, key, form, value, text, dump),
        };
        if placed {
            self.place(row, col, column);
        } else {
            let near = match kind {
                BlockKind::Indicator => Some(Column::Indicator),
                BlockKind::Development => Some(Column::Development),
                _ => None,
            };
            let header = column.header(&|_| String::new());
            self.remark(row, col, text, (&format!("{header} の2つ目の値"), &format!("a second value of {header}")), near);
        }
    }
}

/// The columns a row that joins several indicators splits.
const JOINED_INDICATOR_COLUMNS: [Column; 4] = [Column::Indicator, Column::ACTUAL, Column::TARGET, Column::INDICATOR_GRADE];

/// Reads a cell into `key` of `fields` as its cell form says; `false` when
/// a field that keeps one value already has another.
fn read_cell<K>(fields: &mut crate::sheet::Fields<K>, key: FieldKey, form: CellForm, value: String, text: &str, dump: bool) -> bool {
    match form {
        CellForm::Single | CellForm::PerRow => fields.insert(key, value),
        CellForm::Lines => {
            for item in items(text, dump) {
                fields.insert(key, item);
            }
            true
        }
        CellForm::Continued => {
            fields.continue_last(key, value);
            true
        }
        CellForm::Items => {
            for item in text.split(crate::table::ITEM_SEPARATOR) {
                fields.insert(key, item.to_string());
            }
            true
        }
    }
}

/// Prose from a cell: its lines. In the text dump of a PDF (no cell holds a
/// line break), paragraphs were joined by `。 `: one line per paragraph then
/// (the joining space is the only character not kept).
fn prose(text: &str, dump: bool) -> String {
    let text = text.trim();
    if !dump {
        return text.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    }
    let pieces: Vec<&str> = text.split("。 ").collect();
    let last = pieces.len() - 1;
    pieces.iter().enumerate().map(|(i, p)| if i < last { format!("{p}。") } else { p.to_string() }).collect::<Vec<_>>().join("\n")
}

/// 主な取組: one item per line of the cell; in a PDF dump, items joined by
/// spaces are split too when every item holds Japanese text (so that
/// `Made in いせさき` stays whole).
fn items(text: &str, dump: bool) -> Vec<String> {
    let lines: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    if !dump {
        return lines;
    }
    lines
        .into_iter()
        .flat_map(|line| {
            let pieces: Vec<&str> = line.split_whitespace().collect();
            if pieces.len() > 1 && pieces.iter().all(|p| !p.is_ascii()) { pieces.into_iter().map(str::to_string).collect() } else { vec![line] }
        })
        .collect()
}

/// The municipality a plan's title names before its 総合計画 (or 計画):
/// `第3次みどり市総合計画` → `みどり市`, `第2次伊勢崎市総合計画` → `伊勢崎市`.
/// `第五次八王子市基本計画` → `八王子市`. `None` unless 市, 町, 村, 区 or
/// 都道府県 comes before it (a title such as `総合計画 成果・課題一覧` names none).
fn municipality_in(title: &str) -> Option<String> {
    let before = &title[..title.find("総合計画").or_else(|| title.find("計画"))?];
    let before = before.trim();
    // `第3次`, `第２次`, `第三次`: the plan's number, not the name.
    let name = match before.find('第').zip(before.find('次')) {
        Some((0, end)) if before[3..end].chars().all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c) || "一二三四五六七八九十".contains(c)) && end > 3 => {
            &before[end + '次'.len_utf8()..]
        }
        _ => before,
    };
    // Up to the last 市 (町, 村, ...): `八王子市基本` (計画) is 八王子市.
    let name = name.trim();
    let end = name.rfind(['市', '町', '村', '区', '都', '道', '府', '県'])?;
    let name = &name[..end + name[end..].chars().next()?.len_utf8()];
    let chars = name.chars().count();
    (2..=12).contains(&chars).then_some(name).filter(|n| !n.contains(char::is_whitespace)).map(str::to_string)
}

#[cfg(test)]
mod address_tests {
    #[test]
    fn a_title_names_its_municipality_before_its_plan() {
        assert_eq!(super::municipality_in("第3次みどり市総合計画 成果・課題一覧（令和5年度実績）").as_deref(), Some("みどり市"));
        assert_eq!(super::municipality_in("第２次伊勢崎市総合計画").as_deref(), Some("伊勢崎市"));
        assert_eq!(super::municipality_in("第五次八王子市基本計画").as_deref(), Some("八王子市"));
        assert_eq!(super::municipality_in("総合計画 成果・課題一覧"), None);
        assert_eq!(super::municipality_in("令和5年度 施策評価 計画"), None);
    }

    #[test]
    fn sheet_names_are_quoted_as_excel_quotes_them() {
        assert_eq!(super::cell_address("基本政策1", 4, 8), "基本政策1!H4");
        assert_eq!(super::cell_address("2024", 4, 8), "'2024'!H4");
        assert_eq!(super::cell_address("AB12", 1, 1), "'AB12'!A1");
        assert_eq!(super::cell_address("R1C1", 1, 1), "'R1C1'!A1");
        assert_eq!(super::cell_address("Record", 1, 1), "Record!A1");
        assert_eq!(super::cell_address("Sheet1", 2, 6), "Sheet1!F2");
        assert_eq!(super::cell_address("R&D 基本政策", 1, 1), "'R&D 基本政策'!A1");
        assert_eq!(super::cell_address("it's", 1, 1), "'it''s'!A1");
    }
}
