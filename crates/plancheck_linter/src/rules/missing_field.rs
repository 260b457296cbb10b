//! `missing-field` (PC101): a required field absent.

use super::{FileContext, RuleMeta};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{BlockKind, FieldKey, schema};

pub static RULE: RuleMeta = RuleMeta {
    name: "missing-field",
    code: "PC101",
    default_severity: Severity::Warning,
    summary_ja: "必須のフィールドがない",
    summary_en: "a required field is absent",
    doc_ja: "## 何を検出するか
必須のフィールドがないブロックを報告します。

- `施策`: `全体評価`
- `指標`: `実績`、`目標`、`定量評価` (取得できない値は `-` と書きます)。`plancheck.toml` の
  `[rating] method = \"progress\"` (基準値からの進捗率) では `基準値` も
- `展開`: `成果`、`定性評価`

値が空のもの (`全体評価:` だけ) もないものとして扱います。団体の様式にその欄がない項目は、`計画` の
`様式にない項目: 全体評価, 定性評価` に書くと求めません (取り込みは、列のない項目をここに書きます)。

## なぜ
公表された一覧で空欄になっている項目は、記入漏れか、行のずれで別の欄に入ってしまったものです。

## 例
```plan
施策 2-2-4 魅力ある観光の振興 {
  全体評価: C
  代表課: 文化観光課
  指標 観光入込客数 {
    実績: 258万人
    目標: 390万人
    # 定量評価 がない
  }
}
```",
    doc_en: "## What it does
Reports a block without a required field:

- `施策`: `全体評価`
- `指標`: `実績`, `目標`, `定量評価` (write `-` for a value that could not be obtained); with
  `[rating] method = \"progress\"` in `plancheck.toml` (progress from the baseline), `基準値` too
- `展開`: `成果`, `定性評価`

A field with an empty value (`全体評価:` alone) counts as absent. Fields the body's form has no
place for, listed in the `計画` block's `様式にない項目: 全体評価, 定性評価`, are not asked for
(import writes there the fields its table has no column for).

## Why
Blank cells in a published sheet are omissions, or text that slipped into another column.

## Example
```plan
施策 2-2-4 魅力ある観光の振興 {
  全体評価: C
  代表課: 文化観光課
  指標 観光入込客数 {
    実績: 258万人
    目標: 390万人
    # no 定量評価
  }
}
```",
    fixes: &[],
    in_spec: true,
    settings: &["[rating] method"],
    scope: super::Scope::File,
};

const REQUIRED: &[(BlockKind, &[FieldKey])] = &[
    (BlockKind::Measure, &[FieldKey::OverallGrade]),
    (BlockKind::Indicator, &[FieldKey::Actual, FieldKey::Target, FieldKey::IndicatorGrade]),
    (BlockKind::Development, &[FieldKey::Result, FieldKey::DevelopmentLevel]),
];

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    for block in &doc.blocks {
        let Some(kind) = block.kind else { continue };
        let Some((_, required)) = REQUIRED.iter().find(|(k, _)| *k == kind) else {
            continue;
        };
        // A line of this block that could not be read may be the field:
        // the syntax error says so, a guess about what is missing would not.
        let own_error = doc.syntax_errors.iter().any(|e| block.span.contains(e.span) && !block.children.iter().any(|&c| doc.blocks[c].span.contains(e.span)) && !block.header.contains(e.span));
        if own_error {
            continue;
        }
        // The methods from the baseline rate an indicator from its 基準値
        // too (the indicator's own `計算方法`, else the scheme's); against
        // an expected value, from its 期待値 or its 基準値.
        use crate::rating::{Method, Stated};
        let method = match crate::rating::stated_method(block) {
            Stated::Read(m) => m,
            _ => ctx.rating.method,
        };
        let by_method: &[FieldKey] = match (kind, method) {
            (BlockKind::Indicator, Method::Progress | Method::Baseline | Method::BaselinePoints) => &[FieldKey::Baseline],
            // No 期待値, and no line from a 基準値 to the target by their
            // years: the indicator cannot be rated.
            (BlockKind::Indicator, Method::Expected)
                if !block.has_value(FieldKey::Expected)
                    && matches!(crate::rating::rate_indicator_block(ctx.rating, block), Some(crate::rating::IndicatorRating::NoExpected { .. })) =>
            {
                &[FieldKey::Expected]
            }
            _ => &[],
        };
        // What the body's form has no place for (`様式にない項目`) is not asked for.
        let missing: Vec<&str> = required.iter().chain(by_method).filter(|&&key| !block.has_value(key) && !ctx.hierarchy.form_lacks(key)).map(|&key| schema::def(key).name()).collect();
        if missing.is_empty() {
            continue;
        }
        let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>();
        out.push(Diagnostic::new(&RULE, file, block.header, msg!(ctx.lang, format!("{} に {} がありません", block.label(), list.join("・")), format!("{} has no {}", block.label(), list.join(", ")))));
    }
}
