//! The legend as data: which symbols a plan grades with and what each
//! means. An indicator's grade scale (`S`, `A`, `B+`, `◎`, `順調`: any
//! symbols, best first, each with the lower bound of its band and whether
//! the bound is inclusive, and its points), the codes that are not grades
//! (`-`, `Z`, `評価なし`: left out of every summary), the 展開's level
//! scale, and the two summaries of a 施策 (how the parts' points are
//! aggregated, and the bands of the result).
//!
//! [`LegendToml`] is the `[rating]` table of `plancheck.toml` as written;
//! [`Legend`] is what it resolves to, checked once when the config is read.
//! The model reads any symbol ([`Symbol`]); whether a plan's symbol is one
//! of its legend's is [`Legend::classify`]'s to say (`invalid-value`).
//!
//! Backward compatible: the keys of the spec's scheme (`[rating.indicator]
//! A/B/C`, `[rating.quantitative] high/middle/comparison/points`) keep
//! their meaning and are laid over the scales.

use crate::model::FieldKey;
use crate::model::value::{Symbol, ValueError};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Deserialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// The largest magnitude of a summary's points and bounds: sums of points
/// over any number of indicators stay far inside a decimal's range.
pub const MAX_POINTS: i64 = 1_000_000_000;

/// A band's lower bound: a value reached `from` it (inclusive, `≥`) or only
/// `above` it (exclusive, `>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    pub value: Decimal,
    pub inclusive: bool,
}

impl Bound {
    pub fn from(value: Decimal) -> Bound {
        Bound { value, inclusive: true }
    }
    pub fn above(value: Decimal) -> Bound {
        Bound { value, inclusive: false }
    }
    /// Whether a value that compares with this bound as `order` is in the band.
    pub fn admits(self, order: Ordering) -> bool {
        if self.inclusive { order != Ordering::Less } else { order == Ordering::Greater }
    }
    /// `≥` or `>`.
    pub fn symbol(self) -> &'static str {
        if self.inclusive { "≥" } else { ">" }
    }
    /// What a value below this bound is: `<` (under an inclusive bound) or `≤`.
    pub fn below_symbol(self) -> &'static str {
        if self.inclusive { "<" } else { "≤" }
    }
    /// `以上` or `超` (after the value, in Japanese).
    pub fn ja(self) -> &'static str {
        if self.inclusive { "以上" } else { "超" }
    }
    /// `未満` or `以下`: a value below this bound, in Japanese.
    pub fn below_ja(self) -> &'static str {
        if self.inclusive { "未満" } else { "以下" }
    }
}

/// One step of a scale: its symbol, the lower bound of its band (`None`
/// for the last step, which holds everything below the others) and its
/// points in a summary (a summary's own steps have no use for points: 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub symbol: Symbol,
    pub bound: Option<Bound>,
    pub points: Decimal,
    /// Given whenever the target is reached (only the best grade may say so).
    pub reach: Option<Reach>,
}

/// Symbols, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub steps: Vec<Step>,
}

impl Scale {
    /// The position of `symbol` (0: the best).
    pub fn rank(&self, symbol: &Symbol) -> Option<usize> {
        self.steps.iter().position(|s| s.symbol == *symbol)
    }
    pub fn get(&self, symbol: &Symbol) -> Option<&Step> {
        self.steps.iter().find(|s| s.symbol == *symbol)
    }
    pub fn best(&self) -> &Step {
        &self.steps[0]
    }
    pub fn symbols(&self) -> impl Iterator<Item = &Symbol> {
        self.steps.iter().map(|s| &s.symbol)
    }
    /// The step whose band holds a value, `against(bound)` comparing the
    /// value with a bound (exactly): the first whose bound admits it (a
    /// step given for a reached target is not a band).
    pub fn place(&self, mut against: impl FnMut(Decimal) -> Ordering) -> usize {
        self.steps.iter().position(|s| s.reach.is_none() && s.bound.is_none_or(|b| b.admits(against(b.value)))).unwrap_or(self.steps.len() - 1)
    }
    /// The band of step `i`: its lower bound and the bound above it.
    pub fn band(&self, i: usize) -> (Option<Bound>, Option<Bound>) {
        (self.steps[i].bound, i.checked_sub(1).and_then(|j| self.steps[j].bound))
    }
    /// The grades given whenever the target is reached (`exceeded` before
    /// `met` as written), best first: the scale's top steps with a `target`.
    pub fn reached(&self) -> impl Iterator<Item = (&Step, Reach)> {
        self.steps.iter().map_while(|s| Some((s, s.reach?)))
    }
    /// `A・B・C・D` (or `A, B, C, D`).
    pub fn listed(&self, separator: &str) -> String {
        self.symbols().map(Symbol::as_str).collect::<Vec<_>>().join(separator)
    }
}

/// How a summary aggregates its parts' points.
#[derive(Debug, Clone, PartialEq)]
pub enum Aggregate {
    /// The mean of the points (伊勢崎市).
    Mean,
    /// The sum of the points.
    Sum,
    /// The share, in percent, of the graded parts at this symbol or better.
    Share { at_least: Symbol },
    /// A judgement: nothing is computed, only the symbol is checked.
    Manual,
}

/// A summary of a 施策: how its parts' points are aggregated, and the
/// bands of the result.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRule {
    pub aggregate: Aggregate,
    pub scale: Scale,
}

/// `80%以上100%未満` / `at least 80% and under 100%` (`100%超` / `over
/// 100%` for an exclusive bound, `100%以下` / `at most 100%` below one).
pub fn band_text(lower: Option<Bound>, upper: Option<Bound>, lang: crate::diagnostics::Lang) -> String {
    band_text_in(lower, upper, "%", lang)
}

/// [`band_text`] with the bounds in `unit` (`ポイント` for the
/// `baseline-points` method, where the bounds are differences).
pub fn band_text_in(lower: Option<Bound>, upper: Option<Bound>, unit: &str, lang: crate::diagnostics::Lang) -> String {
    use crate::diagnostics::Lang;
    let en_lower = |l: Bound| if l.inclusive { format!("at least {}{unit}", l.value) } else { format!("over {}{unit}", l.value) };
    let en_upper = |u: Bound| if u.inclusive { format!("under {}{unit}", u.value) } else { format!("at most {}{unit}", u.value) };
    match (lower, upper, lang) {
        (Some(l), Some(u), Lang::Ja) => format!("{}{unit}{}{}{unit}{}", l.value, l.ja(), u.value, u.below_ja()),
        (Some(l), None, Lang::Ja) => format!("{}{unit}{}", l.value, l.ja()),
        (None, Some(u), Lang::Ja) => format!("{}{unit}{}", u.value, u.below_ja()),
        (Some(l), Some(u), Lang::En) => format!("{} and {}", en_lower(l), en_upper(u)),
        (Some(l), None, Lang::En) => en_lower(l),
        (None, Some(u), Lang::En) => en_upper(u),
        (None, None, _) => String::new(),
    }
}

/// The legend of a plan (the rating rules printed above the table).
#[derive(Debug, Clone, PartialEq)]
pub struct Legend {
    /// An indicator's grades, best first; bounds in percent of the target
    /// (or of the progress, by the method).
    pub grades: Scale,
    /// The codes of an indicator's 定量評価 that are not grades: `-` (not
    /// obtainable) first, always, then the scheme's (`Z`, `評価なし`).
    pub ungraded: Vec<Symbol>,
    /// A 展開's 定性評価, best first, with points.
    pub levels: Scale,
    /// A 施策's 定量評価, from its indicators' grades.
    pub quantitative: SummaryRule,
    /// A 施策's 定性評価, from its 展開' levels.
    pub qualitative: SummaryRule,
    /// A 施策's 全体評価, best first, when its symbols are not the
    /// indicators' (a judgement: only the symbol is checked).
    pub overall: Option<Scale>,
}

/// What a written grade or level is under the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A step of its scale, by rank (0: the best).
    Step(usize),
    /// A code that is not a grade (`-`, `Z`).
    Ungraded,
}

/// Which of the legend's scales a field's symbols come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleOf {
    /// A 施策's 全体評価: the grades.
    Overall,
    /// An indicator's 定量評価: the grades and the codes that are not.
    Indicator,
    /// A 施策's 定量評価.
    Quantitative,
    /// A 施策's 定性評価.
    Qualitative,
    /// A 展開's 定性評価.
    Development,
}

impl ScaleOf {
    pub fn of_field(key: FieldKey) -> Option<ScaleOf> {
        Some(match key {
            FieldKey::OverallGrade => ScaleOf::Overall,
            FieldKey::IndicatorGrade => ScaleOf::Indicator,
            FieldKey::QuantitativeLevel => ScaleOf::Quantitative,
            FieldKey::QualitativeLevel => ScaleOf::Qualitative,
            FieldKey::DevelopmentLevel => ScaleOf::Development,
            _ => return None,
        })
    }
}

