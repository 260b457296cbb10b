//! The rating rules printed at the top of the real document, in exact
//! decimal arithmetic: an indicator's grade from its values, and the two
//! summaries of a 施策. Pure functions of values and a [`RatingScheme`].
//!
//! No division decides a grade: `r ≥ 80%` is checked as
//! `basis × 100 ≥ 80 × target`, so 0.7 / 0.875 is exactly 80% and B.
//! These comparisons are made on wide integers ([`exact`]), so no value a
//! file or a config can hold overflows them: a ratio too large for a
//! decimal (`1兆兆兆人` of `1人`, or `79,228,162,514,264,337,593,543,950,335人`
//! of `0.5人`) is simply in the top band.

use crate::model::value::{Direction, Grade, IndicatorGrade, Level, Quantity, unit_scale};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// The rating rules. The defaults are the spec's (and the real document's).
/// Every key of every table is optional: what a `plancheck.toml` leaves out
/// keeps its default (`[rating.indicator] B = 85` keeps A = 100, C = 60). /
/// 評価の計算 (凡例)。書かなかったキーは既定値のままです。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RatingScheme {
    /// How an indicator's achievement is computed: `ratio` (実績 ÷ 目標, the
    /// default) or `progress` (from the 指標's 基準値: (実績 − 基準値) ÷
    /// (目標 − 基準値)). / 達成度の計算方法: `ratio` (実績 ÷ 目標、既定) か
    /// `progress` (基準値からの進捗: (実績 − 基準値) ÷ (目標 − 基準値))。
    pub method: Method,
    /// An indicator's grade (`rating-mismatch`): the lower bounds of A, B
    /// and C, in percent of the target (D below C). / 指標の定量評価: 目標に対する
    /// 達成率 (%) の下限。
    pub indicator: IndicatorThresholds,
    /// A 施策's 定量評価 (`quantitative-summary-mismatch`): from the average
    /// of its indicators' points. / 施策の定量評価: 指標の評価の点数の平均から。
    pub quantitative: SummaryScheme<GradePoints>,
    /// A 施策's 定性評価 (`qualitative-summary-mismatch`): from the average
    /// of its 展開' points. / 施策の定性評価: 展開の評価の点数の平均から。
    pub qualitative: SummaryScheme<LevelPoints>,
}

/// How an indicator's achievement is computed. / 達成度の計算方法。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// 実績 ÷ 目標 (目標 ÷ 実績 when lower is better): the achievement ratio
    /// (伊勢崎市). / 達成率 (実績 ÷ 目標)。
    #[default]
    Ratio,
    /// (実績 − 基準値) ÷ (目標 − 基準値): the progress from the baseline to
    /// the target (本宮市). / 基準値から目標までの進捗率。
    Progress,
}

/// The lower bounds of the grades, in percent of the target; they must
/// descend (A ≥ B ≥ C). / 各評価の下限 (%)。A ≥ B ≥ C。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct IndicatorThresholds {
    /// A from this ratio (percent). / この達成率 (%) 以上で A。
    #[serde(rename = "A")]
    #[schemars(schema_with = "decimal_schema")]
    pub a: Decimal,
    /// B from this ratio (percent). / この達成率 (%) 以上で B。
    #[serde(rename = "B")]
    #[schemars(schema_with = "decimal_schema")]
    pub b: Decimal,
    /// C from this ratio (percent); D below it. / この達成率 (%) 以上で C、未満は D。
    #[serde(rename = "C")]
    #[schemars(schema_with = "decimal_schema")]
    pub c: Decimal,
}

/// A decimal as `plancheck.toml` may write it: a number, or a string of one.
fn decimal_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
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

/// How a summary turns an average of points into a level; `high` must be
/// at least `middle`. / 点数の平均から水準を決める方法。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case", bound(deserialize = "P: Deserialize<'de>, SummaryScheme<P>: Default"))]
#[schemars(bound = "P: JsonSchema, SummaryScheme<P>: Default + Serialize")]
pub struct SummaryScheme<P> {
    /// The points of each grade or level. / 各評価・水準の点数。
    pub points: P,
    /// The average's bound for 高. / 高 の境目 (平均)。
    #[schemars(schema_with = "points_schema")]
    pub high: Decimal,
    /// The average's bound for 中. / 中 の境目 (平均)。
    #[schemars(schema_with = "points_schema")]
    pub middle: Decimal,
    /// `greater` (the average must exceed the bound) or `at-least`. /
    /// `greater` (境目を超える) か `at-least` (境目以上)。
    pub comparison: Comparison,
}

/// How an average is compared with a bound. / 平均と境目の比べ方。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Comparison {
    Greater,
    AtLeast,
}

impl Comparison {
    fn holds(self, sum: Decimal, count: Decimal, bound: Decimal) -> bool {
        // average ⋚ bound  ⇔  sum ⋚ bound × count  (count > 0), exactly
        let order = exact::compare(sum, 0, bound, count);
        match self {
            Comparison::Greater => order == Ordering::Greater,
            Comparison::AtLeast => order != Ordering::Less,
        }
    }
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Greater => ">",
            Comparison::AtLeast => "≥",
        }
    }
}

/// The points of an indicator's grades (`-` is left out). / 指標の評価の点数 (`-` は除く)。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct GradePoints {
    #[serde(rename = "A")]
    #[schemars(schema_with = "points_schema")]
    pub a: Decimal,
    #[serde(rename = "B")]
    #[schemars(schema_with = "points_schema")]
    pub b: Decimal,
    #[serde(rename = "C")]
    #[schemars(schema_with = "points_schema")]
    pub c: Decimal,
    #[serde(rename = "D")]
    #[schemars(schema_with = "points_schema")]
    pub d: Decimal,
}

/// The points of a 展開's levels. / 展開の評価の点数。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LevelPoints {
    #[serde(rename = "高")]
    #[schemars(schema_with = "points_schema")]
    pub high: Decimal,
    #[serde(rename = "中")]
    #[schemars(schema_with = "points_schema")]
    pub middle: Decimal,
    #[serde(rename = "低")]
    #[schemars(schema_with = "points_schema")]
    pub low: Decimal,
}

impl Default for IndicatorThresholds {
    fn default() -> Self {
        IndicatorThresholds { a: Decimal::from(100), b: Decimal::from(80), c: Decimal::from(60) }
    }
}

impl Default for GradePoints {
    fn default() -> Self {
        GradePoints { a: 3.into(), b: 2.into(), c: 1.into(), d: 0.into() }
    }
}

impl Default for LevelPoints {
    fn default() -> Self {
        LevelPoints { high: 3.into(), middle: 2.into(), low: 1.into() }
    }
}

impl Default for SummaryScheme<GradePoints> {
    fn default() -> Self {
        SummaryScheme { points: GradePoints::default(), high: Decimal::new(25, 1), middle: Decimal::new(15, 1), comparison: Comparison::Greater }
    }
}

