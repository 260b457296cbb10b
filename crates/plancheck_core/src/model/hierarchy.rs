//! The plan's hierarchy: which levels it has above its 施策 and how their
//! IDs are numbered, declared once per plan in the 計画 block.
//!
//! ```plan
//! 計画 {
//!   階層: 基本目標 > 基本政策 > 政策 > 施策
//!   番号: 2桁, 2桁, 2桁, 3桁
//! }
//! ```
//!
//! A plan that declares nothing has the spec's hierarchy: 基本政策 > 政策 >
//! 施策 with dashed IDs (`1`, `1-1`, `1-1-1`). A plan may have two to four
//! levels, always in the order 基本目標 > 基本政策 > 政策 > 施策 and always
//! ending in 施策, the level that is evaluated (whatever the body calls it).
//! An ID has as many numbers as its level's depth: in `政策 > 施策`, a 施策
//! is `1-1`. With fixed-width codes (`番号: 2桁, 2桁, 3桁`, as 登別's
//! nine-digit 事務事業 codes are made from 章・節・施策) an ID is the digits
//! of its own level after its parent's: 施策 `0102003` is in 政策 `0102`.
//!
//! The same block says which of the fields the rules require the body's
//! form has no place for (`様式にない項目: 全体評価, 定性評価`: a layout
//! with no overall grade and no level per 展開): `missing-field` does not
//! ask for them.

use super::schema::{BlockKind, FieldKey};
use super::value::{ValueError, nfkc};
use super::{Block, Span};

/// The levels of a plan, top first, and how their IDs are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hierarchy {
    /// Two to four of [`LEVELS`], in that order, the last always 施策.
    levels: Vec<BlockKind>,
    numbering: Numbering,
    /// The plan's `階層` or `番号` could not be read: the default stands,
    /// and the rules that judge IDs say nothing (invalid-value names the field).
    pub unreadable: bool,
    /// The required fields the body's form has no place for (`様式にない項目`).
    absent: Vec<FieldKey>,
    /// The form has no place for each year's status in a series (`状況`).
    no_status: bool,
}

/// The fields `様式にない項目` may name: those a rule requires.
pub const FORM_FIELDS: [FieldKey; 8] =
    [FieldKey::OverallGrade, FieldKey::Actual, FieldKey::Target, FieldKey::IndicatorGrade, FieldKey::Baseline, FieldKey::Expected, FieldKey::Result, FieldKey::DevelopmentLevel];

/// How the numbers of an ID are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Numbering {
    /// Separated by `-`: `1`, `1-2`, `1-2-3`.
    Dashed,
    /// Fixed-width digits per level, run together: widths `[2, 2, 3]` make
    /// `01`, `0102`, `0102003`.
    Digits(Vec<usize>),
}

/// Every level a hierarchy may have, top first.
pub const LEVELS: [BlockKind; 4] = [BlockKind::Goal, BlockKind::BasicPolicy, BlockKind::Policy, BlockKind::Measure];

/// The plan fields that declare the hierarchy.
pub const HIERARCHY_FIELDS: [FieldKey; 2] = [FieldKey::Hierarchy, FieldKey::Numbering];

/// A `階層` or `番号` that cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HierarchyError {
    pub key: FieldKey,
    pub span: Span,
    pub error: ValueError,
}

impl Default for Hierarchy {
    fn default() -> Self {
        Hierarchy { levels: vec![BlockKind::BasicPolicy, BlockKind::Policy, BlockKind::Measure], numbering: Numbering::Dashed, unreadable: false, absent: Vec::new(), no_status: false }
    }
}

impl Hierarchy {
    /// The hierarchy the plan's 計画 block declares (the default without
    /// one), and what in it could not be read.
    pub fn of_plan(plan: Option<&Block>) -> (Hierarchy, Vec<HierarchyError>) {
        let Some(plan) = plan else { return (Hierarchy::default(), Vec::new()) };
        let written = |key| plan.field(key).map(|f| (f.text.as_str(), f.value_span));
        let (mut hierarchy, mut errors) = Hierarchy::read(written(FieldKey::Hierarchy), written(FieldKey::Numbering));
        if let Some((text, span)) = written(FieldKey::NotInForm) {
            match parse_absent(text) {
                Ok((absent, status)) => (hierarchy.absent, hierarchy.no_status) = (absent, status),
                Err(error) => errors.push(HierarchyError { key: FieldKey::NotInForm, span, error }),
            }
        }
        (hierarchy, errors)
    }

