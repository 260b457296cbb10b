//! One sheet per 施策 (a "card"): the most common layout of an office's
//! evaluation workbook (茨城's KPI 進捗状況調書, つくば's KPI 評価シート,
//! 三重's 施策 sheets). A card has
//!
//! - label cells beside their values (`施策名 | 健康づくりの推進`,
//!   `担当課 | 健康づくり課`, or `施策名：健康づくりの推進` in one cell),
//!   anywhere on the sheet;
//! - an indicator grid: a header naming 指標名 (and 単位, 基準値, 評価, …)
//!   with years across (`R4実績`, `令和5年度実績値`, `R7目標`; or a year
//!   over `実績 | 目標` in a second header row; or bare years with a `区分`
//!   column saying each row's 実績 or 目標);
//! - a table of its 展開 (取組内容, 成果, 課題, 評価).
//!
//! It is read onto the same model as a row of the official table: the
//! latest year's actual is the 指標's 実績 (its year as the value's note),
//! the latest target its 目標, every year of each in `推移` and
//! `目標推移`. Every cell is placed, as in a table: a label is a heading, a
//! cell that is none of these is kept as a 備考 with its address.

use super::{Assembler, Column, Mapped, Mapping, Placement, headings};
use crate::model::{BlockKind, FieldKey};
use crate::sheet::{Development, Indicator};

/// What a year column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum YearKind {
    Actual,
    Target,
}

/// A column of a card's table.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CardColumn {
    Field(Column),
    /// A year's actual or target (`None`: the row's 区分 says which).
    Year(String, Option<YearKind>),
    /// 区分: 実績 or 目標, per row.
    Kind,
}

/// A table on a card: its columns by cell index, the rows of its header,
/// the years its headings give (`基準値(R元)`).
#[derive(Debug, Clone)]
struct CardTable {
    columns: Vec<(usize, CardColumn)>,
    header_rows: usize,
    years: Vec<(Column, String)>,
}

impl CardTable {
    fn has(&self, column: Column) -> bool {
        self.columns.iter().any(|(_, c)| *c == CardColumn::Field(column))
    }

    fn is_indicators(&self) -> bool {
        self.has(Column::Indicator)
    }
}

/// `R4実績` → (`R4年度`, 実績); `令和5年度` → (`令和5年度`, none);
/// `実績値(R5)` → (`R5年度`, 実績).
fn year_heading(text: &str) -> Option<(String, Option<YearKind>)> {
    let text: String = crate::model::value::nfkc(text).split_whitespace().collect();
    const KINDS: [(&str, YearKind); 8] = [
        ("実績値", YearKind::Actual),
        ("実績", YearKind::Actual),
        ("目標値", YearKind::Target),
        ("目標", YearKind::Target),
        ("計画値", YearKind::Target),
        ("見込み", YearKind::Actual),
        ("見込", YearKind::Actual),
        ("計画", YearKind::Target),
    ];
    let split = |text: &str| -> (String, Option<YearKind>) {
        for (word, kind) in KINDS {
            if let Some(year) = text.strip_suffix(word) {
                return (year.to_string(), Some(kind));
            }
            // `実績値(R5)`.
            if let Some(year) = text.strip_prefix(word).and_then(|r| r.strip_prefix('(')).and_then(|r| r.strip_suffix(')')) {
                return (year.to_string(), Some(kind));
            }
        }
        (text.to_string(), None)
    };
    let (year, kind) = split(&text);
    let year = year.trim_end_matches(['の', '・']);
    is_year(year).then(|| (if year.ends_with('年') || year.ends_with("年度") { year.to_string() } else { format!("{year}年度") }, kind))
}

fn is_year(text: &str) -> bool {
    let text = text.strip_suffix("年度").or_else(|| text.strip_suffix('年')).unwrap_or(text);
    let era = ["令和", "平成", "R", "H"].iter().find_map(|e| text.strip_prefix(e));
    match era {
        Some(n) => n == "元" || (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()),
        None => text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) && (text.starts_with("19") || text.starts_with("20")),
    }
}

fn kind_word(text: &str) -> Option<YearKind> {
    let text: String = crate::model::value::nfkc(text).split_whitespace().collect();
    match text.as_str() {
        "実績" | "実績値" | "見込み" | "見込" => Some(YearKind::Actual),
        "目標" | "目標値" | "計画" | "計画値" => Some(YearKind::Target),
        _ => None,
    }
}

