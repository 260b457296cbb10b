//! What the format allows: block kinds, their keywords, the fields of each
//! block and how each field's value is read. This table is the one place
//! that knows the spec's "Blocks" and "Fields" sections.

use super::value::nfkc;

/// A kind of block. English names, see the glossary in ARCHITECTURE.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum BlockKind {
    /// 計画: the plan header (実績年度, 目標年度).
    Plan,
    /// 基本目標: a level above 基本政策, in a plan of four levels
    /// (`階層: 基本目標 > 基本政策 > 政策 > 施策`).
    Goal,
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
    pub const ALL: [BlockKind; 7] = [BlockKind::Plan, BlockKind::Goal, BlockKind::BasicPolicy, BlockKind::Policy, BlockKind::Measure, BlockKind::Indicator, BlockKind::Development];

    pub fn from_keyword(keyword: &str) -> Option<BlockKind> {
        match nfkc(keyword).as_str() {
            "計画" => Some(BlockKind::Plan),
            "基本目標" => Some(BlockKind::Goal),
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
            BlockKind::Goal => "基本目標",
            BlockKind::BasicPolicy => "基本政策",
            BlockKind::Policy => "政策",
            BlockKind::Measure => "施策",
            BlockKind::Indicator => "指標",
            BlockKind::Development => "展開",
        }
    }

    pub const KEYWORDS: [&'static str; 8] = ["計画", "基本目標", "基本政策", "政策", "施策", "指標", "展開", "施策の展開"];

    /// Whether the block has an ID: the levels of the hierarchy do (how
    /// many numbers it has is the plan's [`Hierarchy`](super::Hierarchy)'s to say).
    pub fn takes_id(self) -> bool {
        matches!(self, BlockKind::Goal | BlockKind::BasicPolicy | BlockKind::Policy | BlockKind::Measure)
    }

    /// The kinds this block may be written inside (`None` = top level), in
    /// the spec's hierarchy; a plan that declares its own `階層` places its
    /// levels by [`Hierarchy::allowed_parents`](super::Hierarchy::allowed_parents).
    pub fn allowed_parents(self) -> &'static [Option<BlockKind>] {
        match self {
            BlockKind::Plan | BlockKind::Goal | BlockKind::BasicPolicy => &[None],
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
    /// A grade of the legend's scale (A–D by default): a 施策's 全体評価.
    Grade,
    /// A grade of the legend's scale or a code that is not a grade (`-`):
    /// an indicator's 定量評価.
    IndicatorGrade,
    /// A level of a summary's or of the 展開' scale (高/中/低 by default).
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
    /// 自治体: the municipality whose plan it is (a plancheck extension;
    /// the report's title names it).
    Municipality,
    ActualYear,
    TargetYear,
    Hierarchy,
    Numbering,
    NotInForm,
    LegendGrades,
    LegendOverall,
    LegendUngraded,
    LegendLevels,
    LegendQuantitative,
    LegendQualitative,
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
    Baseline,
    Expected,
    StatedRatio,
    Method,
    Series,
    TargetSeries,
    Cumulative,
    Direction,
    IndicatorGrade,
    Action,
    Result,
    Issue,
    DevelopmentLevel,
}

/// One row of the spec's field table, and everything else that knows the
/// field: the name of its slot in the sheet (and the export JSON), the
/// column it has in the official table and the headings import recognises
/// for it, how `plancheck diff` compares it, and which child blocks it
/// sums up (where the `.plan` writer puts them). The tables crate, the
/// `.plan` writer, import, diff and the editor snippets iterate this table;
/// adding a plain field is one row here (plus its tests).
#[derive(Debug)]
pub struct FieldDef {
    pub key: FieldKey,
    /// Its name in English messages and reports (`overall grade`).
    pub en: &'static str,
    /// Canonical name, then aliases.
    pub names: &'static [&'static str],
    /// Blocks the field belongs in; empty = any block.
    pub blocks: &'static [BlockKind],
    pub value: ValueKind,
    pub repeatable: bool,
    /// Prose that duplicate detection looks at (by default).
    pub prose: bool,
    /// The field's name in the sheet and the export JSON (`overall_grade`);
    /// unique among the fields of a block.
    pub slot: &'static str,
    /// Whether the sheet keeps every value written (a JSON array) or the
    /// first (a JSON string).
    pub many: bool,
    /// Its column in the table, `None`: none (the plan's years are in the
    /// headings of 実績 and 目標).
    pub column: Option<ColumnDef>,
    /// How `plancheck diff` compares two editions of it.
    pub compare: Compare,
    /// The child blocks this field sums up (the 施策's 定量評価 sums up its
    /// 指標): the `.plan` writer puts them just before it.
    pub summarizes: Option<BlockKind>,
}

