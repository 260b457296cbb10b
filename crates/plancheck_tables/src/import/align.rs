//! Which column each cell of a data row belongs to.
//!
//! A regular table puts every cell under its heading. The text dump of a
//! published PDF does not: cells shift left or right by a few columns from
//! page to page, summary cells appear under merged headings, a blank cell
//! disappears. So each non-empty cell is scored against each column by what
//! it looks like (an `N-N-N` ID under 施策名, a grade under 全体評価, a
//! quantity under 実績値, a department under 施策代表課, prose under 成果,
//! ...), with a bonus for being where the header says, and the cells are
//! matched to the columns in order (a monotone alignment, by dynamic
//! programming). A cell that fits no column well is left unassigned: the
//! importer keeps it as a 備考 and warns.

use crate::model::BlockKind;
use crate::model::hierarchy::{Hierarchy, Numbering};
use crate::model::schema::{self, CellForm, FieldDef};
use crate::model::value::{Symbol, is_dash, nfkc, parse_quantity};
use crate::model::{FieldKey, ValueKind};
use crate::table::Column;

/// What a cell looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    GoalId,
    MeasureId,
    PolicyId,
    BasicPolicyId,
    Grade,
    Level,
    Dash,
    Quantity,
    Direction,
    Department,
    /// A short text without a sentence end: a name, a title, an item.
    Short,
    /// Sentences.
    Prose,
}

/// Cells longer than this (in bytes) are prose unless they start with an
/// ID: every other kind is a few characters. Only their start is
/// normalised, so classifying costs the same for every long cell.
const SHORT_CELL_BYTES: usize = 1024;

/// The first `bytes` bytes of `text` or fewer, on a character boundary.
pub(crate) fn head(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The symbols a sheet writes: its legend's grades (and the codes that
/// are not grades), its levels (the 展開's and the summaries'), and the
/// shapes of its IDs (its hierarchy: `1-1` is a 施策's in `政策 > 施策`).
#[derive(Debug, Clone)]
pub struct Symbols {
    grades: std::collections::HashSet<Symbol>,
    levels: std::collections::HashSet<Symbol>,
    hierarchy: Hierarchy,
}

impl Symbols {
    pub fn of(legend: &crate::legend::Legend) -> Symbols {
        let grades = legend.grades.symbols().chain(legend.ungraded.iter().filter(|c| !c.is_dash())).cloned().collect();
        let levels = legend.levels.symbols().chain(legend.quantitative.scale.symbols()).chain(legend.qualitative.scale.symbols()).cloned().collect();
        Symbols { grades, levels, hierarchy: Hierarchy::default() }
    }

    pub fn hierarchy(&self) -> &Hierarchy {
        &self.hierarchy
    }

    /// These symbols, with IDs read by `hierarchy`.
    pub fn with_hierarchy(mut self, hierarchy: Hierarchy) -> Symbols {
        self.hierarchy = hierarchy;
        self
    }

    /// The default legend's.
    pub fn default_legend() -> &'static Symbols {
        static SYMBOLS: std::sync::OnceLock<Symbols> = std::sync::OnceLock::new();
        SYMBOLS.get_or_init(|| Symbols::of(&crate::legend::Legend::default()))
    }

    fn is_grade(&self, t: &str) -> bool {
        self.grades.contains(&Symbol::new(t))
    }

    fn is_level(&self, t: &str) -> bool {
        let symbol = Symbol::new(t);
        self.levels.contains(&symbol) && !self.grades.contains(&symbol)
    }
}

/// What a cell looks like, under the default legend's symbols.
pub fn classify(text: &str) -> CellKind {
    classify_with(text, Symbols::default_legend())
}

