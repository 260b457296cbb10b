//! `quantitative-summary-mismatch` (PC202): a 施策's stated 定量評価 differs from the summary of its indicators.

use super::helpers::{SummaryWords, summary_mismatch};
use super::{FileContext, RuleMeta};
use crate::diagnostics::{Applicability, Diagnostic, Severity};
use crate::model::{BlockKind, FieldKey};
use crate::rating::{known_symbol, StatedSummary, quantitative_of_stated, stated_grades};

pub static RULE: RuleMeta = RuleMeta {
    name: "quantitative-summary-mismatch",
    code: "PC202",
    default_severity: Severity::Warning,
    summary_ja: "施策の定量評価が、指標の評価の平均と合わない",
    summary_en: "a 施策's 定量評価 differs from the summary of its indicators",
    doc_ja: "## 何を検出するか
施策の `定量評価` (高・中・低) を、その指標に記載された評価から求め直して比べます。
A=3点、B=2点、C=1点、D=0点 (`-` は除く) の平均が 2.5 を**上回る**と高、1.5 を**上回る**と中、それ以下は低です。
ちょうど 2.5 は中、ちょうど 1.5 は低です (定性評価は「以上」なので扱いが違います)。

## なぜ
公表された一覧には、指標の評価から凡例どおりに計算すると別の水準になる施策がありました。

## 例
```plan
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: B
  代表課: 健康づくり課
  指標 健康づくり事業への参加者数 {
    実績: 7,000人
    目標: 10,650人
    定量評価: C
  }
  指標 3歳児健診受診率 {
    実績: 95.1%
    目標: 100%
    定量評価: B
  }
  指標 特定健康診査実施率 {
    実績: 48.0%
    目標: 55.0%
    定量評価: B
  }
  # (1+2+2)/3 = 1.67 は中
  定量評価: 高
}
```
修正: 計算した水準に置き換えます。指標の評価のどれかが読めないときは計算しません (評価のない指標は除いて計算します)。

評価でない記号 (`-`、凡例の `ungraded`: `評価なし` など) は平均から除きます。それを最下位の評価として数えると記載の水準になるときは、
そう書き添えます (評価でない記号を平均に含めるのは、よくある誤りです)。点数・まとめ方 (平均・合計・割合・判断)・境目は凡例
(`[rating] grades` の `points`、`[rating.quantitative]`) のとおりです。",
    doc_en: "## What it does
Recomputes a 施策's `定量評価` (高/中/低) from the grades stated on its indicators: A=3, B=2, C=1,
D=0 (`-` left out), averaged: 高 if the average is **greater than** 2.5, 中 if **greater than** 1.5,
otherwise 低. Exactly 2.5 is 中 and exactly 1.5 is 低 (the qualitative summary uses ≥ instead).

## Why
The published sheet has 施策 whose level contradicts its indicators under the legend's arithmetic.

## Example
```plan
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: B
  代表課: 健康づくり課
  指標 健康づくり事業への参加者数 {
    実績: 7,000人
    目標: 10,650人
    定量評価: C
  }
  指標 3歳児健診受診率 {
    実績: 95.1%
    目標: 100%
    定量評価: B
  }
  指標 特定健康診査実施率 {
    実績: 48.0%
    目標: 55.0%
    定量評価: B
  }
  # (1+2+2)/3 = 1.67: 中
  定量評価: 高
}
```
Fix: replace with the computed level. Nothing is computed while an indicator's grade is unreadable (an indicator without a grade is left out).

Codes that are not grades (`-`, the legend's `ungraded`: `評価なし`, ...) are left out of the mean. When counting them as the lowest
grade gives the stated level, the message says so (counting such a code is a common mistake). The points, the aggregate (mean,
sum, share, manual) and the bounds are the legend's (`points` of `[rating] grades`, `[rating.quantitative]`).",
    fixes: &[Applicability::Safe],
    in_spec: true,
    settings: &["[rating.quantitative]", "[rating] grades", "[rating] ungraded"],
    scope: super::Scope::File,
};

static WORDS: SummaryWords = SummaryWords { key: "定量評価", parts_ja: "指標の評価", parts_en: "the indicators' grades" };

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let scheme = ctx.rating;
    if scheme.legend_unreadable {
        return; // the plan's legend is unknown: invalid-value says why
    }
    for (id, block) in doc.blocks_of(BlockKind::Measure) {
        let Some((stated, field)) = known_symbol(scheme, block, FieldKey::QuantitativeLevel) else {
            continue;
        };
        // Unreadable grades: no summary (it cannot be known); unstated
        // ones are left out (missing-field reports them).
        let Some(StatedSummary { summary, values: grades, unstated }) = quantitative_of_stated(scheme, stated_grades(scheme, doc, id)) else {
            continue;
        };
        if summary.level == *stated {
            continue;
        }
        let listed: Vec<String> = grades
            .iter()
            .filter_map(|g| scheme.legend.grade_points(g).map(|points| format!("{g}({points})")))
            .collect();
        let mut finding = summary_mismatch(ctx, &RULE, &WORDS, field, stated, &summary, &listed, unstated);
        // Codes that are not grades counted as the lowest grade: the stated
        // level, the commonest way to get it.
        let legend = &scheme.legend;
        let codes: Vec<&crate::model::value::Symbol> = grades.iter().filter(|g| legend.is_ungraded(g)).collect();
        if let (false, Some(worst)) = (codes.is_empty(), legend.grades.steps.iter().rev().find(|s| s.reach.is_none())) {
            let counted: Vec<crate::model::value::Symbol> = grades.iter().map(|g| if legend.is_ungraded(g) { worst.symbol.clone() } else { g.clone() }).collect();
            if crate::rating::quantitative_summary(scheme, &counted).is_some_and(|s| s.level == *stated) {
                let listed: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
                let listed = listed.join("・");
                finding.message.push_str(&msg!(ctx.lang,
                    format!("。評価でない記号 ({listed}) を {} ({}点) として数えると記載の {stated} になりますが、評価でない記号は平均から除きます", worst.symbol, worst.points),
                    format!("; counting the codes that are not grades ({listed}) as {} ({} points) gives the stated {stated}, but such codes are left out", worst.symbol, worst.points),
                ));
            }
        }
        out.push(finding);
    }
}