impl Default for SummaryScheme<LevelPoints> {
    fn default() -> Self {
        SummaryScheme { points: LevelPoints::default(), high: Decimal::new(25, 1), middle: Decimal::new(17, 1), comparison: Comparison::AtLeast }
    }
}

/// The largest magnitude of a summary's points and bounds: sums of points
/// over any number of indicators stay far inside a decimal's range.
pub const MAX_POINTS: i64 = 1_000_000_000;

impl RatingScheme {
    /// A scheme whose bounds do not descend (A ≥ B ≥ C, 高 ≥ 中) is refused,
    /// and so are summary points and bounds beyond ±[`MAX_POINTS`].
    pub fn validate(&self) -> Result<(), String> {
        let limit = Decimal::from(MAX_POINTS);
        let q = &self.quantitative;
        let l = &self.qualitative;
        let summary_values = [
            ("rating.quantitative.points.A", q.points.a),
            ("rating.quantitative.points.B", q.points.b),
            ("rating.quantitative.points.C", q.points.c),
            ("rating.quantitative.points.D", q.points.d),
            ("rating.quantitative.high", q.high),
            ("rating.quantitative.middle", q.middle),
            ("rating.qualitative.points.高", l.points.high),
            ("rating.qualitative.points.中", l.points.middle),
            ("rating.qualitative.points.低", l.points.low),
            ("rating.qualitative.high", l.high),
            ("rating.qualitative.middle", l.middle),
        ];
        for (name, value) in summary_values {
            if value.abs() > limit {
                return Err(format!("{name}: {value} is out of range (at most {MAX_POINTS} either side of 0)"));
            }
        }
        let i = &self.indicator;
        if !(i.a >= i.b && i.b >= i.c) {
            return Err(format!("rating.indicator: thresholds must descend (A ≥ B ≥ C), got A={} B={} C={}", i.a, i.b, i.c));
        }
        if self.quantitative.high < self.quantitative.middle {
            return Err("rating.quantitative: high must be ≥ middle".into());
        }
        if self.qualitative.high < self.qualitative.middle {
            return Err("rating.qualitative: high must be ≥ middle".into());
        }
        Ok(())
    }
}

/// Which value the grade was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Basis {
    /// 見込み, the forecast for the target year.
    Forecast,
    /// 実績.
    Actual,
}

/// An achievement as an exact fraction: `num × 10^scale / den`, `den > 0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fraction {
    pub num: Decimal,
    pub den: Decimal,
    pub scale: i64,
}

impl Fraction {
    /// The fraction in percent against `percent`, exactly.
    pub fn cmp_percent(&self, percent: Decimal) -> Ordering {
        // num × 10^(scale+2) / den ⋚ p  ⇔  num × 10^(scale+2) ⋚ p × den
        exact::compare(self.num, self.scale.saturating_add(2), percent, self.den)
    }

    /// Whether the percentage, written to `places` decimal places, could
    /// be `percent` (within half a unit of its last place).
    pub fn rounds_to(&self, percent: Decimal, places: u32) -> bool {
        let half = Decimal::new(5, places.saturating_add(1).min(28));
        let (Some(low), Some(high)) = (percent.checked_sub(half), percent.checked_add(half)) else { return false };
        self.cmp_percent(low) != Ordering::Less && self.cmp_percent(high) != Ordering::Greater
    }
}

/// The result of rating an indicator.
#[derive(Debug, Clone, PartialEq)]
pub enum IndicatorRating {
    Graded {
        grade: Grade,
        /// The achievement ratio in percent, rounded to 0.1 for display.
        percent: Decimal,
        basis: Basis,
        /// The band the ratio falls in: its lower bound (percent, inclusive)
        /// and its upper bound (exclusive), if any.
        lower: Option<Decimal>,
        upper: Option<Decimal>,
        /// The denominator was 0 (a target of 0, or an achieved 0 where lower
        /// is better): nothing falls short, so the grade is A by definition.
        by_zero: bool,
        /// How the percentage was computed.
        method: Method,
        /// The exact ratio (`None` when the denominator was 0).
        fraction: Option<Fraction>,
    },
    /// The method needs the 指標's 基準値 and it has none.
    NoBaseline { basis: Basis },
    /// The target is not beyond the baseline in the indicator's direction
    /// (met at the start): no progress can be measured.
    TargetNotBeyondBaseline { basis: Basis },
    /// The basis or the target is `-`.
    NotObtainable,
    /// The units cannot be compared: no grade is computed.
    UnitMismatch { basis_unit: String, target_unit: String, basis: Basis },
    /// No ratio exists (a zero or negative denominator).
    Undefined { basis: Basis },
}

impl IndicatorRating {
    pub fn grade(&self) -> Option<IndicatorGrade> {
        match self {
            IndicatorRating::Graded { grade, .. } => Some(IndicatorGrade::Graded(*grade)),
            IndicatorRating::NotObtainable => Some(IndicatorGrade::NotObtainable),
            _ => None,
        }
    }
}

/// Rates an indicator: basis = forecast if given, else actual, by the
/// scheme's method (with no baseline: see [`rate_indicator_with`]).
pub fn rate_indicator(scheme: &RatingScheme, actual: &Quantity, forecast: Option<&Quantity>, target: &Quantity, direction: Direction) -> IndicatorRating {
    rate_indicator_with(scheme, actual, forecast, target, None, direction)
}

/// Rates an indicator by the scheme's method; `baseline` is its 基準値
/// (the `progress` method needs it).
pub fn rate_indicator_with(scheme: &RatingScheme, actual: &Quantity, forecast: Option<&Quantity>, target: &Quantity, baseline: Option<&Quantity>, direction: Direction) -> IndicatorRating {
    match scheme.method {
        Method::Ratio => rate_ratio(scheme, actual, forecast, target, direction),
        Method::Progress => rate_progress(scheme, actual, forecast, target, baseline, direction),
    }
}

fn rate_ratio(scheme: &RatingScheme, actual: &Quantity, forecast: Option<&Quantity>, target: &Quantity, direction: Direction) -> IndicatorRating {
    let (basis_kind, basis) = match forecast {
        Some(f) => (Basis::Forecast, f),
        None => (Basis::Actual, actual),
    };
    let (Quantity::Value(b), Quantity::Value(t)) = (basis, target) else {
        return IndicatorRating::NotObtainable;
    };
    let Some(exponent) = unit_scale(&b.unit, &t.unit) else {
        return IndicatorRating::UnitMismatch { basis_unit: b.unit.clone(), target_unit: t.unit.clone(), basis: basis_kind };
    };
    // r = numerator × 10^scale / denominator (the units' prefixes as a
    // power of ten, never multiplied out: `1兆兆兆人` is 1 × 10^36 人).
    let (num, den, scale) = match direction {
        Direction::Increase => (b.number, t.number, exponent),
        Direction::Decrease => (t.number, b.number, exponent.saturating_neg()),
    };
    if num.is_sign_negative() && !num.is_zero() || den.is_sign_negative() && !den.is_zero() {
        return IndicatorRating::Undefined { basis: basis_kind };
    }
    if den.is_zero() {
        // 増加 with a target of 0, or 減少 with an achieved 0: nothing is short
        // of the goal, unless both are 0 (then exactly on target).
        return IndicatorRating::Graded {
            grade: Grade::A,
            percent: Decimal::from(100),
            basis: basis_kind,
            lower: Some(scheme.indicator.a),
            upper: None,
            by_zero: true,
            method: Method::Ratio,
            fraction: None,
        };
    }
    graded(scheme, num, den, scale, basis_kind, Method::Ratio)
}