/// What a cell looks like, with the sheet's own grade and level symbols.
pub fn classify_with(text: &str, symbols: &Symbols) -> CellKind {
    let text = text.trim();
    if text.len() > SHORT_CELL_BYTES {
        let t = nfkc(head(text, SHORT_CELL_BYTES));
        return match id_kind(&t, &symbols.hierarchy) {
            Some(kind) => kind,
            None => CellKind::Prose,
        };
    }
    let t = nfkc(text);
    if let Some(kind) = id_kind(&t, &symbols.hierarchy) {
        return kind;
    }
    // A formula kept as its text (`=60*2`): where a value stands.
    if t.starts_with('=') && !t.contains('\n') {
        return CellKind::Quantity;
    }
    short_kind(&t, symbols)
}

/// The kind of cell that an ID of this level starts.
fn id_cell(level: BlockKind) -> CellKind {
    match level {
        BlockKind::Goal => CellKind::GoalId,
        BlockKind::BasicPolicy => CellKind::BasicPolicyId,
        BlockKind::Policy => CellKind::PolicyId,
        _ => CellKind::MeasureId,
    }
}

/// A cell (normalised) that starts with an ID of a level of the sheet's
/// hierarchy: with dashes, as many numbers as the level's depth (`1-1-1`
/// is a 施策's by default, and so is any longer one); with fixed-width codes, as many digits as the
/// level's widths, followed by a title (a bare code is a number, except a
/// 施策's full code).
fn id_kind(t: &str, hierarchy: &Hierarchy) -> Option<CellKind> {
    let first = t.split_whitespace().next().unwrap_or("");
    let titled = t.contains(char::is_whitespace);
    match hierarchy.numbering() {
        Numbering::Dashed => {
            let numbers: Vec<&str> = first.split('-').collect();
            if !numbers.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) {
                return None;
            }
            // A lone number is a top-level ID only when short and followed
            // by a title (not by another number: `1 2`).
            if numbers.len() == 1 && !(first.len() <= 4 && (t.len() == first.len() || !t[first.len()..].trim_start().starts_with(|c: char| c.is_ascii_digit())) && titled) {
                return None;
            }
            // More numbers than the plan has levels: a 施策's ID written
            // wrong (the checker says so), still a 施策.
            let levels = hierarchy.levels();
            Some(id_cell(levels.get(numbers.len() - 1).copied().unwrap_or(BlockKind::Measure)))
        }
        Numbering::Digits(_) => {
            if let Some(level) = hierarchy.level_of_id(first) {
                return (titled || level == BlockKind::Measure).then(|| id_cell(level));
            }
            // A code written with dashes (`01-01-01-2`): of the level whose
            // code it spells, else a 施策's written wrong (the checker offers the code).
            let parts: Vec<&str> = first.split('-').collect();
            if !parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
                return None;
            }
            // A code of no level's length, with a title: a 施策 numbered wrong.
            if parts.len() == 1 {
                return titled.then_some(CellKind::MeasureId);
            }
            let level = hierarchy.levels().iter().copied().find(|&k| hierarchy.respelt(k, first).is_some()).unwrap_or(BlockKind::Measure);
            Some(id_cell(level))
        }
    }
}

/// What a short cell (normalised, not an ID) looks like.
fn short_kind(t: &str, symbols: &Symbols) -> CellKind {
    if is_dash(t) {
        return CellKind::Dash;
    }
    if symbols.is_grade(t) {
        return CellKind::Grade;
    }
    if symbols.is_level(t) {
        return CellKind::Level;
    }
    if crate::model::value::parse_direction(t).is_ok() {
        return CellKind::Direction;
    }
    if t.chars().count() == 1 && t.chars().all(|c| c.is_ascii_digit()) && symbols.hierarchy.numbering() == &Numbering::Dashed {
        return id_cell(symbols.hierarchy.levels()[0]);
    }
    if t.chars().count() <= 30 && parse_quantity(t).is_ok() && unit_of(t).chars().count() <= 5 {
        return CellKind::Quantity;
    }
    // Several values of one kind in a cell (a PDF row that joins two or
    // three indicators: `A B`, `745人 11,882人`, `高 高 高`).
    let tokens: Vec<&str> = t.split_whitespace().collect();
    if tokens.len() > 1 {
        if tokens.iter().all(|x| symbols.is_grade(x)) {
            return CellKind::Grade;
        }
        if tokens.iter().all(|x| symbols.is_level(x)) {
            return CellKind::Level;
        }
        if tokens.iter().all(|x| is_dash(x)) {
            return CellKind::Dash;
        }
        if tokens.iter().all(|x| parse_quantity(x).is_ok() && unit_of(x).chars().count() <= 5) {
            return CellKind::Quantity;
        }
    }
    let sentence = t.contains('。') || t.chars().count() > 60;
    let department_ends = ["課", "室", "局", "部", "所", "センター", "館", "事務局", "委員会", "本部", "署", "園"];
    if !sentence && t.chars().count() <= 24 && !t.contains(' ') && department_ends.iter().any(|e| t.ends_with(e)) {
        return CellKind::Department;
    }
    if sentence { CellKind::Prose } else { CellKind::Short }
}