impl Default for Legend {
    /// The spec's (伊勢崎市's): A ≥ 100%, B ≥ 80%, C ≥ 60%, D below, worth
    /// 3/2/1/0; 高/中/低 worth 3/2/1; 定量評価 by the mean, 高 > 2.5,
    /// 中 > 1.5; 定性評価 by the mean, 高 ≥ 2.5, 中 ≥ 1.7.
    fn default() -> Self {
        let step = |symbol: &str, bound: Option<Bound>, points: i64| Step { symbol: Symbol::new(symbol), bound, points: points.into(), reach: None };
        let percent = |p: i64| Some(Bound::from(p.into()));
        let summary =
            |high: Bound, middle: Bound| SummaryRule { aggregate: Aggregate::Mean, scale: Scale { steps: vec![step("高", Some(high), 0), step("中", Some(middle), 0), step("低", None, 0)] } };
        Legend {
            grades: Scale { steps: vec![step("A", percent(100), 3), step("B", percent(80), 2), step("C", percent(60), 1), step("D", None, 0)] },
            ungraded: vec![Symbol::dash()],
            levels: Scale { steps: vec![step("高", None, 3), step("中", None, 2), step("低", None, 1)] },
            quantitative: summary(Bound::above(Decimal::new(25, 1)), Bound::above(Decimal::new(15, 1))),
            qualitative: summary(Bound::from(Decimal::new(25, 1)), Bound::from(Decimal::new(17, 1))),
            overall: None,
        }
    }
}

impl Legend {
    /// The scale a field's symbols come from.
    pub fn scale(&self, of: ScaleOf) -> &Scale {
        match of {
            ScaleOf::Overall => self.overall.as_ref().unwrap_or(&self.grades),
            ScaleOf::Indicator => &self.grades,
            ScaleOf::Quantitative => &self.quantitative.scale,
            ScaleOf::Qualitative => &self.qualitative.scale,
            ScaleOf::Development => &self.levels,
        }
    }

    /// The codes that are not grades (only an indicator's 定量評価 has them).
    pub fn ungraded_of(&self, of: ScaleOf) -> &[Symbol] {
        if of == ScaleOf::Indicator { &self.ungraded } else { &[] }
    }

    /// Every symbol a field may hold, best first, then the codes.
    pub fn symbols(&self, of: ScaleOf) -> impl Iterator<Item = &Symbol> {
        self.scale(of).symbols().chain(self.ungraded_of(of))
    }

    pub fn is_ungraded(&self, symbol: &Symbol) -> bool {
        self.ungraded.contains(symbol)
    }

    /// What `symbol` (written as `raw`) is in the scale of `of`, or why it
    /// is not one: the message lists the scale, and a symbol that differs
    /// from one of the scale's only in case gets it as a suggestion.
    pub fn classify(&self, of: ScaleOf, symbol: &Symbol, raw: &str) -> Result<Class, ValueError> {
        let scale = self.scale(of);
        if let Some(rank) = scale.rank(symbol) {
            return Ok(Class::Step(rank));
        }
        if self.ungraded_of(of).contains(symbol) {
            return Ok(Class::Ungraded);
        }
        let is_level = matches!(of, ScaleOf::Quantitative | ScaleOf::Qualitative | ScaleOf::Development);
        // Case, and the circles that look alike (○ U+25CB, 〇 U+3007, ◯ U+25EF).
        let folded = |s: &str| s.to_lowercase().replace(['〇', '◯'], "○");
        let same_but_case: Vec<&Symbol> = self.symbols(of).filter(|s| folded(s.as_str()) == folded(symbol.as_str())).collect();
        if let [one] = same_but_case[..] {
            let one = one.as_str();
            let (ja, en) = if one.chars().count() == 1 && "○〇◯".contains(one) {
                (
                    format!("凡例の記号は `{one}` (U+{:04X}) です: 形の似た別の文字が使われています", one.chars().next().map_or(0, |c| c as u32)),
                    format!("the legend's symbol is `{one}` (U+{:04X}): a look-alike character is used", one.chars().next().map_or(0, |c| c as u32)),
                )
            } else if one == symbol.as_str().to_uppercase() {
                (
                    if is_level { format!("水準は大文字で書きます: `{one}`") } else { format!("評価は大文字で書きます: `{one}`") },
                    format!("{} are written in capitals: `{one}`", if is_level { "levels" } else { "grades" }),
                )
            } else {
                (format!("凡例では `{one}` と書きます"), format!("the legend writes it `{one}`"))
            };
            return Err(ValueError { ja, en, suggestion: Some(one.to_string()) });
        }
        let (ja_list, en_list) = (scale.listed("・"), scale.listed(", "));
        let (ja, en) = if is_level {
            (format!("`{raw}` は水準として読めません ({ja_list} のいずれか)"), format!("`{raw}` is not a level (one of {en_list})"))
        } else if of == ScaleOf::Indicator {
            let codes: Vec<&str> = self.ungraded.iter().filter(|c| !c.is_dash()).map(Symbol::as_str).collect();
            if codes.is_empty() {
                (format!("`{raw}` は評価として読めません ({ja_list}、または取得できない場合は `-`)"), format!("`{raw}` is not a grade (one of {en_list}, or `-` when not obtainable)"))
            } else {
                (
                    format!("`{raw}` は評価として読めません ({ja_list}、評価しない場合は {}、または取得できない場合は `-`)", codes.join("・")),
                    format!("`{raw}` is not a grade (one of {en_list}; {} when not graded; or `-` when not obtainable)", codes.join(" or ")),
                )
            }
        } else {
            (format!("`{raw}` は評価として読めません ({ja_list} のいずれか)"), format!("`{raw}` is not a grade (one of {en_list})"))
        };
        Err(ValueError { ja, en, suggestion: None })
    }

    /// The points of an indicator's grade (`None` for a code that is not one).
    pub fn grade_points(&self, grade: &Symbol) -> Option<Decimal> {
        self.grades.get(grade).map(|s| s.points)
    }

    /// The points of a 展開's level.
    pub fn level_points(&self, level: &Symbol) -> Option<Decimal> {
        self.levels.get(level).map(|s| s.points)
    }
}

// ---------------------------------------------------------------------------
// `[rating]` as written.

/// One grade of `[rating] grades`, best first. / 評価の段階 (よい順)。
#[derive(Debug, Clone, PartialEq, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeToml {
    /// The symbol (`S`, `A`, `B+`, `◎`, `順調`). / 記号。
    pub symbol: String,
    /// The band's lower bound, inclusive (`≥`), in percent; the last grade
    /// has none. / この達成度 (%) 以上。最後の段階には書きません。
    #[serde(default)]
    #[schemars(schema_with = "decimal_schema")]
    pub from: Option<Decimal>,
    /// The band's lower bound, exclusive (`>`), in percent. / この達成度 (%) を超えると。
    #[serde(default)]
    #[schemars(schema_with = "decimal_schema")]
    pub above: Option<Decimal>,
    /// Its points in the 施策's 定量評価 (absent: by rank, the last 0). /
    /// 施策の定量評価での点数 (省略時は順位から: 最後が 0)。
    #[serde(default)]
    #[schemars(schema_with = "points_schema")]
    pub points: Option<Decimal>,
    /// This grade whenever the target is reached (`met`: at it or beyond;
    /// `exceeded`: beyond), whatever the band; only the best grade, without
    /// a bound. / 目標に達したとき (`met`: 目標以上、`exceeded`: 目標を超える) の評価。
    #[serde(default)]
    #[schemars(with = "Reach")]
    pub target: Option<Reach>,
}

/// One level of `[rating] levels` (a 展開's 定性評価), best first. / 展開の評価の段階 (よい順)。
#[derive(Debug, Clone, PartialEq, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelToml {
    /// The symbol (`高`, `◎`, `順調`). / 記号。
    pub symbol: String,
    /// Its points in the 施策's 定性評価 (absent: by rank, the last 1). /
    /// 施策の定性評価での点数 (省略時は順位から: 最後が 1)。
    #[serde(default)]
    #[schemars(schema_with = "points_schema")]
    pub points: Option<Decimal>,
}

/// One band of a summary's `scale`, best first. / まとめの評価の段階 (よい順)。
#[derive(Debug, Clone, PartialEq, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BandToml {
    /// The symbol (`高`, `A`, `順調`). / 記号。
    pub symbol: String,
    /// The aggregate's lower bound, inclusive (`≥`); the last has none. /
    /// この値以上。最後の段階には書きません。
    #[serde(default)]
    #[schemars(schema_with = "points_schema")]
    pub from: Option<Decimal>,
    /// The aggregate's lower bound, exclusive (`>`). / この値を超えると。
    #[serde(default)]
    #[schemars(schema_with = "points_schema")]
    pub above: Option<Decimal>,
}

/// How a summary aggregates its parts. / まとめ方。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AggregateToml {
    /// The mean of the points (the default). / 点数の平均 (既定)。
    #[default]
    Mean,
    /// The sum of the points. / 点数の合計。
    Sum,
    /// The share (percent) of graded parts at `share-of` or better. / `share-of` 以上の割合 (%)。
    Share,
    /// A judgement: only the symbol is checked. / 判断による (記号だけを確かめます)。
    Manual,
}

/// How an average is compared with `high` and `middle` (the spec's keys;
/// `scale` says it per band). / 平均と境目の比べ方。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Comparison {
    Greater,
    AtLeast,
}

