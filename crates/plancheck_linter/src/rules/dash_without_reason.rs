//! `dash-without-reason` (PC209): an indicator's value is `-` (not obtainable) with no reason given.

use super::{FileContext, RuleMeta};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::value::Quantity;
use crate::model::{BlockKind, FieldKey};

pub static RULE: RuleMeta = RuleMeta {
    name: "dash-without-reason",
    code: "PC209",
    default_severity: Severity::Info,
    summary_ja: "取得できない値 (`-`) に理由がない",
    summary_en: "a value that could not be obtained (`-`) has no reason",
    doc_ja: "## 何を検出するか
指標の `実績`・`目標`・`見込み`・`基準値` が `-` (取得できない) だけで、理由が書かれていないものを報告します。
理由は `-` の後の括弧に書きます: `実績: - (調査は令和6年度から)`、`目標: - (目標を設定していない)`。

## なぜ
`-` の評価は平均から除かれるので、理由のない `-` は、評価の分からない指標を黙って外すことになります。
公表された評価では「値が確認できなかった」「目標値の設定をしていなかった」などの理由を添えている自治体があります。

## 例
```plan
施策 2-2-1 商工業の振興 {
  全体評価: B
  代表課: 商工政策課
  指標 事業所数 {
    # 理由がない
    実績: -
    目標: 189事業所
    定量評価: -
  }
}
```
`実績: - (経済センサスの公表が令和7年度)` のように理由を書きます。",
    doc_en: "## What it does
Reports an indicator whose `実績`, `目標`, `見込み` or `基準値` is `-` (not obtainable) with no
reason. The reason goes in parentheses after the dash: `実績: - (surveyed from 令和6年度)`,
`目標: - (no target set)`.

## Why
A `-` grade is left out of the averages, so a `-` without a reason silently drops an indicator
whose state nobody knows. Published evaluations give the reason (the value could not be
confirmed; no target had been set).

## Example
```plan
施策 2-2-1 商工業の振興 {
  全体評価: B
  代表課: 商工政策課
  指標 事業所数 {
    # no reason
    実績: -
    目標: 189事業所
    定量評価: -
  }
}
```
Write the reason: `実績: - (経済センサスの公表が令和7年度)`.",
    fixes: &[],
    in_spec: false,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    for (_, block) in doc.blocks_of(BlockKind::Indicator) {
        for key in [FieldKey::Actual, FieldKey::Target, FieldKey::Forecast, FieldKey::Baseline] {
            let Some((Quantity::NotObtainable { reason: None }, field)) = block.quantity(key) else { continue };
            let name = &field.key_text.value;
            out.push(Diagnostic::new(
                &RULE,
                file,
                field.value_span,
                msg!(ctx.lang,
                    format!("{name} が `-` (取得できない) ですが、理由がありません: `- (調査は令和6年度から)` のように括弧で書きます"),
                    format!("{name} is `-` (not obtainable) with no reason: give it in parentheses, e.g. `- (surveyed from 令和6年度)`"),
                ),
            ));
        }
    }
}