/// The unit of a quantity's text: what follows the number, up to a note.
/// (`3歳児健診受診率` parses as 3 of a long "unit"; it is a name.)
fn unit_of(text: &str) -> &str {
    let rest = text.trim_start_matches(|c: char| c.is_ascii_digit() || c == ',' || c == '.' || c == '-' || c == '+');
    rest.split(['(', ' ']).next().unwrap_or("").trim()
}

/// How well a cell of `kind` fits `column` (higher is better; below
/// `UNASSIGNED` it would rather stay unassigned). A field's column scores
/// by its field's kind of value and cell form (the field table's), so a new
/// field is aligned without a line here.
fn fit(kind: CellKind, column: Column) -> i32 {
    use CellKind as K;
    use Column as C;
    match column {
        C::Measure | C::MeasureNumber if kind == K::MeasureId => 12,
        C::MeasureTitle if matches!(kind, K::Short | K::Prose) => 3,
        C::Unit if kind == K::Short => 2,
        C::Policy if kind == K::PolicyId => 12,
        // The published table prints the 基本政策's title in the 政策 column.
        C::Policy if kind == K::Short => 1,
        C::BasicPolicy if kind == K::BasicPolicyId => 12,
        C::Goal if kind == K::GoalId => 12,
        C::Indicator | C::Development => match kind {
            K::Short | K::Department => 3,
            K::Prose => -2,
            _ => -20,
        },
        C::ComputedIndicatorGrade if matches!(kind, K::Grade | K::Dash) => 2,
        C::ComputedQuantitativeLevel | C::ComputedQualitativeLevel if kind == K::Level => 2,
        C::Ratio if kind == K::Quantity => 2,
        C::Field(_, key) => field_fit(kind, schema::def(key), column.cell_form().unwrap_or(CellForm::Single)),
        _ => -20,
    }
}

fn field_fit(kind: CellKind, def: &FieldDef, form: CellForm) -> i32 {
    use CellKind as K;
    match (def.value, form, kind) {
        (ValueKind::Grade, _, K::Grade) => 8,
        (ValueKind::IndicatorGrade, _, K::Grade | K::Dash) => 7,
        (ValueKind::Level, _, K::Level) => 7,
        (ValueKind::Quantity, _, K::Quantity | K::Dash) => 7,
        (ValueKind::Direction, _, K::Direction) => 8,
        (ValueKind::Text, CellForm::Items, _) => 1,
        // 施策代表課: a department's name.
        (ValueKind::Text, CellForm::Single, K::Department) if def.key == FieldKey::Department => 9,
        (ValueKind::Text, CellForm::Single, K::Short) if def.key == FieldKey::Department => 1,
        (ValueKind::Text, CellForm::Single, K::Prose) if def.prose => 5,
        (ValueKind::Text, CellForm::Single, K::Short) if def.prose => -1,
        (ValueKind::Text, CellForm::Single, _) if def.prose => -20,
        (ValueKind::Text, CellForm::Single, K::Short | K::Department) => 2,
        (ValueKind::Text, CellForm::Lines, K::Short | K::Department) => 2,
        (ValueKind::Text, CellForm::Lines, K::Prose) => 0,
        (ValueKind::Text, CellForm::Continued | CellForm::PerRow, K::Prose) => 4,
        (ValueKind::Text, CellForm::PerRow, K::Dash) => 3,
        (ValueKind::Text, CellForm::PerRow, K::Short) => 1,
        (ValueKind::Text, CellForm::Continued, K::Short | K::Department) => 1,
        _ => -20,
    }
}