/// The column a card heading names, among the indicators' and 展開' (the
/// body's own names first).
fn card_heading(text: &str, mapping: &Mapping) -> Option<(Column, Option<String>)> {
    let name: String = text.split_whitespace().collect();
    if let Some(Mapped::Column(column)) = mapping.get(&name) {
        return Some((*column, None));
    }
    // `基準値(R元)`: the heading, and its year for each value's note.
    if let Some((base, year)) = name.strip_suffix([')', '）']).and_then(|n| n.rsplit_once(['(', '（'])).filter(|(b, y)| !b.is_empty() && !y.is_empty())
        && let Some((column, None)) = card_heading(base, mapping)
    {
        return Some((column, Some(year.to_string())));
    }
    card_heading_alone(&name).map(|c| (c, None))
}

fn card_heading_alone(name: &str) -> Option<Column> {
    let candidates = headings().exact.get(name)?;
    let fits = |c: &Column| matches!(c, Column::Indicator | Column::Development | Column::Unit | Column::Field(BlockKind::Indicator | BlockKind::Development, _));
    let found = candidates.iter().find(|c| fits(c)).copied();
    // `取組内容` heads the 展開's own column in a card.
    found.or_else(|| matches!(name, "取組" | "取組内容" | "主な取組" | "施策の展開" | "展開").then_some(Column::Development))
}

/// A header of a card's table at row `r` (with a second row of 実績 / 目標
/// under years), or `None`.
fn table_at(rows: &[Vec<String>], r: usize, mapping: &Mapping) -> Option<CardTable> {
    let row = &rows[r];
    let next = rows.get(r + 1);
    let cell = |row: &[String], i: usize| row.get(i).map_or("", |c| c.trim()).to_string();
    // Under years: 実績 / 目標 in the next row.
    let kinds_below = next.filter(|n| n.iter().any(|c| !c.trim().is_empty()) && n.iter().all(|c| c.trim().is_empty() || kind_word(c).is_some()));
    let width = row.len().max(next.map_or(0, Vec::len));
    let mut columns = Vec::new();
    let mut years = Vec::new();
    let mut year: Option<String> = None;
    for i in 0..width {
        let top = cell(row, i);
        if let Some(below) = kinds_below {
            let kind = kind_word(&cell(below, i));
            if let Some((y, _)) = year_heading(&top) {
                year = Some(y);
            } else if !top.is_empty() {
                year = None;
            }
            if let (Some(kind), Some(y)) = (kind, &year) {
                columns.push((i, CardColumn::Year(y.clone(), Some(kind))));
                continue;
            }
        }
        if top.is_empty() {
            continue;
        }
        if let Some((y, kind)) = year_heading(&top) {
            columns.push((i, CardColumn::Year(y, kind)));
        } else if matches!(top.as_str(), "区分" | "種別" | "項目") {
            columns.push((i, CardColumn::Kind));
        } else if let Some((column, year)) = card_heading(&top, mapping) {
            columns.push((i, CardColumn::Field(column)));
            years.extend(year.map(|y| (column, y)));
        }
    }
    let table = CardTable { columns, header_rows: if kinds_below.is_some() { 2 } else { 1 }, years };
    let years = table.columns.iter().filter(|(_, c)| matches!(c, CardColumn::Year(..))).count();
    let fields = table.columns.iter().filter(|(_, c)| matches!(c, CardColumn::Field(_))).count();
    let indicators = table.is_indicators() && (years > 0 || table.has(Column::ACTUAL) || table.has(Column::TARGET));
    let developments = (table.has(Column::Development) || table.has(Column::Field(BlockKind::Development, FieldKey::Result))) && fields >= 2;
    (indicators || developments).then_some(table)
}

/// A label of the card (`施策名`, `担当課`, …) and the column it names.
fn label(text: &str, mapping: &Mapping) -> Option<Column> {
    let name: String = text.trim().trim_end_matches([':', '：']).split_whitespace().collect();
    if name.is_empty() || name.chars().count() > 12 {
        return None;
    }
    if let Some(Mapped::Column(column)) = mapping.get(&name) {
        return Some(*column);
    }
    match name.as_str() {
        "施策名" | "施策" | "施策の名称" => return Some(Column::MeasureTitle),
        "施策番号" | "施策No" | "施策No." | "施策コード" | "番号" => return Some(Column::MeasureNumber),
        "総合評価" | "施策評価" | "施策の評価" | "総合判定" => return Some(Column::Field(BlockKind::Measure, FieldKey::OverallGrade)),
        _ => {}
    }
    let candidates = headings().exact.get(&name)?;
    candidates.iter().find(|c| matches!(c, Column::Goal | Column::BasicPolicy | Column::Policy | Column::Field(BlockKind::Measure, _))).copied()
}