    /// Whether the body's form has no place for a series' statuses (`様式にない項目: 状況`).
    pub fn form_lacks_status(&self) -> bool {
        self.no_status
    }

    /// Whether the body's form has no place for this field (`様式にない項目`).
    pub fn form_lacks(&self, key: FieldKey) -> bool {
        self.absent.contains(&key)
    }

    /// The same levels, with the form lacking these fields (as an import
    /// finds them: no column for them).
    pub fn lacking(mut self, absent: Vec<FieldKey>) -> Hierarchy {
        self.absent = absent;
        self
    }

    /// The hierarchy that a `階層` and a `番号` written as text declare (the
    /// sheet's 計画 fields): the default where they cannot be read.
    pub fn of_text(levels: Option<&str>, numbering: Option<&str>) -> Hierarchy {
        Hierarchy::read(levels.map(|t| (t, Span::default())), numbering.map(|t| (t, Span::default()))).0
    }

    fn read(levels: Option<(&str, Span)>, numbering: Option<(&str, Span)>) -> (Hierarchy, Vec<HierarchyError>) {
        let mut hierarchy = Hierarchy::default();
        let mut errors = Vec::new();
        if let Some((text, span)) = levels.filter(|(t, _)| !t.trim().is_empty()) {
            match parse_levels(text) {
                Ok(levels) => hierarchy.levels = levels,
                Err(error) => errors.push(HierarchyError { key: FieldKey::Hierarchy, span, error }),
            }
        }
        if let Some((text, span)) = numbering.filter(|(t, _)| !t.trim().is_empty()) {
            match parse_numbering(text) {
                Ok(Numbering::Digits(widths)) if errors.is_empty() && widths.len() != hierarchy.levels.len() => errors.push(HierarchyError {
                    key: FieldKey::Numbering,
                    span,
                    error: ValueError::new(
                        format!("桁数が {} 個ありますが、階層は {} 段です ({}): 段ごとに1つ書きます", widths.len(), hierarchy.levels.len(), hierarchy.describe()),
                        format!("{} widths are given, but the hierarchy has {} levels ({}): give one per level", widths.len(), hierarchy.levels.len(), hierarchy.describe()),
                    ),
                }),
                Ok(numbering) => hierarchy.numbering = numbering,
                Err(error) => errors.push(HierarchyError { key: FieldKey::Numbering, span, error }),
            }
        }
        if !errors.is_empty() {
            hierarchy = Hierarchy { unreadable: true, ..Hierarchy::default() };
        }
        // `様式にない項目` is read by `of_plan`: an unreadable one leaves the
        // levels standing.
        (hierarchy, errors)
    }

    /// A hierarchy of these levels (two to four of [`LEVELS`], in order,
    /// ending in 施策) numbered so (`Digits`: one width per level); `None`
    /// when it is not one.
    pub fn new(levels: Vec<BlockKind>, numbering: Numbering) -> Option<Hierarchy> {
        let in_order = levels.windows(2).all(|w| LEVELS.iter().position(|&k| k == w[0]) < LEVELS.iter().position(|&k| k == w[1]));
        let widths_fit = match &numbering {
            Numbering::Dashed => true,
            Numbering::Digits(widths) => widths.len() == levels.len() && widths.iter().all(|w| (1..=9).contains(w)),
        };
        let valid = (2..=4).contains(&levels.len()) && levels.iter().all(|k| LEVELS.contains(k)) && in_order && levels.last() == Some(&BlockKind::Measure) && widths_fit;
        valid.then_some(Hierarchy { levels, numbering, unreadable: false, absent: Vec::new(), no_status: false })
    }

    /// The `階層` and `番号` a 計画 block writes to declare this hierarchy
    /// (`None`: the default's, which need not be written).
    pub fn declaration(&self) -> (Option<String>, Option<String>) {
        let default = Hierarchy::default();
        let levels = (self.levels != default.levels).then(|| self.describe());
        let numbering = match &self.numbering {
            Numbering::Dashed => None,
            Numbering::Digits(widths) => Some(widths.iter().map(|w| format!("{w}桁")).collect::<Vec<_>>().join(", ")),
        };
        (levels, numbering)
    }

    /// The level whose IDs have this shape (`1-2` is a 施策's in `政策 >
    /// 施策`; a 9-digit code is a 施策's with widths 2, 2, 2, 3), whatever
    /// the numbers.
    pub fn level_of_id(&self, id: &str) -> Option<BlockKind> {
        self.levels.iter().copied().find(|&kind| self.numbers(kind, id).is_some())
    }