/// A summary of a 施策 (`[rating.quantitative]`, `[rating.qualitative]`).
/// / 施策のまとめの評価。
#[derive(Debug, Clone, PartialEq, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SummaryToml {
    /// `mean` (the default), `sum`, `share` or `manual`. / まとめ方。
    pub aggregate: AggregateToml,
    /// For `share`: the symbol at or above which a part counts. / `share` で数える段階 (これ以上)。
    #[schemars(with = "String")]
    pub share_of: Option<String>,
    /// The result's bands, best first (absent: 高/中/低 by `high` and
    /// `middle`). / 結果の段階 (よい順)。
    #[schemars(with = "Vec<BandToml>")]
    pub scale: Option<Vec<BandToml>>,
    /// Points by symbol, laid over the scale's. / 記号ごとの点数。
    #[schemars(schema_with = "points_map_schema")]
    pub points: BTreeMap<String, Decimal>,
    /// The bound of 高 (with the 高/中/低 scale). / 高 の境目。
    #[schemars(schema_with = "points_schema")]
    pub high: Option<Decimal>,
    /// The bound of 中. / 中 の境目。
    #[schemars(schema_with = "points_schema")]
    pub middle: Option<Decimal>,
    /// `greater` (the average must exceed the bound) or `at-least`. /
    /// `greater` (境目を超える) か `at-least` (境目以上)。
    #[schemars(with = "Comparison")]
    pub comparison: Option<Comparison>,
}

/// How an indicator's achievement is computed. / 達成度の計算方法。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// 実績 ÷ 目標 (目標 ÷ 実績 when lower is better): the achievement ratio
    /// (伊勢崎市). / 達成率 (実績 ÷ 目標)。
    #[default]
    Ratio,
    /// (実績 − 基準値) ÷ (目標 − 基準値): the progress from the baseline to
    /// the target (本宮市). / 基準値から目標までの進捗率。
    Progress,
    /// (実績 − 基準値) ÷ 基準値: the change from the baseline in percent of
    /// it, graded with a tolerance band (長与町: within ±10% is 同水準). /
    /// 基準値からの増減率 (%)。
    Baseline,
    /// 実績 − 基準値 in the indicator's unit (points of a percentage: ±3
    /// ポイント). / 基準値からの差 (単位のまま、ポイント)。
    BaselinePoints,
    /// 実績 ÷ 期待値: against the year's expected value, the 指標's
    /// `期待値`, or else a straight line from the 基準値 to the 目標 by the
    /// years in their notes (茨城県). / 期待値に対する割合。
    Expected,
    /// A judgement: no grade is computed, only its symbol is checked. /
    /// 判断による評価 (計算しません)。
    Manual,
}

impl Method {
    pub const ALL: [Method; 6] = [Method::Ratio, Method::Progress, Method::Baseline, Method::BaselinePoints, Method::Expected, Method::Manual];

    /// The name `plancheck.toml` and a 指標's `計算方法` write.
    pub fn name(self) -> &'static str {
        match self {
            Method::Ratio => "ratio",
            Method::Progress => "progress",
            Method::Baseline => "baseline",
            Method::BaselinePoints => "baseline-points",
            Method::Expected => "expected",
            Method::Manual => "manual",
        }
    }

    /// Its Japanese name, which a 指標's `計算方法` may write too.
    pub fn name_ja(self) -> &'static str {
        match self {
            Method::Ratio => "達成率",
            Method::Progress => "進捗率",
            Method::Baseline => "基準値比",
            Method::BaselinePoints => "基準値差",
            Method::Expected => "期待値",
            Method::Manual => "判断",
        }
    }

    /// A 指標's `計算方法`: a method's name in English or Japanese.
    pub fn parse(text: &str) -> Result<Method, ValueError> {
        let text = crate::model::value::nfkc(text.trim());
        Method::ALL.into_iter().find(|m| text.eq_ignore_ascii_case(m.name()) || text == m.name_ja()).ok_or_else(|| {
            let en: Vec<&str> = Method::ALL.iter().map(|m| m.name()).collect();
            let ja: Vec<String> = Method::ALL.iter().map(|m| format!("{} ({})", m.name_ja(), m.name())).collect();
            ValueError {
                ja: format!("`{text}` は計算方法として読めません ({} のいずれか)", ja.join("・")), en: format!("`{text}` is not a method (one of {})", en.join(", ")), suggestion: None
            }
        })
    }
}

/// A grade given whenever the basis reaches the target, whatever its band
/// (長与町's S: 現在値が目標値を超えている). / 目標に達したときの評価。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Reach {
    /// At the target or beyond it (`≥`, `≤` when lower is better). / 目標以上。
    Met,
    /// Beyond the target (`>`, `<` when lower is better). / 目標を超える。
    Exceeded,
}

impl Reach {
    /// Whether a basis that compares with the target as `order` (in the
    /// indicator's direction: Greater is better) reaches it.
    pub fn admits(self, order: Ordering) -> bool {
        match self {
            Reach::Met => order != Ordering::Less,
            Reach::Exceeded => order == Ordering::Greater,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Reach::Met => "met",
            Reach::Exceeded => "exceeded",
        }
    }
}

/// The `[rating]` table as written: every key is optional. / 評価の計算
/// (凡例)。書かなかったキーは既定値のままです。
#[derive(Debug, Clone, PartialEq, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LegendToml {
    /// How an indicator's achievement is computed: `ratio` (実績 ÷ 目標, the
    /// default) or `progress` (from the 指標's 基準値: (実績 − 基準値) ÷
    /// (目標 − 基準値)). / 達成度の計算方法: `ratio` (実績 ÷ 目標、既定) か
    /// `progress` (基準値からの進捗: (実績 − 基準値) ÷ (目標 − 基準値))。
    pub method: Method,
    /// The indicator grades, best first (absent: A/B/C/D at 100/80/60%). /
    /// 指標の評価の段階 (よい順。省略時は A/B/C/D、100/80/60%)。
    #[schemars(with = "Vec<GradeToml>")]
    pub grades: Option<Vec<GradeToml>>,
    /// Codes of an indicator's 定量評価 that are not grades, left out of
    /// every summary (`-` is always one). / 評価でない記号 (`-` は常に)。
    pub ungraded: Vec<String>,
    /// A 展開's levels, best first (absent: 高/中/低 worth 3/2/1). / 展開の評価の段階。
    #[schemars(with = "Vec<LevelToml>")]
    pub levels: Option<Vec<LevelToml>>,
    /// A 施策's 全体評価 symbols, best first, when they are not the
    /// indicators' grades (a judgement: only the symbol is checked). /
    /// 施策の全体評価の記号 (指標の評価と違うとき)。
    #[schemars(with = "Vec<String>")]
    pub overall: Option<Vec<String>>,
    /// The lower bound (percent, inclusive) of grades by symbol, laid over
    /// `grades` (the spec's `A`, `B`, `C`). / 評価ごとの下限 (%)。
    #[schemars(schema_with = "indicator_schema")]
    pub indicator: BTreeMap<String, Decimal>,
    /// A 施策's 定量評価, from its indicators' grades. / 施策の定量評価。
    pub quantitative: SummaryToml,
    /// A 施策's 定性評価, from its 展開' levels. / 施策の定性評価。
    pub qualitative: SummaryToml,
}

/// A decimal as `plancheck.toml` may write it: a number, or a string of one.
pub(crate) fn decimal_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": ["number", "string"],
        "pattern": "^[+-]?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$",
    })
}

/// A summary's points or bound: a decimal within ±[`MAX_POINTS`].
fn points_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let mut schema = decimal_schema(generator);
    schema.insert("minimum".into(), (-MAX_POINTS).into());
    schema.insert("maximum".into(), MAX_POINTS.into());
    schema
}

fn points_map_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let points = points_schema(generator);
    schemars::json_schema!({ "type": "object", "additionalProperties": points })
}

fn indicator_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let bound = decimal_schema(generator);
    schemars::json_schema!({
        "type": "object",
        "additionalProperties": bound,
        "default": { "A": 100, "B": 80, "C": 60 },
    })
}

/// A symbol of the config: non-empty, not a dash where one is not allowed.
fn symbol_of(key: &str, text: &str) -> Result<Symbol, String> {
    let symbol = Symbol::new(text);
    if symbol.as_str().is_empty() || symbol.as_str().chars().any(char::is_whitespace) {
        return Err(format!("{key}: `{text}` is not a symbol (one word: `A`, `B+`, `◎`, `順調`)"));
    }
    Ok(symbol)
}

fn in_range(key: &str, value: Decimal) -> Result<Decimal, String> {
    if value.abs() > Decimal::from(MAX_POINTS) {
        return Err(format!("{key}: {value} is out of range (at most {MAX_POINTS} either side of 0)"));
    }
    Ok(value)
}

fn one_bound(key: &str, from: Option<Decimal>, above: Option<Decimal>) -> Result<Option<Bound>, String> {
    match (from, above) {
        (Some(_), Some(_)) => Err(format!("{key}: give `from` (≥) or `above` (>), not both")),
        (Some(v), None) => Ok(Some(Bound::from(v))),
        (None, Some(v)) => Ok(Some(Bound::above(v))),
        (None, None) => Ok(None),
    }
}