/// Whether a cell may stand under `column` in a regular table: typed
/// columns need their kind of value, text columns take any text.
fn accepts(column: Column, kind: CellKind, text: &str) -> bool {
    use CellKind as K;
    use Column as C;
    let starts_with_number = || nfkc(head(text.trim(), 16)).starts_with(|c: char| c.is_ascii_digit());
    match column {
        C::Goal | C::BasicPolicy | C::Policy => column == C::Policy || starts_with_number(),
        C::Measure | C::MeasureNumber => kind == K::MeasureId || column == C::MeasureNumber && nfkc(text.trim()).chars().all(|c| c.is_ascii_digit() || c == '-'),
        C::MeasureTitle => !matches!(kind, K::Grade | K::Level),
        C::Unit => text.trim().chars().count() <= 8,
        C::ComputedIndicatorGrade => matches!(kind, K::Grade | K::Dash),
        C::ComputedQuantitativeLevel | C::ComputedQualitativeLevel => kind == K::Level,
        // A lone grade or level is not a name.
        C::Indicator | C::Development => !matches!(kind, K::Grade | K::Level),
        C::Field(_, key) => match schema::def(key).value {
            ValueKind::Grade => kind == K::Grade,
            ValueKind::IndicatorGrade => matches!(kind, K::Grade | K::Dash),
            ValueKind::Level => kind == K::Level,
            // A formula kept as its text (no cached value) stands where a value would.
            ValueKind::Quantity => matches!(kind, K::Quantity | K::Dash) || starts_with_number() || text.trim_start().starts_with('='),
            ValueKind::Direction => kind == K::Direction,
            // 備考 takes anything; a lone grade or level is not a text.
            ValueKind::Text => column.cell_form() == Some(CellForm::Items) || !matches!(kind, K::Grade | K::Level),
        },
        C::Ratio => true,
    }
}

/// The score of leaving a cell unassigned.
const UNASSIGNED: i32 = -4;
/// The bonus for a cell standing where the header says.
const IN_PLACE: i32 = 3;

/// Assigns each cell (its index in the row, its text) a column of
/// `columns` (each column with the index of its header cell, if the header
/// names it), in order; `None` for cells that fit nowhere.
/// The second value says whether the row was regular (every cell where
/// its header is).
pub fn align(cells: &[(usize, &str)], columns: &[(Column, Option<usize>)]) -> (Vec<Option<Column>>, bool) {
    align_with(cells, columns, Symbols::default_legend())
}

/// [`align`] with the sheet's own grade and level symbols.
pub fn align_with(cells: &[(usize, &str)], columns: &[(Column, Option<usize>)], symbols: &Symbols) -> (Vec<Option<Column>>, bool) {
    align_in(cells, columns, symbols, false)
}

