//! `ratio-mismatch` (PC207): an indicator's stated 達成率 differs from the one its values give.

use super::helpers::{ReplaceFix, Wording};
use super::{FileContext, RuleMeta};
use crate::diagnostics::{Applicability, Diagnostic, Lang, Severity};
use crate::model::value::Quantity;
use crate::model::{BlockKind, FieldKey};
use crate::rating::{IndicatorRating, rate_stated_indicator, ratio_formula, stated_indicator_values};
use rust_decimal::Decimal;

pub static RULE: RuleMeta = RuleMeta {
    name: "ratio-mismatch",
    code: "PC207",
    default_severity: Severity::Warning,
    summary_ja: "記載の達成率が、実績と目標から計算した達成率と違う",
    summary_en: "an indicator's stated 達成率 differs from the computed one",
    doc_ja: "## 何を検出するか
指標に `達成率` (`達成度`) が書かれているとき、`実績` (`見込み`) と `目標` (計算方法が progress なら `基準値` も) から
凡例どおりに計算した達成率と比べます。記載の桁で丸めた値として合えば (`55.4%` なら 55.35% 以上 55.45% 以下)
よしとします。計算は10進数で正確に行います。

`0.95` のように比で書かれた値が 95% に合うときは、比と百分率を取り違えている (表の中で 95% と 0.95 が混ざる) として報告します。

## なぜ
公表された評価には、数値と合わない達成率や評価がそのまま載ることがあります (総務省の点検で、約7割の達成を
「想定どおり達成」としていた例が見直されました)。達成率が数値と合わなければ、その達成率から付けた評価も疑わしくなります。

## 例
```plan
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: C
  代表課: 健康づくり課
  指標 健康づくり事業への参加者数 {
    実績: 5,900人
    目標: 10,650人
    # 5,900 ÷ 10,650 = 55.4%
    達成率: 65.4%
    定量評価: D
  }
}
```
修正: 計算した達成率に置き換えます。記載の達成率が逆の方向 (`方向: 減少` なら) でだけ合うときは、そう伝えて提案だけにします。",
    doc_en: "## What it does
When an indicator states its `達成率` (achievement ratio, also `達成度`), compares it with the ratio
its `実績` (or `見込み`) and `目標` give by the legend (and its `基準値` under the progress method).
A stated value agrees when it is the computed one rounded to its own places (`55.4%`: from 55.35%
to 55.45%). The arithmetic is exact decimal.

A value written as a ratio (`0.95`) that matches as a percentage (95%) is reported as a ratio
mistaken for a percentage (a table that mixes 95% and 0.95).

## Why
Published evaluations print achievement ratios that contradict their numbers (a ministry's review
found about 70% achievement graded as achieved as planned). A wrong ratio puts the grade drawn from
it in doubt.

## Example
```plan
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: C
  代表課: 健康づくり課
  指標 健康づくり事業への参加者数 {
    実績: 5,900人
    目標: 10,650人
    # 5,900 / 10,650 = 55.4%
    達成率: 65.4%
    定量評価: D
  }
}
```
Fix: replace it with the computed ratio. When the stated ratio is right only the other way
(with `方向: 減少`), the message says so and the fix is only a suggestion.",
    fixes: &[Applicability::Safe, Applicability::Unsafe],
    in_spec: false,
    settings: &["[rating] method"],
    scope: super::Scope::File,
};

/// How many decimal places a number is written with (`55.4` → 1).
fn places(number_text: &str) -> u32 {
    number_text.split_once('.').map_or(0, |(_, fraction)| fraction.chars().filter(char::is_ascii_digit).count() as u32)
}

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    let scheme = ctx.rating;
    for (_, block) in doc.blocks_of(BlockKind::Indicator) {
        let Some((Quantity::Value(stated), field)) = block.quantity(FieldKey::StatedRatio) else {
            continue;
        };
        let values = stated_indicator_values(block);
        let Some(rating @ IndicatorRating::Graded { percent, fraction: Some(fraction), .. }) = rate_stated_indicator(scheme, values) else {
            continue;
        };
        let written_places = places(&stated.number_text);
        let as_percent = match stated.unit.as_str() {
            "%" | "" => fraction.rounds_to(stated.number, written_places),
            // Another unit (`人`, `pt`) is not a ratio: not judged here.
            _ => continue,
        };
        if as_percent {
            continue;
        }
        let direction = block.direction();
        let formula = |lang| ratio_formula(block, &rating, direction, lang).unwrap_or_default();
        let computed = format!("{percent}%");
        let written = &field.text;
        // 0.95 for 95%: a ratio, not a percentage.
        let hundredfold = stated.number.checked_mul(Decimal::ONE_HUNDRED);
        if stated.unit.is_empty()
            && let Some(hundredfold) = hundredfold
            && fraction.rounds_to(hundredfold, written_places.saturating_sub(2))
        {
            let message = msg!(ctx.lang,
                format!("達成率 {written} は比で書かれています: 百分率では {} です ({})", computed, formula(Lang::Ja)),
                format!("the 達成率 {written} is written as a ratio: as a percentage it is {computed} ({})", formula(Lang::En)),
            );
            out.push(Diagnostic::new(&RULE, file, field.value_span, message).replace_fix(Applicability::Safe, Wording::Replace, field.value_span, &computed, ctx.lang));
            continue;
        }
        let mut message = msg!(ctx.lang,
            format!("達成率が {written} と記載されていますが、{} です", formula(Lang::Ja)),
            format!("stated 達成率 {written}, but {}", formula(Lang::En)),
        );
        // Right only the other way: say so, and only suggest.
        let other = crate::direction::opposite(direction);
        let other_rating = rate_stated_indicator(scheme, values.with_direction(other));
        let applicability = match &other_rating {
            Some(r @ IndicatorRating::Graded { fraction: Some(f), .. }) if f.rounds_to(stated.number, written_places) => {
                let way = crate::direction::keyword(other);
                let other_formula = |lang| ratio_formula(block, r, other, lang).unwrap_or_default();
                message.push_str(&msg!(ctx.lang,
                    format!("。ただし `方向: {way}` なら {} で記載どおりです。方向 を確かめてください", other_formula(Lang::Ja)),
                    format!("; but with `方向: {way}`, {}, as stated. Check the direction", other_formula(Lang::En)),
                ));
                Applicability::Unsafe
            }
            _ => Applicability::Safe,
        };
        out.push(Diagnostic::new(&RULE, file, field.value_span, message).replace_fix(applicability, Wording::Replace, field.value_span, &computed, ctx.lang));
    }
}