/// A scale's steps are unique, every one but the last has a bound, the last
/// has none, and the bounds do not rise.
fn check_scale(key: &str, steps: &[Step], bounded: bool) -> Result<(), String> {
    check_scale_in(key, steps, bounded).map_err(|(_, en)| en)
}

/// [`check_scale`] in both languages: (Japanese, English).
fn check_scale_in(key: &str, steps: &[Step], bounded: bool) -> Result<(), (String, String)> {
    let listed = |steps: &[Step]| steps.iter().map(|s| s.symbol.as_str()).collect::<Vec<_>>().join("・");
    if steps.is_empty() {
        return Err((format!("{key}: 記号がありません"), format!("{key}: a scale needs at least one symbol")));
    }
    let is_grades = matches!(key, "rating.indicator" | "rating.grades" | "指標の評価");
    if is_grades && steps.len() < 2 {
        return Err((
            format!("{key}: 評価の記号が1つだけです ({}): 記号は2つ以上、よい順に書きます", listed(steps)),
            format!("{key}: only one symbol ({}): a scale has two or more, best first", listed(steps)),
        ));
    }
    let mut seen = std::collections::HashSet::with_capacity(steps.len());
    for (i, step) in steps.iter().enumerate() {
        let symbol = &step.symbol;
        let twice = !seen.insert(symbol);
        if symbol.is_dash() {
            return Err((
                format!("{key}: `-` は評価の記号ではありません (取得できない値を表し、いつでも使えます)"),
                format!("{key}: `-` is not a grade (it means not obtainable, and is always allowed)"),
            ));
        }
        if twice {
            return Err((format!("{key}: `{symbol}` が2回あります"), format!("{key}: `{symbol}` is given twice")));
        }
        if !bounded {
            continue;
        }
        if step.reach.is_some() {
            // Given for a reached target: at the top, above every band.
            if steps[..i].iter().any(|s| s.reach.is_none()) || step.bound.is_some() {
                return Err((
                    format!("{key}: 目標に達したときの評価 `{symbol}` は、境目を書かずに、いちばん上 (よい順の先頭) に書きます"),
                    format!("{key}: `{symbol}`, given for a reached target, goes at the top without a bound"),
                ));
            }
            continue;
        }
        let last = i + 1 == steps.len();
        match (step.bound, last) {
            (None, false) => {
                return Err((
                    format!("{key}: `{symbol}` に境目 (以上・超) がありません。境目がないのは最後 (いちばん下) の記号だけです ({})", listed(steps)),
                    format!("{key}: `{symbol}` has no bound (`from` or `above`); only the last symbol takes everything below ({})", listed(steps)),
                ));
            }
            (Some(_), true) if steps.iter().filter(|s| s.reach.is_none()).count() > 1 => {
                return Err((
                    format!("{key}: 最後の記号 `{symbol}` はほかの境目より下すべてなので、境目を書きません"),
                    format!("{key}: the last symbol `{symbol}` takes everything below the others: remove its bound"),
                ));
            }
            _ => {}
        }
    }
    let bounds: Vec<Decimal> = steps.iter().filter_map(|s| s.bound.map(|b| b.value)).collect();
    if bounds.windows(2).any(|w| w[0] < w[1]) {
        let listed: Vec<String> = steps.iter().filter_map(|s| s.bound.map(|b| format!("{}={}", s.symbol, b.value))).collect();
        return Err((
            format!("{key}: 境目はよい順に下がっていくように書きます (descend)。今は {}", listed.join(" ")),
            format!("{key}: thresholds must descend (best first), got {}", listed.join(" ")),
        ));
    }
    Ok(())
}

/// Points given for every step of a scale or for none (then by rank).
fn all_or_none(key: &str, what: &str, given: impl Iterator<Item = bool>) -> Result<(), String> {
    let (mut with, mut without) = (0, 0);
    for g in given {
        if g { with += 1 } else { without += 1 }
    }
    if with != 0 && without != 0 {
        return Err(format!("{key}: give `points` for every {what} or for none"));
    }
    Ok(())
}

impl LegendToml {
    /// The legend this table gives, or what is wrong with it (the key first).
    pub fn resolve(&self) -> Result<Legend, String> {
        let default = Legend::default();
        // The grades.
        let mut grades = match &self.grades {
            None => default.grades.clone(),
            Some(list) => {
                all_or_none("rating.grades", "grade", list.iter().map(|g| g.points.is_some()))?;
                let n = list.len();
                let mut steps = Vec::with_capacity(n);
                for (i, g) in list.iter().enumerate() {
                    let key = format!("rating.grades[{i}]");
                    let symbol = symbol_of(&key, &g.symbol)?;
                    let bound = one_bound(&key, g.from, g.above)?;
                    let points = in_range(&format!("{key}.points"), g.points.unwrap_or_else(|| Decimal::from(n - 1 - i)))?;
                    if g.target.is_some() && (list[..i].iter().any(|p| p.target.is_none()) || bound.is_some() || n < 2) {
                        return Err(format!("{key}: only the best grades, at the top and without a bound, may be given for a reached `target`"));
                    }
                    steps.push(Step { symbol, bound, points, reach: g.target });
                }
                Scale { steps }
            }
        };
        for (symbol, value) in &self.indicator {
            let s = Symbol::new(symbol);
            let listed = grades.listed(", ");
            let Some(i) = grades.rank(&s) else {
                return Err(format!(
                    "rating.indicator: `{symbol}` is not a grade of the scale ({listed}); a scale of other symbols is declared with `[rating] grades = [{{ symbol = \"{symbol}\", from = {value} }}, ...]`"
                ));
            };
            if i + 1 == grades.steps.len() {
                return Err(format!("rating.indicator: `{symbol}` is the last grade, which takes everything below the others: it has no bound"));
            }
            grades.steps[i].bound = Some(Bound::from(*value));
        }
        for (symbol, points) in &self.quantitative.points {
            let s = Symbol::new(symbol);
            let Some(i) = grades.rank(&s) else {
                return Err(format!("rating.quantitative.points: `{symbol}` is not a grade of the scale ({})", grades.listed(", ")));
            };
            grades.steps[i].points = in_range(&format!("rating.quantitative.points.{symbol}"), *points)?;
        }
        check_scale(if self.grades.is_some() && self.indicator.is_empty() { "rating.grades" } else { "rating.indicator" }, &grades.steps, true)?;
        for step in &grades.steps {
            in_range(&format!("rating.quantitative.points.{}", step.symbol), step.points)?;
        }
        // The codes that are not grades.
        let mut ungraded = vec![Symbol::dash()];
        let mut seen: std::collections::HashSet<Symbol> = ungraded.iter().cloned().collect();
        let graded: std::collections::HashSet<&Symbol> = grades.symbols().collect();
        for (i, code) in self.ungraded.iter().enumerate() {
            let key = format!("rating.ungraded[{i}]");
            let symbol = symbol_of(&key, code)?;
            if graded.contains(&symbol) {
                return Err(format!("{key}: `{symbol}` is a grade of the scale"));
            }
            if seen.insert(symbol.clone()) {
                ungraded.push(symbol);
            }
        }
        // A 展開's levels.
        let mut levels = match &self.levels {
            None => default.levels.clone(),
            Some(list) => {
                all_or_none("rating.levels", "level", list.iter().map(|l| l.points.is_some()))?;
                let n = list.len();
                let mut steps = Vec::with_capacity(n);
                for (i, l) in list.iter().enumerate() {
                    let key = format!("rating.levels[{i}]");
                    let symbol = symbol_of(&key, &l.symbol)?;
                    let points = in_range(&format!("{key}.points"), l.points.unwrap_or_else(|| Decimal::from(n - i)))?;
                    steps.push(Step { symbol, bound: None, points, reach: None });
                }
                Scale { steps }
            }
        };
        for (symbol, points) in &self.qualitative.points {
            let s = Symbol::new(symbol);
            let Some(i) = levels.rank(&s) else {
                return Err(format!("rating.qualitative.points: `{symbol}` is not a level of the scale ({})", levels.listed(", ")));
            };
            levels.steps[i].points = in_range(&format!("rating.qualitative.points.{symbol}"), *points)?;
        }
        check_scale("rating.levels", &levels.steps, false)?;
        let quantitative = self.quantitative.resolve("rating.quantitative", &default.quantitative, &grades)?;
        let qualitative = self.qualitative.resolve("rating.qualitative", &default.qualitative, &levels)?;
        let overall = match &self.overall {
            None => None,
            Some(list) => {
                let mut steps = Vec::with_capacity(list.len());
                for (i, text) in list.iter().enumerate() {
                    steps.push(Step { symbol: symbol_of(&format!("rating.overall[{i}]"), text)?, bound: None, points: Decimal::ZERO, reach: None });
                }
                check_scale("rating.overall", &steps, false)?;
                Some(Scale { steps })
            }
        };
        Ok(Legend { grades, ungraded, levels, quantitative, qualitative, overall })
    }
}

