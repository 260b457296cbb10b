//! `period-mismatch` (PC401): a value's note names a year other than the plan's 実績年度 / 目標年度.

use super::{Context, RuleMeta};
use crate::diagnostics::{Diagnostic, Related, Severity};
use crate::model::value::{Quantity, years_in};
use crate::model::{BlockKind, FieldKey};
use crate::syntax::Span;

pub static RULE: RuleMeta = RuleMeta {
    name: "period-mismatch",
    code: "PC401",
    default_severity: Severity::Info,
    summary_ja: "値の注記の年が、計画の実績年度・目標年度と違う",
    summary_en: "a value's note names a year other than the plan's",
    doc_ja: "## 何を検出するか
`計画` ブロックの `実績年度` と `目標年度` に対して、`実績` の注記 (`(R3年)` など) が実績年度以外の年を、
`目標` と `見込み` の注記が目標年度以外の年を指しているものを知らせます。期間 (`(H30-R6)`) はその年を含めば合っています。
和暦 (`R4`、`令和4年度`、`H30`、`平成30年`、`令和元年`) と西暦 (`2022年`) を読みます。

## なぜ
一覧の列見出しは「令和4年度実績値」でも、統計の都合で前年の値が入っていることがあります。
読み手が比べる年を取り違えないよう、注記を確かめます。(情報のみ)

## 例
```plan
計画 第2次伊勢崎市総合計画 {
  実績年度: 令和4年度
  目標年度: 令和6年度
}
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: B
  代表課: 健康づくり課
  指標 75歳未満のがんによる年齢調整死亡率 {
    # 令和3年 ≠ 令和4年度
    実績: 60.5人 (R3年)
    目標: 59.0人 (R6年度)
    方向: 減少
    定量評価: B
  }
}
```",
    doc_en: "## What it does
Against the `計画` block's `実績年度` and `目標年度`, reports an `実績` whose note (`(R3年)`) names
another year than the actual year, and a `目標` or `見込み` whose note names another year than the
target year. A period (`(H30-R6)`) matches when it includes the year. Reads Japanese eras (`R4`,
`令和4年度`, `H30`, `平成30年`, `令和元年`) and western years (`2022年`).

## Why
A column headed 令和4年度実績値 may hold the previous year's figure for statistical reasons; readers
should not compare the wrong years. (Information only.)

## Example
```plan
計画 第2次伊勢崎市総合計画 {
  実績年度: 令和4年度
  目標年度: 令和6年度
}
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: B
  代表課: 健康づくり課
  指標 75歳未満のがんによる年齢調整死亡率 {
    # 令和3年 is not 令和4年度
    実績: 60.5人 (R3年)
    目標: 59.0人 (R6年度)
    方向: 減少
    定量評価: B
  }
}
```",
    fixes: &[],
    in_spec: true,
    settings: &[],
    scope: super::Scope::Workspace,
};

pub fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some((plan_file, plan)) = ctx.workspace.plan_header() else {
        return;
    };
    let year_of = |key: FieldKey| -> Option<(i32, Span, String)> {
        let field = plan.field(key)?;
        let years = years_in(&field.text);
        match years.as_slice() {
            [(y, _)] => Some((*y, field.value_span, field.text.trim().to_string())),
            _ => None,
        }
    };
    let actual_year = year_of(FieldKey::ActualYear);
    let target_year = year_of(FieldKey::TargetYear);
    for (file, doc) in ctx.workspace.docs.iter().enumerate() {
        for (_, block) in doc.blocks_of(BlockKind::Indicator) {
            for (key, plan_year, plan_key) in [(FieldKey::Actual, &actual_year, "実績年度"), (FieldKey::Target, &target_year, "目標年度"), (FieldKey::Forecast, &target_year, "目標年度")] {
                let Some((year, year_span, year_text)) = plan_year else {
                    continue;
                };
                let Some((Quantity::Value(value), field)) = block.quantity(key) else {
                    continue;
                };
                let Some(note) = &value.note else { continue };
                let years = years_in(note);
                if years.is_empty() {
                    continue;
                }
                let matches = match years.as_slice() {
                    [(from, _), (to, true)] => from <= year && year <= to,
                    _ => years.iter().any(|(y, _)| y == year),
                };
                if matches {
                    continue;
                }
                let name = &field.key_text.value;
                out.push(
                    Diagnostic::new(
                        &RULE,
                        file,
                        field.value_span,
                        msg!(ctx.lang,
                            format!("{name} の注記 ({note}) は {plan_key} ({year_text}) と違う年の値です"),
                            format!("the note of {name} ({note}) names another year than the plan's {plan_key} ({year_text})"),
                        ),
                    )
                    .with_related(vec![Related { file: plan_file, span: *year_span, message: msg!(ctx.lang, format!("計画の{plan_key}"), format!("the plan's {plan_key}")) }]),
                );
            }
        }
    }
}

