//! Hover: the explanation of every finding under the cursor, an
//! indicator's computed grade (its ratio and band), and a 施策's computed
//! summaries with the stated ones.

use plancheck_core::i18n::Lang;
use plancheck_core::model::{BlockKind, Document, FieldKey};
use plancheck_linter::diagnostics::Diagnostic;
use plancheck_linter::rating::{self, IndicatorRating, RatingScheme};

/// The hover at byte `offset`, as Markdown (parts separated by rules), or
/// `None` when there is nothing to say. `findings` are the findings of
/// this document from an analysis of this very text (empty when the latest
/// analysis is of an older text: its places would be elsewhere).
///
/// A finding's rule name links to its page, `rule_url` (the file's
/// `docs-url`, by default the repository's `docs/rules/`): a plain link
/// that any client opens, no command needed.
pub fn hover(doc: &Document, findings: &[&Diagnostic], scheme: &RatingScheme, offset: usize, rule_url: &dyn Fn(&plancheck_linter::diagnostics::RuleMeta) -> String, lang: Lang) -> Option<String> {
    let mut parts = Vec::new();
    for finding in findings.iter().filter(|d| d.span.start <= offset && offset <= d.span.end) {
        let rule = finding.rule;
        parts.push(format!("[**{}**]({}) ({}): {}\n\n{}", rule.name, rule_url(rule), rule.code, finding.message, rule.doc(lang)));
    }
    // The innermost indicator around the cursor: its computed grade.
    if let Some((_, block)) = doc.blocks.iter().enumerate().rfind(|(_, b)| b.span.start <= offset && offset <= b.span.end && b.kind == Some(BlockKind::Indicator))
        && let Some(rating) = rating::rate_indicator_block(scheme, block)
    {
        parts.push(match &rating {
            IndicatorRating::Graded { grade, .. } => {
                let ratio = rating::ratio_text(block, &rating, lang).unwrap_or_default();
                let band = rating::rating_band(&rating, lang);
                lang.pick(format!("計算した評価: **{grade}** ({ratio}、{band})"), format!("computed grade: **{grade}** ({ratio}, {band})"))
            }
            IndicatorRating::NotObtainable => lang.pick("計算した評価: **-** (取得できない値があります)", "computed grade: **-** (a value is not obtainable)").to_string(),
            IndicatorRating::UnitMismatch { .. } => lang.pick("単位が比べられないため評価を計算できません", "units cannot be compared: no grade").to_string(),
            IndicatorRating::Undefined { .. } => lang.pick("評価を計算できません", "no grade can be computed").to_string(),
            IndicatorRating::NoBaseline { .. } => {
                lang.pick("`基準値` がないため、進捗率 (計算方法 progress) を計算できません", "no `基準値` (baseline): the progress (method `progress`) cannot be computed").to_string()
            }
            IndicatorRating::TargetNotBeyondBaseline { .. } => {
                lang.pick("目標が基準値を超えていないため、進捗率を計算できません", "the target is not beyond the baseline: no progress can be computed").to_string()
            }
            IndicatorRating::NoExpected { .. } => lang
                .pick(
                    "`期待値` も、基準値と目標から引く直線の年 (基準値・実績・目標の注記の年) もないため、期待値に対する割合 (計算方法 expected) を計算できません",
                    "no `期待値` (expected value), nor the years (in the notes of 基準値, 実績 and 目標) to draw it from the baseline to the target: method `expected` cannot rate it",
                )
                .to_string(),
            IndicatorRating::Manual => lang.pick("計算方法 manual: 評価は判断によるもので、計算しません", "method `manual`: the grade is a judgement, not computed").to_string(),
        });
    }
    // A 施策's header: its computed summaries, beside what it states.
    if let Some((id, block)) = doc.blocks_of(BlockKind::Measure).find(|(_, b)| b.header.start <= offset && offset <= b.header.end) {
        let stated = |key| block.symbol(key).map_or("-".to_string(), |(l, _)| l.to_string());
        if let Some(summary) = rating::quantitative_of_stated(scheme, rating::stated_grades(scheme, doc, id)).map(|s| s.summary) {
            let reason = rating::summary_reason(&summary, lang);
            parts.push(lang.pick(
                format!("定量評価 (指標 {} 件から): **{}** ({reason})、記載: {}", summary.count, summary.level, stated(FieldKey::QuantitativeLevel)),
                format!("定量評価 from {} indicators: **{}** ({reason}); stated: {}", summary.count, summary.level, stated(FieldKey::QuantitativeLevel)),
            ));
        }
        if let Some(summary) = rating::qualitative_of_stated(scheme, rating::stated_levels(scheme, doc, id)).map(|s| s.summary) {
            let reason = rating::summary_reason(&summary, lang);
            parts.push(lang.pick(
                format!("定性評価 (展開 {} 件から): **{}** ({reason})、記載: {}", summary.count, summary.level, stated(FieldKey::QualitativeLevel)),
                format!("定性評価 from {} 展開: **{}** ({reason}); stated: {}", summary.count, summary.level, stated(FieldKey::QualitativeLevel)),
            ));
        }
    }
    // A legend field of the 計画 block: the legend as plancheck reads it.
    if let Some((_, plan)) = doc.blocks_of(BlockKind::Plan).find(|(_, b)| b.span.start <= offset && offset <= b.span.end)
        && let Some(field) = plan.fields.iter().find(|f| f.span.start <= offset && offset <= f.span.end)
        && let Some(key) = field.key()
        && let Some(read) = legend_as_read(scheme, key, lang).or_else(|| hierarchy_as_read(plan, key, lang))
    {
        parts.push(read);
    }
    (!parts.is_empty()).then(|| parts.join("\n\n---\n\n"))
}