    /// The ID of the `level` block that holds a `kind` block with this ID,
    /// as its numbers say (`1-2-3` → 政策 `1-2`); `None` when the ID is not
    /// well formed or `level` is not above `kind` in this plan.
    pub fn ancestor_id(&self, kind: BlockKind, id: &str, level: BlockKind) -> Option<String> {
        let depth = self.depth(level)?;
        let numbers = self.numbers(kind, id)?;
        (depth < numbers.len()).then(|| self.format(&numbers[..depth]))
    }

    /// The plan's hierarchy; the default when it cannot be read.
    pub fn of(plan: Option<&Block>) -> Hierarchy {
        Hierarchy::of_plan(plan).0
    }

    pub fn levels(&self) -> &[BlockKind] {
        &self.levels
    }

    pub fn numbering(&self) -> &Numbering {
        &self.numbering
    }

    /// Whether this is the spec's hierarchy (基本政策 > 政策 > 施策, dashed).
    pub fn is_default(&self) -> bool {
        *self == Hierarchy::default()
    }

    /// `基本政策 > 政策 > 施策`.
    pub fn describe(&self) -> String {
        self.levels.iter().map(|k| k.keyword()).collect::<Vec<_>>().join(" > ")
    }

    /// How many numbers a block of `kind` has in its ID: its depth, from 1
    /// at the top (`None`: the kind is not a level of this plan, or takes no ID).
    pub fn depth(&self, kind: BlockKind) -> Option<usize> {
        self.levels.iter().position(|&k| k == kind).map(|i| i + 1)
    }

    /// The level above `kind` (`None` at the top).
    pub fn parent_level(&self, kind: BlockKind) -> Option<BlockKind> {
        let depth = self.depth(kind)?;
        depth.checked_sub(2).map(|i| self.levels[i])
    }

    /// Where a block of `kind` may be written (`None`: at top level). A
    /// level stands at top level or inside the level above it; a kind that
    /// is not a level of this plan stands nowhere.
    pub fn allowed_parents(&self, kind: BlockKind) -> Vec<Option<BlockKind>> {
        if !LEVELS.contains(&kind) {
            return kind.allowed_parents().to_vec();
        }
        match self.depth(kind) {
            None => Vec::new(),
            Some(_) => std::iter::once(None).chain(self.parent_level(kind).map(Some)).collect(),
        }
    }

    /// The numbers of a well-formed ID of a `kind` block (`2-1-3` → [2, 1, 3]).
    pub fn numbers(&self, kind: BlockKind, id: &str) -> Option<Vec<u32>> {
        let depth = self.depth(kind)?;
        match &self.numbering {
            Numbering::Dashed => {
                let numbers: Vec<u32> = id.split('-').map(|p| if p.is_empty() || p.len() > 9 { None } else { p.parse().ok() }).collect::<Option<_>>()?;
                (numbers.len() == depth).then_some(numbers)
            }
            Numbering::Digits(widths) => {
                let widths = &widths[..depth];
                if !id.bytes().all(|b| b.is_ascii_digit()) || id.len() != widths.iter().sum::<usize>() {
                    return None;
                }
                let mut at = 0;
                widths
                    .iter()
                    .map(|&w| {
                        let part = &id[at..at + w];
                        at += w;
                        part.parse().ok()
                    })
                    .collect()
            }
        }
    }

    /// The numbers of a block's ID, when the block is a level of this plan
    /// and its ID is well formed.
    pub fn numbers_of(&self, block: &Block) -> Option<Vec<u32>> {
        self.numbers(block.kind?, &block.id.as_ref()?.value)
    }

    /// An ID written from its numbers (the first `numbers.len()` levels).
    pub fn format(&self, numbers: &[u32]) -> String {
        match &self.numbering {
            Numbering::Dashed => numbers.iter().map(u32::to_string).collect::<Vec<_>>().join("-"),
            Numbering::Digits(widths) => numbers.iter().zip(widths).map(|(n, &w)| format!("{n:0w$}")).collect(),
        }
    }