/// As [`align_with`]; with `by_position` (a workbook's row, whose cells are
/// where their author put them), a row whose every cell is under a heading
/// is read by position whatever its values look like (`TRUE` under 目標,
/// `#DIV/0!` under 定量評価: the checker then says what is wrong with them).
pub fn align_in(cells: &[(usize, &str)], columns: &[(Column, Option<usize>)], symbols: &Symbols, by_position: bool) -> (Vec<Option<Column>>, bool) {
    if by_position {
        let under: Vec<Option<Column>> = cells.iter().map(|(i, _)| columns.iter().find(|(_, at)| *at == Some(*i)).map(|&(c, _)| c)).collect();
        if under.iter().all(Option::is_some) {
            // A 施策 starts only at its number (`以上` under 施策名 is a note,
            // left unplaced); the containers' IDs are checked by `row`.
            let under = cells.iter().zip(under).map(|((_, text), c)| c.filter(|&c| !matches!(c, Column::Measure | Column::MeasureNumber) || accepts(c, classify_with(text, symbols), text))).collect();
            return (under, true);
        }
    }
    let kinds: Vec<CellKind> = cells.iter().map(|(_, t)| classify_with(t, symbols)).collect();
    // A regular row: every cell under a heading whose kind of value it has.
    let in_place: Vec<Option<Column>> =
        cells.iter().zip(&kinds).map(|((i, text), &kind)| columns.iter().find(|(_, at)| *at == Some(*i)).map(|&(c, _)| c).filter(|&c| accepts(c, kind, text))).collect();
    if in_place.iter().all(Option::is_some) {
        return (in_place, true);
    }
    let (n, m) = (cells.len(), columns.len());
    // A column the header does not name (the 施策's summary under a merged
    // heading) loses ties: one level after 課題 is the 展開's.
    let score = |i: usize, j: usize| fit(kinds[i], columns[j].0) + if columns[j].1 == Some(cells[i].0) { IN_PLACE } else { 0 } - i32::from(columns[j].1.is_none());
    // best[i][j]: the best total for the first i cells over the first j columns.
    let mut best = vec![vec![i32::MIN / 2; m + 1]; n + 1];
    let mut step = vec![vec![0u8; m + 1]; n + 1]; // 1: skip column, 2: cell unassigned, 3: assign
    for j in 0..=m {
        best[0][j] = 0;
        step[0][j] = 1;
    }
    for i in 1..=n {
        best[i][0] = best[i - 1][0] + UNASSIGNED;
        step[i][0] = 2;
        for j in 1..=m {
            let options = [(best[i][j - 1], 1u8), (best[i - 1][j] + UNASSIGNED, 2), (best[i - 1][j - 1] + score(i - 1, j - 1), 3)];
            // Prefer assigning, then leaving a cell out, on ties.
            let (value, how) = options.into_iter().max_by_key(|&(v, how)| (v, how)).unwrap();
            best[i][j] = value;
            step[i][j] = how;
        }
    }
    let mut assigned = vec![None; n];
    let (mut i, mut j) = (n, m);
    while i > 0 {
        match step[i][j] {
            1 => j -= 1,
            2 => i -= 1,
            _ => {
                if score(i - 1, j - 1) > UNASSIGNED {
                    assigned[i - 1] = Some(columns[j - 1].0);
                }
                i -= 1;
                j -= 1;
            }
        }
    }
    (assigned, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_told_apart_by_what_they_look_like() {
        assert_eq!(classify("1-1-1 健康づくりと疾病予防の推進"), CellKind::MeasureId);
        assert_eq!(classify("１－２ 子育て"), CellKind::PolicyId);
        assert_eq!(classify("4 市民が自ら学び豊かな心をつくる"), CellKind::BasicPolicyId);
        assert_eq!(classify("Ｂ"), CellKind::Grade);
        assert_eq!(classify("中"), CellKind::Level);
        assert_eq!(classify("5,900人"), CellKind::Quantity);
        assert_eq!(classify("60.5人(R3年)"), CellKind::Quantity);
        assert_eq!(classify("健康づくり課"), CellKind::Department);
        assert_eq!(classify("健康づくり事業への参加者数"), CellKind::Short);
        assert_eq!(classify("様々な事業の実施や周知活動を行った。"), CellKind::Prose);
        assert_eq!(classify("-"), CellKind::Dash);
        assert_eq!(classify("3歳児健診受診率"), CellKind::Short);
        assert_eq!(classify("1"), CellKind::BasicPolicyId);
        assert_eq!(classify("B B B"), CellKind::Grade);
        assert_eq!(classify("745人 11,882人 701,113人"), CellKind::Quantity);
        assert_eq!(classify("高 高 高"), CellKind::Level);
        // Another legend's symbols are grades and levels under it.
        let table = "[rating]\ngrades = [{ symbol = \"◎\", from = 100 }, { symbol = \"○\", from = 90 }, { symbol = \"△\" }]\nungraded = [\"評価なし\"]\n[rating.quantitative]\nscale = [{ symbol = \"順調\", from = 2 }, { symbol = \"遅れ\" }]\n";
        let legend = plancheck_linter::config::Config::from_toml(std::path::Path::new("p"), table).unwrap().rating.legend;
        let symbols = Symbols::of(&legend);
        assert_eq!(classify_with("○", &symbols), CellKind::Grade);
        assert_eq!(classify_with("評価なし", &symbols), CellKind::Grade);
        assert_eq!(classify_with("順調", &symbols), CellKind::Level);
        assert_ne!(classify("○"), CellKind::Grade, "not under the default legend");
    }

    /// A cell of more than a kilobyte is prose, or an ID with a long title;
    /// only its start is normalised.
    #[test]
    fn a_long_cell_is_classified_by_its_start() {
        let long = "あ".repeat(2000);
        assert_eq!(classify(&format!("1-1-1 {long}")), CellKind::MeasureId);
        assert_eq!(classify(&format!("１－２　{long}")), CellKind::PolicyId);
        assert_eq!(classify(&format!("4 {long}")), CellKind::BasicPolicyId);
        assert_eq!(classify(&long), CellKind::Prose);
        assert_eq!(classify(&"A ".repeat(1000)), CellKind::Prose);
        assert_eq!(classify(&"a".repeat(5 << 20)), CellKind::Prose);
    }

    /// The published table's 17 headings, with the two summary columns it
    /// has but does not name (no header position).
    fn columns() -> Vec<(Column, Option<usize>)> {
        let named = crate::table::OFFICIAL.iter().filter(|c| !matches!(**c, Column::QUANTITATIVE_LEVEL | Column::QUALITATIVE_LEVEL));
        let mut columns: Vec<(Column, Option<usize>)> = named.enumerate().map(|(i, &c)| (c, Some(i))).collect();
        for (after, implied) in [(Column::INDICATOR_GRADE, Column::QUANTITATIVE_LEVEL), (Column::DEVELOPMENT_LEVEL, Column::QUALITATIVE_LEVEL)] {
            let at = columns.iter().position(|&(c, _)| c == after).unwrap();
            columns.insert(at + 1, (implied, None));
        }
        columns
    }

    #[test]
    fn a_regular_row_is_read_by_position_and_a_shifted_one_by_content() {
        let row =
            [(2, "1-1-1 健康"), (3, "A"), (5, "参加者数"), (6, "5,900人"), (7, "10,650人"), (8, "C"), (9, "支援"), (11, "開催した。"), (12, "人材が足りない。"), (13, "中"), (16, "健康づくり課")];
        let (got, _) = align(&row, &columns());
        use crate::model::BlockKind::{Development as D, Measure as M};
        use FieldKey::*;
        let expected = [
            Column::Measure,
            Column::Field(M, OverallGrade),
            Column::Indicator,
            Column::ACTUAL,
            Column::TARGET,
            Column::INDICATOR_GRADE,
            Column::Development,
            Column::Field(D, Result),
            Column::Field(D, Issue),
            Column::DEVELOPMENT_LEVEL,
            Column::Field(M, Department),
        ];
        assert_eq!(got, expected.map(Some));
        // The same row two cells to the left (a PDF page that lost its first columns).
        let shifted: Vec<(usize, &str)> = row.iter().map(|&(i, t)| (i - 2, t)).collect();
        assert_eq!(align(&shifted, &columns()).0, got);
    }

    #[test]
    fn a_cell_that_fits_nowhere_is_left_unassigned() {
        let row = [(2, "1-1-1 健康"), (3, "A"), (4, "B")];
        let (got, _) = align(&row, &columns());
        assert_eq!(got[0], Some(Column::Measure));
        assert_eq!(got[1], Some(Column::Field(crate::model::BlockKind::Measure, FieldKey::OverallGrade)));
        // A second grade can only be an indicator's 定量評価 (a plausible reading) or nothing.
        assert!(matches!(got[2], Some(Column::INDICATOR_GRADE) | None));
    }
}