/// Whether a page is a card: it has a 施策 label with a value, and a table
/// of indicators or 展開.
pub(super) fn is_card(rows: &[Vec<String>], mapping: &Mapping) -> bool {
    let labelled = rows.iter().any(|row| {
        row.iter().enumerate().any(|(i, c)| {
            let inline = c.split_once(['：', ':']).is_some_and(|(l, v)| matches!(label(l, mapping), Some(Column::MeasureTitle | Column::MeasureNumber)) && !v.trim().is_empty());
            inline || matches!(label(c, mapping), Some(Column::MeasureTitle | Column::MeasureNumber)) && row[i + 1..].iter().any(|v| !v.trim().is_empty())
        })
    });
    labelled && (0..rows.len()).any(|r| table_at(rows, r, mapping).is_some())
}

/// An indicator read from its rows: (row, column, text) of each cell.
#[derive(Default)]
struct IndicatorRows {
    cells: Vec<(usize, usize, String, CardColumn, Option<YearKind>)>,
    /// The years the table's headings give (`基準値(R元)`).
    years: Vec<(Column, String)>,
}

impl Assembler {
    /// Reads a card page (see the module's comment).
    /// Returns the columns the card has (its labels' and tables'), and the
    /// text above its labels (a title).
    pub(super) fn card(&mut self, rows: &[Vec<String>], mapping: &Mapping) -> (Vec<Column>, Vec<String>) {
        // Tables and their rows; the rest holds the labels.
        let mut in_table: Vec<Option<usize>> = vec![None; rows.len()];
        let mut tables: Vec<(usize, CardTable)> = Vec::new();
        let mut r = 0;
        while r < rows.len() {
            let Some(table) = table_at(rows, r, mapping) else {
                r += 1;
                continue;
            };
            let t = tables.len();
            for slot in in_table.iter_mut().skip(r).take(table.header_rows) {
                *slot = Some(t);
            }
            let mut next = r + table.header_rows;
            while next < rows.len() {
                let row = &rows[next];
                let first = row.iter().find(|c| !c.trim().is_empty());
                let Some(first) = first else { break };
                if table_at(rows, next, mapping).is_some()
                    || label(first, mapping).is_some()
                        && !row.iter().enumerate().any(|(i, c)| !c.trim().is_empty() && table.columns.iter().any(|(j, col)| *j == i && matches!(col, CardColumn::Year(..))))
                {
                    break;
                }
                in_table[next] = Some(t);
                next += 1;
            }
            tables.push((r, table));
            r = next;
        }
        // The labels, and what is beside them.
        let mut labelled: Vec<(usize, usize, Column, usize, String)> = Vec::new();
        let mut used = std::collections::HashSet::new();
        for (r, row) in rows.iter().enumerate().filter(|(r, _)| in_table[*r].is_none()) {
            let mut i = 0;
            while i < row.len() {
                let text = row[i].trim();
                if text.is_empty() {
                    i += 1;
                    continue;
                }
                if let Some((l, v)) = text.split_once(['：', ':'])
                    && let Some(column) = label(l, mapping)
                    && !v.trim().is_empty()
                {
                    labelled.push((r, i, column, i, v.trim().to_string()));
                    used.insert((r, i));
                    i += 1;
                    continue;
                }
                if let Some(column) = label(text, mapping) {
                    used.insert((r, i));
                    match (i + 1..row.len()).find(|&j| !row[j].trim().is_empty()).filter(|&v| label(&row[v], mapping).is_none()) {
                        Some(v) => {
                            labelled.push((r, i, column, v, row[v].trim().to_string()));
                            used.insert((r, v));
                            i = v + 1;
                        }
                        // A label left blank: a heading (the rules say what is missing).
                        None => {
                            self.placements.push(((r + 1, i + 1), Placement::Header));
                            i += 1;
                        }
                    }
                    continue;
                }
                i += 1;
            }
        }
        // The 施策: its number and title from the labels.
        let number = labelled.iter().find(|l| l.2 == Column::MeasureNumber).map(|l| super::split_id(&l.4).0);
        let titled = labelled.iter().find(|l| l.2 == Column::MeasureTitle).map(|l| super::split_id(&l.4));
        let (id, title) = match (number, titled) {
            (Some(id), Some((title_id, title))) => (id, title.or(Some(title_id)).filter(|t| !t.is_empty())),
            (Some(id), None) => (id, None),
            (None, Some((id, title))) => (id, title),
            (None, None) => (String::new(), None),
        };
        let first_row = labelled.first().map_or(1, |l| l.0 + 1);
        // Containers the card names.
        for &(r, i, column, v, ref value) in &labelled {
            let (slot, named) = match column {
                Column::Goal => (&mut self.goal, &mut self.row_names_containers.0),
                Column::BasicPolicy => (&mut self.basic, &mut self.row_names_containers.1),
                Column::Policy => (&mut self.policy, &mut self.row_names_containers.2),
                _ => continue,
            };
            *slot = Some(super::split_id(value));
            *named = true;
            self.placements.push(((r + 1, i + 1), Placement::Header));
            self.place(r + 1, v + 1, column);
        }
        self.start_measure(first_row, id, title);
        for &(r, i, column, v, ref value) in &labelled {
            match column {
                Column::Goal | Column::BasicPolicy | Column::Policy => continue,
                Column::MeasureNumber | Column::MeasureTitle => {
                    if i != v {
                        self.placements.push(((r + 1, i + 1), Placement::Header));
                    }
                    self.place(r + 1, v + 1, column);
                }
                _ => {
                    if i != v {
                        self.placements.push(((r + 1, i + 1), Placement::Header));
                    }
                    self.row_unit = None;
                    self.column_years.clear();
                    self.cell(r + 1, v + 1, value, column);
                }
            }
        }
        // The tables.
        let mut statuses = (0usize, 0usize);
        for (t, (header_row, table)) in tables.iter().enumerate() {
            for (h, row) in rows.iter().enumerate().skip(*header_row).take(table.header_rows) {
                for (c, _) in row.iter().enumerate().filter(|(_, x)| !x.trim().is_empty()) {
                    self.placements.push(((h + 1, c + 1), Placement::Header));
                }
            }
            let data: Vec<usize> = (0..rows.len()).filter(|&r| in_table[r] == Some(t) && r >= header_row + table.header_rows).collect();
            if table.is_indicators() {
                // Rows by indicator: a row with a name starts one; a row
                // without (区分: 目標 under 区分: 実績) continues it.
                let name_at = table.columns.iter().find(|(_, c)| *c == CardColumn::Field(Column::Indicator)).map(|(i, _)| *i);
                let mut groups: Vec<IndicatorRows> = Vec::new();
                for &r in &data {
                    let row = &rows[r];
                    let named = name_at.is_some_and(|i| row.get(i).is_some_and(|c| !c.trim().is_empty()));
                    if named || groups.is_empty() {
                        groups.push(IndicatorRows { years: table.years.clone(), ..Default::default() });
                    }
                    let kind = table.columns.iter().find(|(_, c)| *c == CardColumn::Kind).and_then(|(i, _)| row.get(*i)).and_then(|c| kind_word(c));
                    let group = groups.last_mut().expect("pushed");
                    for (c, text) in row.iter().enumerate().filter(|(_, x)| !x.trim().is_empty()) {
                        match table.columns.iter().find(|(i, _)| *i == c) {
                            Some((_, column)) => group.cells.push((r, c, text.trim().to_string(), column.clone(), kind)),
                            None => self.remark(r + 1, c + 1, text, ("指標の表の、見出しのない列", "a column of the indicator table without a heading"), Some(Column::Indicator)),
                        }
                    }
                }
                for group in groups {
                    let (with, without) = self.card_indicator(group);
                    statuses.0 += with;
                    statuses.1 += without;
                }
            } else {
                for &r in &data {
                    let row = &rows[r];
                    let title = table.columns.iter().find(|(_, c)| *c == CardColumn::Field(Column::Development)).and_then(|(i, _)| row.get(*i)).map(|t| super::one_line(t)).unwrap_or_default();
                    if let Some(measure) = self.measure_mut() {
                        measure.developments.push(Development { title, ..Default::default() });
                    }
                    for (c, text) in row.iter().enumerate().filter(|(_, x)| !x.trim().is_empty()) {
                        match table.columns.iter().find(|(i, _)| *i == c) {
                            Some((_, CardColumn::Field(column))) => {
                                let column = match column {
                                    // `評価` in the 展開' table is the 展開's level.
                                    &Column::INDICATOR_GRADE => Column::DEVELOPMENT_LEVEL,
                                    other => *other,
                                };
                                self.row_unit = None;
                                self.column_years.clear();
                                self.cell(r + 1, c + 1, text, column);
                            }
                            _ => self.remark(r + 1, c + 1, text, ("展開の表の、見出しのない列", "a column of the 展開 table without a heading"), Some(Column::Development)),
                        }
                    }
                }
            }
            if let Some(&last) = data.last() {
                self.last_row = self.last_row.max(last + 1);
            }
        }
        // Everything else on the card: above its first label (a title), in
        // the 計画's 備考 as a table's preamble is; elsewhere kept, located.
        let first_label = labelled.iter().map(|l| l.0).min().unwrap_or(0);
        let mut preamble = Vec::new();
        for (r, row) in rows.iter().enumerate().filter(|(r, _)| in_table[*r].is_none()) {
            for (c, text) in row.iter().enumerate().filter(|(c, x)| !x.trim().is_empty() && !used.contains(&(r, *c))) {
                if r < first_label {
                    preamble.push(text.trim().to_string());
                    self.placements.push(((r + 1, c + 1), Placement::Remark));
                } else {
                    self.remark(r + 1, c + 1, text, ("施策のシートの、表でも項目名でもないセル", "a cell of the 施策's sheet in no table and beside no label"), None);
                }
            }
        }
        self.last_row = self.last_row.max(rows.len());
        self.card_statuses.0 += statuses.0;
        self.card_statuses.1 += statuses.1;
        // What the card has: for `様式にない項目`, and `import --explain`.
        let mut seen: Vec<Column> = labelled.iter().map(|l| l.2).collect();
        let on = self.on_sheet();
        let mut lines = vec![format!("{on}施策のシート (1枚に1つの施策) として読みました")];
        for &(r, i, column, _, _) in &labelled {
            lines.push(format!("  {} 「{}」 → {}", self.cell_text(r + 1, i + 1), super::one_line(rows[r][i].trim()), super::describe_column(column, self.lang)));
        }
        for (header_row, table) in &tables {
            let mut read = Vec::new();
            for (i, column) in &table.columns {
                match column {
                    CardColumn::Field(c) => {
                        let c = if !table.is_indicators() && *c == Column::INDICATOR_GRADE { Column::DEVELOPMENT_LEVEL } else { *c };
                        seen.push(c);
                        read.push(format!("{} → {}", self.cell_text(header_row + 1, i + 1), super::describe_column(c, self.lang)));
                    }
                    CardColumn::Year(year, kind) => {
                        seen.push(match kind {
                            Some(YearKind::Target) => Column::TARGET,
                            _ => Column::ACTUAL,
                        });
                        let what = match kind {
                            Some(YearKind::Actual) => "実績",
                            Some(YearKind::Target) => "目標",
                            None => "実績か目標 (区分 の列による)",
                        };
                        read.push(format!("{} → {year} の{what}", self.cell_text(header_row + 1, i + 1)));
                    }
                    CardColumn::Kind => read.push(format!("{} → 区分 (実績・目標)", self.cell_text(header_row + 1, i + 1))),
                }
            }
            let what = if table.is_indicators() { "指標の表" } else { "展開の表" };
            lines.push(format!("  {what} ({} 行目から): {}", header_row + 1, read.join(", ")));
        }
        self.explanation.extend(lines);
        (seen, preamble)
    }