/// A field's column in the table.
#[derive(Debug)]
pub struct ColumnDef {
    pub heading: Heading,
    /// More headings that name it on import, besides the heading and the
    /// field's names (`定量評価(指標)`).
    pub aliases: &'static [&'static str],
    pub cell: CellForm,
}

/// A column's heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heading {
    Plain(&'static str),
    /// After the value of the plan's field (`令和4年度実績値`: 実績年度, then `実績値`).
    AfterYear(FieldKey, &'static str),
    /// One column per block the field is in, the block's keyword in
    /// parentheses (`備考(施策)`).
    PerBlock(&'static str),
}

/// How a field's values are laid out in the cells of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellForm {
    /// One value in the block's cell (a second, different one is a 備考).
    Single,
    /// The i-th value on the i-th row of the 施策 (次期課題).
    PerRow,
    /// One item per line of the cell (主な取組).
    Lines,
    /// One text; a cell on a later row continues it on a new line (a
    /// paragraph that runs over rows: 成果, 課題). Several texts are
    /// separated by a blank line.
    Continued,
    /// Items separated by a blank line (備考).
    Items,
}

/// How `plancheck diff` compares a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    /// A change of value (実績, 目標).
    Value,
    /// A change of a list's items (取組).
    List,
    /// A change of a grade or level as written.
    Grade,
    /// A change of the responsible department.
    Department,
    /// Prose: only a copy carried over unchanged is reported.
    Prose,
    /// Not compared (備考, the plan's years).
    Skip,
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

const fn column(heading: Heading, cell: CellForm) -> Option<ColumnDef> {
    Some(ColumnDef { heading, aliases: &[], cell })
}

const fn plain(heading: &'static str) -> Option<ColumnDef> {
    column(Heading::Plain(heading), CellForm::Single)
}

/// Every field, in the order the `.plan` writer writes a block's fields and
/// the export JSON lists them.
pub static FIELDS: &[FieldDef] = &[
    FieldDef {
        key: FieldKey::Municipality,
        en: "municipality",
        names: &["自治体", "団体名"],
        blocks: &[Plan],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "municipality",
        many: false,
        column: None,
        compare: Compare::Skip,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::ActualYear,
        en: "actual year",
        names: &["実績年度"],
        blocks: &[Plan],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "actual_year",
        many: false,
        column: None,
        compare: Compare::Skip,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::TargetYear,
        en: "target year",
        names: &["目標年度"],
        blocks: &[Plan],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "target_year",
        many: false,
        column: None,
        compare: Compare::Skip,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Hierarchy,
        en: "hierarchy",
        names: &["階層"],
        blocks: &[Plan],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "hierarchy",
        many: false,
        column: None,
        compare: Compare::Skip,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Numbering,
        en: "numbering",
        names: &["番号", "番号の付け方"],
        blocks: &[Plan],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "numbering",
        many: false,
        column: None,
        compare: Compare::Skip,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::NotInForm,
        en: "fields not in the form",
        names: &["様式にない項目"],
        blocks: &[Plan],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "not_in_form",
        many: false,
        column: None,
        compare: Compare::Skip,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::LegendGrades,
        en: "legend: indicator grades",
        names: &["指標の評価"],
        blocks: &[Plan],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "legend_grades",
        many: false,
        column: None,
        compare: Compare::Skip,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::LegendOverall,
        en: "legend: 全体評価 of a 施策",
        names: &["全体評価の区分"],
        blocks: &[Plan],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "legend_overall",
        many: false,
        column: None,
        compare: Compare::Skip,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::LegendUngraded,
        en: "legend: codes that are not grades",
        names: &["評価しない記号"],
        blocks: &[Plan],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "legend_ungraded",
        many: false,
        column: None,
        compare: Compare::Skip,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::LegendLevels,
        en: "legend: 展開 levels",
        names: &["展開の評価"],
        blocks: &[Plan],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "legend_levels",
        many: false,
        column: None,
        compare: Compare::Skip,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::LegendQuantitative,
        en: "legend: 定量評価 of a 施策",
        names: &["定量評価の基準"],
        blocks: &[Plan],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "legend_quantitative",
        many: false,
        column: None,
        compare: Compare::Skip,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::LegendQualitative,
        en: "legend: 定性評価 of a 施策",
        names: &["定性評価の基準"],
        blocks: &[Plan],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "legend_qualitative",
        many: false,
        column: None,
        compare: Compare::Skip,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::OverallGrade,
        en: "overall grade",
        names: &["全体評価"],
        blocks: &[Measure],
        value: V::Grade,
        repeatable: false,
        prose: false,
        slot: "overall_grade",
        many: false,
        column: plain("全体評価"),
        compare: Compare::Grade,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::SelfAssessment,
        en: "self-assessment",
        names: &["自己評価"],
        blocks: &[Measure],
        value: V::Text,
        repeatable: false,
        prose: true,
        slot: "self_assessment",
        many: false,
        column: plain("自己評価"),
        compare: Compare::Prose,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::QuantitativeLevel,
        en: "quantitative level",
        names: &["定量評価"],
        blocks: &[Measure],
        value: V::Level,
        repeatable: false,
        prose: false,
        slot: "quantitative_level",
        many: false,
        column: plain("定量評価(施策)"),
        compare: Compare::Grade,
        summarizes: Some(Indicator),
    },
    FieldDef {
        key: FieldKey::QualitativeLevel,
        en: "qualitative level",
        names: &["定性評価"],
        blocks: &[Measure],
        value: V::Level,
        repeatable: false,
        prose: false,
        slot: "qualitative_level",
        many: false,
        column: plain("定性評価(施策)"),
        compare: Compare::Grade,
        summarizes: Some(Development),
    },
    FieldDef {
        key: FieldKey::NextIssue,
        en: "next issue",
        names: &["次期課題", "次期計画で取り組むべき課題"],
        blocks: &[Measure],
        value: V::Text,
        repeatable: true,
        prose: true,
        slot: "next_issues",
        many: true,
        column: column(Heading::Plain("次期計画で取り組むべき課題"), CellForm::PerRow),
        compare: Compare::Prose,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::NextDirection,
        en: "next direction",
        names: &["次期方向性", "次期計画での取組の方向性"],
        blocks: &[Measure],
        value: V::Text,
        repeatable: true,
        prose: true,
        slot: "next_directions",
        many: true,
        column: column(Heading::Plain("次期計画での取組の方向性"), CellForm::PerRow),
        compare: Compare::Prose,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Department,
        en: "department",
        names: &["代表課", "施策代表課"],
        blocks: &[Measure],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "department",
        many: false,
        column: Some(ColumnDef { heading: Heading::Plain("施策代表課"), aliases: &["担当課", "所管課", "主管課", "担当部署", "担当部局"], cell: CellForm::Single }),
        compare: Compare::Department,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Actual,
        en: "actual",
        names: &["実績", "実績値"],
        blocks: &[Indicator],
        value: V::Quantity,
        repeatable: false,
        prose: false,
        slot: "actual",
        many: false,
        column: column(Heading::AfterYear(FieldKey::ActualYear, "実績値"), CellForm::Single),
        compare: Compare::Value,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Target,
        en: "target",
        names: &["目標", "目標値"],
        blocks: &[Indicator],
        value: V::Quantity,
        repeatable: false,
        prose: false,
        slot: "target",
        many: false,
        column: column(Heading::AfterYear(FieldKey::TargetYear, "目標値"), CellForm::Single),
        compare: Compare::Value,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Forecast,
        en: "forecast",
        names: &["見込み"],
        blocks: &[Indicator],
        value: V::Quantity,
        repeatable: false,
        prose: false,
        slot: "forecast",
        many: false,
        column: plain("見込み"),
        compare: Compare::Value,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Baseline,
        en: "baseline",
        names: &["基準値"],
        blocks: &[Indicator],
        value: V::Quantity,
        repeatable: false,
        prose: false,
        slot: "baseline",
        many: false,
        column: Some(ColumnDef { heading: Heading::Plain("基準値"), aliases: &["現状値", "初期値", "策定時の値"], cell: CellForm::Single }),
        compare: Compare::Value,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Expected,
        en: "expected value",
        names: &["期待値"],
        blocks: &[Indicator],
        value: V::Quantity,
        repeatable: false,
        prose: false,
        slot: "expected",
        many: false,
        column: Some(ColumnDef { heading: Heading::Plain("期待値"), aliases: &["目安値", "中間目標値"], cell: CellForm::Single }),
        compare: Compare::Value,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Method,
        en: "method",
        names: &["計算方法"],
        blocks: &[Plan, Indicator],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "method",
        many: false,
        column: plain("計算方法"),
        compare: Compare::Value,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Series,
        en: "series",
        names: &["推移", "実績の推移"],
        blocks: &[Indicator],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "series",
        many: false,
        column: Some(ColumnDef { heading: Heading::Plain("推移"), aliases: &["実績の推移", "年度別実績"], cell: CellForm::Single }),
        compare: Compare::Value,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::TargetSeries,
        en: "yearly targets",
        names: &["目標推移", "年度別目標"],
        blocks: &[Indicator],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "target_series",
        many: false,
        column: Some(ColumnDef { heading: Heading::Plain("目標推移"), aliases: &["年度別目標", "年度別目標値", "各年度の目標値"], cell: CellForm::Single }),
        compare: Compare::Value,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Cumulative,
        en: "cumulative",
        names: &["累計"],
        blocks: &[Indicator],
        value: V::Text,
        repeatable: false,
        prose: false,
        slot: "cumulative",
        many: false,
        column: plain("累計"),
        compare: Compare::Value,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Direction,
        en: "direction",
        names: &["方向"],
        blocks: &[Indicator],
        value: V::Direction,
        repeatable: false,
        prose: false,
        slot: "direction",
        many: false,
        column: plain("方向"),
        compare: Compare::Value,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::StatedRatio,
        en: "achievement ratio",
        names: &["達成率", "達成度"],
        blocks: &[Indicator],
        value: V::Quantity,
        repeatable: false,
        prose: false,
        slot: "stated_ratio",
        many: false,
        column: plain("達成率"),
        compare: Compare::Value,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::IndicatorGrade,
        en: "grade",
        names: &["定量評価"],
        blocks: &[Indicator],
        value: V::IndicatorGrade,
        repeatable: false,
        prose: false,
        slot: "grade",
        many: false,
        column: Some(ColumnDef { heading: Heading::Plain("定量評価"), aliases: &["定量評価(指標)", "評価", "指標の評価", "達成状況"], cell: CellForm::Single }),
        compare: Compare::Grade,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Action,
        en: "action",
        names: &["取組", "主な取組"],
        blocks: &[Development],
        value: V::Text,
        repeatable: true,
        prose: true,
        slot: "actions",
        many: true,
        column: Some(ColumnDef { heading: Heading::Plain("主な取組"), aliases: &["取組内容", "主な取組内容", "主な事業"], cell: CellForm::Lines }),
        compare: Compare::List,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Result,
        en: "result",
        names: &["成果"],
        blocks: &[Development],
        value: V::Text,
        repeatable: false,
        prose: true,
        slot: "results",
        many: true,
        column: column(Heading::Plain("成果"), CellForm::Continued),
        compare: Compare::Prose,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Issue,
        en: "issue",
        names: &["課題"],
        blocks: &[Development],
        value: V::Text,
        repeatable: false,
        prose: true,
        slot: "issues",
        many: true,
        column: column(Heading::Plain("課題"), CellForm::Continued),
        compare: Compare::Prose,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::DevelopmentLevel,
        en: "level",
        names: &["定性評価"],
        blocks: &[Development],
        value: V::Level,
        repeatable: false,
        prose: false,
        slot: "level",
        many: false,
        column: Some(ColumnDef { heading: Heading::Plain("定性評価"), aliases: &["定性評価(展開)"], cell: CellForm::Single }),
        compare: Compare::Grade,
        summarizes: None,
    },
    FieldDef {
        key: FieldKey::Remark,
        en: "remark",
        names: &["備考"],
        blocks: &[],
        value: V::Text,
        repeatable: true,
        prose: false,
        slot: "remarks",
        many: true,
        column: column(Heading::PerBlock("備考"), CellForm::Items),
        compare: Compare::Skip,
        summarizes: None,
    },
];

/// The fields of a block of `kind`, in [`FIELDS`]' order.
pub fn fields_in(kind: BlockKind) -> impl Iterator<Item = &'static FieldDef> {
    FIELDS.iter().filter(move |d| d.allowed_in(kind))
}

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
    fields_in(kind).flat_map(|d| d.names.iter().copied())
}

