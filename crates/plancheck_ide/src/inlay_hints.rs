//! Inlay hints: after a stated grade or level, what the legend computes
//! (an indicator's grade and ratio, a 施策's summaries and their average).

use plancheck_core::i18n::Lang;
use plancheck_core::model::{BlockKind, Document, Field, FieldKey};
use plancheck_linter::rating::{self, IndicatorRating, RatingScheme};

/// A label shown after the byte `offset` (the end of a stated value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
    /// The derivation in full, for the hint's tooltip: the method's own
    /// formula and the band (`(6,100人 − 4,200人) ÷ (8,000人 − 4,200人) =
    /// 50% → D (60%未満)`), or why a summary is at its level.
    pub tooltip: String,
}

/// Every hint of the document, in order, under `scheme` (the file's own).
pub fn inlay_hints(doc: &Document, scheme: &RatingScheme, lang: Lang) -> Vec<InlayHint> {
    let mut hints = Vec::new();
    let mut hint = |field: &Field, label: String, tooltip: String| hints.push(InlayHint { offset: field.value_span.end, label, tooltip });
    for (id, block) in doc.blocks.iter().enumerate() {
        match block.kind {
            Some(BlockKind::Indicator) => {
                let (Some((_, field)), Some(rating)) = (block.symbol(FieldKey::IndicatorGrade), rating::rate_indicator_block(scheme, block)) else {
                    continue;
                };
                let label = match &rating {
                    IndicatorRating::Graded { grade, percent, by_zero: false, .. } => format!("→ {grade} ({percent}%)"),
                    IndicatorRating::Graded { grade, .. } => format!("→ {grade}"),
                    IndicatorRating::NotObtainable => "→ -".to_string(),
                    _ => continue,
                };
                let tooltip = match (&rating, rating::ratio_text(block, &rating, lang)) {
                    (IndicatorRating::Graded { grade, .. }, Some(formula)) => format!("{formula} → {grade} ({})", rating::rating_band(&rating, lang)),
                    _ => label.clone(),
                };
                hint(field, label, tooltip);
            }
            Some(BlockKind::Measure) => {
                if let Some((_, field)) = block.symbol(FieldKey::QuantitativeLevel)
                    && let Some(summary) = rating::quantitative_of_stated(scheme, rating::stated_grades(scheme, doc, id)).map(|s| s.summary)
                {
                    let (word, value) = rating::summary_value(&summary, lang);
                    hint(field, format!("→ {} ({word} {value})", summary.level), format!("{} → {}", rating::summary_reason(&summary, lang), summary.level));
                }
                if let Some((_, field)) = block.symbol(FieldKey::QualitativeLevel)
                    && let Some(summary) = rating::qualitative_of_stated(scheme, rating::stated_levels(scheme, doc, id)).map(|s| s.summary)
                {
                    let (word, value) = rating::summary_value(&summary, lang);
                    hint(field, format!("→ {} ({word} {value})", summary.level), format!("{} → {}", rating::summary_reason(&summary, lang), summary.level));
                }
            }
            _ => {}
        }
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{analysis, at};

    #[test]
    fn grades_and_summaries_are_hinted_after_the_stated_value_in_the_session_language() {
        let plan = "施策 1-1-1 t {\n  定量評価: 高\n  定性評価: 中\n  指標 a {\n    実績: 90\n    目標: 100\n    定量評価: A\n  }\n  指標 b {\n    実績: 1\n    目標: 2\n    定量評価: B\n  }\n  展開 c {\n    定性評価: 低\n  }\n}\n";
        let a = analysis(plan);
        let hints = inlay_hints(&a.workspace.docs[0], &RatingScheme::default(), Lang::En);
        let labels: Vec<(usize, &str)> = hints.iter().map(|h| (h.offset, h.label.as_str())).collect();
        let after = |needle: &str| at(plan, needle) + needle.len();
        assert_eq!(labels[0], (after("定量評価: 高"), "→ 中 (average 2.5)"));
        assert_eq!(labels[1].0, after("定性評価: 中"));
        assert!(labels[1].1.starts_with("→ 低 (average "), "{labels:?}");
        assert_eq!(labels[2], (after("定量評価: A"), "→ B (90%)"));
        assert_eq!(labels.len(), 4, "{labels:?}");
        let ja = inlay_hints(&a.workspace.docs[0], &RatingScheme::default(), Lang::Ja);
        assert!(ja[0].label.contains("平均"), "{ja:?}");
        // The tooltip has the derivation in full.
        assert_eq!(hints[2].tooltip, "actual 90 / target 100 = 90% → B (at least 80% and under 100%)");
        assert_eq!(ja[0].tooltip, "平均 2.5 > 1.5、2.5 以下 → 中");
    }

    /// The progress method's own formula, in the tooltip.
    #[test]
    fn the_tooltip_shows_the_method_s_derivation() {
        let plan = "施策 1-1-1 t {\n  指標 a {\n    基準値: 4,200\n    実績: 6,100\n    目標: 8,000\n    定量評価: D\n  }\n}\n";
        let a = analysis(plan);
        let hints = inlay_hints(&a.workspace.docs[0], &RatingScheme::with_method(rating::Method::Progress), Lang::Ja);
        assert_eq!(hints[0].label, "→ D (50%)");
        assert_eq!(hints[0].tooltip, "(実績 6,100 − 基準値 4,200) ÷ (目標 8,000 − 基準値 4,200) = 50% → D (60%未満)");
    }

    #[test]
    fn an_unreadable_grade_means_no_summary_as_in_the_rules() {
        // The same legend as quantitative-summary-mismatch: with a grade it
        // cannot read (`E`), the 施策's summary is unknown, not computed from
        // the others.
        let plan = "施策 1-1-1 t {\n  定量評価: 高\n  指標 a {\n    定量評価: A\n  }\n  指標 b {\n    定量評価: E\n  }\n}\n";
        let a = analysis(plan);
        let hints = inlay_hints(&a.workspace.docs[0], &RatingScheme::default(), Lang::Ja);
        assert!(hints.iter().all(|h| !h.label.contains("平均")), "{hints:?}");
        assert!(!a.diagnostics.iter().any(|d| d.rule.name == "quantitative-summary-mismatch"));
        let readable = analysis(&plan.replace("定量評価: E", "定量評価: D"));
        let hints = inlay_hints(&readable.workspace.docs[0], &RatingScheme::default(), Lang::Ja);
        assert!(hints.iter().any(|h| h.label.contains("平均 1.5")), "{hints:?}");
    }
}
