//! `cumulative-decrease` (PC211): a cumulative indicator (`累計`) whose series decreases.

use super::{FileContext, RuleMeta};
use crate::diagnostics::{Diagnostic, Related, Severity};
use crate::model::BlockKind;
use crate::model::value::{Quantity, unit_scale};
use crate::series::{is_cumulative, series_of};

pub static RULE: RuleMeta = RuleMeta {
    name: "cumulative-decrease",
    code: "PC211",
    default_severity: Severity::Warning,
    summary_ja: "累計の指標の推移が前の年度より減っている",
    summary_en: "a cumulative indicator's series decreases",
    doc_ja: "## 何を検出するか
累計の指標 (`累計: はい`、または名前に「累計」を含む指標) の `推移` で、前の年度より値が小さい年度を報告します。
累計は年度ごとの値ではなく、計画の始めからの積み重ねなので、減ることはありません。

## なぜ
単年度の値を累計の欄に入れた、前年度の値を写し間違えたといった誤りは、減った累計として現れます。
累計の目標は評価の仕方も違います (本宮市: 目標が累計の場合は目標に対する割合)。

## 例
```plan
施策 2-1-1 移住の促進 {
  全体評価: B
  代表課: 移住定住課
  指標 移住相談の件数 {
    累計: はい
    # R5年度 に単年度の値が入っている
    推移:
      | R3年度: 12件 (確定)
      | R4年度: 25件 (確定)
      | R5年度: 9件 (速報)
    実績: 9件
    目標: 10件
    定量評価: B
  }
}
```
累計の値 (`R5年度: 34件 (速報)`) を書くか、単年度の値なら `累計: いいえ` とします。",
    doc_en: "## What it does
Reports a year of a cumulative indicator's `推移` (`累計: はい`, or an indicator whose name says
累計) whose value is below the previous year's. A running total since the plan's start never
decreases.

## Why
A single year's figure typed into a cumulative row, or a figure copied wrong, shows as a total
that went down. Cumulative targets are also rated differently (本宮市: as the ratio to the
target).

## Example
```plan
施策 2-1-1 移住の促進 {
  全体評価: B
  代表課: 移住定住課
  指標 移住相談の件数 {
    累計: はい
    # R5年度 holds a single year's figure
    推移:
      | R3年度: 12件 (確定)
      | R4年度: 25件 (確定)
      | R5年度: 9件 (速報)
    実績: 9件
    目標: 10件
    定量評価: B
  }
}
```
Write the total (`R5年度: 34件 (速報)`), or `累計: いいえ` for yearly figures.",
    fixes: &[],
    in_spec: false,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    for (_, block) in ctx.doc.blocks_of(BlockKind::Indicator) {
        if is_cumulative(block) != Ok(true) {
            continue;
        }
        let Some(lines) = series_of(block) else { continue };
        let mut entries: Vec<_> = lines.iter().filter_map(|l| l.as_ref().ok()).filter_map(|e| match &e.value {
            Some(Quantity::Value(m)) => Some((e, m)),
            _ => None,
        }).collect();
        entries.sort_by_key(|(e, _)| e.year);
        for pair in entries.windows(2) {
            let ((before, b), (after, a)) = (pair[0], pair[1]);
            // after in before's unit: a × 10^e ⋚ b
            let Some(exponent) = unit_scale(&a.unit, &b.unit) else { continue };
            if crate::rating::exact::compare(a.number, exponent, b.number, rust_decimal::Decimal::ONE) != std::cmp::Ordering::Less {
                continue;
            }
            let (ya, yb) = (&after.year_text, &before.year_text);
            let (va, vb) = (format!("{}{}", a.number_text, a.unit), format!("{}{}", b.number_text, b.unit));
            out.push(
                Diagnostic::new(&RULE, ctx.file, after.span, msg!(ctx.lang,
                    format!("累計の指標ですが、{ya} の {va} は {yb} の {vb} より少なくなっています: 累計は減りません (単年度の値なら `累計: いいえ`)"),
                    format!("a cumulative indicator, but {ya}'s {va} is below {yb}'s {vb}: a running total never decreases (`累計: いいえ` for yearly figures)"),
                ))
                .with_related(vec![Related { file: ctx.file, span: before.span, message: msg!(ctx.lang, format!("{yb} の値"), format!("{yb}'s value")) }]),
            );
        }
    }
}