impl SummaryToml {
    fn resolve(&self, key: &str, default: &SummaryRule, parts: &Scale) -> Result<SummaryRule, String> {
        let aggregate = match self.aggregate {
            AggregateToml::Mean => Aggregate::Mean,
            AggregateToml::Sum => Aggregate::Sum,
            AggregateToml::Manual => Aggregate::Manual,
            AggregateToml::Share => {
                let Some(of) = &self.share_of else {
                    return Err(format!("{key}: `aggregate = \"share\"` needs `share-of`, the symbol at or above which a part counts ({})", parts.listed(", ")));
                };
                let symbol = Symbol::new(of);
                if parts.rank(&symbol).is_none() {
                    return Err(format!("{key}.share-of: `{of}` is not a symbol of the scale ({})", parts.listed(", ")));
                }
                Aggregate::Share { at_least: symbol }
            }
        };
        if self.share_of.is_some() && self.aggregate != AggregateToml::Share {
            return Err(format!("{key}.share-of: only with `aggregate = \"share\"`"));
        }
        let legacy = self.high.is_some() || self.middle.is_some() || self.comparison.is_some();
        let scale = match &self.scale {
            Some(_) if legacy => return Err(format!("{key}: `scale` gives the bands; `high`, `middle` and `comparison` are for the 高/中/低 scale without it: keep one")),
            Some(list) => {
                let mut steps = Vec::with_capacity(list.len());
                for (i, band) in list.iter().enumerate() {
                    let at = format!("{key}.scale[{i}]");
                    let symbol = symbol_of(&at, &band.symbol)?;
                    let bound = one_bound(&at, band.from, band.above)?;
                    if let Some(b) = bound {
                        in_range(&at, b.value)?;
                    }
                    steps.push(Step { symbol, bound, points: Decimal::ZERO, reach: None });
                }
                Scale { steps }
            }
            None => {
                let mut scale = default.scale.clone();
                let inclusive = match self.comparison {
                    Some(Comparison::AtLeast) => Some(true),
                    Some(Comparison::Greater) => Some(false),
                    None => None,
                };
                for (i, given) in [self.high, self.middle].into_iter().enumerate() {
                    let bound = scale.steps[i].bound.as_mut().expect("高 and 中 have bounds");
                    if let Some(v) = given {
                        bound.value = in_range(&format!("{key}.{}", ["high", "middle"][i]), v)?;
                    }
                    if let Some(inclusive) = inclusive {
                        bound.inclusive = inclusive;
                    }
                }
                if scale.steps[0].bound.map(|b| b.value) < scale.steps[1].bound.map(|b| b.value) {
                    return Err(format!("{key}: high must be ≥ middle"));
                }
                scale
            }
        };
        if aggregate != Aggregate::Manual {
            check_scale(&format!("{key}.scale"), &scale.steps, true)?;
        } else {
            check_scale(&format!("{key}.scale"), &scale.steps, false)?;
        }
        Ok(SummaryRule { aggregate, scale })
    }
}

// ---------------------------------------------------------------------------
// Written out (`plancheck init`, and read back the same).

/// The legend as `plancheck.toml`'s `[rating]` tables, every value
/// explicit, with bilingual comments when `commented` (`plancheck init`):
/// read back, the same method and legend.
pub fn rating_toml(method: Method, legend: &Legend, commented: bool) -> String {
    use std::fmt::Write;
    let quoted = |s: &Symbol| toml_string(s.as_str());
    let bound = |b: Option<Bound>| match b {
        Some(Bound { value, inclusive: true }) => format!(", from = {value}"),
        Some(Bound { value, inclusive: false }) => format!(", above = {value}"),
        None => String::new(),
    };
    let mut out = String::new();
    let comment = |out: &mut String, text: &str| {
        if commented {
            let _ = writeln!(out, "# {text}");
        }
    };
    comment(&mut out, "評価の計算 (凡例) / the rating legend.");
    out.push_str("[rating]\n");
    comment(&mut out, "達成度の計算方法 / how an indicator's achievement is computed:");
    comment(&mut out, "\"ratio\" (実績 ÷ 目標 / actual ÷ target)、\"progress\" ((実績 − 基準値) ÷ (目標 − 基準値))、\"baseline\" ((実績 − 基準値) ÷ 基準値 %)、");
    comment(&mut out, "\"baseline-points\" (実績 − 基準値、単位のまま / in the unit)、\"expected\" (実績 ÷ 期待値 / against the expected value)、\"manual\" (判断 / a judgement).");
    comment(&mut out, "指標ごとに `計算方法:` で変えられます / an indicator's `計算方法:` overrides it.");
    let _ = writeln!(out, "method = \"{}\"", method.name());
    comment(&mut out, "指標の評価の記号 (よい順): from = この達成度 (%) 以上、above = を超えると; 最後の記号はそれ未満すべて; points = 施策の定量評価での点数");
    comment(&mut out, "an indicator's grades, best first: `from` (at least) or `above` (more than) a percentage; the last takes everything below; `points` in the 施策's 定量評価.");
    out.push_str("grades = [\n");
    for (i, s) in legend.grades.steps.iter().enumerate() {
        let (lower, upper) = legend.grades.band(i);
        let unit = if method == Method::BaselinePoints { "ポイント" } else { "%" };
        let band = band_text_in(lower, upper, unit, crate::diagnostics::Lang::Ja);
        let note = if commented && !band.is_empty() { format!("    # {band}") } else { String::new() };
        let reach = s.reach.map(|r| format!(", target = \"{}\"", r.name())).unwrap_or_default();
        let note = match s.reach {
            Some(Reach::Met) if commented => "    # 目標以上".to_string(),
            Some(Reach::Exceeded) if commented => "    # 目標を超える".to_string(),
            _ => note,
        };
        let _ = writeln!(out, "  {{ symbol = {}{}{reach}, points = {} }},{note}", quoted(&s.symbol), bound(s.bound), s.points);
    }
    out.push_str("]\n");
    comment(&mut out, "評価しない記号 (まとめの平均から除きます; `-` は常に) / codes that are not grades, left out of every summary (`-` always is one).");
    let codes: Vec<String> = legend.ungraded.iter().filter(|c| !c.is_dash()).map(quoted).collect();
    let _ = writeln!(out, "ungraded = [{}]", codes.join(", "));
    if let Some(overall) = &legend.overall {
        comment(&mut out, "施策の全体評価の記号 (よい順。指標の評価と違うとき) / a 施策's 全体評価 symbols, best first (when not the indicators' grades).");
        let symbols: Vec<String> = overall.symbols().map(quoted).collect();
        let _ = writeln!(out, "overall = [{}]", symbols.join(", "));
    }
    comment(&mut out, "展開の定性評価の記号 (よい順) と施策の定性評価での点数 / a 展開's levels, best first, with their points.");
    out.push_str("levels = [\n");
    for s in &legend.levels.steps {
        let _ = writeln!(out, "  {{ symbol = {}, points = {} }},", quoted(&s.symbol), s.points);
    }
    out.push_str("]\n");
    for (name, rule, ja, en) in [
        ("quantitative", &legend.quantitative, "施策の定量評価: 指標の評価の点数から", "a 施策's 定量評価: from its indicators' points"),
        ("qualitative", &legend.qualitative, "施策の定性評価: 展開の評価の点数から", "a 施策's 定性評価: from its 展開' points"),
    ] {
        out.push('\n');
        comment(&mut out, &format!("{ja} / {en}."));
        let _ = writeln!(out, "[rating.{name}]");
        comment(
            &mut out,
            "まとめ方 / the aggregate: \"mean\" (平均)、\"sum\" (合計)、\"share\" (share-of 以上の割合 %)、\"manual\" (判断: 記号だけ確かめます / a judgement: only the symbol is checked).",
        );
        match &rule.aggregate {
            Aggregate::Mean => out.push_str("aggregate = \"mean\"\n"),
            Aggregate::Sum => out.push_str("aggregate = \"sum\"\n"),
            Aggregate::Manual => out.push_str("aggregate = \"manual\"\n"),
            Aggregate::Share { at_least } => {
                let _ = writeln!(out, "aggregate = \"share\"\nshare-of = {}", quoted(at_least));
            }
        }
        comment(&mut out, "結果の記号 (よい順): from = 以上、above = を超えると / the result's symbols, best first: `from` (at least) or `above` (more than).");
        out.push_str("scale = [\n");
        for s in &rule.scale.steps {
            let _ = writeln!(out, "  {{ symbol = {}{} }},", quoted(&s.symbol), bound(s.bound));
        }
        out.push_str("]\n");
    }
    out
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------
// The legend a plan writes in its 計画 block, as the sheet prints it.

/// The 計画 fields that write a legend (計算方法 first).
pub const PLAN_FIELDS: [FieldKey; 7] =
    [FieldKey::Method, FieldKey::LegendGrades, FieldKey::LegendOverall, FieldKey::LegendUngraded, FieldKey::LegendLevels, FieldKey::LegendQuantitative, FieldKey::LegendQualitative];

/// A 計画 field of the legend that cannot be read.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanLegendError {
    pub key: FieldKey,
    pub span: crate::syntax::Span,
    pub error: ValueError,
}