/// The grade of `num × 10^scale / den` (den > 0) in the scheme's bands,
/// decided exactly, with its percentage for display.
fn graded(scheme: &RatingScheme, num: Decimal, den: Decimal, scale: i64, basis: Basis, method: Method) -> IndicatorRating {
    // num × 10^scale / den ≥ bound / 100  ⇔  num × 10^(scale + 2) ≥ bound × den
    let at_least = |bound: Decimal| exact::compare(num, scale.saturating_add(2), bound, den) != Ordering::Less;
    let th = &scheme.indicator;
    let (grade, lower, upper) = if at_least(th.a) {
        (Grade::A, Some(th.a), None)
    } else if at_least(th.b) {
        (Grade::B, Some(th.b), Some(th.a))
    } else if at_least(th.c) {
        (Grade::C, Some(th.c), Some(th.b))
    } else {
        (Grade::D, None, Some(th.c))
    };
    let percent = percent_of(num, den, scale);
    // Display rounding must not cross a band (79.99 would show as 80.0).
    let mut shown = percent.round_dp(1);
    if let Some(u) = upper
        && shown >= u
    {
        shown = percent.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
    }
    if let Some(l) = lower
        && shown < l
    {
        shown = percent.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::AwayFromZero);
    }
    IndicatorRating::Graded { grade, percent: shown.normalize(), basis, lower, upper, by_zero: false, method, fraction: Some(Fraction { num, den, scale }) }
}

/// `n × 10^e` as a decimal, when it is one (|e| ≤ 28, no overflow).
fn scaled(n: Decimal, e: i64) -> Option<Decimal> {
    if e.unsigned_abs() > 28 {
        return None;
    }
    let mut value = n;
    for _ in 0..e.unsigned_abs() {
        value = if e > 0 { value.checked_mul(Decimal::TEN)? } else { value.checked_div(Decimal::TEN)? };
    }
    Some(value)
}

/// The progress from the baseline: (basis − baseline) ÷ (target − baseline),
/// (baseline − basis) ÷ (baseline − target) when lower is better, every
/// value in the target's unit.
fn rate_progress(scheme: &RatingScheme, actual: &Quantity, forecast: Option<&Quantity>, target: &Quantity, baseline: Option<&Quantity>, direction: Direction) -> IndicatorRating {
    let (basis_kind, basis) = match forecast {
        Some(f) => (Basis::Forecast, f),
        None => (Basis::Actual, actual),
    };
    let Some(baseline) = baseline else {
        return IndicatorRating::NoBaseline { basis: basis_kind };
    };
    let (Quantity::Value(b), Quantity::Value(t), Quantity::Value(s)) = (basis, target, baseline) else {
        return IndicatorRating::NotObtainable;
    };
    let (Some(eb), Some(es)) = (unit_scale(&b.unit, &t.unit), unit_scale(&s.unit, &t.unit)) else {
        let odd = if unit_scale(&b.unit, &t.unit).is_none() { &b.unit } else { &s.unit };
        return IndicatorRating::UnitMismatch { basis_unit: odd.clone(), target_unit: t.unit.clone(), basis: basis_kind };
    };
    let (Some(b), Some(s)) = (scaled(b.number, eb), scaled(s.number, es)) else {
        return IndicatorRating::Undefined { basis: basis_kind };
    };
    let t = t.number;
    let difference = |x: Decimal, y: Decimal| x.checked_sub(y);
    let (num, den) = match direction {
        Direction::Increase => (difference(b, s), difference(t, s)),
        Direction::Decrease => (difference(s, b), difference(s, t)),
    };
    let (Some(num), Some(den)) = (num, den) else {
        return IndicatorRating::Undefined { basis: basis_kind };
    };
    if den.is_sign_negative() || den.is_zero() {
        return IndicatorRating::TargetNotBeyondBaseline { basis: basis_kind };
    }
    graded(scheme, num, den, 0, basis_kind, Method::Progress)
}

/// `num × 10^scale / den` in percent, for display only (the grade is
/// decided exactly): [`Decimal::MAX`] when it is too large for a decimal,
/// 0 when too small.
fn percent_of(num: Decimal, den: Decimal, scale: i64) -> Decimal {
    let mut scale = scale.saturating_add(2);
    if num.is_zero() || scale < -60 {
        return Decimal::ZERO;
    }
    if scale > 60 {
        return Decimal::MAX;
    }
    // Scale the numerator up while it fits, divide, scale the quotient.
    let mut value = num;
    while scale > 0
        && let Some(v) = value.checked_mul(Decimal::TEN)
    {
        value = v;
        scale -= 1;
    }
    let Some(mut value) = value.checked_div(den) else {
        return Decimal::MAX;
    };
    while scale > 0 {
        let Some(v) = value.checked_mul(Decimal::TEN) else {
            return Decimal::MAX;
        };
        value = v;
        scale -= 1;
    }
    while scale < 0 {
        value /= Decimal::TEN;
        scale += 1;
    }
    value
}

/// Exact comparisons of decimals scaled by powers of ten and products of
/// decimals, on wide unsigned integers: nothing overflows, nothing rounds.
pub mod exact {
    use rust_decimal::Decimal;
    use std::cmp::Ordering;

    /// 384 bits, least significant limb first: a product of two 96-bit
    /// mantissas times 10^58 (2^289) fits.
    type Wide = [u64; 6];

    fn of(mantissa: u128) -> Wide {
        [mantissa as u64, (mantissa >> 64) as u64, 0, 0, 0, 0]
    }

    fn times_ten(w: &mut Wide, times: u64) {
        for _ in 0..times {
            let mut carry = 0u128;
            for limb in w.iter_mut() {
                let t = *limb as u128 * 10 + carry;
                *limb = t as u64;
                carry = t >> 64;
            }
            debug_assert_eq!(carry, 0, "bounded by the callers");
        }
    }

    fn product(a: u128, b: u128) -> Wide {
        let (a, b) = (of(a), of(b));
        let mut out = [0u64; 6];
        for i in 0..2 {
            let mut carry = 0u128;
            for j in 0..2 {
                let t = out[i + j] as u128 + a[i] as u128 * b[j] as u128 + carry;
                out[i + j] = t as u64;
                carry = t >> 64;
            }
            out[i + 2] = carry as u64;
        }
        out
    }

