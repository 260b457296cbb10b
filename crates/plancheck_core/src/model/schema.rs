//! What the format allows: block kinds, their keywords, the fields of each
//! block and how each field's value is read. This table is the one place
//! that knows the spec's "Blocks" and "Fields" sections.

use super::value::nfkc;

/// A kind of block. English names, see the glossary in ARCHITECTURE.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum BlockKind {
    /// 計画: the plan header (実績年度, 目標年度).
    Plan,
    /// 基本政策 (ID `N`).
    BasicPolicy,
    /// 政策 (ID `N-N`).
    Policy,
    /// 施策 (ID `N-N-N`): the unit that is evaluated.
    Measure,
    /// 指標: an indicator with actual and target values.
    Indicator,
    /// 展開 / 施策の展開: a line of development with results and issues.
    Development,
}

impl BlockKind {
    /// Every kind, outermost first.
    pub const ALL: [BlockKind; 6] = [BlockKind::Plan, BlockKind::BasicPolicy, BlockKind::Policy, BlockKind::Measure, BlockKind::Indicator, BlockKind::Development];

    pub fn from_keyword(keyword: &str) -> Option<BlockKind> {
        match nfkc(keyword).as_str() {
            "計画" => Some(BlockKind::Plan),
            "基本政策" => Some(BlockKind::BasicPolicy),
            "政策" => Some(BlockKind::Policy),
            "施策" => Some(BlockKind::Measure),
            "指標" => Some(BlockKind::Indicator),
            "展開" | "施策の展開" => Some(BlockKind::Development),
            _ => None,
        }
    }

    pub fn keyword(self) -> &'static str {
        match self {
            BlockKind::Plan => "計画",
            BlockKind::BasicPolicy => "基本政策",
            BlockKind::Policy => "政策",
            BlockKind::Measure => "施策",
            BlockKind::Indicator => "指標",
            BlockKind::Development => "展開",
        }
    }

    pub const KEYWORDS: [&'static str; 7] = ["計画", "基本政策", "政策", "施策", "指標", "展開", "施策の展開"];

    /// How many numbers the block's ID has (`None`: the block takes no ID).
    pub fn id_depth(self) -> Option<usize> {
        match self {
            BlockKind::BasicPolicy => Some(1),
            BlockKind::Policy => Some(2),
            BlockKind::Measure => Some(3),
            _ => None,
        }
    }

    /// The kinds this block may be written inside (`None` = top level).
    pub fn allowed_parents(self) -> &'static [Option<BlockKind>] {
        match self {
            BlockKind::Plan | BlockKind::BasicPolicy => &[None],
            BlockKind::Policy => &[None, Some(BlockKind::BasicPolicy)],
            BlockKind::Measure => &[None, Some(BlockKind::Policy)],
            BlockKind::Indicator | BlockKind::Development => &[Some(BlockKind::Measure)],
        }
    }
}

/// How a field's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Free text (prose).
    Text,
    /// A grade A–D.
    Grade,
    /// A grade A–D or `-`.
    IndicatorGrade,
    /// A level 高/中/低.
    Level,
    /// A quantity (`5,900人`, `-`).
    Quantity,
    /// 増加 or 減少.
    Direction,
}

/// Every field the format knows, by meaning. The same key can mean different
/// things in different blocks (定量評価 of a 施策 is a level, of a 指標 a grade).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum FieldKey {
    ActualYear,
    TargetYear,
    OverallGrade,
    SelfAssessment,
    QuantitativeLevel,
    QualitativeLevel,
    NextIssue,
    NextDirection,
    Department,
    Remark,
    Actual,
    Target,
    Forecast,
    Direction,
    IndicatorGrade,
    Action,
    Result,
    Issue,
    DevelopmentLevel,
}

/// One row of the spec's field table.
#[derive(Debug)]
pub struct FieldDef {
    pub key: FieldKey,
    /// Canonical name, then aliases.
    pub names: &'static [&'static str],
    /// Blocks the field belongs in; empty = any block.
    pub blocks: &'static [BlockKind],
    pub value: ValueKind,
    pub repeatable: bool,
    /// Prose that duplicate detection looks at (by default).
    pub prose: bool,
}

impl FieldDef {
    pub fn name(&self) -> &'static str {
        self.names[0]
    }
    pub fn allowed_in(&self, kind: BlockKind) -> bool {
        self.blocks.is_empty() || self.blocks.contains(&kind)
    }
}

use BlockKind::*;
use ValueKind as V;