/// One item of a printed legend: `A:100%以上`, `B 80%以上100%未満`,
/// `S 目標を超える`, `高:3点`, `中 1.5超`, `D` (the last, everything below).
#[derive(Debug, Clone, PartialEq)]
struct Item {
    symbol: Symbol,
    bound: Option<Bound>,
    points: Option<Decimal>,
    reach: Option<Reach>,
}

fn legend_error(key: FieldKey, span: crate::syntax::Span, ja: String, en: String) -> PlanLegendError {
    // The finding names the field: a message that starts with it says it once.
    let name = crate::model::schema::def(key).name();
    let strip = |text: String| text.strip_prefix(&format!("{name}: ")).map(str::to_string).unwrap_or(text);
    PlanLegendError { key, span, error: ValueError { ja: strip(ja), en: strip(en), suggestion: None } }
}

/// A decimal at the start of `text` (NFKC, `−` or `△` as a minus sign) and
/// the rest after it.
fn leading_number(text: &str) -> Option<(Decimal, &str)> {
    let (negative, body) = match text.strip_prefix(['-', '−', '△', '▲']) {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let end = body.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(body.len());
    let digits: String = body[..end].chars().filter(|&c| c != ',').collect();
    let value: Decimal = digits.parse().ok()?;
    Some((if negative { -value } else { value }, &body[end..]))
}

/// The items of a printed legend, separated by `、`, `,`, `・`, `;`, `/` or
/// line breaks, or by blanks before the next `SYMBOL:` (`S:100%超 4点
/// A:100%以上 3点`).
fn split_items(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    for chunk in text.split(['、', ',', '・', ';', '\n', '/']).map(str::trim).filter(|t| !t.is_empty()) {
        let mut current = String::new();
        for token in chunk.split_whitespace() {
            // A token with a colon after something starts a new item.
            let starts_item = token.find(':').is_some_and(|at| at > 0);
            if starts_item && !current.is_empty() {
                items.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(token);
        }
        if !current.is_empty() {
            items.push(current);
        }
    }
    items
}

/// The items of a printed legend ([`split_items`]); an item whose text is
/// a word, not a bound (`−:評価できない`, `Z:評価困難`), is a code that is
/// not a grade, returned apart.
fn parse_items(text: &str) -> Result<(Vec<Item>, Vec<Symbol>), (String, String)> {
    let text = crate::model::value::nfkc(text);
    let mut items = Vec::new();
    let mut codes = Vec::new();
    for raw in split_items(&text) {
        let raw = raw.as_str();
        // The symbol: before a colon, else before the first blank, else
        // before the first digit or sign of a number, else all of it.
        let (symbol, rest) = if let Some((symbol, rest)) = raw.split_once(':') {
            (symbol.trim(), rest.trim())
        } else if let Some((symbol, rest)) = raw.split_once(char::is_whitespace) {
            (symbol.trim(), rest.trim())
        } else {
            let at = raw.char_indices().skip(1).find(|(_, c)| c.is_ascii_digit() || matches!(c, '△' | '▲')).map_or(raw.len(), |(i, _)| i);
            (raw[..at].trim(), raw[at..].trim())
        };
        if symbol.is_empty() {
            return Err((format!("`{raw}` に記号がありません (例 `A:100%以上`)"), format!("`{raw}` has no symbol (e.g. `A:100%以上`)")));
        }
        let mut item = Item { symbol: Symbol::new(symbol), bound: None, points: None, reach: None };
        let rest = rest.trim_start_matches('(').trim_end_matches(')').trim();
        if item.symbol.is_dash() {
            // `-:把握できない`: not obtainable, always a code.
            continue;
        }
        if rest.contains("目標") {
            item.reach = Some(if ["超", "上回"].iter().any(|w| rest.contains(w)) { Reach::Exceeded } else { Reach::Met });
            if let Some(points) = points_in(rest) {
                item.points = Some(points);
            }
        } else if !rest.is_empty() {
            // A word, not a number: what a code that is not a grade means.
            if !rest.contains(|c: char| c.is_ascii_digit()) {
                codes.push(item.symbol);
                continue;
            }
            // `達成率100%以上`: a word before the number is its name.
            let rest = rest.trim_start_matches(|c: char| !(c.is_ascii_digit() || "+-−△▲≧≥>＞".contains(c)));
            // `≧100%`, `>100%`: the comparison before the number.
            let (before, rest) = match rest.strip_prefix(['≧', '≥']).or_else(|| rest.strip_prefix(">=")) {
                Some(r) => (Some(true), r.trim_start()),
                None => match rest.strip_prefix(['>', '＞']) {
                    Some(r) => (Some(false), r.trim_start()),
                    None => (None, rest),
                },
            };
            let Some((value, after)) = leading_number(rest) else {
                return Err((format!("`{raw}` の境目が読めません (例 `100%以上`、`2.5超`、`3点`)"), format!("the bound of `{raw}` cannot be read (e.g. `100%以上`, `2.5超`, `3点`)")));
            };
            if value.scale() > 20 || value.abs() > Decimal::from(MAX_POINTS) * Decimal::from(1000) {
                return Err((format!("`{raw}` の境目が大きすぎます"), format!("the bound of `{raw}` is too large")));
            }
            if let Some(inclusive) = before {
                item.bound = Some(Bound { value, inclusive });
                if let Some(points) = points_in(after) {
                    item.points = Some(points);
                }
                items.push(item);
                continue;
            }
            // `3点` alone is points; `2.5点以上` a bound in points.
            let after_unit = after.trim_start_matches(['%', '点']).trim_start();
            if after.starts_with('点') && !starts_with_comparison(after_unit) {
                item.points = Some(value);
            } else if after_unit.starts_with("以上") {
                item.bound = Some(Bound::from(value));
            } else if after_unit.starts_with('超') || after_unit.starts_with("を超") || after_unit.starts_with("を上回") || after_unit.starts_with("上回") {
                item.bound = Some(Bound::above(value));
            } else if after_unit.starts_with("未満") || after_unit.starts_with("以下") || after_unit.starts_with("を下回") {
                // An upper bound only: the last band, below the others.
            } else if !after_unit.is_empty() && points_in(after_unit).is_none() {
                return Err((
                    format!("`{raw}` の境目は `以上` か `超` で書きます (例 `80%以上`、`2.5超`)"),
                    format!("the bound of `{raw}` is written with `以上` (at least) or `超` (above), e.g. `80%以上`"),
                ));
            }
            // `A:100%以上 3点`, `B:80%以上100%未満 2点`: points after the bound.
            if item.points.is_none()
                && let Some(points) = points_in(after_unit.trim_start_matches(|c: char| !c.is_whitespace()))
            {
                item.points = Some(points);
            }
        }
        items.push(item);
    }
    if items.is_empty() {
        return Err(("記号がありません".into(), "no symbols".into()));
    }
    Ok((items, codes))
}

fn starts_with_comparison(text: &str) -> bool {
    ["以上", "超", "を超", "を上回", "上回", "未満", "以下", "を下回"].iter().any(|w| text.starts_with(w))
}

/// The points a text gives: a number directly followed by `点` (`3点`),
/// not a bound (`2.5点以上`).
fn points_in(text: &str) -> Option<Decimal> {
    let mut rest = text;
    while let Some(at) = rest.find(|c: char| c.is_ascii_digit() || c == '-') {
        let (value, after) = match leading_number(&rest[at..]) {
            Some(found) => found,
            None => {
                rest = &rest[at + 1..];
                continue;
            }
        };
        if let Some(tail) = after.strip_prefix('点')
            && !starts_with_comparison(tail.trim_start())
        {
            return Some(value);
        }
        rest = after;
    }
    None
}

impl Legend {
    /// This legend with the parts a plan's 計画 block writes laid over it
    /// (each field replaces its part), and the method it names; what cannot
    /// be read keeps this legend's part and is returned as an error.
    pub fn with_plan(&self, method: Method, plan: &crate::model::Block) -> (Method, Legend, Vec<PlanLegendError>) {
        self.with_fields(method, |key| plan.field(key).filter(|f| !f.is_empty()).map(|f| (f.text.as_str(), f.value_span)))
    }

    /// [`Legend::with_plan`] over the legend's fields as `field` gives them
    /// (text and place): a 計画 block's, or a sheet's.
    pub fn with_fields<'t>(&self, method: Method, field: impl Fn(FieldKey) -> Option<(&'t str, crate::syntax::Span)>) -> (Method, Legend, Vec<PlanLegendError>) {
        struct Text<'t> {
            text: &'t str,
            value_span: crate::syntax::Span,
        }
        let field = |key: FieldKey| field(key).map(|(text, value_span)| Text { text, value_span });
        let mut legend = self.clone();
        let mut method = method;
        let mut errors = Vec::new();
        if let Some(f) = field(FieldKey::Method) {
            match Method::parse(f.text) {
                Ok(m) => method = m,
                Err(error) => errors.push(PlanLegendError { key: FieldKey::Method, span: f.value_span, error }),
            }
        }
        if let Some(f) = field(FieldKey::LegendGrades) {
            let read = parse_items(f.text).and_then(|(items, codes)| {
                // Codes the grades list names (`Z:評価困難`) are not grades.
                for code in codes {
                    if !legend.ungraded.contains(&code) {
                        legend.ungraded.push(code);
                    }
                }
                let given = items.iter().filter(|i| i.points.is_some()).count();
                let n = items.len();
                // No points written: the base legend's, when it has the very
                // same symbols in the same order; else by rank.
                let same_symbols = items.iter().map(|i| &i.symbol).eq(self.grades.symbols());
                let steps: Vec<Step> = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let base = (given == 0 && same_symbols).then(|| self.grades.steps[i].points);
                        let points = item.points.or(base).unwrap_or_else(|| Decimal::from(n - 1 - i));
                        Step { symbol: item.symbol, bound: item.bound, points, reach: item.reach }
                    })
                    .collect();
                check_scale_in("指標の評価", &steps, true)?;
                Ok(Scale { steps })
            });
            match read {
                Ok(scale) => legend.grades = scale,
                Err((ja, en)) => errors.push(legend_error(FieldKey::LegendGrades, f.value_span, ja, en)),
            }
        }
        if let Some(f) = field(FieldKey::LegendUngraded) {
            let text = crate::model::value::nfkc(f.text);
            let mut codes = vec![Symbol::dash()];
            let mut seen: std::collections::HashSet<Symbol> = codes.iter().cloned().collect();
            let graded: std::collections::HashSet<&Symbol> = legend.grades.symbols().collect();
            for code in text.split(['、', ',', '・', ';', ' ']).map(str::trim).filter(|t| !t.is_empty()) {
                let code = Symbol::new(code);
                if graded.contains(&code) {
                    errors.push(legend_error(FieldKey::LegendUngraded, f.value_span, format!("`{code}` は指標の評価の記号です"), format!("`{code}` is a grade of the legend")));
                } else if seen.insert(code.clone()) {
                    codes.push(code);
                }
            }
            legend.ungraded = codes;
        }
        if let Some(f) = field(FieldKey::LegendLevels) {
            let read = parse_items(f.text).and_then(|(items, codes)| {
                if let Some(code) = codes.first() {
                    return Err((format!("`{code}` の点数が読めません (例 `高:3点`)"), format!("the points of `{code}` cannot be read (e.g. `高:3点`)")));
                }
                let n = items.len();
                let steps: Vec<Step> =
                    items.into_iter().enumerate().map(|(i, item)| Step { points: item.points.unwrap_or_else(|| Decimal::from(n - i)), symbol: item.symbol, bound: None, reach: None }).collect();
                check_scale_in("展開の評価", &steps, false)?;
                Ok(Scale { steps })
            });
            match read {
                Ok(scale) => legend.levels = scale,
                Err((ja, en)) => errors.push(legend_error(FieldKey::LegendLevels, f.value_span, ja, en)),
            }
        }
        if let Some(f) = field(FieldKey::LegendOverall) {
            // `A:すでに達成している、B:おおむね達成している`: the symbols, with
            // what each means (a judgement, no bounds).
            let text = crate::model::value::nfkc(f.text);
            let steps: Vec<Step> = split_items(&text)
                .iter()
                .map(|raw| Step { symbol: Symbol::new(raw.split_once([':', ' ']).map_or(raw.as_str(), |(s, _)| s)), bound: None, points: Decimal::ZERO, reach: None })
                .collect();
            match check_scale_in("全体評価の区分", &steps, false) {
                Ok(()) if !steps.is_empty() => legend.overall = Some(Scale { steps }),
                Ok(()) => {}
                Err((ja, en)) => errors.push(legend_error(FieldKey::LegendOverall, f.value_span, ja, en)),
            }
        }
        for (key, name) in [(FieldKey::LegendQuantitative, "定量評価の基準"), (FieldKey::LegendQualitative, "定性評価の基準")] {
            let Some(f) = field(key) else { continue };
            let parts = if key == FieldKey::LegendQuantitative { &legend.grades } else { &legend.levels };
            match parse_summary(f.text, parts) {
                Ok(rule) => {
                    if key == FieldKey::LegendQuantitative {
                        legend.quantitative = rule;
                    } else {
                        legend.qualitative = rule;
                    }
                }
                Err((ja, en)) => errors.push(legend_error(key, f.value_span, format!("{name}が凡例として読めません: {ja}"), en)),
            }
        }
        (method, legend, errors)
    }
}