    fn cmp(a: &Wide, b: &Wide) -> Ordering {
        a.iter().rev().cmp(b.iter().rev())
    }

    fn sign(d: Decimal) -> i8 {
        if d.is_zero() {
            0
        } else if d.is_sign_negative() {
            -1
        } else {
            1
        }
    }

    /// Compares `x × 10^e` with `y × z`, exactly, for any decimals and any `e`.
    pub fn compare(x: Decimal, e: i64, y: Decimal, z: Decimal) -> Ordering {
        let (sx, syz) = (sign(x), sign(y) * sign(z));
        if sx != syz || sx == 0 {
            return sx.cmp(&syz);
        }
        let magnitude = magnitudes(x, e, y, z);
        if sx > 0 { magnitude } else { magnitude.reverse() }
    }

    /// `|x| × 10^e` against `|y| × |z|`, none of them zero.
    fn magnitudes(x: Decimal, e: i64, y: Decimal, z: Decimal) -> Ordering {
        let (xm, ym, zm) = (x.mantissa().unsigned_abs(), y.mantissa().unsigned_abs(), z.mantissa().unsigned_abs());
        // |x| = xm / 10^xs …: compare xm × 10^k with ym × zm.
        let k = e.saturating_sub(x.scale() as i64).saturating_add(y.scale() as i64).saturating_add(z.scale() as i64);
        let right = product(ym, zm);
        if k >= 0 {
            // ym × zm < 2^192 < 10^58 ≤ xm × 10^k
            if k >= 58 {
                return Ordering::Greater;
            }
            let mut left = of(xm);
            times_ten(&mut left, k as u64);
            cmp(&left, &right)
        } else {
            // xm < 2^96 < 10^29 ≤ ym × zm × 10^−k
            if k <= -29 {
                return Ordering::Less;
            }
            let mut right = right;
            times_ten(&mut right, k.unsigned_abs());
            cmp(&of(xm), &right)
        }
    }
}

/// The computed summary of several stated values.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub level: Level,
    /// Sum and count of the points (the average is sum / count).
    pub sum: Decimal,
    pub count: usize,
    /// The average rounded to 2 places, for display.
    pub average: Decimal,
}

fn summarize<P>(scheme: &SummaryScheme<P>, points: impl IntoIterator<Item = Decimal>) -> Option<Summary> {
    let mut sum = Decimal::ZERO;
    let mut count = 0usize;
    for p in points {
        // Points are bounded by the config's validation (±MAX_POINTS), so
        // this holds for any number of values; checked all the same.
        sum = sum.checked_add(p)?;
        count += 1;
    }
    if count == 0 {
        return None;
    }
    let n = Decimal::from(count);
    let level = if scheme.comparison.holds(sum, n, scheme.high) {
        Level::High
    } else if scheme.comparison.holds(sum, n, scheme.middle) {
        Level::Middle
    } else {
        Level::Low
    };
    Some(Summary { level, sum, count, average: sum.checked_div(n)?.round_dp(2).normalize() })
}

/// 定量評価 of a 施策 from its indicators' stated grades (`-` left out).
pub fn quantitative_summary(scheme: &RatingScheme, grades: impl IntoIterator<Item = IndicatorGrade>) -> Option<Summary> {
    let p = &scheme.quantitative.points;
    summarize(
        &scheme.quantitative,
        grades.into_iter().filter_map(|g| match g {
            IndicatorGrade::Graded(Grade::A) => Some(p.a),
            IndicatorGrade::Graded(Grade::B) => Some(p.b),
            IndicatorGrade::Graded(Grade::C) => Some(p.c),
            IndicatorGrade::Graded(Grade::D) => Some(p.d),
            IndicatorGrade::NotObtainable => None,
        }),
    )
}

/// 定性評価 of a 施策 from its 展開's stated levels.
pub fn qualitative_summary(scheme: &RatingScheme, levels: impl IntoIterator<Item = Level>) -> Option<Summary> {
    let p = &scheme.qualitative.points;
    summarize(
        &scheme.qualitative,
        levels.into_iter().map(|l| match l {
            Level::High => p.high,
            Level::Middle => p.middle,
            Level::Low => p.low,
        }),
    )
}

impl RatingScheme {
    pub fn grade_points(&self, grade: Grade) -> Decimal {
        let p = &self.quantitative.points;
        match grade {
            Grade::A => p.a,
            Grade::B => p.b,
            Grade::C => p.c,
            Grade::D => p.d,
        }
    }
    pub fn level_points(&self, level: Level) -> Decimal {
        let p = &self.qualitative.points;
        match level {
            Level::High => p.high,
            Level::Middle => p.middle,
            Level::Low => p.low,
        }
    }
}

/// A value as a document states it: absent (or empty), readable, or
/// written but unreadable. The legend's functions below take values in this
/// form, from the model (the rules, the editor) or from a sheet's text
/// (export, report, diff), so that every front end computes the same.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stated<T> {
    Absent,
    Read(T),
    Unreadable,
}

impl<T> Stated<T> {
    pub fn as_ref(&self) -> Stated<&T> {
        match self {
            Stated::Absent => Stated::Absent,
            Stated::Read(v) => Stated::Read(v),
            Stated::Unreadable => Stated::Unreadable,
        }
    }

    /// A value read from text: empty or blank text is absent.
    pub fn of_text<E>(text: Option<&str>, parse: impl FnOnce(&str) -> Result<T, E>) -> Stated<T> {
        match text {
            None => Stated::Absent,
            Some(t) if t.trim().is_empty() => Stated::Absent,
            Some(t) => parse(t).map_or(Stated::Unreadable, Stated::Read),
        }
    }
}

/// A field of a block in the form the legend reads (`pick` takes the
/// readable value out of its parsed form).
pub fn stated_field<'a, T>(block: &'a crate::model::Block, key: crate::model::FieldKey, pick: impl FnOnce(&'a crate::model::Parsed) -> Option<T>) -> Stated<T> {
    use crate::model::Parsed;
    match block.field(key).map(|f| &f.parsed) {
        None | Some(Parsed::Empty) => Stated::Absent,
        Some(parsed) => pick(parsed).map_or(Stated::Unreadable, Stated::Read),
    }
}

