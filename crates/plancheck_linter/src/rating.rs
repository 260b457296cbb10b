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

pub use crate::legend::{Aggregate, Bound, Legend, LegendToml, MAX_POINTS, Method, SummaryRule, band_text, band_text_in};
use crate::model::value::{Direction, Quantity, Symbol, unit_scale};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// The rating rules: how an indicator's achievement is computed and the
/// legend its grades and summaries are read in ([`Legend`]). The defaults
/// are the spec's (and the real document's). Every key of `[rating]` is
/// optional: what a `plancheck.toml` leaves out keeps its default
/// (`[rating.indicator] B = 85` keeps A = 100, C = 60).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, JsonSchema)]
#[serde(try_from = "LegendToml")]
#[schemars(with = "LegendToml")]
pub struct RatingScheme {
    pub method: Method,
    pub legend: Legend,
    /// The plan's own legend (its 計画 block) could not all be read: the
    /// symbols and grades it would define are unknown, so the rules that
    /// judge them say nothing (`invalid-value` names the legend's error).
    pub legend_unreadable: bool,
}

impl TryFrom<LegendToml> for RatingScheme {
    type Error = String;
    fn try_from(table: LegendToml) -> Result<Self, String> {
        Ok(RatingScheme { method: table.method, legend: table.resolve()?, legend_unreadable: false })
    }
}

impl RatingScheme {
    /// This scheme with the legend a plan's 計画 block writes laid over it
    /// (`None` when the block writes none: this scheme applies as it is).
    pub fn with_plan(&self, plan: Option<&crate::model::Block>) -> Option<RatingScheme> {
        use crate::model::FieldKey;
        const KEYS: [FieldKey; 7] = crate::legend::PLAN_FIELDS;
        let plan = plan?;
        if !KEYS.iter().any(|&k| plan.field(k).is_some()) {
            return None;
        }
        let (method, legend, errors) = self.legend.with_plan(self.method, plan);
        // An empty legend field is named by invalid-value; an empty 計算方法
        // leaves the config's method and silences nothing.
        let unreadable = errors.iter().any(|e| e.key != FieldKey::Method) || KEYS.iter().any(|&k| k != FieldKey::Method && plan.field(k).is_some_and(|f| f.is_empty()));
        Some(RatingScheme { method, legend, legend_unreadable: unreadable })
    }

