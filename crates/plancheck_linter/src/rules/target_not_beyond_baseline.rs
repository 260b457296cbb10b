//! `target-not-beyond-baseline` (PC206): an indicator's 目標 is not beyond its 基準値 in its direction.

use super::{FileContext, RuleMeta};
use crate::diagnostics::{Diagnostic, Related, Severity};
use crate::model::value::{Direction, Quantity, unit_scale};
use crate::model::{BlockKind, FieldKey};

pub static RULE: RuleMeta = RuleMeta {
    name: "target-not-beyond-baseline",
    code: "PC206",
    default_severity: Severity::Warning,
    summary_ja: "目標が基準値を (方向に沿って) 超えていない",
    summary_en: "an indicator's target is not beyond its baseline in its direction",
    doc_ja: "## 何を検出するか
`基準値` のある指標で、`目標` が基準値を方向に沿って超えていないもの (増加の指標で 目標 ≦ 基準値、
`方向: 減少` の指標で 目標 ≧ 基準値) を報告します。計画の始めにもう達成している目標です。
単位が換算できる値 (`万人` と `人` など) は換算して比べます。

## なぜ
基準値を超えない目標は、進み具合を測れません。基準値からの進捗率 (`[rating] method = \"progress\"`) では
分母が 0 以下になり、評価を計算できません。目標の書き間違い (桁、方向) か、見直しが必要な目標です。

## 例
```plan
施策 2-1-1 農業の振興 {
  全体評価: B
  代表課: 農政課
  指標 認定農業者数 {
    基準値: 420人
    実績: 430人
    # 基準値より低い目標
    目標: 400人
    定量評価: A
  }
}
```
目標 (または基準値、方向) を確かめて直します。",
    doc_en: "## What it does
Reports an indicator with a `基準値` (baseline) whose `目標` (target) is not beyond it in its
direction (target ≤ baseline when higher is better, target ≥ baseline with `方向: 減少`): a
target met at the start of the plan. Units that convert (`万人` and `人`, ...) are converted.

## Why
A target not beyond the baseline measures no progress; with the progress method
(`[rating] method = \"progress\"`) its denominator is 0 or less and no grade can be computed.
Either the target is mistyped (a digit, the direction) or it needs revising.

## Example
```plan
施策 2-1-1 農業の振興 {
  全体評価: B
  代表課: 農政課
  指標 認定農業者数 {
    基準値: 420人
    実績: 430人
    # a target below the baseline
    目標: 400人
    定量評価: A
  }
}
```
Check the target (or the baseline, or the direction) and correct it.",
    fixes: &[],
    in_spec: false,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    for (_, block) in doc.blocks_of(BlockKind::Indicator) {
        let (Some((Quantity::Value(baseline), baseline_field)), Some((Quantity::Value(target), target_field))) = (block.quantity(FieldKey::Baseline), block.quantity(FieldKey::Target)) else {
            continue;
        };
        // The baseline in the target's unit: baseline × 10^scale against the target.
        let Some(scale) = unit_scale(&baseline.unit, &target.unit) else { continue };
        let order = crate::rating::exact::compare(baseline.number, scale, target.number, rust_decimal::Decimal::ONE);
        let direction = block.direction();
        let met_at_start = match direction {
            Direction::Increase => order != std::cmp::Ordering::Less,
            Direction::Decrease => order != std::cmp::Ordering::Greater,
            // A level to keep: the target may be the baseline itself; only
            // a target below it is not kept.
            Direction::Maintain => order == std::cmp::Ordering::Greater,
            // A band to stay within: a baseline already in it is not a fault.
            Direction::Band => false,
        };
        if !met_at_start {
            continue;
        }
        let (b, t) = (&baseline_field.text, &target_field.text);
        let message = match direction {
            Direction::Maintain => msg!(ctx.lang,
                format!("目標 {t} が 基準値 {b} を下回っています (方向: 維持): 維持する水準が基準値より低い目標です (目標・基準値・方向を確かめてください)"),
                format!("the target {t} is below the baseline {b} (方向: 維持, a level to keep): the level kept is lower than at the start (check the target, the baseline and the direction)"),
            ),
            Direction::Increase | Direction::Band => msg!(ctx.lang,
                format!("目標 {t} が 基準値 {b} を上回っていません: 計画の始めに達成済みの目標です (目標・基準値・方向を確かめてください)"),
                format!("the target {t} is not above the baseline {b}: it is met at the start (check the target, the baseline and the direction)"),
            ),
            Direction::Decrease => msg!(ctx.lang,
                format!("目標 {t} が 基準値 {b} を下回っていません (方向: 減少): 計画の始めに達成済みの目標です (目標・基準値・方向を確かめてください)"),
                format!("the target {t} is not below the baseline {b} (lower is better): it is met at the start (check the target, the baseline and the direction)"),
            ),
        };
        out.push(Diagnostic::new(&RULE, file, target_field.value_span, message).with_related(vec![Related { file, span: baseline_field.value_span, message: msg!(ctx.lang, "基準値", "the baseline") }]));
    }
}
