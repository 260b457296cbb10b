//! `qualitative-summary-mismatch` (PC203): a 施策's stated 定性評価 differs from the summary of its 展開.

use super::helpers::{SummaryWords, summary_mismatch};
use super::{FileContext, RuleMeta};
use crate::diagnostics::{Applicability, Diagnostic, Severity};
use crate::model::{BlockKind, FieldKey};
use crate::rating::{known_symbol, StatedSummary, qualitative_of_stated, stated_levels};

pub static RULE: RuleMeta = RuleMeta {
    name: "qualitative-summary-mismatch",
    code: "PC203",
    default_severity: Severity::Warning,
    summary_ja: "施策の定性評価が、施策の展開の評価の平均と合わない",
    summary_en: "a 施策's 定性評価 differs from the summary of its 展開",
    doc_ja: "## 何を検出するか
施策の `定性評価` を、各 `展開` に記載された定性評価から求め直して比べます。
高=3点、中=2点、低=1点の平均が 2.5 **以上**なら高、1.7 **以上**なら中、1.7 未満は低です。
ちょうど 2.5 は高です (定量評価は「上回る」なので扱いが違います)。

## なぜ
公表された一覧には、展開の評価から凡例どおりに計算すると別の水準になる施策がありました。

## 例
```plan
施策 1-1-2 地域医療体制の充実 {
  全体評価: B
  代表課: 健康づくり課
  展開 医療提供体制の充実 {
    成果: 市ホームページや広報紙に病院や診療所の情報を掲載した。
    定性評価: 中
  }
  展開 救急医療体制の確保 {
    成果: 休日夜間急患センターを年間365日開設した。
    定性評価: 中
  }
  展開 医療従事者の確保 {
    成果: 看護師を目指す学生に修学資金を貸与した。
    定性評価: 低
  }
  # (2+2+1)/3 = 1.67 は 1.7 未満なので低
  定性評価: 中
}
```
修正: 計算した水準に置き換えます。展開の評価のどれかが読めないときは計算しません (評価のない展開は除いて計算します)。",
    doc_en: "## What it does
Recomputes a 施策's `定性評価` from the levels stated on its `展開`: 高=3, 中=2, 低=1, averaged:
高 if the average is **at least** 2.5, 中 if **at least** 1.7, otherwise 低. Exactly 2.5 is 高
(the quantitative summary uses > instead).

## Why
The published sheet has 施策 whose level contradicts its 展開 under the legend's arithmetic.

## Example
```plan
施策 1-1-2 地域医療体制の充実 {
  全体評価: B
  代表課: 健康づくり課
  展開 医療提供体制の充実 {
    成果: 市ホームページや広報紙に病院や診療所の情報を掲載した。
    定性評価: 中
  }
  展開 救急医療体制の確保 {
    成果: 休日夜間急患センターを年間365日開設した。
    定性評価: 中
  }
  展開 医療従事者の確保 {
    成果: 看護師を目指す学生に修学資金を貸与した。
    定性評価: 低
  }
  # (2+2+1)/3 = 1.67 is under 1.7: 低
  定性評価: 中
}
```
Fix: replace with the computed level. Nothing is computed while a 展開's level is unreadable (a 展開 without a level is left out).",
    fixes: &[Applicability::Safe],
    in_spec: true,
    settings: &["[rating.qualitative]"],
    scope: super::Scope::File,
};

static WORDS: SummaryWords = SummaryWords { key: "定性評価", parts_ja: "施策の展開の評価", parts_en: "the 展開 levels" };

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let scheme = ctx.rating;
    if scheme.legend_unreadable {
        return; // the plan's legend is unknown: invalid-value says why
    }
    for (id, block) in doc.blocks_of(BlockKind::Measure) {
        let Some((stated, field)) = known_symbol(scheme, block, FieldKey::QualitativeLevel) else {
            continue;
        };
        // Unreadable levels: no summary (it cannot be known); unstated
        // ones are left out (missing-field reports them).
        let Some(StatedSummary { summary, values: levels, unstated }) = qualitative_of_stated(scheme, stated_levels(scheme, doc, id)) else {
            continue;
        };
        if summary.level == *stated {
            continue;
        }
        let listed: Vec<String> = levels.iter().map(|l| format!("{l}({})", scheme.level_points(l))).collect();
        out.push(summary_mismatch(ctx, &RULE, &WORDS, field, stated, &summary, &listed, unstated));
    }
}