    /// The spec's legend with another method.
    pub fn with_method(method: Method) -> RatingScheme {
        RatingScheme { method, ..RatingScheme::default() }
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
        grade: Symbol,
        /// The achievement ratio in percent, rounded to 0.1 for display.
        percent: Decimal,
        basis: Basis,
        /// The band the ratio falls in: its lower bound (percent), and the
        /// lower bound of the grade above it (the ratio is below that), if
        /// any.
        lower: Option<Bound>,
        upper: Option<Bound>,
        /// The denominator was 0 (a target of 0, or an achieved 0 where lower
        /// is better): nothing falls short, so the grade is A by definition.
        by_zero: bool,
        /// How the percentage was computed.
        method: Method,
        /// The exact ratio (`None` when the denominator was 0).
        fraction: Option<Fraction>,
        /// Given for a reached target (the legend's best grade), whatever
        /// the band.
        reached: Option<crate::legend::Reach>,
    },
    /// The `expected` method and no 期待値, nor a 基準値 and the years to
    /// draw the line from it to the target.
    NoExpected { basis: Basis },
    /// The `manual` method: the grade is a judgement.
    Manual,
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
    /// The computed grade: a grade of the legend, or `-` (not obtainable).
    pub fn grade(&self) -> Option<Symbol> {
        match self {
            IndicatorRating::Graded { grade, .. } => Some(grade.clone()),
            IndicatorRating::NotObtainable => Some(Symbol::dash()),
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
/// (the `progress` and `baseline` methods need it).
pub fn rate_indicator_with(scheme: &RatingScheme, actual: &Quantity, forecast: Option<&Quantity>, target: &Quantity, baseline: Option<&Quantity>, direction: Direction) -> IndicatorRating {
    rate_values(scheme, scheme.method, IndicatorValues { actual, forecast, target, baseline, expected: None, direction })
}

/// The values a method reads.
#[derive(Debug, Clone, Copy)]
pub struct IndicatorValues<'a> {
    pub actual: &'a Quantity,
    /// 見込み: the basis when given.
    pub forecast: Option<&'a Quantity>,
    pub target: &'a Quantity,
    /// 基準値.
    pub baseline: Option<&'a Quantity>,
    /// 期待値 (the `expected` method).
    pub expected: Option<&'a Quantity>,
    pub direction: Direction,
}

impl<'a> IndicatorValues<'a> {
    /// The value graded: the forecast when given, else the actual.
    pub fn basis(&self) -> (Basis, &'a Quantity) {
        match self.forecast {
            Some(f) => (Basis::Forecast, f),
            None => (Basis::Actual, self.actual),
        }
    }
}

/// Rates an indicator by `method` (the scheme's, or the indicator's own
/// `計算方法`), in the scheme's legend; a legend whose best grade is given
/// for a reached target gives it whenever the basis reaches the target.
pub fn rate_values(scheme: &RatingScheme, method: Method, values: IndicatorValues<'_>) -> IndicatorRating {
    let (basis_kind, basis) = values.basis();
    // A band (`目標: 20〜25%`): graded toward the end the value is beyond,
    // on target inside it.
    if let Quantity::Value(t) = values.target
        && t.upper.is_some()
        && method != Method::Manual
    {
        let Some(band) = band_reading(method, basis, values.baseline, t) else {
            // Units that cannot be compared, or a value that is `-`: as any target.
            return rate_values(scheme, method, IndicatorValues { target: &Quantity::Value(lower_end(t)), direction: Direction::Increase, ..values });
        };
        return match band {
            BandReading::Within => with_target_reached(scheme, graded(scheme, Decimal::ONE, Decimal::ONE, 0, basis_kind, method), basis, &Quantity::Value(lower_end(t)), Direction::Increase),
            BandReading::Toward(end, direction) => rate_values(scheme, method, IndicatorValues { target: &Quantity::Value(end), direction, ..values }),
        };
    }
    if values.direction == Direction::Band {
        // `方向: 範囲` with a target that is no range: no band to grade by
        // (direction-mismatch says so).
        return IndicatorRating::Undefined { basis: basis_kind };
    }
    // A kept level has no progress to make: it is graded by its ratio.
    let method = if values.direction == Direction::Maintain && method == Method::Progress { Method::Ratio } else { method };
    let rating = match method {
        Method::Manual => return IndicatorRating::Manual,
        Method::Ratio => rate_ratio(scheme, basis_kind, basis, values.target, values.direction, Method::Ratio),
        Method::Progress => rate_progress(scheme, basis_kind, basis, values),
        Method::Baseline | Method::BaselinePoints => rate_against_baseline(scheme, basis_kind, basis, values, method),
        Method::Expected => rate_expected(scheme, basis_kind, basis, values),
    };
    with_target_reached(scheme, rating, basis, values.target, values.direction)
}

/// How a value stands against a band target.
#[derive(Debug, Clone, PartialEq)]
pub enum BandReading {
    /// Inside the band (its ends included): on target.
    Within,
    /// Outside: graded against this end, higher better below the band,
    /// lower better above it.
    Toward(crate::model::value::Measured, Direction),
}

/// Where the basis stands against the band `target` (under the baseline
/// methods, where the baseline stands: the change is measured from it);
/// `None` when the units cannot be compared or a value is `-`.
pub fn band_reading(method: Method, basis: &Quantity, baseline: Option<&Quantity>, target: &crate::model::value::Measured) -> Option<BandReading> {
    let upper = target.upper.as_ref()?;
    let from_baseline = matches!(method, Method::Baseline | Method::BaselinePoints);
    let Quantity::Value(v) = (if from_baseline { baseline? } else { basis }) else { return None };
    let scale = unit_scale(&v.unit, &target.unit)?;
    let below = exact::compare(v.number, scale, target.number, Decimal::ONE) == Ordering::Less;
    let above = exact::compare(v.number, scale, upper.number, Decimal::ONE) == Ordering::Greater;
    Some(match (below, above, from_baseline) {
        (true, _, _) => BandReading::Toward(lower_end(target), Direction::Increase),
        (_, true, _) => BandReading::Toward(upper_end(target), Direction::Decrease),
        // A baseline in the band: the level is to be kept.
        (false, false, true) => BandReading::Toward(lower_end(target), Direction::Maintain),
        (false, false, false) => BandReading::Within,
    })
}

/// A band's lower end as a target of its own.
fn lower_end(target: &crate::model::value::Measured) -> crate::model::value::Measured {
    crate::model::value::Measured { upper: None, ..target.clone() }
}

/// A band's upper end as a target of its own.
fn upper_end(target: &crate::model::value::Measured) -> crate::model::value::Measured {
    let upper = target.upper.as_ref().expect("a band");
    crate::model::value::Measured { number: upper.number, number_text: upper.number_text.clone(), upper: None, ..target.clone() }
}

/// The legend's grade for a reached target, when it has one and the basis
/// reaches the target (exactly, in the target's unit).
fn with_target_reached(scheme: &RatingScheme, rating: IndicatorRating, basis: &Quantity, target: &Quantity, direction: Direction) -> IndicatorRating {
    let (Quantity::Value(b), Quantity::Value(t)) = (basis, target) else { return rating };
    let Some(exponent) = unit_scale(&b.unit, &t.unit) else { return rating };
    // b × 10^e ⋚ t, Greater being better.
    let order = exact::compare(b.number, exponent, t.number, Decimal::ONE);
    let order = if direction == Direction::Decrease { order.reverse() } else { order };
    let Some((step, reach)) = scheme.legend.grades.reached().find(|(_, reach)| reach.admits(order)) else {
        return rating;
    };
    let grade = step.symbol.clone();
    match rating {
        IndicatorRating::Graded { percent, basis, by_zero, method, fraction, .. } => {
            IndicatorRating::Graded { grade, percent, basis, lower: None, upper: None, by_zero, method, fraction, reached: Some(reach) }
        }
        IndicatorRating::NoBaseline { basis } | IndicatorRating::NoExpected { basis } | IndicatorRating::TargetNotBeyondBaseline { basis } | IndicatorRating::Undefined { basis } => {
            IndicatorRating::Graded { grade, percent: Decimal::ONE_HUNDRED, basis, lower: None, upper: None, by_zero: false, method: scheme.method, fraction: None, reached: Some(reach) }
        }
        other => other,
    }
}

/// basis ÷ target (target ÷ basis when lower is better): the ratio method,
/// and the expected-value method against a given 期待値.
fn rate_ratio(scheme: &RatingScheme, basis_kind: Basis, basis: &Quantity, target: &Quantity, direction: Direction, method: Method) -> IndicatorRating {
    let (Quantity::Value(b), Quantity::Value(t)) = (basis, target) else {
        return IndicatorRating::NotObtainable;
    };
    let Some(exponent) = unit_scale(&b.unit, &t.unit) else {
        return IndicatorRating::UnitMismatch { basis_unit: b.unit.clone(), target_unit: t.unit.clone(), basis: basis_kind };
    };
    // r = numerator × 10^scale / denominator (the units' prefixes as a
    // power of ten, never multiplied out: `1兆兆兆人` is 1 × 10^36 人).
    let (num, den, scale) = match direction {
        Direction::Increase | Direction::Maintain | Direction::Band => (b.number, t.number, exponent),
        Direction::Decrease => (t.number, b.number, exponent.saturating_neg()),
    };
    if num.is_sign_negative() && !num.is_zero() || den.is_sign_negative() && !den.is_zero() {
        return IndicatorRating::Undefined { basis: basis_kind };
    }
    if den.is_zero() {
        // 増加 with a target of 0, or 減少 with an achieved 0: nothing is short
        // of the goal; both 0 is exactly on target (100%), anything more is
        // beyond every band.
        let grades = &scheme.legend.grades;
        let at = if num.is_zero() { grades.place(|bound| Decimal::ONE_HUNDRED.cmp(&bound)) } else { grades.place(|_| Ordering::Greater) };
        let (lower, upper) = grades.band(at);
        return IndicatorRating::Graded { grade: grades.steps[at].symbol.clone(), percent: Decimal::from(100), basis: basis_kind, lower, upper, by_zero: true, method, fraction: None, reached: None };
    }
    graded(scheme, num, den, scale, basis_kind, method)
}

/// The basis, the target and the baseline in the target's unit (decimals:
/// `None` for values no decimal holds once converted).
fn in_target_unit(basis_kind: Basis, b: &crate::model::value::Measured, t: &crate::model::value::Measured, s: &crate::model::value::Measured) -> Result<(Decimal, Decimal, Decimal), IndicatorRating> {
    let (Some(eb), Some(es)) = (unit_scale(&b.unit, &t.unit), unit_scale(&s.unit, &t.unit)) else {
        let odd = if unit_scale(&b.unit, &t.unit).is_none() { &b.unit } else { &s.unit };
        return Err(IndicatorRating::UnitMismatch { basis_unit: odd.clone(), target_unit: t.unit.clone(), basis: basis_kind });
    };
    match (scaled(b.number, eb), scaled(s.number, es)) {
        (Some(b), Some(s)) => Ok((b, t.number, s)),
        _ => Err(IndicatorRating::Undefined { basis: basis_kind }),
    }
}

/// Basis, target and baseline as values in the target's unit, or the
/// rating that says why not.
fn with_baseline<'a>(basis_kind: Basis, basis: &'a Quantity, values: IndicatorValues<'a>) -> Result<(Decimal, Decimal, Decimal), IndicatorRating> {
    let Some(baseline) = values.baseline else {
        return Err(IndicatorRating::NoBaseline { basis: basis_kind });
    };
    let (Quantity::Value(b), Quantity::Value(t), Quantity::Value(s)) = (basis, values.target, baseline) else {
        return Err(IndicatorRating::NotObtainable);
    };
    in_target_unit(basis_kind, b, t, s)
}

/// The change from the baseline: (basis − baseline) ÷ |baseline| in percent
/// (`baseline`), or basis − baseline in the unit (`baseline-points`), the
/// other way round when lower is better.
fn rate_against_baseline(scheme: &RatingScheme, basis_kind: Basis, basis: &Quantity, values: IndicatorValues<'_>, method: Method) -> IndicatorRating {
    let (b, _, s) = match with_baseline(basis_kind, basis, values) {
        Ok(v) => v,
        Err(rating) => return rating,
    };
    // Points are a difference in the baseline's own unit (`1.5万人` against
    // `10,000人` is 5,000人, not 0.5).
    let (b, s) = match (basis, values.baseline) {
        (Quantity::Value(bm), Some(Quantity::Value(sm))) if method == Method::BaselinePoints => match unit_scale(&bm.unit, &sm.unit).and_then(|e| scaled(bm.number, e)) {
            Some(b) => (b, sm.number),
            None => return IndicatorRating::Undefined { basis: basis_kind },
        },
        _ => (b, s),
    };
    let change = match values.direction {
        Direction::Increase | Direction::Maintain | Direction::Band => b.checked_sub(s),
        Direction::Decrease => s.checked_sub(b),
    };
    let Some(change) = change else {
        return IndicatorRating::Undefined { basis: basis_kind };
    };
    if method == Method::BaselinePoints {
        // change × 10^(−2) / 1 in "percent" is the change itself.
        return graded(scheme, change, Decimal::ONE, -2, basis_kind, method);
    }
    if s.is_zero() {
        return IndicatorRating::Undefined { basis: basis_kind };
    }
    graded(scheme, change, s.abs(), 0, basis_kind, method)
}

/// Against the year's expected value: the 指標's `期待値`, or a straight
/// line from the 基準値 (in its note's year) to the 目標 (in its note's
/// year) at the basis's year.
fn rate_expected(scheme: &RatingScheme, basis_kind: Basis, basis: &Quantity, values: IndicatorValues<'_>) -> IndicatorRating {
    if let Some(expected) = values.expected {
        return rate_ratio(scheme, basis_kind, basis, expected, values.direction, Method::Expected);
    }
    let (b, t, s) = match with_baseline(basis_kind, basis, values) {
        Ok(v) => v,
        Err(IndicatorRating::NoBaseline { basis }) => return IndicatorRating::NoExpected { basis },
        Err(rating) => return rating,
    };
    let year = |q: Option<&Quantity>| match q {
        Some(Quantity::Value(m)) => m.note.as_deref().and_then(|n| crate::model::value::years_in(n).last().map(|y| y.0)),
        _ => None,
    };
    let (Some(y), Some(yt), Some(ys)) = (year(Some(basis)), year(Some(values.target)), year(values.baseline)) else {
        return IndicatorRating::NoExpected { basis: basis_kind };
    };
    if yt <= ys {
        return IndicatorRating::NoExpected { basis: basis_kind };
    }
    let elapsed = Decimal::from(y.clamp(ys, yt) - ys);
    let span = Decimal::from(yt - ys);
    // expected × span = s × span + (t − s) × elapsed
    let expected_times_span = t.checked_sub(s).and_then(|d| d.checked_mul(elapsed)).and_then(|d| s.checked_mul(span).and_then(|x| x.checked_add(d)));
    let basis_times_span = b.checked_mul(span);
    let (Some(e), Some(b)) = (expected_times_span, basis_times_span) else {
        return IndicatorRating::Undefined { basis: basis_kind };
    };
    let (num, den) = match values.direction {
        Direction::Increase | Direction::Maintain | Direction::Band => (b, e),
        Direction::Decrease => (e, b),
    };
    if num.is_sign_negative() || den.is_sign_negative() || den.is_zero() {
        return IndicatorRating::Undefined { basis: basis_kind };
    }
    graded(scheme, num, den, 0, basis_kind, Method::Expected)
}

/// The grade of `num × 10^scale / den` (den > 0) in the scheme's bands,
/// decided exactly, with its percentage for display.
fn graded(scheme: &RatingScheme, num: Decimal, den: Decimal, scale: i64, basis: Basis, method: Method) -> IndicatorRating {
    // num × 10^scale / den ⋚ bound / 100  ⇔  num × 10^(scale + 2) ⋚ bound × den
    let grades = &scheme.legend.grades;
    let at = grades.place(|bound| exact::compare(num, scale.saturating_add(2), bound, den));
    let grade = grades.steps[at].symbol.clone();
    let (lower, upper) = grades.band(at);
    let percent = percent_of(num, den, scale);
    // Display rounding must not cross a band (79.99 would not show as 80.0,
    // nor 100.001 as 100.0 where 100 is not in its band): one place, or as
    // many more as it takes.
    let in_band = |shown: Decimal| upper.is_none_or(|u| !u.admits(shown.cmp(&u.value))) && lower.is_none_or(|l| l.admits(shown.cmp(&l.value)));
    let shown = (1..=8).map(|places| percent.round_dp(places)).find(|&shown| in_band(shown)).unwrap_or(percent);
    IndicatorRating::Graded { grade, percent: shown.normalize(), basis, lower, upper, by_zero: false, method, fraction: Some(Fraction { num, den, scale }), reached: None }
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
fn rate_progress(scheme: &RatingScheme, basis_kind: Basis, basis: &Quantity, values: IndicatorValues<'_>) -> IndicatorRating {
    let (b, t, s) = match with_baseline(basis_kind, basis, values) {
        Ok(v) => v,
        Err(rating) => return rating,
    };
    let difference = |x: Decimal, y: Decimal| x.checked_sub(y);
    let (num, den) = match values.direction {
        Direction::Increase | Direction::Maintain | Direction::Band => (difference(b, s), difference(t, s)),
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
    pub level: Symbol,
    /// How it was aggregated.
    pub aggregate: Aggregate,
    /// Sum and count of the points (the mean is sum / count).
    pub sum: Decimal,
    pub count: usize,
    /// The aggregate for display: the mean rounded to 2 places, the sum, or
    /// the share in percent rounded to 1 place.
    pub value: Decimal,
    /// The band the aggregate falls in (as [`IndicatorRating::Graded`]'s).
    pub lower: Option<Bound>,
    pub upper: Option<Bound>,
}

/// A summary of parts given by their rank in `parts` (0: the best), by
/// `rule`: `None` with no parts, or under a `manual` rule.
fn summarize(rule: &SummaryRule, parts: &crate::legend::Scale, ranks: impl IntoIterator<Item = usize>) -> Option<Summary> {
    let share_of = match &rule.aggregate {
        Aggregate::Share { at_least } => parts.rank(at_least),
        _ => None,
    };
    let mut sum = Decimal::ZERO;
    let mut count = 0usize;
    let mut at_or_above = 0usize;
    for rank in ranks {
        // Points are bounded by the config's validation (±MAX_POINTS), so
        // this holds for any number of values; checked all the same.
        sum = sum.checked_add(parts.steps.get(rank)?.points)?;
        count += 1;
        if share_of.is_some_and(|r| rank <= r) {
            at_or_above += 1;
        }
    }
    if count == 0 {
        return None;
    }
    let n = Decimal::from(count);
    // The aggregate is x × 10^k / d, compared with each bound exactly.
    let (x, k, d, value) = match rule.aggregate {
        Aggregate::Manual => return None,
        Aggregate::Mean => (sum, 0, n, sum.checked_div(n)?.round_dp(2)),
        Aggregate::Sum => (sum, 0, Decimal::ONE, sum),
        Aggregate::Share { .. } => {
            let good = Decimal::from(at_or_above);
            (good, 2, n, (good * Decimal::ONE_HUNDRED).checked_div(n)?.round_dp(1))
        }
    };
    let at = rule.scale.place(|bound| exact::compare(x, k, bound, d));
    let (lower, upper) = rule.scale.band(at);
    Some(Summary { level: rule.scale.steps[at].symbol.clone(), aggregate: rule.aggregate.clone(), sum, count, value: value.normalize(), lower, upper })
}

/// 定量評価 of a 施策 from its indicators' stated grades (codes that are
/// not grades, `-`, left out; so is a symbol the legend does not know).
pub fn quantitative_summary<'a>(scheme: &RatingScheme, grades: impl IntoIterator<Item = &'a Symbol>) -> Option<Summary> {
    let legend = &scheme.legend;
    summarize(&legend.quantitative, &legend.grades, grades.into_iter().filter_map(|g| legend.grades.rank(g)))
}

/// 定性評価 of a 施策 from its 展開's stated levels.
pub fn qualitative_summary<'a>(scheme: &RatingScheme, levels: impl IntoIterator<Item = &'a Symbol>) -> Option<Summary> {
    let legend = &scheme.legend;
    summarize(&legend.qualitative, &legend.levels, levels.into_iter().filter_map(|l| legend.levels.rank(l)))
}

impl RatingScheme {
    /// The points of a grade (0 for a symbol that is not one).
    pub fn grade_points(&self, grade: &Symbol) -> Decimal {
        self.legend.grade_points(grade).unwrap_or_default()
    }
    /// The points of a 展開's level (0 for a symbol that is not one).
    pub fn level_points(&self, level: &Symbol) -> Decimal {
        self.legend.level_points(level).unwrap_or_default()
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
    let method = match values.method {
        Stated::Read(m) => m,
        Stated::Absent => scheme.method,
        Stated::Unreadable => return None,
    };
    let baseline = match method {
        Method::Progress | Method::Baseline | Method::BaselinePoints | Method::Expected => optional(values.baseline).ok()?,
        Method::Ratio | Method::Manual => None,
    };
    // Under the expected method: the 期待値, else the year's own target
    // (`目標推移`), else the line from the baseline.
    let yearly;
    let expected = match method {
        Method::Expected => match optional(values.expected).ok()? {
            Some(expected) => Some(expected),
            None => {
                yearly = yearly_target(values.yearly_targets, forecast.unwrap_or(actual), values.series);
                yearly.as_ref().map(|(_, q)| q)
            }
        },
        _ => None,
    };
    let direction = match values.direction {
        Stated::Read(d) => d,
        _ => Direction::Increase,
    };
    Some(rate_values(scheme, method, IndicatorValues { actual, forecast, target, baseline, expected, direction }))
}

/// The target for the basis's year in a `目標推移` (its text), with that
/// year as written: the basis's year is the one in its note (`520人
/// (R5年度)`), else that of the latest value of the `推移`.
pub fn yearly_target(yearly_targets: Option<&str>, basis: &Quantity, series: Option<&str>) -> Option<(String, Quantity)> {
    let text = yearly_targets?;
    let noted = match basis {
        Quantity::Value(m) => m.note.as_deref().and_then(|n| crate::model::value::years_in(n).last().map(|y| y.0)),
        Quantity::NotObtainable { .. } => None,
    };
    let year = noted.or_else(|| series.and_then(crate::series::latest_year))?;
    crate::series::target_for_year(text, year)
}

/// The method a block's `計算方法` names (absent: the scheme's).
pub fn stated_method(block: &crate::model::Block) -> Stated<Method> {
    match block.field(crate::model::FieldKey::Method) {
        None => Stated::Absent,
        Some(f) => Stated::of_text(Some(&f.text), Method::parse),
    }
}

/// An indicator block's values in the form the legend reads.
#[derive(Clone, Copy)]
pub struct StatedIndicatorValues<'a> {
    pub actual: Stated<&'a Quantity>,
    pub forecast: Stated<&'a Quantity>,
    pub target: Stated<&'a Quantity>,
    /// 基準値.
    pub baseline: Stated<&'a Quantity>,
    /// 期待値.
    pub expected: Stated<&'a Quantity>,
    pub direction: Stated<Direction>,
    /// The indicator's own `計算方法` (absent: the scheme's).
    pub method: Stated<Method>,
    /// Its `目標推移` (per-year targets) and `推移`, as written: the
    /// expected method reads the target of the basis's year.
    pub yearly_targets: Option<&'a str>,
    pub series: Option<&'a str>,
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
            Parsed::Quantity(q) => q.as_ref().as_ref().ok(),
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
        expected: quantity(FieldKey::Expected),
        direction: implied_direction(direction, target),
        method: stated_method(block),
        yearly_targets: block.field(FieldKey::TargetSeries).map(|f| f.text.as_str()),
        series: block.field(FieldKey::Series).map(|f| f.text.as_str()),
    }
}