pub fn def(key: FieldKey) -> &'static FieldDef {
    FIELDS.iter().find(|d| d.key == key).expect("every FieldKey has a row in FIELDS")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key has exactly one row per block it is in, and within a block
    /// the slots (sheet and JSON names) and the names are distinct.
    #[test]
    fn each_block_has_one_row_per_key_and_distinct_slots_and_names() {
        for kind in BlockKind::ALL {
            let defs: Vec<&FieldDef> = fields_in(kind).collect();
            for (i, a) in defs.iter().enumerate() {
                for b in &defs[i + 1..] {
                    assert_ne!(a.key, b.key, "{:?} has two rows in {kind:?}", a.key);
                    assert_ne!(a.slot, b.slot, "{:?} and {:?} share a slot in {kind:?}", a.key, b.key);
                    for name in a.names {
                        assert!(!b.names.contains(name), "{name} names two fields in {kind:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_key_has_a_row_and_slots_are_snake_case() {
        for def in FIELDS {
            assert!(std::ptr::eq(super::def(def.key), def));
            assert!(def.slot.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", def.slot);
            // A repeatable field keeps every value: its slot is a list.
            assert!(!def.repeatable || def.many, "{:?} is repeatable but keeps one value", def.key);
        }
        assert_eq!(FIELDS.len(), 36, "a new FieldKey needs a row (and this count)");
    }

    /// A field that sums up child blocks is a level of the block those
    /// blocks are written in.
    #[test]
    fn a_summary_field_sums_up_blocks_written_inside_its_own() {
        for def in FIELDS {
            if let Some(child) = def.summarizes {
                assert_eq!(def.value, ValueKind::Level);
                assert!(def.blocks.iter().all(|b| child.allowed_parents().contains(&Some(*b))), "{:?}", def.key);
            }
        }
    }
}