    /// The ID's shape at a depth, for messages: (`N-N`, `1-2`) or
    /// (`4桁の数字 (2桁+2桁)`, `0102`).
    pub fn shape(&self, depth: usize) -> (String, String, String) {
        let example: Vec<u32> = (1..=depth as u32).collect();
        match &self.numbering {
            Numbering::Dashed => {
                let shape = vec!["N"; depth].join("-");
                (shape.clone(), shape, self.format(&example))
            }
            Numbering::Digits(widths) => {
                let widths = &widths[..depth.min(widths.len())];
                let total: usize = widths.iter().sum();
                let parts_ja = widths.iter().map(|w| format!("{w}桁")).collect::<Vec<_>>().join("+");
                let parts_en = widths.iter().map(usize::to_string).collect::<Vec<_>>().join("+");
                (format!("{total}桁の数字 ({parts_ja})"), format!("{total} digits ({parts_en})"), self.format(&example))
            }
        }
    }

    /// An ID written in the other numbering, as it should be here: `01-02`
    /// in a plan of fixed-width codes is `0102`; `0102` in a dashed plan of
    /// two levels is `1-2` only when it cannot be read another way (not
    /// offered). `None` when there is no such reading.
    pub fn respelt(&self, kind: BlockKind, id: &str) -> Option<String> {
        let depth = self.depth(kind)?;
        let Numbering::Digits(widths) = &self.numbering else { return None };
        let parts: Vec<&str> = id.split('-').collect();
        if parts.len() != depth || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 9) {
            return None;
        }
        let numbers: Vec<u32> = parts.iter().map(|p| p.parse().ok()).collect::<Option<_>>()?;
        if numbers.iter().zip(widths).any(|(n, &w)| n.to_string().len() > w) {
            return None;
        }
        Some(self.format(&numbers))
    }
}

/// `基本目標 > 基本政策 > 政策 > 施策`: the levels, top first, separated by
/// `>`, `＞`, `/`, `・`, `、` or spaces.
/// `全体評価, 定性評価`: the fields of [`FORM_FIELDS`] named, by any of
/// their names, separated by `,` `、` `・` or spaces.
fn parse_absent(text: &str) -> Result<(Vec<FieldKey>, bool), ValueError> {
    let text = nfkc(text);
    let mut absent = Vec::new();
    let mut status = false;
    for name in text.split([',', '、', '・', ' ', '\u{3000}']).map(str::trim).filter(|n| !n.is_empty()) {
        if name == STATUS_NAME {
            status = true;
            continue;
        }
        let Some(key) = FORM_FIELDS.iter().copied().find(|&k| super::schema::def(k).names.contains(&name)) else {
            let names = FORM_FIELDS.iter().map(|&k| super::schema::def(k).name()).collect::<Vec<_>>().join("・");
            return Err(ValueError::new(
                format!("`{name}` は 様式にない項目 に書ける項目ではありません: 書けるのは {names} と {STATUS_NAME} (推移の各年度の状況) です"),
                format!("`{name}` cannot be named in 様式にない項目: the fields it may name are {names}, and {STATUS_NAME} (the status of each year of a series)"),
            ));
        };
        if !absent.contains(&key) {
            absent.push(key);
        }
    }
    Ok((absent, status))
}