/// The direction as stated, else the one the target says: its inequality
/// (`10件以下`: lower is better) or its range (`20〜25%`: 範囲).
pub fn implied_direction(direction: Stated<Direction>, target: Stated<&Quantity>) -> Stated<Direction> {
    match (direction, target) {
        (Stated::Absent, Stated::Read(Quantity::Value(m))) if m.upper.is_some() => Stated::Read(Direction::Band),
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
fn summarize_stated<T: Clone>(stated: impl IntoIterator<Item = Stated<T>>, summary: impl FnOnce(&[T]) -> Option<Summary>) -> Option<StatedSummary<T>> {
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
pub fn quantitative_of_stated(scheme: &RatingScheme, grades: impl IntoIterator<Item = Stated<Symbol>>) -> Option<StatedSummary<Symbol>> {
    summarize_stated(grades, |g| quantitative_summary(scheme, g))
}

/// 定性評価 of a 施策 from its 展開's stated levels
/// ([`qualitative_summary`] when every level is readable).
pub fn qualitative_of_stated(scheme: &RatingScheme, levels: impl IntoIterator<Item = Stated<Symbol>>) -> Option<StatedSummary<Symbol>> {
    summarize_stated(levels, |l| qualitative_summary(scheme, l))
}

/// A symbol as the legend reads it in a field of `of`: unreadable when the
/// legend has no such symbol.
pub fn stated_symbol(scheme: &RatingScheme, of: crate::legend::ScaleOf, text: Option<&str>) -> Stated<Symbol> {
    Stated::of_text(text, |t| {
        let symbol = Symbol::new(t);
        scheme.legend.classify(of, &symbol, t).map(|_| symbol)
    })
}

/// A block's grade or level field as the legend reads it.
fn stated_symbol_field(scheme: &RatingScheme, block: &crate::model::Block, key: crate::model::FieldKey) -> Stated<Symbol> {
    stated_field(block, key, |_| known_symbol(scheme, block, key).map(|(s, _)| s.clone()))
}

/// A block's grade or level field when the legend knows its symbol (an
/// unknown one is `invalid-value`'s to report).
pub fn known_symbol<'a>(scheme: &RatingScheme, block: &'a crate::model::Block, key: crate::model::FieldKey) -> Option<(&'a Symbol, &'a crate::model::Field)> {
    let of = crate::legend::ScaleOf::of_field(key)?;
    let (symbol, field) = block.symbol(key)?;
    scheme.legend.classify(of, symbol, symbol.as_str()).is_ok().then_some((symbol, field))
}

/// The stated grades of a 施策's indicators, from the model.
pub fn stated_grades<'a>(scheme: &'a RatingScheme, doc: &'a crate::model::Document, measure: crate::model::BlockId) -> impl Iterator<Item = Stated<Symbol>> + 'a {
    use crate::model::{BlockKind, FieldKey};
    doc.children_of(measure, BlockKind::Indicator).map(move |indicator| stated_symbol_field(scheme, indicator, FieldKey::IndicatorGrade))
}

/// The stated levels of a 施策's 展開, from the model.
pub fn stated_levels<'a>(scheme: &'a RatingScheme, doc: &'a crate::model::Document, measure: crate::model::BlockId) -> impl Iterator<Item = Stated<Symbol>> + 'a {
    use crate::model::{BlockKind, FieldKey};
    doc.children_of(measure, BlockKind::Development).map(move |development| stated_symbol_field(scheme, development, FieldKey::DevelopmentLevel))
}

/// The band a graded indicator's achievement falls in, in its method's
/// unit (`80%以上100%未満`; `3ポイント超` for `baseline-points`), or, for a
/// reached target, that it is reached.
pub fn rating_band(rating: &IndicatorRating, lang: crate::diagnostics::Lang) -> String {
    use crate::diagnostics::Lang;
    match rating {
        IndicatorRating::Graded { reached: Some(_), .. } => match lang {
            Lang::Ja => "目標に達している".to_string(),
            Lang::En => "the target reached".to_string(),
        },
        IndicatorRating::Graded { lower, upper, method: Method::BaselinePoints, .. } => band_text_in(*lower, *upper, if lang == Lang::Ja { "ポイント" } else { " points" }, lang),
        IndicatorRating::Graded { lower, upper, .. } => band_text(*lower, *upper, lang),
        _ => String::new(),
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
    let IndicatorRating::Graded { percent, basis, by_zero, method, reached, .. } = rating else {
        return None;
    };
    use crate::diagnostics::Lang;
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
    let mut t = shorten(block.quantity(FieldKey::Target)?.0.to_string());
    // A ratio too large for a decimal is shown as at least the largest one.
    let percent = if *percent == Decimal::MAX { format!("≥ {percent}") } else { percent.to_string() };
    // A band: on target inside it, else graded toward the end passed (the
    // end named in the formula, no 方向 mark: the 方向 is 範囲).
    let (mut direction, mut marked) = (direction, marked);
    if let Some((Quantity::Value(range), _)) = block.quantity(FieldKey::Target)
        && range.upper.is_some()
    {
        let (basis, baseline) = (block.quantity(basis_key)?.0, block.quantity(FieldKey::Baseline).map(|(q, _)| q));
        match band_reading(*method, basis, baseline, range) {
            Some(BandReading::Within) if !matches!(method, Method::Baseline | Method::BaselinePoints) => {
                return Some(match lang {
                    Lang::Ja => format!("{basis_ja} {b} は目標の範囲 {t} の中にあり、達成 ({percent}%)"),
                    Lang::En => format!("the {basis_en} {b} is within the target range {t}, on target ({percent}%)"),
                });
            }
            Some(BandReading::Toward(end, way)) => {
                let end = shorten(Quantity::Value(end).to_string());
                t = match (way, lang) {
                    (Direction::Decrease, Lang::Ja) => format!("{end} (範囲 {t} の上の端)"),
                    (Direction::Decrease, Lang::En) => format!("{end} (the top of the range {t})"),
                    (_, Lang::Ja) => format!("{end} (範囲 {t} の下の端)"),
                    (_, Lang::En) => format!("{end} (the bottom of the range {t})"),
                };
                direction = way;
                marked = false;
            }
            _ => {}
        }
    }
    let lower_mark = |lang: Lang| match (marked && direction == Direction::Decrease, lang) {
        (false, _) => "",
        (true, Lang::Ja) => " (方向: 減少)",
        (true, Lang::En) => " (direction: lower is better)",
    };
    if let Some(reach) = reached {
        let (ja, en) = match (reach, direction) {
            (crate::legend::Reach::Met, Direction::Increase | Direction::Maintain | Direction::Band) => ("以上である", "at or above"),
            (crate::legend::Reach::Met, Direction::Decrease) => ("以下である", "at or below"),
            (crate::legend::Reach::Exceeded, Direction::Increase | Direction::Maintain | Direction::Band) => ("を上回っている", "above"),
            (crate::legend::Reach::Exceeded, Direction::Decrease) => ("を下回っている", "below"),
        };
        return Some(match lang {
            Lang::Ja => format!("{basis_ja} {b} が目標 {t} {ja}{}", lower_mark(lang)),
            Lang::En => format!("the {basis_en} {b} is {en} the target {t}{}", lower_mark(lang)),
        });
    }
    if *by_zero {
        // Against a 期待値 under the expected method, else the target.
        let (against, ja_word, en_word) = match block.quantity(FieldKey::Expected) {
            Some(_) if *method == Method::Expected => (FieldKey::Expected, "期待値", "expected value"),
            _ => (FieldKey::Target, "目標", "target"),
        };
        let t = shorten(block.quantity(against)?.0.to_string());
        let zero = |key| matches!(block.quantity(key), Some((Quantity::Value(m), _)) if m.number.is_zero());
        let both = zero(basis_key) && zero(against);
        let lower = direction == Direction::Decrease;
        // Explained, never divided.
        return Some(match (both, lower, lang) {
            (true, _, Lang::Ja) => format!("{basis_ja} {b} と{ja_word} {t} がどちらも 0 で、{ja_word}どおり (100%) であり"),
            (true, _, Lang::En) => format!("the {basis_en} {b} and the {en_word} {t} are both 0, on target (100%)"),
            (false, false, Lang::Ja) => format!("{ja_word} {t} が 0 なので {basis_ja} {b} は{ja_word}を満たしており"),
            (false, false, Lang::En) => format!("the {en_word} {t} is 0, so the {basis_en} {b} meets it"),
            (false, true, Lang::Ja) => format!("{basis_ja} {b} が 0 (方向: 減少) なので{ja_word} {t} を満たしており"),
            (false, true, Lang::En) => format!("the {basis_en} {b} is 0 (lower is better), so it meets the {en_word} {t}"),
        });
    }
    if matches!(method, Method::Baseline | Method::BaselinePoints) {
        let s = shorten(block.quantity(FieldKey::Baseline)?.0.to_string());
        let signed = if percent.starts_with('-') || percent.starts_with('≥') { percent.clone() } else { format!("+{percent}") };
        return Some(match (*method, direction, lang) {
            (Method::Baseline, Direction::Increase | Direction::Maintain | Direction::Band, Lang::Ja) => format!("({basis_ja} {b} − 基準値 {s}) ÷ 基準値 {s} = {signed}%"),
            (Method::Baseline, Direction::Decrease, Lang::Ja) => format!("(基準値 {s} − {basis_ja} {b}) ÷ 基準値 {s} = {signed}%{}", lower_mark(lang)),
            (Method::Baseline, Direction::Increase | Direction::Maintain | Direction::Band, Lang::En) => format!("({basis_en} {b} − baseline {s}) / baseline {s} = {signed}%"),
            (Method::Baseline, Direction::Decrease, Lang::En) => format!("(baseline {s} − {basis_en} {b}) / baseline {s} = {signed}%{}", lower_mark(lang)),
            (_, Direction::Increase | Direction::Maintain | Direction::Band, Lang::Ja) => format!("{basis_ja} {b} − 基準値 {s} = {signed}"),
            (_, Direction::Decrease, Lang::Ja) => format!("基準値 {s} − {basis_ja} {b} = {signed}{}", lower_mark(lang)),
            (_, Direction::Increase | Direction::Maintain | Direction::Band, Lang::En) => format!("{basis_en} {b} − baseline {s} = {signed}"),
            (_, Direction::Decrease, Lang::En) => format!("baseline {s} − {basis_en} {b} = {signed}{}", lower_mark(lang)),
        });
    }
    if *method == Method::Expected {
        let (e_ja, e_en) = match block.quantity(FieldKey::Expected) {
            Some((e, _)) => {
                let e = shorten(e.to_string());
                (format!("期待値 {e}"), format!("expected value {e}"))
            }
            None => {
                let text = |key| block.field(key).map(|f| f.text.as_str());
                match yearly_target(text(FieldKey::TargetSeries), block.quantity(basis_key)?.0, text(FieldKey::Series)) {
                    Some((year, target)) => {
                        let target = shorten(target.to_string());
                        (format!("{year}の目標 {target} (目標推移)"), format!("the target for {year} {target} (yearly targets)"))
                    }
                    None => {
                        let s = shorten(block.quantity(FieldKey::Baseline)?.0.to_string());
                        (format!("期待値 (基準値 {s} から目標 {t} への直線)"), format!("expected value (the line from the baseline {s} to the target {t})"))
                    }
                }
            }
        };
        return Some(match (direction, lang) {
            (Direction::Increase | Direction::Maintain | Direction::Band, Lang::Ja) => format!("{basis_ja} {b} ÷ {e_ja} = {percent}%"),
            (Direction::Decrease, Lang::Ja) => format!("{e_ja} ÷ {basis_ja} {b} = {percent}%{}", lower_mark(lang)),
            (Direction::Increase | Direction::Maintain | Direction::Band, Lang::En) => format!("{basis_en} {b} / {e_en} = {percent}%"),
            (Direction::Decrease, Lang::En) => format!("{e_en} / {basis_en} {b} = {percent}%{}", lower_mark(lang)),
        });
    }
    if *method == Method::Progress {
        let s = shorten(block.quantity(FieldKey::Baseline)?.0.to_string());
        return Some(match (direction, lang) {
            (Direction::Increase | Direction::Maintain | Direction::Band, crate::diagnostics::Lang::Ja) => format!("({basis_ja} {b} − 基準値 {s}) ÷ (目標 {t} − 基準値 {s}) = {percent}%"),
            (Direction::Decrease, crate::diagnostics::Lang::Ja) => {
                let mark = if marked { " (方向: 減少)" } else { "" };
                format!("(基準値 {s} − {basis_ja} {b}) ÷ (基準値 {s} − 目標 {t}) = {percent}%{mark}")
            }
            (Direction::Increase | Direction::Maintain | Direction::Band, crate::diagnostics::Lang::En) => format!("({basis_en} {b} − baseline {s}) / (target {t} − baseline {s}) = {percent}%"),
            (Direction::Decrease, crate::diagnostics::Lang::En) => {
                let mark = if marked { " (direction: lower is better)" } else { "" };
                format!("(baseline {s} − {basis_en} {b}) / (baseline {s} − target {t}) = {percent}%{mark}")
            }
        });
    }
    Some(match (direction, lang) {
        (Direction::Increase | Direction::Maintain | Direction::Band, crate::diagnostics::Lang::Ja) => {
            format!("{basis_ja} {b} ÷ 目標 {t} = {percent}%")
        }
        (Direction::Decrease, crate::diagnostics::Lang::Ja) => {
            let mark = if marked { " (方向: 減少)" } else { "" };
            format!("目標 {t} ÷ {basis_ja} {b} = {percent}%{mark}")
        }
        (Direction::Increase | Direction::Maintain | Direction::Band, crate::diagnostics::Lang::En) => {
            format!("{basis_en} {b} / target {t} = {percent}%")
        }
        (Direction::Decrease, crate::diagnostics::Lang::En) => {
            let mark = if marked { " (direction: lower is better)" } else { "" };
            format!("target {t} / {basis_en} {b} = {percent}%{mark}")
        }
    })
}

/// A summary's aggregate and its value: `(平均, 1.67)`, `(合計, 6)`,
/// `(A 以上の割合, 75%)`.
pub fn summary_value(summary: &Summary, lang: crate::diagnostics::Lang) -> (String, String) {
    use crate::diagnostics::Lang;
    let percent = if matches!(summary.aggregate, Aggregate::Share { .. }) { "%" } else { "" };
    let word = match (&summary.aggregate, lang) {
        (Aggregate::Sum, Lang::Ja) => "合計".to_string(),
        (Aggregate::Sum, Lang::En) => "sum".to_string(),
        (Aggregate::Share { at_least }, Lang::Ja) => format!("{at_least} 以上の割合"),
        (Aggregate::Share { at_least }, Lang::En) => format!("share at {at_least} or better"),
        (_, Lang::Ja) => "平均".to_string(),
        (_, Lang::En) => "average".to_string(),
    };
    (word, format!("{}{percent}", summary.value))
}

/// Why a summary is at its level, e.g. `平均 1.67 > 1.5、2.5 以下` /
/// `average 1.67 > 1.5 and ≤ 2.5`.
pub fn summary_reason(summary: &Summary, lang: crate::diagnostics::Lang) -> String {
    use crate::diagnostics::Lang;
    let percent = if matches!(summary.aggregate, Aggregate::Share { .. }) { "%" } else { "" };
    let (word, v) = summary_value(summary, lang);
    let b = |bound: Bound| format!("{}{percent}", bound.value);
    match (summary.lower, summary.upper, lang) {
        (Some(l), None, _) => format!("{word} {v} {} {}", l.symbol(), b(l)),
        (Some(l), Some(u), Lang::Ja) => format!("{word} {v} {} {}、{} {}", l.symbol(), b(l), b(u), u.below_ja()),
        (Some(l), Some(u), Lang::En) => format!("{word} {v} {} {} and {} {}", l.symbol(), b(l), u.below_symbol(), b(u)),
        (None, Some(u), Lang::Ja) => format!("{word} {v} は {} {}", b(u), u.below_ja()),
        (None, Some(u), Lang::En) => format!("{word} {v} {} {}", u.below_symbol(), b(u)),
        (None, None, _) => format!("{word} {v}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::value::parse_quantity;

    fn sym(s: &str) -> Symbol {
        Symbol::new(s)
    }
    fn symbols(list: &[&str]) -> Vec<Symbol> {
        list.iter().map(|s| sym(s)).collect()
    }

    fn rate(actual: &str, target: &str) -> IndicatorRating {
        rate_dir(actual, target, Direction::Increase)
    }
    fn rate_dir(actual: &str, target: &str, d: Direction) -> IndicatorRating {
        let s = RatingScheme::default();
        rate_indicator(&s, &parse_quantity(actual).unwrap(), None, &parse_quantity(target).unwrap(), d)
    }
    fn grade(r: IndicatorRating) -> Symbol {
        match r {
            IndicatorRating::Graded { grade, .. } => grade,
            other => panic!("not graded: {other:?}"),
        }
    }

    /// A band target: on target inside it (both ends included), graded
    /// toward the lower end below it and the upper end above it, exactly.
    #[test]
    fn a_band_is_met_inside_and_graded_toward_the_end_passed() {
        let percent = |r: IndicatorRating| match r {
            IndicatorRating::Graded { grade, percent, .. } => (grade.to_string(), percent.to_string()),
            other => panic!("not graded: {other:?}"),
        };
        for inside in ["20%", "22.5%", "25%"] {
            assert_eq!(percent(rate_dir(inside, "20〜25%", Direction::Band)), ("A".into(), "100".into()), "{inside}");
        }
        assert_eq!(percent(rate_dir("19.999%", "20〜25%", Direction::Band)).0, "B");
        assert_eq!(percent(rate_dir("16%", "20〜25%", Direction::Band)), ("B".into(), "80".into()));
        assert_eq!(percent(rate_dir("15.999%", "20〜25%", Direction::Band)).0, "C");
        assert_eq!(percent(rate_dir("25.001%", "20〜25%", Direction::Band)).0, "B");
        // Above: upper end ÷ value; 25 ÷ 31.25 = 80%.
        assert_eq!(percent(rate_dir("31.25%", "20〜25%", Direction::Band)), ("B".into(), "80".into()));
        // The range decides, whatever 方向 says (direction-mismatch reports it).
        assert_eq!(percent(rate_dir("31.25%", "20〜25%", Direction::Increase)), ("B".into(), "80".into()));
        // Units convert: 0.2万人 is 2,000人, inside 1,500〜2,500人.
        assert_eq!(percent(rate_dir("0.2万人", "1,500〜2,500人", Direction::Band)).1, "100");
        // `方向: 範囲` with a single target: nothing to grade by.
        assert!(matches!(rate_dir("22%", "25%", Direction::Band), IndicatorRating::Undefined { .. }));
        // Progress toward the end passed: from the baseline 10% to 20%, 15% is halfway.
        let progress = RatingScheme::with_method(Method::Progress);
        let q = |t: &str| parse_quantity(t).unwrap();
        let r = rate_indicator_with(&progress, &q("15%"), None, &q("20〜25%"), Some(&q("10%")), Direction::Band);
        assert_eq!(percent(r), ("D".into(), "50".into()));
        // Under the baseline comparison, the baseline's place decides the way.
        let baseline = RatingScheme::with_method(Method::Baseline);
        let (Quantity::Value(target), below, inside) = (q("20〜25%"), q("10%"), q("22%")) else { unreachable!() };
        assert_eq!(band_reading(Method::Baseline, &q("30%"), Some(&below), &target), Some(BandReading::Toward(lower_end(&target), Direction::Increase)));
        assert_eq!(band_reading(Method::Baseline, &q("30%"), Some(&inside), &target), Some(BandReading::Toward(lower_end(&target), Direction::Maintain)));
        assert!(matches!(rate_indicator_with(&baseline, &q("11%"), None, &q("20〜25%"), Some(&q("10%")), Direction::Band), IndicatorRating::Graded { .. }));
    }

    #[test]
    fn indicator_boundaries_are_exact() {
        assert_eq!(grade(rate("100", "100")), sym("A"));
        assert_eq!(grade(rate("99.999", "100")), sym("B"));
        assert_eq!(grade(rate("80", "100")), sym("B"));
        assert_eq!(grade(rate("0.7", "0.875")), sym("B"), "0.7/0.875 is exactly 80%");
        assert_eq!(grade(rate("79.999", "100")), sym("C"));
        assert_eq!(grade(rate("60", "100")), sym("C"));
        assert_eq!(grade(rate("3", "5")), sym("C"), "exactly 60%");
        assert_eq!(grade(rate("59.99", "100")), sym("D"));
        // 1/3 of 0.3 is not representable as a finite decimal: still exact.
        assert_eq!(grade(rate("0.1", "0.3")), sym("D"));
        assert_eq!(grade(rate("2", "3")), sym("C"));
    }

    #[test]
    fn real_document_cases() {
        // 1-1-1: 5,900人 of 10,650人 = 55.4% → D (the sheet says C).
        match rate("5,900人", "10,650人") {
            IndicatorRating::Graded { grade, percent, lower, upper, .. } => {
                assert_eq!(grade, sym("D"));
                assert_eq!(percent.to_string(), "55.4");
                assert_eq!((lower, upper), (None, Some(Bound::from(Decimal::from(60)))));
            }
            other => panic!("{other:?}"),
        }
        // Lower is better: 60.5 against a target of 55 = 90.9% → B.
        assert_eq!(grade(rate_dir("60.5人 (R3年)", "55人 (R4年)", Direction::Decrease)), sym("B"));
        assert_eq!(rate("-", "189事業所 (R4年)"), IndicatorRating::NotObtainable);
        assert!(matches!(rate("5人", "5%"), IndicatorRating::UnitMismatch { .. }));
        assert_eq!(grade(rate("258万人", "3,900,000人")), sym("C"));
    }

    #[test]
    fn display_rounding_never_crosses_a_band() {
        match rate("79.99", "100") {
            IndicatorRating::Graded { grade, percent, .. } => {
                assert_eq!(grade, sym("C"));
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
        assert!(matches!(r, IndicatorRating::Graded { grade: ref g, basis: Basis::Forecast, .. } if *g == "A"));
    }

    #[test]
    fn zero_denominators() {
        assert_eq!(grade(rate("0", "0")), sym("A"));
        assert_eq!(grade(rate_dir("0件", "3件", Direction::Decrease)), sym("A"));
    }

    #[test]
    fn extreme_values_are_graded_exactly_without_overflow() {
        // A prefix chain beyond a decimal's range: the top band, not a panic.
        assert_eq!(grade(rate("1兆兆兆人", "1人")), sym("A"));
        assert_eq!(grade(rate("1人", "1兆兆兆人")), sym("D"));
        assert_eq!(grade(rate_dir("1兆兆兆人", "1人", Direction::Decrease)), sym("D"));
        let chain = format!("1{}人", "万".repeat(200_000));
        assert_eq!(grade(rate(&chain, "1人")), sym("A"));
        assert_eq!(grade(rate(&chain, &chain.replacen('1', "0.7", 1))), sym("A"));
        // The largest decimal over 0.5: a ratio no decimal holds.
        match rate("79,228,162,514,264,337,593,543,950,335人", "0.5人") {
            IndicatorRating::Graded { grade, percent, .. } => assert_eq!((grade, percent), (sym("A"), Decimal::MAX)),
            other => panic!("{other:?}"),
        }
        // Exact at the boundary even where `basis × 100` overflows a decimal.
        assert_eq!(grade(rate("79,228,162,514,264,337,593,543,950,335", "79,228,162,514,264,337,593,543,950,335")), sym("A"));
        assert_eq!(grade(rate("79,228,162,514,264,337,593,543,950,334", "79,228,162,514,264,337,593,543,950,335")), sym("B"));
        assert_eq!(grade(rate("63,382,530,011,411,470,074,835,160,268", "79,228,162,514,264,337,593,543,950,335")), sym("B"), "exactly 80%");
        assert_eq!(grade(rate("63,382,530,011,411,470,074,835,160,267", "79,228,162,514,264,337,593,543,950,335")), sym("C"));
        // Units a power of ten apart, exactly: 8,000 of 1万 is 80%.
        assert_eq!(grade(rate("8,000人", "1万人")), sym("B"));
        assert_eq!(grade(rate("0.0000000000000000000000000008万人", &"0.{}1人".replace("{}", &"0".repeat(22)))), sym("B"), "8e-24 of 1e-23");
        // Huge thresholds compare exactly too.
        let mut s = RatingScheme::default();
        for step in &mut s.legend.grades.steps[..3] {
            step.bound = Some(Bound::from(Decimal::MAX));
        }
        let q = |t: &str| parse_quantity(t).unwrap();
        assert!(matches!(
            rate_indicator(&s, &q("79,228,162,514,264,337,593,543,950,335"), None, &q("0.0000000000000000000000000001"), Direction::Increase),
            IndicatorRating::Graded { grade: ref g, .. } if *g == "A"
        ));
        assert!(matches!(rate_indicator(&s, &q("1"), None, &q("1"), Direction::Increase), IndicatorRating::Graded { grade: ref g, .. } if *g == "D"));
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
        let big = Decimal::from(MAX_POINTS);
        let table = format!("[quantitative]\npoints = {{ A = {big}, B = {big}, C = {big}, D = -{big} }}\nhigh = {big}\nmiddle = -{big}\n");
        let mut s = RatingScheme::try_from(toml::from_str::<LegendToml>(&table).unwrap()).unwrap();
        let many = vec![sym("A"); 100_000];
        let summary = quantitative_summary(&s, &many).unwrap();
        assert_eq!((summary.level, summary.value), (sym("中"), big), "average == high, not greater");
        let table = table.replace(&format!("A = {big}"), "A = \"79228162514264337593543950335\"");
        assert!(RatingScheme::try_from(toml::from_str::<LegendToml>(&table).unwrap()).unwrap_err().contains("rating.quantitative.points.A"));
        // Even unvalidated, the sum is checked: no summary rather than a panic.
        s.legend.grades.steps[0].points = Decimal::MAX;
        assert!(quantitative_summary(&s, &symbols(&["A", "A", "A"])).is_none());
    }

    #[test]
    fn quantitative_summary_uses_strictly_greater() {
        let s = RatingScheme::default();
        let q = |g: &[&str]| quantitative_summary(&s, &symbols(g)).unwrap().level;
        // average exactly 2.5 → 中 (must be greater than 2.5 for 高)
        assert_eq!(q(&["A", "B"]), "中");
        // exactly 1.5 → 低
        assert_eq!(q(&["B", "C"]), "低");
        assert_eq!(q(&["A", "A", "B"]), "高");
        // `-` is left out
        assert_eq!(q(&["A", "-"]), "高");
        assert!(quantitative_summary(&s, &symbols(&["-"])).is_none());
    }

    #[test]
    fn qualitative_summary_uses_at_least() {
        let s = RatingScheme::default();
        let q = |l: &[&str]| qualitative_summary(&s, &symbols(l)).unwrap();
        // exactly 2.5 → 高
        assert_eq!(q(&["高", "中"]).level, "高");
        // exactly 1.7 (高 低 低 低 中 ... ) : 17 points over 10
        let mut ten = vec!["高", "高", "高", "高", "低", "低", "低", "低", "低", "低"];
        assert_eq!(q(&ten).sum, Decimal::from(18));
        ten[3] = "低";
        ten[4] = "中";
        // 3+3+3+1+2+1+1+1+1+1 = 17 → average 1.7 → 中
        assert_eq!(q(&ten).level, "中");
        ten[4] = "低";
        assert_eq!(q(&ten).level, "低", "1.6");
        assert_eq!(q(&["中", "中", "低"]).value.to_string(), "1.67");
        assert_eq!(q(&["中", "中", "低"]).level, "低");
    }

    /// Sums and shares, with inclusive and exclusive bounds decided exactly.
    #[test]
    fn sums_and_shares_follow_their_bounds_exactly() {
        let table = "grades = [{ symbol = \"S\", from = 110 }, { symbol = \"A\", from = 100 }, { symbol = \"B\", from = 80 }, { symbol = \"C\" }]\n[quantitative]\naggregate = \"share\"\nshare-of = \"A\"\nscale = [{ symbol = \"順調\", from = 75 }, { symbol = \"概ね順調\", above = 50 }, { symbol = \"遅れ\" }]\n[qualitative]\naggregate = \"sum\"\nscale = [{ symbol = \"◎\", above = 6 }, { symbol = \"○\" }]\n";
        let s = RatingScheme::try_from(toml::from_str::<LegendToml>(table).unwrap()).unwrap();
        let q = |g: &[&str]| quantitative_summary(&s, &symbols(g)).unwrap();
        // 3 of 4 at A or better: exactly 75%, 順調 (from 75).
        let three = q(&["S", "A", "A", "C"]);
        assert_eq!((three.level.as_str(), three.value.to_string()), ("順調", "75".into()));
        assert_eq!(summary_reason(&three, crate::diagnostics::Lang::Ja), "A 以上の割合 75% ≥ 75%");
        // 1 of 2: exactly 50%, not above 50: 遅れ; 2 of 3: 概ね順調; `-` left out.
        assert_eq!(q(&["A", "B"]).level, "遅れ");
        assert_eq!(q(&["A", "S", "B", "-"]).level, "概ね順調");
        assert_eq!(summary_reason(&q(&["A", "B"]), crate::diagnostics::Lang::En), "share at A or better 50% ≤ 50%");
        // A sum of 3 + 3 = 6 is not above 6.
        let sum = qualitative_summary(&s, &symbols(&["高", "高"])).unwrap();
        assert_eq!((sum.level.as_str(), sum.value), ("○", Decimal::from(6)));
        assert_eq!(qualitative_summary(&s, &symbols(&["高", "高", "低"])).unwrap().level, "◎");
        // The grades' own bands: exactly 110% is S, just under is A.
        let q = |t: &str| parse_quantity(t).unwrap();
        assert_eq!(grade(rate_indicator(&s, &q("110"), None, &q("100"), Direction::Increase)), "S");
        assert_eq!(grade(rate_indicator(&s, &q("109.99"), None, &q("100"), Direction::Increase)), "A");
    }

    /// The progress method: (実績 − 基準値) ÷ (目標 − 基準値), exactly, in
    /// the target's unit, the other way round when lower is better.
    #[test]
    fn progress_from_the_baseline_is_graded_exactly() {
        use crate::model::value::parse_quantity;
        let scheme = RatingScheme::with_method(Method::Progress);
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
        assert_eq!(grade_and_percent(rate("6,100人", "8,000人", Some("4,200人"), Direction::Increase)), (sym("D"), "50".into()));
        // Exactly 80% is B: (0.82 − 0.1) ÷ (1.0 − 0.1).
        assert_eq!(grade_and_percent(rate("0.82", "1.0", Some("0.1"), Direction::Increase)), (sym("B"), "80".into()));
        // Just under 80% is C, and never shown as 80.
        let (grade, percent) = grade_and_percent(rate("0.8199999", "1.0", Some("0.1"), Direction::Increase));
        assert_eq!(grade, sym("C"));
        assert!(percent.parse::<Decimal>().unwrap() < Decimal::from(80), "{percent}");
        // Lower is better: (100 − 90) ÷ (100 − 80) = 50%.
        assert_eq!(grade_and_percent(rate("90", "80", Some("100"), Direction::Decrease)), (sym("D"), "50".into()));
        // Worse than the baseline: a negative progress, D.
        assert_eq!(grade_and_percent(rate("4,000人", "8,000人", Some("4,200人"), Direction::Increase)).0, sym("D"));
        // Units convert: 基準値 0.42万人 is 4,200人.
        assert_eq!(grade_and_percent(rate("8,000人", "8,000人", Some("0.42万人"), Direction::Increase)), (sym("A"), "100".into()));
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

    /// A percentage is shown with as many places as its band needs, and a
    /// target of 0 reached exactly is 100%, not beyond every band.
    #[test]
    fn shown_in_its_band_and_zero_of_zero_is_on_target() {
        let table = "grades = [{ symbol = \"S\", above = 100 }, { symbol = \"A\", from = 100 }, { symbol = \"B\" }]\n";
        let s = RatingScheme::try_from(toml::from_str::<LegendToml>(table).unwrap()).unwrap();
        let q = |t: &str| parse_quantity(t).unwrap();
        match rate_indicator(&s, &q("100,001人"), None, &q("100,000人"), Direction::Increase) {
            IndicatorRating::Graded { grade, percent, .. } => assert_eq!((grade.as_str(), percent.to_string()), ("S", "100.001".to_string())),
            other => panic!("{other:?}"),
        }
        assert_eq!(grade(rate_indicator(&s, &q("0人"), None, &q("0人"), Direction::Decrease)), "A", "0 of 0 is exactly on target");
        assert_eq!(grade(rate_indicator(&s, &q("5人"), None, &q("0人"), Direction::Increase)), "S", "beyond a target of 0");
    }

    /// A level to keep (`方向: 維持`) is graded as "at least the target", by
    /// its ratio even under the progress method (its target may be the
    /// baseline: no progress to make).
    #[test]
    fn a_level_to_keep_is_graded_by_its_ratio() {
        let q = |t: &str| parse_quantity(t).unwrap();
        let progress = RatingScheme::with_method(Method::Progress);
        let kept = rate_indicator_with(&progress, &q("365日"), None, &q("365日"), Some(&q("365日")), Direction::Maintain);
        assert!(matches!(kept, IndicatorRating::Graded { grade: ref g, method: Method::Ratio, .. } if *g == "A"), "{kept:?}");
        let short = rate_indicator_with(&progress, &q("300日"), None, &q("365日"), Some(&q("365日")), Direction::Maintain);
        assert!(matches!(short, IndicatorRating::Graded { grade: ref g, .. } if *g == "B"), "300 / 365 = 82.2%: {short:?}");
        assert_eq!(rate_indicator(&RatingScheme::default(), &q("90"), None, &q("100"), Direction::Maintain), rate_indicator(&RatingScheme::default(), &q("90"), None, &q("100"), Direction::Increase));
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
        assert!(matches!(with, IndicatorRating::Graded { grade: ref g, method: Method::Ratio, .. } if *g == "C"));
    }
}