pub static FIELDS: &[FieldDef] = &[
    FieldDef { key: FieldKey::ActualYear, names: &["実績年度"], blocks: &[Plan], value: V::Text, repeatable: false, prose: false },
    FieldDef { key: FieldKey::TargetYear, names: &["目標年度"], blocks: &[Plan], value: V::Text, repeatable: false, prose: false },
    FieldDef { key: FieldKey::OverallGrade, names: &["全体評価"], blocks: &[Measure], value: V::Grade, repeatable: false, prose: false },
    FieldDef { key: FieldKey::SelfAssessment, names: &["自己評価"], blocks: &[Measure], value: V::Text, repeatable: false, prose: true },
    FieldDef { key: FieldKey::QuantitativeLevel, names: &["定量評価"], blocks: &[Measure], value: V::Level, repeatable: false, prose: false },
    FieldDef { key: FieldKey::QualitativeLevel, names: &["定性評価"], blocks: &[Measure], value: V::Level, repeatable: false, prose: false },
    FieldDef { key: FieldKey::NextIssue, names: &["次期課題", "次期計画で取り組むべき課題"], blocks: &[Measure], value: V::Text, repeatable: true, prose: true },
    FieldDef { key: FieldKey::NextDirection, names: &["次期方向性", "次期計画での取組の方向性"], blocks: &[Measure], value: V::Text, repeatable: true, prose: true },
    FieldDef { key: FieldKey::Department, names: &["代表課", "施策代表課"], blocks: &[Measure], value: V::Text, repeatable: false, prose: false },
    FieldDef { key: FieldKey::Remark, names: &["備考"], blocks: &[], value: V::Text, repeatable: true, prose: false },
    FieldDef { key: FieldKey::Actual, names: &["実績", "実績値"], blocks: &[Indicator], value: V::Quantity, repeatable: false, prose: false },
    FieldDef { key: FieldKey::Target, names: &["目標", "目標値"], blocks: &[Indicator], value: V::Quantity, repeatable: false, prose: false },
    FieldDef { key: FieldKey::Forecast, names: &["見込み"], blocks: &[Indicator], value: V::Quantity, repeatable: false, prose: false },
    FieldDef { key: FieldKey::Direction, names: &["方向"], blocks: &[Indicator], value: V::Direction, repeatable: false, prose: false },
    FieldDef { key: FieldKey::IndicatorGrade, names: &["定量評価"], blocks: &[Indicator], value: V::IndicatorGrade, repeatable: false, prose: false },
    FieldDef { key: FieldKey::Action, names: &["取組", "主な取組"], blocks: &[Development], value: V::Text, repeatable: true, prose: true },
    FieldDef { key: FieldKey::Result, names: &["成果"], blocks: &[Development], value: V::Text, repeatable: false, prose: true },
    FieldDef { key: FieldKey::Issue, names: &["課題"], blocks: &[Development], value: V::Text, repeatable: false, prose: true },
    FieldDef { key: FieldKey::DevelopmentLevel, names: &["定性評価"], blocks: &[Development], value: V::Level, repeatable: false, prose: false },
];

/// Where a field stands, for reading its key: at top level, in a block of
/// a known kind, or in a block whose keyword is unknown (not judged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldContext {
    TopLevel,
    In(BlockKind),
    InUnknownBlock,
}

impl FieldContext {
    /// Inside a block of `kind` (`None`: an unknown keyword).
    pub fn in_block(kind: Option<BlockKind>) -> FieldContext {
        kind.map_or(FieldContext::InUnknownBlock, FieldContext::In)
    }
}

/// How a key written in a block of `kind` resolves.
#[derive(Debug)]
pub enum KeyResolution {
    Known(&'static FieldDef),
    /// A known key, but not in this block: where it belongs.
    Misplaced(Vec<BlockKind>),
    Unknown,
}

pub fn resolve_key(kind: Option<BlockKind>, key: &str) -> KeyResolution {
    let key = nfkc(key.trim());
    let mut elsewhere = Vec::new();
    for def in FIELDS {
        if def.names.contains(&key.as_str()) {
            match kind {
                Some(kind) if def.allowed_in(kind) => return KeyResolution::Known(def),
                _ => elsewhere.extend(def.blocks.iter().copied()),
            }
        }
    }
    if elsewhere.is_empty() && FIELDS.iter().any(|d| d.blocks.is_empty() && d.names.contains(&key.as_str())) {
        return KeyResolution::Misplaced(vec![]);
    }
    if elsewhere.is_empty() { KeyResolution::Unknown } else { KeyResolution::Misplaced(elsewhere) }
}

/// Field names valid in a block of `kind`, canonical names first.
pub fn names_in(kind: BlockKind) -> impl Iterator<Item = &'static str> {
    FIELDS.iter().filter(move |d| d.allowed_in(kind)).flat_map(|d| d.names.iter().copied())
}

pub fn def(key: FieldKey) -> &'static FieldDef {
    FIELDS.iter().find(|d| d.key == key).expect("every FieldKey has a row in FIELDS")
}