/// Rates an indicator from its stated values: `None` when 実績 or 目標 is
/// absent or unreadable (other rules report that), or when a 見込み (or a
/// 基準値 the method needs) is written but cannot be read; an unreadable
/// 方向 counts as 増加 (reported as invalid).
pub fn rate_stated_indicator(scheme: &RatingScheme, values: StatedIndicatorValues<'_>) -> Option<IndicatorRating> {
    let (Stated::Read(actual), Stated::Read(target)) = (values.actual, values.target) else {
        return None;
    };
    fn optional(value: Stated<&Quantity>) -> Result<Option<&Quantity>, ()> {
        match value {
            Stated::Absent => Ok(None),
            Stated::Read(q) => Ok(Some(q)),
            Stated::Unreadable => Err(()),
        }
    }
    let forecast = optional(values.forecast).ok()?;
    let baseline = match scheme.method {
        Method::Progress => optional(values.baseline).ok()?,
        Method::Ratio => None,
    };
    let direction = match values.direction {
        Stated::Read(d) => d,
        _ => Direction::Increase,
    };
    Some(rate_indicator_with(scheme, actual, forecast, target, baseline, direction))
}

/// An indicator block's values in the form the legend reads.
#[derive(Clone, Copy)]
pub struct StatedIndicatorValues<'a> {
    pub actual: Stated<&'a Quantity>,
    pub forecast: Stated<&'a Quantity>,
    pub target: Stated<&'a Quantity>,
    /// 基準値.
    pub baseline: Stated<&'a Quantity>,
    pub direction: Stated<Direction>,
}

impl<'a> StatedIndicatorValues<'a> {
    /// The same values with another direction.
    pub fn with_direction(self, direction: Direction) -> Self {
        StatedIndicatorValues { direction: Stated::Read(direction), ..self }
    }
}

/// The values of an indicator block ([`StatedIndicatorValues`]).
pub fn stated_indicator_values(block: &crate::model::Block) -> StatedIndicatorValues<'_> {
    use crate::model::{FieldKey, Parsed};
    let quantity = |key| {
        stated_field(block, key, |p| match p {
            Parsed::Quantity(Ok(q)) => Some(q),
            _ => None,
        })
    };
    let direction = stated_field(block, FieldKey::Direction, |p| match p {
        Parsed::Direction(Ok(d)) => Some(*d),
        _ => None,
    });
    let target = quantity(FieldKey::Target);
    StatedIndicatorValues {
        actual: quantity(FieldKey::Actual),
        forecast: quantity(FieldKey::Forecast),
        target,
        baseline: quantity(FieldKey::Baseline),
        direction: implied_direction(direction, target),
    }
}

/// The direction as stated, else the one the target's inequality says
/// (`10件以下`: lower is better).
pub fn implied_direction(direction: Stated<Direction>, target: Stated<&Quantity>) -> Stated<Direction> {
    match (direction, target) {
        (Stated::Absent, Stated::Read(Quantity::Value(m))) => m.bound.and_then(crate::model::value::Bound::direction).map_or(Stated::Absent, Stated::Read),
        (direction, _) => direction,
    }
}

/// Rates an indicator block from its fields ([`rate_stated_indicator`]).
pub fn rate_indicator_block(scheme: &RatingScheme, block: &crate::model::Block) -> Option<IndicatorRating> {
    rate_stated_indicator(scheme, stated_indicator_values(block))
}

/// A 施策's summary from its stated values, with what it was computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct StatedSummary<T> {
    pub summary: Summary,
    /// The readable values, in order.
    pub values: Vec<T>,
    /// How many were absent (left out).
    pub unstated: usize,
}

/// The legend over stated values: an unreadable one means the summary
/// cannot be known (`None`); absent ones are left out and counted.
fn summarize_stated<T: Copy>(stated: impl IntoIterator<Item = Stated<T>>, summary: impl FnOnce(&[T]) -> Option<Summary>) -> Option<StatedSummary<T>> {
    let mut values = Vec::new();
    let mut unstated = 0;
    for value in stated {
        match value {
            Stated::Read(v) => values.push(v),
            Stated::Absent => unstated += 1,
            Stated::Unreadable => return None,
        }
    }
    Some(StatedSummary { summary: summary(&values)?, values, unstated })
}

/// 定量評価 of a 施策 from its indicators' stated grades
/// ([`quantitative_summary`] when every grade is readable).
pub fn quantitative_of_stated(scheme: &RatingScheme, grades: impl IntoIterator<Item = Stated<IndicatorGrade>>) -> Option<StatedSummary<IndicatorGrade>> {
    summarize_stated(grades, |g| quantitative_summary(scheme, g.iter().copied()))
}

/// 定性評価 of a 施策 from its 展開's stated levels
/// ([`qualitative_summary`] when every level is readable).
pub fn qualitative_of_stated(scheme: &RatingScheme, levels: impl IntoIterator<Item = Stated<Level>>) -> Option<StatedSummary<Level>> {
    summarize_stated(levels, |l| qualitative_summary(scheme, l.iter().copied()))
}

/// The stated grades of a 施策's indicators, from the model.
pub fn stated_grades<'a>(doc: &'a crate::model::Document, measure: crate::model::BlockId) -> impl Iterator<Item = Stated<IndicatorGrade>> + 'a {
    use crate::model::{BlockKind, FieldKey, Parsed};
    doc.children_of(measure, BlockKind::Indicator).map(|indicator| {
        stated_field(indicator, FieldKey::IndicatorGrade, |p| match p {
            Parsed::IndicatorGrade(Ok(g)) => Some(*g),
            _ => None,
        })
    })
}

/// The stated levels of a 施策's 展開, from the model.
pub fn stated_levels<'a>(doc: &'a crate::model::Document, measure: crate::model::BlockId) -> impl Iterator<Item = Stated<Level>> + 'a {
    use crate::model::{BlockKind, FieldKey, Parsed};
    doc.children_of(measure, BlockKind::Development).map(|development| {
        stated_field(development, FieldKey::DevelopmentLevel, |p| match p {
            Parsed::Level(Ok(l)) => Some(*l),
            _ => None,
        })
    })
}

/// `80%以上100%未満` / `at least 80% and under 100%`.
pub fn band_text(lower: Option<Decimal>, upper: Option<Decimal>, lang: crate::diagnostics::Lang) -> String {
    use crate::diagnostics::Lang;
    match (lower, upper, lang) {
        (Some(l), Some(u), Lang::Ja) => format!("{l}%以上{u}%未満"),
        (Some(l), None, Lang::Ja) => format!("{l}%以上"),
        (None, Some(u), Lang::Ja) => format!("{u}%未満"),
        (Some(l), Some(u), Lang::En) => format!("at least {l}% and under {u}%"),
        (Some(l), None, Lang::En) => format!("at least {l}%"),
        (None, Some(u), Lang::En) => format!("under {u}%"),
        (None, None, _) => String::new(),
    }
}

/// How a graded indicator's ratio was computed, e.g.
/// `実績 5,900人 ÷ 目標 10,650人 = 55.4%`.
pub fn ratio_text(block: &crate::model::Block, rating: &IndicatorRating, lang: crate::diagnostics::Lang) -> Option<String> {
    ratio_text_as(block, rating, block.direction(), lang)
}

