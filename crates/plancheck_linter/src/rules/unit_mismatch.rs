//! `unit-mismatch` (PC204): 実績 (or 見込み) and 目標 in units that cannot be compared.

use super::{FileContext, RuleMeta};
use crate::diagnostics::{Diagnostic, Related, Severity};
use crate::model::value::{Quantity, unit_scale};
use crate::model::{BlockKind, FieldKey};

pub static RULE: RuleMeta = RuleMeta {
    name: "unit-mismatch",
    code: "PC204",
    default_severity: Severity::Warning,
    summary_ja: "実績 (見込み) と目標の単位が比べられない",
    summary_en: "実績 (or 見込み) and 目標 in units that cannot be compared",
    doc_ja: "## 何を検出するか
指標の `実績` (`見込み`、`基準値`) と `目標` の単位が違い、比べられないものを報告します。このとき評価は計算しません。
`万人` と `人`、`億円` と `円`、`t` と `kg` と `g` のように換算できる単位は換算して比べます。
単位の片方だけがないものも報告します。

## なぜ
単位の違う値の比は意味がなく、記載された評価を検証できません。単位の書き忘れか、別の指標の値を書いたものです。

## 例
```plan
施策 1-2-2 地域福祉社会の構築 {
  全体評価: C
  代表課: 社会福祉課
  指標 ボランティア活動に参加したことがある人の割合 {
    # % と 人 は比べられない
    実績: 25.0%
    目標: 600人
    定量評価: C
  }
}
```",
    doc_en: "## What it does
Reports an indicator whose `実績` (`見込み`, `基準値`) and `目標` are in units that cannot be compared; no
grade is computed then. Units that convert (`万人` and `人`, `億円` and `円`, `t`, `kg` and `g`)
are converted. A unit given on one side only is reported too.

## Why
A ratio of values in different units means nothing, so the stated grade cannot be verified: a
unit was forgotten, or a value belongs to another indicator.

## Example
```plan
施策 1-2-2 地域福祉社会の構築 {
  全体評価: C
  代表課: 社会福祉課
  指標 ボランティア活動に参加したことがある人の割合 {
    # % and 人 do not compare
    実績: 25.0%
    目標: 600人
    定量評価: C
  }
}
```",
    fixes: &[],
    in_spec: true,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    for (_, block) in doc.blocks_of(BlockKind::Indicator) {
        let Some((Quantity::Value(target), target_field)) = block.quantity(FieldKey::Target) else {
            continue;
        };
        // The fields, and each year of the per-year targets (`目標推移`).
        let fields = [FieldKey::Actual, FieldKey::Forecast, FieldKey::Baseline, FieldKey::Expected]
            .into_iter()
            .filter_map(|key| block.quantity(key))
            .filter_map(|(q, field)| match q {
                Quantity::Value(m) => Some((m.clone(), field.key_text.value.clone(), field.key_text.value.clone(), field.value_span)),
                Quantity::NotObtainable { .. } => None,
            });
        let yearly = crate::series::target_series_of(block).into_iter().flatten().flatten().filter_map(|entry| match entry.value {
            Some(Quantity::Value(m)) => Some((m, format!("目標推移 の {}", entry.year_text), format!("the 目標推移 line {}", entry.year_text), entry.span)),
            _ => None,
        });
        for (value, name, name_en, span) in fields.chain(yearly) {
            if unit_scale(&value.unit, &target.unit).is_some() {
                continue;
            }
            let shown = |u: &str| {
                if u.is_empty() { "(単位なし)".to_string() } else { u.to_string() }
            };
            let shown_en = |u: &str| {
                if u.is_empty() { "(no unit)".to_string() } else { u.to_string() }
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    file,
                    span,
                    msg!(ctx.lang,
                        format!("{name} の単位 {} と 目標 の単位 {} は比べられないため、評価を計算できません", shown(&value.unit), shown(&target.unit)),
                        format!("the units of {name_en} ({}) and 目標 ({}) cannot be compared, so no grade can be computed", shown_en(&value.unit), shown_en(&target.unit)),
                    ),
                )
                .with_related(vec![Related { file, span: target_field.value_span, message: msg!(ctx.lang, "目標", "the target") }]),
            );
        }
    }
}
