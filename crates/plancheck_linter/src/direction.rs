//! Which way an indicator is better when the plan may have it wrong: what
//! its name reads (`がん死亡率`, `ごみ排出量`: lower is better) and whether
//! its stated grade agrees with its numbers only the other way. A published
//! table has no 方向 column, so a lower-is-better indicator rated as
//! higher-is-better shows a "wrong" grade that is right; `rating-mismatch`,
//! `missing-direction` and import read these hints, never the grade alone.

use crate::model::value::{Direction, Symbol, nfkc};
use crate::rating::{IndicatorRating, RatingScheme, Stated, StatedIndicatorValues, rate_stated_indicator};
use crate::settings::DirectionSettings;

/// Words of an indicator's name that say lower is better: deaths, accidents,
/// crimes, waste, waiting lists, arrears, debt ratios. Matched on the
/// NFKC-normalised name.
pub const LOWER_IS_BETTER: &[&str] = &[
    "死亡率",
    "死亡者数",
    "死者数",
    "事故件数",
    "事故発生件数",
    "交通事故",
    "犯罪",
    "刑法犯",
    "認知件数",
    "火災件数",
    "出火件数",
    "被害件数",
    "被害額",
    "排出量",
    "ごみの量",
    "ごみ量",
    "1人1日当たりのごみ",
    "待機児童",
    "滞納",
    "未納",
    "公債費比率",
    "将来負担比率",
    "失業率",
    "離職率",
    "罹患率",
    "不登校",
    "不法投棄",
    "放置自転車",
    "空き家数",
    "待ち時間",
];

/// Words that make a name higher-is-better even with a word above in it:
/// the share reduced or prevented (`ごみ排出量の削減率`, `事故防止講習の受講者数`).
pub const HIGHER_IS_BETTER: &[&str] = &["削減", "減少率", "減量", "低減", "防止", "解消", "改善", "抑制率", "受講", "参加"];

/// The word of `name` that reads lower-is-better, if any (with the
/// settings' own words added). The built-in words are already in NFKC
/// form; the name is normalised once, and the settings' words each time
/// (a few, if any).
pub fn lower_is_better_word(name: &str, settings: &DirectionSettings) -> Option<String> {
    let name = nfkc(name);
    let own = |words: &[String]| words.iter().filter(|w| !w.trim().is_empty()).map(|w| nfkc(w)).find(|w| name.contains(w.as_str()));
    if HIGHER_IS_BETTER.iter().any(|w| name.contains(w)) || own(&settings.higher_is_better).is_some() {
        return None;
    }
    LOWER_IS_BETTER.iter().find(|w| name.contains(*w)).map(|w| w.to_string()).or_else(|| own(&settings.lower_is_better))
}

/// The opposite way (of a kept level: lower is better; a band has none:
/// it is itself).
pub fn opposite(direction: Direction) -> Direction {
    match direction {
        Direction::Increase | Direction::Maintain => Direction::Decrease,
        Direction::Decrease => Direction::Increase,
        Direction::Band => Direction::Band,
    }
}

/// An indicator whose stated grade agrees with its numbers only in the
/// other direction: the rating that way (its grade is the stated one).
#[derive(Debug, Clone, PartialEq)]
pub struct OtherWay {
    pub direction: Direction,
    pub rating: IndicatorRating,
    /// Whether the agreement says something: the grade the other way is
    /// below the top band. (Any stated A of an actual short of its target
    /// agrees "the other way", since target ÷ actual is then over 100%:
    /// that is the commonest wrong grade, not a sign of a direction.)
    pub telling: bool,
}

/// When `stated` differs from the grade of the direction in effect
/// (`direction`, 増加 when absent or unreadable) but equals the grade of the
/// opposite one: that rating. `None` when either rating cannot be computed,
/// or the stated symbol is not a grade (`-`, a code that is not one).
pub fn other_way(scheme: &RatingScheme, values: StatedIndicatorValues<'_>, stated: &Symbol) -> Option<OtherWay> {
    scheme.legend.grades.rank(stated)?;
    let current = match values.direction {
        Stated::Read(d) => d,
        _ => Direction::Increase,
    };
    // A band is graded toward whichever end the value is beyond: there is
    // no other way.
    if current == Direction::Band || matches!(values.target, Stated::Read(crate::model::value::Quantity::Value(m)) if m.upper.is_some()) {
        return None;
    }
    let this_way = rate_stated_indicator(scheme, values.with_direction(current))?;
    if this_way.grade().as_ref() == Some(stated) {
        return None;
    }
    let other = opposite(current);
    let rating = rate_stated_indicator(scheme, values.with_direction(other))?;
    let IndicatorRating::Graded { upper, .. } = &rating else { return None };
    let telling = upper.is_some();
    (rating.grade().as_ref() == Some(stated)).then_some(OtherWay { direction: other, rating, telling })
}