/// `平均 高 2.5超、中 1.5超、低`, `合計 …`, `A以上の割合 順調 75%以上、遅れ`,
/// `判断 高、中、低`; with no aggregate word, the mean.
fn parse_summary(text: &str, parts: &Scale) -> Result<SummaryRule, (String, String)> {
    let text = crate::model::value::nfkc(text.trim());
    let (aggregate, rest) = if let Some(rest) = text.strip_prefix("平均") {
        (Aggregate::Mean, rest)
    } else if let Some(rest) = text.strip_prefix("合計") {
        (Aggregate::Sum, rest)
    } else if let Some(rest) = text.strip_prefix("判断") {
        (Aggregate::Manual, rest)
    } else if let Some((of, rest)) = text.split_once("以上の割合") {
        let at_least = Symbol::new(of);
        if parts.rank(&at_least).is_none() {
            return Err((format!("`{of}` は評価の記号ではありません ({})", parts.listed("・")), format!("`{of}` is not a symbol of the scale ({})", parts.listed(", "))));
        }
        (Aggregate::Share { at_least }, rest)
    } else {
        (Aggregate::Mean, text.as_str())
    };
    let (items, codes) = parse_items(rest.trim_start_matches([':', ' ']))?;
    if let Some(code) = codes.first() {
        return Err((format!("`{code}` の境目が読めません (例 `高 2.5超`、`中 1.7以上`)"), format!("the bound of `{code}` cannot be read (e.g. `高 2.5超`, `中 1.7以上`)")));
    }
    let steps: Vec<Step> = items.into_iter().map(|item| Step { symbol: item.symbol, bound: item.bound, points: Decimal::ZERO, reach: None }).collect();
    check_scale_in("scale", &steps, aggregate != Aggregate::Manual)?;
    Ok(SummaryRule { aggregate, scale: Scale { steps } })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Legend, String> {
        toml::from_str::<LegendToml>(text).map_err(|e| e.to_string())?.resolve()
    }

    #[test]
    fn the_default_is_the_spec_and_the_spec_keys_still_apply() {
        assert_eq!(read("").unwrap(), Legend::default());
        let l = read("[indicator]\nB = 85\n[quantitative]\nhigh = 2.6\ncomparison = \"at-least\"\npoints = { D = -1 }\n").unwrap();
        assert_eq!(l.grades.steps[1].bound, Some(Bound::from(85.into())));
        assert_eq!(l.grades.steps[3].points, Decimal::from(-1));
        assert_eq!(l.quantitative.scale.steps[0].bound, Some(Bound::from(Decimal::new(26, 1))));
        assert_eq!(l.quantitative.scale.steps[1].bound, Some(Bound::from(Decimal::new(15, 1))), "comparison applies to both bounds");
    }

    #[test]
    fn any_symbols_with_inclusive_and_exclusive_bounds() {
        let l = read("grades = [{ symbol = \"Ｓ\", above = 100 }, { symbol = \"A\", from = 100 }, { symbol = \"B+\", from = 80 }, { symbol = \"◎\" }]\nungraded = [\"Z\", \"評価なし\"]\n").unwrap();
        assert_eq!(l.grades.listed("・"), "S・A・B+・◎");
        assert_eq!(l.grades.steps.iter().map(|s| s.points).collect::<Vec<_>>(), [3, 2, 1, 0].map(Decimal::from), "points by rank");
        assert_eq!(l.classify(ScaleOf::Indicator, &Symbol::new("ｂ+"), "ｂ+").unwrap_err().suggestion.as_deref(), Some("B+"));
        assert_eq!(l.classify(ScaleOf::Indicator, &Symbol::new("Z"), "Z"), Ok(Class::Ungraded));
        assert_eq!(l.classify(ScaleOf::Overall, &Symbol::new("Z"), "Z").unwrap_err().en, "`Z` is not a grade (one of S, A, B+, ◎)");
        let e = l.classify(ScaleOf::Indicator, &Symbol::new("D"), "D").unwrap_err();
        assert_eq!(e.ja, "`D` は評価として読めません (S・A・B+・◎、評価しない場合は Z・評価なし、または取得できない場合は `-`)");
        // Exactly 100: A (S needs more); just above: S.
        let place = |x: Decimal| l.grades.place(|b| x.cmp(&b));
        assert_eq!(place(100.into()), 1);
        assert_eq!(place(Decimal::new(100001, 3)), 0);
        assert_eq!(place(Decimal::new(7999, 2)), 3);
    }

    #[test]
    fn scales_that_cannot_be_meant_are_refused_naming_the_key() {
        for (text, says) in [
            ("[indicator]\nS = 100\n", "rating.indicator: `S` is not a grade"),
            ("[indicator]\nD = 10\n", "last grade"),
            ("[indicator]\nB = 120\n", "descend"),
            ("grades = [{ symbol = \"A\", from = 50 }, { symbol = \"B\", from = 80 }, { symbol = \"C\" }]\n", "descend"),
            ("grades = [{ symbol = \"A\" }, { symbol = \"B\" }]\n", "`A` has no bound"),
            ("grades = [{ symbol = \"A\", from = 1 }, { symbol = \"B\", from = 0 }]\n", "remove its bound"),
            ("grades = [{ symbol = \"A\", from = 1, above = 1 }, { symbol = \"B\" }]\n", "not both"),
            ("grades = [{ symbol = \"A\", from = 1 }, { symbol = \"A\" }]\n", "twice"),
            ("grades = [{ symbol = \"-\", from = 1 }, { symbol = \"A\" }]\n", "`-` is not a grade"),
            ("grades = [{ symbol = \"A\", from = 1, points = 2 }, { symbol = \"B\" }]\n", "every grade or for none"),
            ("ungraded = [\"A\"]\n", "is a grade"),
            ("[quantitative]\naggregate = \"share\"\n", "needs `share-of`"),
            ("[quantitative]\naggregate = \"share\"\nshare-of = \"E\"\n", "not a symbol of the scale"),
            ("[quantitative]\nhigh = 1\nscale = [{ symbol = \"x\" }]\n", "keep one"),
            ("[quantitative]\nhigh = 1\n", "high must be ≥ middle"),
            ("[quantitative.points]\nA = 1e28\n", "rating.quantitative.points.A: 10000000000000000000000000000 is out of range"),
            ("[qualitative.points]\n\"良\" = 1\n", "not a level of the scale"),
        ] {
            let e = read(text).unwrap_err();
            assert!(e.contains(says), "{text:?}: {e}");
        }
    }

    fn plan_legend(fields: &str) -> (Method, Legend, Vec<PlanLegendError>) {
        let doc = crate::model::Document::parse("a.plan", format!("計画 {{\n{fields}}}\n"));
        let (_, plan) = doc.blocks_of(crate::model::BlockKind::Plan).next().unwrap();
        Legend::default().with_plan(Method::Ratio, plan)
    }

    /// The seed's printed legend, in the 計画 block, is the default legend.
    #[test]
    fn the_printed_legend_in_the_plan_reads_as_the_sheet_prints_it() {
        let (method, legend, errors) = plan_legend(
            "  指標の評価: A:100%以上、B:80%以上100%未満、C:60%以上80%未満、D:60%未満\n  評価しない記号: -\n  展開の評価: 高:3点・中:2点・低:1点\n  定量評価の基準: 平均 高 2.5を上回る、中 1.5を上回る、低\n  定性評価の基準: 平均 高 2.5以上、中 1.7以上、低\n",
        );
        assert_eq!(errors, []);
        assert_eq!((method, legend), (Method::Ratio, Legend::default()));
        // Another legend: symbols, an exclusive bound, a reached target, points, a share.
        let (method, legend, errors) =
            plan_legend("  計算方法: 基準値比\n  指標の評価: S 目標を超える、A 0%超 2点、B △10%以上 1点、C 0点\n  評価しない記号: 評価なし、×\n  定量評価の基準: A以上の割合 順調 75%以上、遅れ\n");
        assert_eq!(errors, []);
        assert_eq!(method, Method::Baseline);
        assert_eq!(legend.grades.listed("・"), "S・A・B・C");
        assert_eq!(legend.grades.steps[0].reach, Some(Reach::Exceeded));
        assert_eq!(legend.grades.steps[1].bound, Some(Bound::above(Decimal::ZERO)));
        assert_eq!(legend.grades.steps[2].bound, Some(Bound::from(Decimal::from(-10))));
        assert_eq!(legend.ungraded.len(), 3);
        assert_eq!(legend.quantitative.aggregate, Aggregate::Share { at_least: Symbol::new("A") });
        // As a new user writes it: ranges with points, items parted by blanks,
        // a code with its meaning, two grades for a reached target.
        let (_, legend, errors) = plan_legend("  指標の評価: S:目標値を上回った 4点 A:目標値の100% 3点 B:80%以上100%未満 2点、C:50%以上80%未満 1点、D:50%未満 0点、−:評価できない、Z:評価困難\n");
        assert_eq!(errors, []);
        assert_eq!(legend.grades.listed("・"), "S・A・B・C・D");
        assert_eq!(legend.grades.steps.iter().map(|s| s.points).collect::<Vec<_>>(), [4, 3, 2, 1, 0].map(Decimal::from), "100%未満 is not points");
        assert_eq!(legend.grades.steps.iter().map(|s| s.reach).take(2).collect::<Vec<_>>(), [Some(Reach::Exceeded), Some(Reach::Met)]);
        assert_eq!(legend.ungraded.iter().map(Symbol::as_str).collect::<Vec<_>>(), ["-", "Z"]);
        let (_, legend, errors) = plan_legend("  定量評価の基準: 平均 順調 3.0点以上、概ね順調 2.0点以上、遅れ\n");
        assert_eq!(errors, []);
        assert_eq!(legend.quantitative.scale.steps[0].bound, Some(Bound::from(Decimal::new(30, 1))), "点以上 is a bound");
        // Comparisons before the number, a plus sign; a bound with digits it
        // cannot read is refused, never taken for a code.
        let (_, legend, errors) = plan_legend("  指標の評価: A:≧100%、B:>80%、C:+60%以上、D\n");
        assert_eq!(errors, []);
        assert_eq!(legend.grades.steps.iter().map(|s| s.bound).collect::<Vec<_>>(), [Some(Bound::from(100.into())), Some(Bound::above(80.into())), Some(Bound::from(60.into())), None]);
        let (_, _, errors) = plan_legend("  指標の評価: A:達成率100%以上、B\n");
        assert_eq!(errors, [], "a word before the number: {errors:?}");
        let (_, _, errors) = plan_legend("  指標の評価: A:1e30%以上、B\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        // The config's points are not laid over another list of symbols.
        let base = Legend {
            grades: Scale {
                steps: vec![
                    Step { symbol: Symbol::new("S"), bound: Some(Bound::from(110.into())), points: 3.into(), reach: None },
                    Step { symbol: Symbol::new("B"), bound: None, points: 0.into(), reach: None },
                ],
            },
            ..Legend::default()
        };
        let doc = crate::model::Document::parse("a.plan", "計画 {\n  指標の評価: A:100%以上、B:80%以上、C\n}\n");
        let (_, plan) = doc.blocks_of(crate::model::BlockKind::Plan).next().unwrap();
        let (_, legend, _) = base.with_plan(Method::Ratio, plan);
        assert_eq!(legend.grades.steps.iter().map(|s| s.points).collect::<Vec<_>>(), [2, 1, 0].map(Decimal::from), "by rank, not B's 0 from the config");
        // A look-alike circle is named, with its code point.
        let ino = Legend {
            grades: Scale {
                steps: vec![
                    Step { symbol: Symbol::new("〇"), bound: Some(Bound::from(100.into())), points: 1.into(), reach: None },
                    Step { symbol: Symbol::new("△"), bound: None, points: 0.into(), reach: None },
                ],
            },
            ..Legend::default()
        };
        let e = ino.classify(ScaleOf::Indicator, &Symbol::new("○"), "○").unwrap_err();
        assert!(e.ja.contains("U+3007") && e.suggestion.as_deref() == Some("〇"), "{e:?}");
        // One symbol is not a scale; a reached target below a band cannot be.
        let (_, _, errors) = plan_legend("  指標の評価: S:100%超 4点\n");
        assert!(errors[0].error.ja.contains("1つだけ"), "{errors:?}");
        let (_, _, errors) = plan_legend("  指標の評価: A:100%以上、S:目標を超える、C\n");
        assert!(errors[0].error.ja.contains("いちばん上"), "{errors:?}");
        // What cannot be read is named by its field, and keeps the base's part.
        let (_, legend, errors) = plan_legend("  指標の評価: A:50%以上、B:80%以上、C\n  定性評価の基準: 平均 高 たくさん、低\n");
        assert_eq!(errors.iter().map(|e| e.key).collect::<Vec<_>>(), [FieldKey::LegendGrades, FieldKey::LegendQualitative]);
        assert!(errors[0].error.ja.contains("よい順に下がって") && errors[0].error.en.contains("descend"), "{:?}", errors[0]);
        assert_eq!(legend, Legend::default());
    }

    #[test]
    fn a_legend_written_out_reads_back_the_same() {
        for text in [
            "",
            "grades = [{ symbol = \"S\", above = 110 }, { symbol = \"A\", from = 100 }, { symbol = \"\\\"q\\\"\" }]\nungraded = [\"Z\"]\nlevels = [{ symbol = \"◎\", points = 4 }, { symbol = \"○\" , points = 1}]\n[quantitative]\naggregate = \"share\"\nshare-of = \"A\"\nscale = [{ symbol = \"順調\", from = 80 }, { symbol = \"遅れ\" }]\n[qualitative]\naggregate = \"manual\"\nscale = [{ symbol = \"x\" }, { symbol = \"y\" }]\n",
        ] {
            let legend = read(text).unwrap();
            for commented in [false, true] {
                let written = rating_toml(Method::Progress, &legend, commented);
                let back: crate::settings::Config = toml::from_str(&written).unwrap();
                assert_eq!((back.rating.method, &back.rating.legend), (Method::Progress, &legend), "{written}");
            }
        }
    }
}