    /// One indicator of a card from its cells; returns how many of its
    /// years' values gave a status (`(速報)`) and how many did not.
    fn card_indicator(&mut self, group: IndicatorRows) -> (usize, usize) {
        let title = group.cells.iter().find(|c| c.3 == CardColumn::Field(Column::Indicator)).map(|c| super::one_line(&c.2)).unwrap_or_default();
        let Some(measure) = self.measure_mut() else { return (0, 0) };
        measure.indicators.push(Indicator { title, ..Default::default() });
        self.row_unit = group.cells.iter().find(|c| c.3 == CardColumn::Field(Column::Unit)).map(|c| c.2.clone());
        self.column_years.clear();
        // Years: (year, kind) → (row, column, text), in the order read.
        let mut years: Vec<(String, YearKind, usize, usize, String)> = Vec::new();
        for (r, c, text, column, kind) in &group.cells {
            match column {
                CardColumn::Field(Column::Unit) => self.place(r + 1, c + 1, Column::Unit),
                CardColumn::Field(Column::Indicator) => self.place(r + 1, c + 1, Column::Indicator),
                CardColumn::Field(column) => {
                    self.column_years = group.years.clone();
                    self.cell(r + 1, c + 1, text, *column);
                    self.column_years.clear();
                }
                CardColumn::Kind => self.placements.push(((r + 1, c + 1), Placement::Header)),
                CardColumn::Year(year, own) => match own.or(*kind) {
                    Some(kind) => years.push((year.clone(), kind, *r, *c, text.clone())),
                    None => self.remark(r + 1, c + 1, text, ("年度の列だが、実績か目標かが分からない", "a year's column, but whether actual or target is not said"), Some(Column::Indicator)),
                },
            }
        }
        let with_unit = |text: &str, unit: &Option<String>| -> String {
            match (crate::model::value::parse_quantity(text), unit) {
                (Ok(crate::model::value::Quantity::Value(m)), Some(unit)) if m.unit.is_empty() => match text.find(['(', '（']) {
                    Some(at) => format!("{}{unit} {}", text[..at].trim(), text[at..].trim()),
                    None => format!("{}{unit}", text.trim()),
                },
                _ => text.to_string(),
            }
        };
        let unit = self.row_unit.clone();
        let mut statuses = (0, 0);
        for kind in [YearKind::Actual, YearKind::Target] {
            let of_kind: Vec<&(String, YearKind, usize, usize, String)> = years.iter().filter(|y| y.1 == kind).collect();
            let Some(latest) = of_kind.iter().max_by_key(|y| year_number(&y.0)).copied() else { continue };
            let (field, series) = match kind {
                YearKind::Actual => (Column::ACTUAL, FieldKey::Series),
                YearKind::Target => (Column::TARGET, FieldKey::TargetSeries),
            };
            // The latest: 実績 (its year as the note) or 目標.
            self.column_years = vec![(field, latest.0.clone())];
            self.cell(latest.2 + 1, latest.3 + 1, &latest.4, field);
            self.column_years.clear();
            if of_kind.len() > 1 {
                let mut sorted = of_kind.clone();
                sorted.sort_by_key(|y| year_number(&y.0));
                let lines: Vec<String> = sorted.iter().map(|y| format!("{}: {}", y.0, with_unit(&y.4, &unit))).collect();
                if kind == YearKind::Actual {
                    for y in &sorted {
                        if crate::series::Status::ALL.iter().any(|s| y.4.contains(s.word())) {
                            statuses.0 += 1;
                        } else {
                            statuses.1 += 1;
                        }
                    }
                }
                if let Some(indicator) = self.measure_mut().and_then(|m| m.indicators.last_mut()) {
                    indicator.fields.insert(series, lines.join("\n"));
                }
                let column = Column::Field(BlockKind::Indicator, series);
                let first = sorted.iter().find(|y| (y.2, y.3) != (latest.2, latest.3)).copied().unwrap_or(latest);
                self.record(first.2 + 1, first.3 + 1, column);
                for y in sorted.iter().filter(|y| (y.2, y.3) != (latest.2, latest.3)) {
                    self.placements.push(((y.2 + 1, y.3 + 1), Placement::Field(column)));
                }
            }
        }
        self.row_unit = None;
        statuses
    }
}

/// A year's number for ordering (`R5年度` → 2023); 0 when unreadable.
fn year_number(text: &str) -> i32 {
    crate::model::value::years_in(text).first().map_or(0, |(year, _)| *year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_headings_are_read_with_their_kind() {
        assert_eq!(year_heading("R4実績"), Some(("R4年度".to_string(), Some(YearKind::Actual))));
        assert_eq!(year_heading("令和5年度 実績値"), Some(("令和5年度".to_string(), Some(YearKind::Actual))));
        assert_eq!(year_heading("R7目標"), Some(("R7年度".to_string(), Some(YearKind::Target))));
        assert_eq!(year_heading("実績値(R5)"), Some(("R5年度".to_string(), Some(YearKind::Actual))));
        assert_eq!(year_heading("2023年度"), Some(("2023年度".to_string(), None)));
        assert_eq!(year_heading("令和元年度"), Some(("令和元年度".to_string(), None)));
        assert_eq!(year_heading("目標値"), None);
        assert_eq!(year_heading("指標名"), None);
        assert_eq!(year_heading("R123"), None);
    }
}
