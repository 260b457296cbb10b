//! `missing-department` (PC102): a 施策 without 代表課.

use super::{FileContext, RuleMeta};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{BlockKind, FieldKey};

pub static RULE: RuleMeta = RuleMeta {
    name: "missing-department",
    code: "PC102",
    default_severity: Severity::Warning,
    summary_ja: "施策に代表課がない",
    summary_en: "a 施策 without 代表課",
    doc_ja: "## 何を検出するか
`代表課` (施策代表課) がない、または空の `施策` を報告します。

## なぜ
責任を持つ課が書かれていない施策は、問い合わせ先も、次期計画で誰が課題に取り組むのかも分かりません。
公表された一覧では、代表課の欄が空のまま印刷された施策がありました。

## 例
```plan
施策 4-2-3 文化財の保存活用と伝統文化の継承 {
  全体評価: C
  # 代表課 がない
}
```
`代表課: 文化財保護課` のように、責任を持つ課を書きます。",
    doc_en: "## What it does
Reports a `施策` without `代表課` (施策代表課), or with an empty one.

## Why
Without its responsible department, nobody knows whom to ask, nor who takes on its issues in
the next plan. The published sheet printed 施策 with this cell blank.

## Example
```plan
施策 4-2-3 文化財の保存活用と伝統文化の継承 {
  全体評価: C
  # no 代表課
}
```
Add the responsible department, e.g. `代表課: 文化財保護課`.",
    fixes: &[],
    in_spec: true,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    for (_, block) in doc.blocks_of(BlockKind::Measure) {
        match block.field(FieldKey::Department) {
            Some(field) if !field.is_empty() => {}
            Some(field) => {
                out.push(Diagnostic::new(&RULE, file, field.key_text.span, msg!(ctx.lang, format!("{} の `代表課` が空です", block.label()), format!("the `代表課` of {} is empty", block.label()))))
            }
            None => out.push(Diagnostic::new(
                &RULE,
                file,
                block.header,
                msg!(ctx.lang, format!("{} に `代表課` がありません", block.label()), format!("{} has no `代表課` (responsible department)", block.label())),
            )),
        }
    }
}