/// [`ratio_text`] for a rating computed in `direction` (which may not be
/// the block's: the other way, to say a grade is right that way).
pub fn ratio_text_as(block: &crate::model::Block, rating: &IndicatorRating, direction: Direction, lang: crate::diagnostics::Lang) -> Option<String> {
    ratio_text_marked(block, rating, direction, lang, true)
}

/// [`ratio_text_as`] without saying the direction after the ratio (for a
/// message that says it before).
pub fn ratio_formula(block: &crate::model::Block, rating: &IndicatorRating, direction: Direction, lang: crate::diagnostics::Lang) -> Option<String> {
    ratio_text_marked(block, rating, direction, lang, false)
}

fn ratio_text_marked(block: &crate::model::Block, rating: &IndicatorRating, direction: Direction, lang: crate::diagnostics::Lang, marked: bool) -> Option<String> {
    use crate::model::FieldKey;
    let IndicatorRating::Graded { percent, basis, by_zero, method, .. } = rating else {
        return None;
    };
    let (basis_key, basis_ja, basis_en) = match basis {
        Basis::Forecast => (FieldKey::Forecast, "見込み", "forecast"),
        Basis::Actual => (FieldKey::Actual, "実績", "actual"),
    };
    // Each value cut like a quote, so that the message keeps its end.
    let shorten = |text: String| -> String {
        let limit = crate::diagnostics::MAX_QUOTED_CHARS;
        if text.chars().count() <= limit { text } else { text.chars().take(limit).chain(['…']).collect() }
    };
    let b = shorten(block.quantity(basis_key)?.0.to_string());
    let t = shorten(block.quantity(FieldKey::Target)?.0.to_string());
    // A ratio too large for a decimal is shown as at least the largest one.
    let percent = if *percent == Decimal::MAX { format!("≥ {percent}") } else { percent.to_string() };
    if *method == Method::Progress {
        let s = shorten(block.quantity(FieldKey::Baseline)?.0.to_string());
        return Some(match (direction, lang) {
            (Direction::Increase, crate::diagnostics::Lang::Ja) => format!("({basis_ja} {b} − 基準値 {s}) ÷ (目標 {t} − 基準値 {s}) = {percent}%"),
            (Direction::Decrease, crate::diagnostics::Lang::Ja) => {
                let mark = if marked { " (方向: 減少)" } else { "" };
                format!("(基準値 {s} − {basis_ja} {b}) ÷ (基準値 {s} − 目標 {t}) = {percent}%{mark}")
            }
            (Direction::Increase, crate::diagnostics::Lang::En) => format!("({basis_en} {b} − baseline {s}) / (target {t} − baseline {s}) = {percent}%"),
            (Direction::Decrease, crate::diagnostics::Lang::En) => {
                let mark = if marked { " (direction: lower is better)" } else { "" };
                format!("(baseline {s} − {basis_en} {b}) / (baseline {s} − target {t}) = {percent}%{mark}")
            }
        });
    }
    if *by_zero {
        return Some(match (direction, lang) {
            (Direction::Increase, crate::diagnostics::Lang::Ja) => {
                format!("目標 {t} が 0 なので {basis_ja} {b} は目標を満たしており")
            }
            (Direction::Decrease, crate::diagnostics::Lang::Ja) => {
                format!("{basis_ja} {b} が 0 (方向: 減少) なので目標 {t} を満たしており")
            }
            (Direction::Increase, crate::diagnostics::Lang::En) => {
                format!("the target {t} is 0, so the {basis_en} {b} meets it")
            }
            (Direction::Decrease, crate::diagnostics::Lang::En) => {
                format!("the {basis_en} {b} is 0 (lower is better), so it meets the target {t}")
            }
        });
    }
    Some(match (direction, lang) {
        (Direction::Increase, crate::diagnostics::Lang::Ja) => {
            format!("{basis_ja} {b} ÷ 目標 {t} = {percent}%")
        }
        (Direction::Decrease, crate::diagnostics::Lang::Ja) => {
            let mark = if marked { " (方向: 減少)" } else { "" };
            format!("目標 {t} ÷ {basis_ja} {b} = {percent}%{mark}")
        }
        (Direction::Increase, crate::diagnostics::Lang::En) => {
            format!("{basis_en} {b} / target {t} = {percent}%")
        }
        (Direction::Decrease, crate::diagnostics::Lang::En) => {
            let mark = if marked { " (direction: lower is better)" } else { "" };
            format!("target {t} / {basis_en} {b} = {percent}%{mark}")
        }
    })
}