/// How plancheck reads the 計画 block's `階層` or `番号`: each level with
/// the shape of its ID (nothing while it cannot be read: invalid-value says why).
fn hierarchy_as_read(plan: &plancheck_core::model::Block, key: FieldKey, lang: Lang) -> Option<String> {
    if !plancheck_core::model::hierarchy::HIERARCHY_FIELDS.contains(&key) {
        return None;
    }
    let hierarchy = plancheck_core::model::Hierarchy::of(Some(plan));
    if hierarchy.unreadable {
        return None;
    }
    let levels: Vec<String> = hierarchy.levels().iter().enumerate().map(|(i, k)| format!("{} `{}`", k.keyword(), hierarchy.shape(i + 1).2)).collect();
    Some(format!("{}: {}", lang.pick("plancheck の読み", "as plancheck reads it"), levels.join(" > ")))
}

/// How plancheck reads a legend field of the 計画 block (the scheme in
/// effect, which the field is laid into): each grade with its band and
/// points, the codes, each summary's aggregate and bands.
fn legend_as_read(scheme: &RatingScheme, key: FieldKey, lang: Lang) -> Option<String> {
    use plancheck_linter::legend::{Aggregate, Scale};
    let legend = &scheme.legend;
    let unit = if scheme.method == rating::Method::BaselinePoints { lang.pick("ポイント", " points") } else { "%" };
    let bands = |scale: &Scale, unit: &str, points: bool| -> String {
        let items: Vec<String> = (0..scale.steps.len())
            .map(|i| {
                let step = &scale.steps[i];
                let (lower, upper) = scale.band(i);
                let band = match step.reach {
                    Some(plancheck_linter::legend::Reach::Exceeded) => lang.pick("目標を超える", "beyond the target").to_string(),
                    Some(plancheck_linter::legend::Reach::Met) => lang.pick("目標以上", "the target met").to_string(),
                    None => rating::band_text_in(lower, upper, unit, lang),
                };
                let points = if points { lang.pick(format!(" {}点", step.points), format!(" {} points", step.points)) } else { String::new() };
                if band.is_empty() { format!("**{}**{points}", step.symbol) } else { format!("**{}** {band}{points}", step.symbol) }
            })
            .collect();
        items.join(lang.pick("、", ", "))
    };
    let aggregate = |a: &Aggregate| match a {
        Aggregate::Mean => lang.pick("平均", "mean").to_string(),
        Aggregate::Sum => lang.pick("合計", "sum").to_string(),
        Aggregate::Share { at_least } => lang.pick(format!("{at_least} 以上の割合"), format!("share at {at_least} or better")),
        Aggregate::Manual => lang.pick("判断 (計算しません)", "manual (not computed)").to_string(),
    };
    let read = lang.pick("plancheck の読み", "as plancheck reads it");
    Some(match key {
        FieldKey::LegendGrades => format!("{read}: {}", bands(&legend.grades, unit, true)),
        FieldKey::LegendOverall => format!("{read}: {}", bands(legend.overall.as_ref().unwrap_or(&legend.grades), "", false)),
        FieldKey::LegendUngraded => format!("{read}: {}", legend.ungraded.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(" ")),
        FieldKey::LegendLevels => format!("{read}: {}", bands(&legend.levels, "", true)),
        FieldKey::LegendQuantitative => format!(
            "{read}: {} → {}",
            aggregate(&legend.quantitative.aggregate),
            bands(&legend.quantitative.scale, if matches!(legend.quantitative.aggregate, Aggregate::Share { .. }) { "%" } else { "" }, false)
        ),
        FieldKey::LegendQualitative => format!(
            "{read}: {} → {}",
            aggregate(&legend.qualitative.aggregate),
            bands(&legend.qualitative.scale, if matches!(legend.qualitative.aggregate, Aggregate::Share { .. }) { "%" } else { "" }, false)
        ),
        FieldKey::Method => format!("{read}: `{}` ({})", scheme.method.name(), scheme.method.name_ja()),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{analysis, at};

    const PLAN: &str = "施策 1-1-1 子育て支援 {\n  定量評価: 高\n  代表課: こども課\n  指標 出生数 {\n    実績: 5,900人\n    目標: 10,650人\n    定量評価: C\n  }\n}\n";

    /// On a legend field of the 計画 block: the legend as read, so that an
    /// office sees what its printed words became.
    #[test]
    fn a_legend_field_shows_how_it_is_read() {
        const PLAN: &str = "計画 {\n  指標の評価: S:目標を超える 4点、A:100%以上 3点、B:80%以上100%未満 2点、C 0点\n  定量評価の基準: 平均 高 2.5超、中 1.5超、低\n}\n";
        let a = analysis(PLAN);
        let doc = &a.workspace.docs[0];
        let (_, header) = doc.blocks_of(BlockKind::Plan).next().unwrap();
        let scheme = RatingScheme::default().with_plan(Some(header)).unwrap();
        let text = hover(doc, &[], &scheme, at(PLAN, "S:目標"), &|r| r.url(), Lang::Ja).unwrap();
        assert_eq!(text, "plancheck の読み: **S** 目標を超える 4点、**A** 100%以上 3点、**B** 80%以上100%未満 2点、**C** 80%未満 0点");
        let text = hover(doc, &[], &scheme, at(PLAN, "平均"), &|r| r.url(), Lang::En).unwrap();
        assert_eq!(text, "as plancheck reads it: mean → **高** over 2.5 and at most 2.5, **中** over 1.5 and at most 2.5, **低** at most 1.5".replace("over 2.5 and at most 2.5", "over 2.5"));
    }

    /// On `階層` and `番号`: each level with the shape of its ID.
    #[test]
    fn the_hierarchy_fields_show_each_levels_id() {
        const PLAN: &str = "計画 {\n  階層: 章 > 施策\n}\n計画 {\n  階層: 政策 > 施策\n  番号: 2桁, 3桁\n}\n";
        let a = analysis(PLAN);
        let doc = &a.workspace.docs[0];
        // Unreadable (章 is no level): nothing is claimed.
        assert_eq!(hover(doc, &[], &RatingScheme::default(), at(PLAN, "章"), &|r| r.url(), Lang::Ja), None);
        assert_eq!(hover(doc, &[], &RatingScheme::default(), at(PLAN, "2桁"), &|r| r.url(), Lang::Ja).unwrap(), "plancheck の読み: 政策 `01` > 施策 `01002`");
    }

    #[test]
    fn an_indicator_shows_its_computed_grade_and_a_finding_its_rule() {
        let a = analysis(PLAN);
        let doc = &a.workspace.docs[0];
        let findings: Vec<_> = a.diagnostics.iter().collect();
        let text = hover(doc, &findings, &RatingScheme::default(), at(PLAN, "定量評価: C") + 14, &|r| r.url(), Lang::Ja).unwrap();
        assert!(text.contains("[**rating-mismatch**](https://github.com/plancheck/plancheck/blob/main/docs/rules/rating-mismatch.md) (PC201)"), "{text}");
        assert!(text.contains("計算した評価: **D** (実績 5,900人 ÷ 目標 10,650人 = 55.4%、60%未満)"), "{text}");
        let text = hover(doc, &[], &RatingScheme::default(), at(PLAN, "実績"), &|r| r.url(), Lang::En).unwrap();
        assert!(text.starts_with("computed grade: **D** ("), "{text}");
        assert!(text.contains("55.4%"), "{text}");
        assert!(!text.contains("rating-mismatch"), "no findings given, none shown: {text}");
    }

    #[test]
    fn a_measure_header_shows_its_summaries_and_elsewhere_nothing() {
        let a = analysis(PLAN);
        let doc = &a.workspace.docs[0];
        let text = hover(doc, &[], &RatingScheme::default(), at(PLAN, "子育て"), &|r| r.url(), Lang::En).unwrap();
        assert!(text.contains("定量評価 from 1 indicators: **低**"), "{text}");
        assert!(text.contains("stated: 高"), "{text}");
        assert_eq!(hover(doc, &[], &RatingScheme::default(), at(PLAN, "代表課"), &|r| r.url(), Lang::Ja), None);
    }

    /// Under the progress method the hover shows its own formula, and says
    /// why an indicator without a baseline has no grade.
    #[test]
    fn the_progress_method_shows_its_derivation() {
        let plan = "施策 1-1-1 a {\n  指標 参加者数 {\n    基準値: 4,200人\n    実績: 6,100人\n    目標: 8,000人\n  }\n  指標 基準値なし {\n    実績: 1人\n    目標: 2人\n  }\n}\n";
        let a = analysis(plan);
        let doc = &a.workspace.docs[0];
        let scheme = RatingScheme { method: rating::Method::Progress, ..RatingScheme::default() };
        let text = hover(doc, &[], &scheme, at(plan, "実績: 6"), &|r| r.url(), Lang::Ja).unwrap();
        assert!(text.contains("計算した評価: **D** ((実績 6,100人 − 基準値 4,200人) ÷ (目標 8,000人 − 基準値 4,200人) = 50%、60%未満)"), "{text}");
        let text = hover(doc, &[], &scheme, at(plan, "実績: 1"), &|r| r.url(), Lang::En).unwrap();
        assert!(text.contains("no `基準値`"), "{text}");
    }
}