/// [`other_way`] for an indicator block.
pub fn other_way_of_block(scheme: &RatingScheme, block: &crate::model::Block) -> Option<OtherWay> {
    let (stated, _) = block.symbol(crate::model::FieldKey::IndicatorGrade)?;
    other_way(scheme, crate::rating::stated_indicator_values(block), stated)
}

/// The direction's word as a `.plan` writes it.
pub fn keyword(direction: Direction) -> &'static str {
    match direction {
        Direction::Increase => "増加",
        Direction::Decrease => "減少",
        Direction::Maintain => "維持",
        Direction::Band => "範囲",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::value::parse_quantity;

    /// The built-in words are matched without normalising them.
    #[test]
    fn the_built_in_words_are_already_normalised() {
        for word in LOWER_IS_BETTER.iter().chain(HIGHER_IS_BETTER) {
            assert_eq!(nfkc(word), *word);
        }
    }

    #[test]
    fn names_of_lower_is_better_indicators_are_told_apart_from_their_reductions() {
        let settings = DirectionSettings::default();
        assert_eq!(lower_is_better_word("75歳未満のがんによる年齢調整死亡率", &settings).as_deref(), Some("死亡率"));
        assert_eq!(lower_is_better_word("１人１日当たりのごみ排出量", &settings).as_deref(), Some("排出量"));
        assert_eq!(lower_is_better_word("実質公債費比率", &settings).as_deref(), Some("公債費比率"));
        assert_eq!(lower_is_better_word("ごみ排出量の削減率", &settings), None);
        assert_eq!(lower_is_better_word("交通事故防止講習の受講者数", &settings), None);
        assert_eq!(lower_is_better_word("健康づくり事業への参加者数", &settings), None);
        let own = DirectionSettings { lower_is_better: vec!["救急出動件数".into()], higher_is_better: vec![] };
        assert_eq!(lower_is_better_word("救急出動件数", &own).as_deref(), Some("救急出動件数"));
        let except = DirectionSettings { lower_is_better: vec![], higher_is_better: vec!["死亡率の低下".into()] };
        assert_eq!(lower_is_better_word("死亡率の低下", &except), None);
    }

    #[test]
    fn a_grade_right_only_when_lower_is_better_is_found() {
        let scheme = RatingScheme::default();
        let (actual, target) = (parse_quantity("60.5人").unwrap(), parse_quantity("55人").unwrap());
        let values = StatedIndicatorValues {
            actual: Stated::Read(&actual),
            forecast: Stated::Absent,
            target: Stated::Read(&target),
            baseline: Stated::Absent,
            expected: Stated::Absent,
            direction: Stated::Absent,
            method: Stated::Absent,
            yearly_targets: None,
            series: None,
        };
        let grade = Symbol::new;
        // 55 / 60.5 = 90.9% → B when lower is better; 110% → A otherwise.
        let found = other_way(&scheme, values, &grade("B")).unwrap();
        assert_eq!(found.direction, Direction::Decrease);
        assert_eq!(other_way(&scheme, values, &grade("A")), None, "right as written");
        assert_eq!(other_way(&scheme, values, &grade("D")), None, "wrong either way");
        assert_eq!(other_way(&scheme, values, &grade("-")), None, "not a grade");
        assert!(found.telling);
        // Written 減少, graded as if 増加: A, the top band, tells nothing.
        let top = other_way(&scheme, values.with_direction(Direction::Decrease), &grade("A")).unwrap();
        assert_eq!(top.direction, Direction::Increase);
        assert!(!top.telling, "any A of an actual short of its target agrees the other way");
    }
}