/// The `様式にない項目` a 計画 block writes for these fields (and for the
/// status of each year of a series, `状況`).
pub fn absent_declaration(absent: &[FieldKey], status: bool) -> Option<String> {
    let names: Vec<&str> = absent.iter().map(|&k| super::schema::def(k).name()).chain(status.then_some(STATUS_NAME)).collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// The name of a series' statuses in `様式にない項目`.
pub const STATUS_NAME: &str = "状況";

fn parse_levels(text: &str) -> Result<Vec<BlockKind>, ValueError> {
    let text = nfkc(text);
    const MARKS: [char; 7] = ['>', '/', '・', '、', ',', '→', '＞'];
    // Levels between marks (`政策 > 施策`), or between spaces (`政策 施策`);
    // a mark with no level on one side is a slip.
    let names: Vec<&str> = if text.contains(MARKS) {
        let names: Vec<&str> = text.split(MARKS).map(str::trim).collect();
        if names.iter().any(|n| n.is_empty()) {
            return Err(ValueError::new(
                "階層に空の段があります (`>` の前か後に段の名前がありません): `政策 > 施策` のように書きます",
                "the hierarchy has an empty level (nothing before or after a `>`): write it as `政策 > 施策`",
            ));
        }
        names
    } else {
        text.split_whitespace().collect()
    };
    let mut levels = Vec::new();
    for name in &names {
        let Some(kind) = BlockKind::from_keyword(name).filter(|k| LEVELS.contains(k)) else {
            return Err(ValueError::new(
                format!("`{name}` は階層の段ではありません: 基本目標・基本政策・政策・施策 から上の順に選びます (例: `政策 > 施策`)"),
                format!("`{name}` is not a level: choose from 基本目標, 基本政策, 政策, 施策, top first (e.g. `政策 > 施策`)"),
            ));
        };
        if levels.contains(&kind) {
            return Err(ValueError::new(format!("`{name}` が2回書かれています"), format!("`{name}` is given twice")));
        }
        if levels.last().is_some_and(|&last| LEVELS.iter().position(|&k| k == last) > LEVELS.iter().position(|&k| k == kind)) {
            return Err(ValueError::new("階層は上から 基本目標 > 基本政策 > 政策 > 施策 の順に書きます", "levels are written top first, in the order 基本目標 > 基本政策 > 政策 > 施策"));
        }
        levels.push(kind);
    }
    if levels.last() != Some(&BlockKind::Measure) {
        return Err(ValueError::new("階層は評価する段 `施策` で終わります (例: `政策 > 施策`)", "the hierarchy ends with the level that is evaluated, `施策` (e.g. `政策 > 施策`)"));
    }
    if levels.len() < 2 {
        return Err(ValueError::new(
            "階層は2段から4段です: 施策 の上に少なくとも1段書きます (例: `政策 > 施策`)",
            "a hierarchy has two to four levels: give at least one above 施策 (e.g. `政策 > 施策`)",
        ));
    }
    Ok(levels)
}

/// `区切り` (dashed, the default) or the digits of each level:
/// `2桁, 2桁, 3桁`, `2-2-3桁`, `2,2,3`.
fn parse_numbering(text: &str) -> Result<Numbering, ValueError> {
    let text = nfkc(text);
    let text = text.trim();
    if matches!(text, "区切り" | "ハイフン区切り" | "ハイフン" | "-" | "N-N-N") {
        return Ok(Numbering::Dashed);
    }
    const MARKS: [char; 5] = [',', '、', '・', '-', '+'];
    let parts: Vec<&str> = if text.contains(MARKS) { text.split(MARKS).collect() } else { text.split_whitespace().collect() };
    let parts: Vec<&str> = parts.iter().map(|p| p.trim().trim_end_matches('桁').trim()).collect();
    // An empty part (`2桁,, 3桁`, `-2桁`) is a slip: refused below.
    let widths: Option<Vec<usize>> = parts.iter().map(|p| p.parse::<usize>().ok().filter(|w| (1..=9).contains(w))).collect();
    match widths {
        Some(widths) if !widths.is_empty() => Ok(Numbering::Digits(widths)),
        _ => Err(ValueError::new(
            format!("`{text}` は番号の付け方として読めません: `区切り` (1-2-3) か、段ごとの桁数 (`2桁, 2桁, 3桁`、1〜9桁) を書きます"),
            format!("`{text}` is not a numbering: write `区切り` (1-2-3) or the digits per level (`2桁, 2桁, 3桁`, 1 to 9 each)"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(widths: &[usize], levels: &[BlockKind]) -> Hierarchy {
        Hierarchy { levels: levels.to_vec(), numbering: Numbering::Digits(widths.to_vec()), unreadable: false, absent: Vec::new(), no_status: false }
    }

    #[test]
    fn the_default_is_the_specs_three_dashed_levels() {
        let h = Hierarchy::default();
        assert_eq!(h.describe(), "基本政策 > 政策 > 施策");
        assert_eq!(h.numbers(BlockKind::Measure, "2-1-3"), Some(vec![2, 1, 3]));
        assert_eq!(h.numbers(BlockKind::Measure, "2-1"), None);
        assert_eq!(h.numbers(BlockKind::Goal, "2"), None);
        assert_eq!(h.allowed_parents(BlockKind::Measure), [None, Some(BlockKind::Policy)]);
        assert!(h.allowed_parents(BlockKind::Goal).is_empty());
        assert_eq!(h.allowed_parents(BlockKind::Indicator), [Some(BlockKind::Measure)]);
    }

    #[test]
    fn levels_are_read_in_order_and_end_in_the_measure() {
        assert_eq!(parse_levels("政策 > 施策").unwrap(), [BlockKind::Policy, BlockKind::Measure]);
        assert_eq!(parse_levels("基本目標＞基本政策＞政策＞施策").unwrap(), LEVELS);
        assert_eq!(parse_levels("基本目標・施策").unwrap(), [BlockKind::Goal, BlockKind::Measure]);
        for bad in ["施策", "政策 > 基本政策 > 施策", "政策 > 施策 > 政策", "基本政策 > 政策", "章 > 施策", "政策 > 施策 >", "> 政策 > 施策", "政策 >> 施策"] {
            assert!(parse_levels(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbering_is_dashes_or_digits_per_level() {
        assert_eq!(parse_numbering("区切り").unwrap(), Numbering::Dashed);
        for written in ["2桁, 2桁, 3桁", "2-2-3桁", "２，２，３", "2+2+3"] {
            assert_eq!(parse_numbering(written).unwrap(), Numbering::Digits(vec![2, 2, 3]), "{written}");
        }
        for bad in ["二桁", "0, 2", "10桁", "", "-2桁, 3桁", "2桁,, 3桁", "2桁, 3桁,"] {
            assert!(parse_numbering(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_code_is_split_by_the_widths_of_its_levels() {
        let h = digits(&[2, 2, 2, 3], &LEVELS);
        assert_eq!(h.numbers(BlockKind::Measure, "010203004"), Some(vec![1, 2, 3, 4]));
        assert_eq!(h.numbers(BlockKind::Policy, "010203"), Some(vec![1, 2, 3]));
        assert_eq!(h.numbers(BlockKind::Measure, "01020304"), None);
        assert_eq!(h.numbers(BlockKind::Measure, "1-2-3-4"), None);
        assert_eq!(h.format(&[1, 2]), "0102");
        assert_eq!(h.respelt(BlockKind::Policy, "01-2-03"), Some("010203".into()));
        assert_eq!(h.respelt(BlockKind::Policy, "100-2-03"), None);
        assert_eq!(h.shape(3), ("6桁の数字 (2桁+2桁+2桁)".into(), "6 digits (2+2+2)".into(), "010203".into()));
    }

    #[test]
    fn a_two_level_plan_numbers_its_measures_with_two() {
        let h = Hierarchy { levels: vec![BlockKind::Policy, BlockKind::Measure], numbering: Numbering::Dashed, unreadable: false, absent: Vec::new(), no_status: false };
        assert_eq!(h.numbers(BlockKind::Measure, "1-1"), Some(vec![1, 1]));
        assert_eq!(h.numbers(BlockKind::Measure, "1-1-1"), None);
        assert_eq!(h.allowed_parents(BlockKind::BasicPolicy), Vec::<Option<BlockKind>>::new());
        assert_eq!(h.parent_level(BlockKind::Measure), Some(BlockKind::Policy));
        assert_eq!(h.shape(2).2, "1-2");
        assert_eq!(h.level_of_id("1-2"), Some(BlockKind::Measure));
        assert_eq!(h.level_of_id("1"), Some(BlockKind::Policy));
        assert_eq!(h.level_of_id("1-2-3"), None);
        assert_eq!(h.ancestor_id(BlockKind::Measure, "3-2", BlockKind::Policy).as_deref(), Some("3"));
        assert_eq!(h.ancestor_id(BlockKind::Measure, "3-2", BlockKind::BasicPolicy), None);
        assert_eq!(h.declaration(), (Some("政策 > 施策".into()), None));
    }

    #[test]
    fn a_hierarchy_is_made_and_declared_as_a_plan_writes_it() {
        let h = Hierarchy::new(LEVELS.to_vec(), Numbering::Digits(vec![2, 2, 2, 3])).unwrap();
        assert_eq!(h.declaration(), (Some("基本目標 > 基本政策 > 政策 > 施策".into()), Some("2桁, 2桁, 2桁, 3桁".into())));
        assert_eq!(Hierarchy::of_text(h.declaration().0.as_deref(), h.declaration().1.as_deref()), h);
        assert_eq!(h.level_of_id("010203"), Some(BlockKind::Policy));
        assert_eq!(h.ancestor_id(BlockKind::Measure, "010203004", BlockKind::BasicPolicy).as_deref(), Some("0102"));
        assert_eq!(Hierarchy::default().declaration(), (None, None));
        assert!(Hierarchy::new(vec![BlockKind::Measure], Numbering::Dashed).is_none());
        assert!(Hierarchy::new(vec![BlockKind::Policy, BlockKind::BasicPolicy, BlockKind::Measure], Numbering::Dashed).is_none());
        assert!(Hierarchy::new(vec![BlockKind::Policy, BlockKind::Measure], Numbering::Digits(vec![2])).is_none());
        assert_eq!(Hierarchy::of_text(Some("章 > 施策"), None), Hierarchy { unreadable: true, ..Hierarchy::default() });
    }
}