/// Why a summary is at its level, e.g. `平均 1.67 > 1.5、2.5 以下` /
/// `average 1.67 > 1.5 and not > 2.5`.
pub fn summary_reason<P>(scheme: &SummaryScheme<P>, summary: &Summary, lang: crate::diagnostics::Lang) -> String {
    use crate::diagnostics::Lang;
    let (avg, high, middle) = (summary.average, scheme.high, scheme.middle);
    let cmp = scheme.comparison.symbol();
    // "not above" is ≤ for `greater`, < for `at-least`.
    let (not_ja, not_sym) = match scheme.comparison {
        Comparison::Greater => ("以下", "≤"),
        Comparison::AtLeast => ("未満", "<"),
    };
    match (summary.level, lang) {
        (Level::High, Lang::Ja) => format!("平均 {avg} {cmp} {high}"),
        (Level::Middle, Lang::Ja) => format!("平均 {avg} {cmp} {middle}、{high} {not_ja}"),
        (Level::Low, Lang::Ja) => format!("平均 {avg} は {middle} {not_ja}"),
        (Level::High, Lang::En) => format!("average {avg} {cmp} {high}"),
        (Level::Middle, Lang::En) => format!("average {avg} {cmp} {middle} and {not_sym} {high}"),
        (Level::Low, Lang::En) => format!("average {avg} {not_sym} {middle}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::value::parse_quantity;
    use IndicatorGrade::{Graded, NotObtainable};
    use Level::*;

    fn rate(actual: &str, target: &str) -> IndicatorRating {
        rate_dir(actual, target, Direction::Increase)
    }
    fn rate_dir(actual: &str, target: &str, d: Direction) -> IndicatorRating {
        let s = RatingScheme::default();
        rate_indicator(&s, &parse_quantity(actual).unwrap(), None, &parse_quantity(target).unwrap(), d)
    }
    fn grade(r: IndicatorRating) -> Grade {
        match r {
            IndicatorRating::Graded { grade, .. } => grade,
            other => panic!("not graded: {other:?}"),
        }
    }

    #[test]
    fn indicator_boundaries_are_exact() {
        assert_eq!(grade(rate("100", "100")), Grade::A);
        assert_eq!(grade(rate("99.999", "100")), Grade::B);
        assert_eq!(grade(rate("80", "100")), Grade::B);
        assert_eq!(grade(rate("0.7", "0.875")), Grade::B, "0.7/0.875 is exactly 80%");
        assert_eq!(grade(rate("79.999", "100")), Grade::C);
        assert_eq!(grade(rate("60", "100")), Grade::C);
        assert_eq!(grade(rate("3", "5")), Grade::C, "exactly 60%");
        assert_eq!(grade(rate("59.99", "100")), Grade::D);
        // 1/3 of 0.3 is not representable as a finite decimal: still exact.
        assert_eq!(grade(rate("0.1", "0.3")), Grade::D);
        assert_eq!(grade(rate("2", "3")), Grade::C);
    }

    #[test]
    fn real_document_cases() {
        // 1-1-1: 5,900人 of 10,650人 = 55.4% → D (the sheet says C).
        match rate("5,900人", "10,650人") {
            IndicatorRating::Graded { grade, percent, lower, upper, .. } => {
                assert_eq!(grade, Grade::D);
                assert_eq!(percent.to_string(), "55.4");
                assert_eq!((lower, upper), (None, Some(Decimal::from(60))));
            }
            other => panic!("{other:?}"),
        }
        // Lower is better: 60.5 against a target of 55 = 90.9% → B.
        assert_eq!(grade(rate_dir("60.5人 (R3年)", "55人 (R4年)", Direction::Decrease)), Grade::B);
        assert_eq!(rate("-", "189事業所 (R4年)"), IndicatorRating::NotObtainable);
        assert!(matches!(rate("5人", "5%"), IndicatorRating::UnitMismatch { .. }));
        assert_eq!(grade(rate("258万人", "3,900,000人")), Grade::C);
    }

    #[test]
    fn display_rounding_never_crosses_a_band() {
        match rate("79.99", "100") {
            IndicatorRating::Graded { grade, percent, .. } => {
                assert_eq!(grade, Grade::C);
                assert!(percent < Decimal::from(80), "{percent}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn forecast_is_the_basis_when_given() {
        let s = RatingScheme::default();
        let q = |t: &str| parse_quantity(t).unwrap();
        let r = rate_indicator(&s, &q("50"), Some(&q("100")), &q("100"), Direction::Increase);
        assert!(matches!(r, IndicatorRating::Graded { grade: Grade::A, basis: Basis::Forecast, .. }));
    }

    #[test]
    fn zero_denominators() {
        assert_eq!(grade(rate("0", "0")), Grade::A);
        assert_eq!(grade(rate_dir("0件", "3件", Direction::Decrease)), Grade::A);
    }

    #[test]
    fn extreme_values_are_graded_exactly_without_overflow() {
        // A prefix chain beyond a decimal's range: the top band, not a panic.
        assert_eq!(grade(rate("1兆兆兆人", "1人")), Grade::A);
        assert_eq!(grade(rate("1人", "1兆兆兆人")), Grade::D);
        assert_eq!(grade(rate_dir("1兆兆兆人", "1人", Direction::Decrease)), Grade::D);
        let chain = format!("1{}人", "万".repeat(200_000));
        assert_eq!(grade(rate(&chain, "1人")), Grade::A);
        assert_eq!(grade(rate(&chain, &chain.replacen('1', "0.7", 1))), Grade::A);
        // The largest decimal over 0.5: a ratio no decimal holds.
        match rate("79,228,162,514,264,337,593,543,950,335人", "0.5人") {
            IndicatorRating::Graded { grade, percent, .. } => assert_eq!((grade, percent), (Grade::A, Decimal::MAX)),
            other => panic!("{other:?}"),
        }
        // Exact at the boundary even where `basis × 100` overflows a decimal.
        assert_eq!(grade(rate("79,228,162,514,264,337,593,543,950,335", "79,228,162,514,264,337,593,543,950,335")), Grade::A);
        assert_eq!(grade(rate("79,228,162,514,264,337,593,543,950,334", "79,228,162,514,264,337,593,543,950,335")), Grade::B);
        assert_eq!(grade(rate("63,382,530,011,411,470,074,835,160,268", "79,228,162,514,264,337,593,543,950,335")), Grade::B, "exactly 80%");
        assert_eq!(grade(rate("63,382,530,011,411,470,074,835,160,267", "79,228,162,514,264,337,593,543,950,335")), Grade::C);
        // Units a power of ten apart, exactly: 8,000 of 1万 is 80%.
        assert_eq!(grade(rate("8,000人", "1万人")), Grade::B);
        assert_eq!(grade(rate("0.0000000000000000000000000008万人", &"0.{}1人".replace("{}", &"0".repeat(22)))), Grade::B, "8e-24 of 1e-23");
        // Huge thresholds compare exactly too.
        let s = RatingScheme { indicator: IndicatorThresholds { a: Decimal::MAX, b: Decimal::MAX, c: Decimal::MAX }, ..RatingScheme::default() };
        let q = |t: &str| parse_quantity(t).unwrap();
        assert!(matches!(
            rate_indicator(&s, &q("79,228,162,514,264,337,593,543,950,335"), None, &q("0.0000000000000000000000000001"), Direction::Increase),
            IndicatorRating::Graded { grade: Grade::A, .. }
        ));
        assert!(matches!(rate_indicator(&s, &q("1"), None, &q("1"), Direction::Increase), IndicatorRating::Graded { grade: Grade::D, .. }));
    }

    #[test]
    fn exact_comparison_agrees_with_decimal_arithmetic_where_it_fits() {
        let d = |t: &str| Decimal::from_str_exact(t).unwrap();
        for (x, e, y, z) in [("1", 2, "100", "1"), ("0.7", 2, "80", "0.875"), ("-3", 0, "1.5", "-2"), ("-3", 0, "-1.5", "2"), ("5", -1, "0.25", "2"), ("0", 5, "1", "0"), ("2", 0, "-1", "1")] {
            let exact = exact::compare(d(x), e, d(y), d(z));
            let scaled = if e >= 0 { d(x) * Decimal::from(10i64.pow(e as u32)) } else { d(x) / Decimal::from(10i64.pow(e.unsigned_abs() as u32)) };
            assert_eq!(exact, scaled.cmp(&(d(y) * d(z))), "{x}e{e} vs {y}×{z}");
        }
        assert_eq!(exact::compare(Decimal::MAX, 0, Decimal::MAX, Decimal::MAX), Ordering::Less);
        assert_eq!(exact::compare(Decimal::MIN, 0, Decimal::MAX, Decimal::MAX), Ordering::Less);
        assert_eq!(exact::compare(Decimal::MAX, i64::MAX, Decimal::MAX, Decimal::MAX), Ordering::Greater);
        assert_eq!(exact::compare(Decimal::MAX, i64::MIN, Decimal::new(1, 28), Decimal::new(1, 28)), Ordering::Less);
    }

    #[test]
    fn summaries_with_extreme_points_do_not_overflow() {
        let mut s = RatingScheme::default();
        let big = Decimal::from(MAX_POINTS);
        s.quantitative.points = GradePoints { a: big, b: big, c: big, d: -big };
        s.quantitative.high = big;
        s.quantitative.middle = -big;
        assert!(s.validate().is_ok());
        let many = vec![Graded(Grade::A); 100_000];
        let summary = quantitative_summary(&s, many).unwrap();
        assert_eq!((summary.level, summary.average), (Middle, big), "average == high, not greater");
        s.quantitative.points.a = Decimal::MAX;
        assert!(s.validate().unwrap_err().contains("rating.quantitative.points.A"));
        // Even unvalidated, the sum is checked: no summary rather than a panic.
        assert!(quantitative_summary(&s, vec![Graded(Grade::A); 3]).is_none());
    }

    #[test]
    fn quantitative_summary_uses_strictly_greater() {
        let s = RatingScheme::default();
        let q = |g: &[IndicatorGrade]| quantitative_summary(&s, g.iter().copied()).unwrap().level;
        // average exactly 2.5 → 中 (must be greater than 2.5 for 高)
        assert_eq!(q(&[Graded(Grade::A), Graded(Grade::B)]), Middle);
        // exactly 1.5 → 低
        assert_eq!(q(&[Graded(Grade::B), Graded(Grade::C)]), Low);
        assert_eq!(q(&[Graded(Grade::A), Graded(Grade::A), Graded(Grade::B)]), High);
        // `-` is left out
        assert_eq!(q(&[Graded(Grade::A), NotObtainable]), High);
        assert!(quantitative_summary(&s, [NotObtainable]).is_none());
    }

    #[test]
    fn qualitative_summary_uses_at_least() {
        let s = RatingScheme::default();
        let q = |l: &[Level]| qualitative_summary(&s, l.iter().copied()).unwrap();
        // exactly 2.5 → 高
        assert_eq!(q(&[High, Middle]).level, High);
        // exactly 1.7 (高 低 低 低 中 ... ) : 17 points over 10
        let mut ten = vec![High, High, High, High, Low, Low, Low, Low, Low, Low];
        assert_eq!(q(&ten).sum, Decimal::from(18));
        ten[3] = Low;
        ten[4] = Middle;
        // 3+3+3+1+2+1+1+1+1+1 = 17 → average 1.7 → 中
        assert_eq!(q(&ten).level, Middle);
        ten[4] = Low;
        assert_eq!(q(&ten).level, Low, "1.6");
        assert_eq!(q(&[Middle, Middle, Low]).average.to_string(), "1.67");
        assert_eq!(q(&[Middle, Middle, Low]).level, Low);
    }

    /// The progress method: (実績 − 基準値) ÷ (目標 − 基準値), exactly, in
    /// the target's unit, the other way round when lower is better.
    #[test]
    fn progress_from_the_baseline_is_graded_exactly() {
        use crate::model::value::parse_quantity;
        let scheme = RatingScheme { method: Method::Progress, ..RatingScheme::default() };
        let q = |t: &str| parse_quantity(t).unwrap();
        let rate = |actual: &str, target: &str, baseline: Option<&str>, direction| {
            let baseline = baseline.map(q);
            rate_indicator_with(&scheme, &q(actual), None, &q(target), baseline.as_ref(), direction)
        };
        let grade_and_percent = |r: IndicatorRating| match r {
            IndicatorRating::Graded { grade, percent, method: Method::Progress, .. } => (grade, percent.to_string()),
            other => panic!("{other:?}"),
        };
        // (6,100 − 4,200) ÷ (8,000 − 4,200) = 50%.
        assert_eq!(grade_and_percent(rate("6,100人", "8,000人", Some("4,200人"), Direction::Increase)), (Grade::D, "50".into()));
        // Exactly 80% is B: (0.82 − 0.1) ÷ (1.0 − 0.1).
        assert_eq!(grade_and_percent(rate("0.82", "1.0", Some("0.1"), Direction::Increase)), (Grade::B, "80".into()));
        // Just under 80% is C, and never shown as 80.
        let (grade, percent) = grade_and_percent(rate("0.8199999", "1.0", Some("0.1"), Direction::Increase));
        assert_eq!(grade, Grade::C);
        assert!(percent.parse::<Decimal>().unwrap() < Decimal::from(80), "{percent}");
        // Lower is better: (100 − 90) ÷ (100 − 80) = 50%.
        assert_eq!(grade_and_percent(rate("90", "80", Some("100"), Direction::Decrease)), (Grade::D, "50".into()));
        // Worse than the baseline: a negative progress, D.
        assert_eq!(grade_and_percent(rate("4,000人", "8,000人", Some("4,200人"), Direction::Increase)).0, Grade::D);
        // Units convert: 基準値 0.42万人 is 4,200人.
        assert_eq!(grade_and_percent(rate("8,000人", "8,000人", Some("0.42万人"), Direction::Increase)), (Grade::A, "100".into()));
        // What cannot be rated, said as such.
        assert_eq!(rate("6,100人", "8,000人", None, Direction::Increase), IndicatorRating::NoBaseline { basis: Basis::Actual });
        assert_eq!(rate("6,100人", "4,200人", Some("4,200人"), Direction::Increase), IndicatorRating::TargetNotBeyondBaseline { basis: Basis::Actual });
        assert_eq!(rate("90", "100", Some("80"), Direction::Decrease), IndicatorRating::TargetNotBeyondBaseline { basis: Basis::Actual });
        assert_eq!(rate("-", "8,000人", Some("4,200人"), Direction::Increase), IndicatorRating::NotObtainable);
        assert!(matches!(rate("6,100人", "8,000人", Some("4,200円"), Direction::Increase), IndicatorRating::UnitMismatch { .. }));
        // Values too large to scale are not rated (and nothing panics).
        assert_eq!(rate("1兆兆兆人", "1人", Some("0人"), Direction::Increase), IndicatorRating::Undefined { basis: Basis::Actual });
        assert_eq!(
            rate("79,228,162,514,264,337,593,543,950,335人", "1人", Some("-79,228,162,514,264,337,593,543,950,335人"), Direction::Increase),
            IndicatorRating::Undefined { basis: Basis::Actual }
        );
    }

    /// The ratio method ignores a 基準値; the default scheme is the ratio.
    #[test]
    fn the_ratio_method_is_the_default_and_ignores_the_baseline() {
        use crate::model::value::parse_quantity;
        let q = |t: &str| parse_quantity(t).unwrap();
        let scheme = RatingScheme::default();
        assert_eq!(scheme.method, Method::Ratio);
        let with = rate_indicator_with(&scheme, &q("6,100人"), None, &q("8,000人"), Some(&q("4,200人")), Direction::Increase);
        assert_eq!(with, rate_indicator(&scheme, &q("6,100人"), None, &q("8,000人"), Direction::Increase));
        assert!(matches!(with, IndicatorRating::Graded { grade: Grade::C, method: Method::Ratio, .. }));
    }
}
