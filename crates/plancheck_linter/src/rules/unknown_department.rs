//! `unknown-department` (PC103, extension): a 代表課 not in the configured list.

use super::helpers::did_you_mean;
use super::helpers::{ReplaceFix, Wording};
use super::{FileContext, RuleMeta};
use crate::diagnostics::{Applicability, Diagnostic, Severity};
use crate::model::value::nfkc;
use crate::model::{BlockKind, FieldKey};

pub static RULE: RuleMeta = RuleMeta {
    name: "unknown-department",
    code: "PC103",
    default_severity: Severity::Warning,
    summary_ja: "設定の課一覧にない代表課",
    summary_en: "a 代表課 that is not in the configured list",
    doc_ja: "## 何を検出するか
`plancheck.toml` に `departments = [\"健康づくり課\", …]` があるとき、その一覧にない `代表課` を報告します
(全角・半角の違いは無視します)。一覧がなければ何もしません。(plancheck の拡張ルール)

## なぜ
課の名前の書き間違いや、組織改編前の古い課名を見つけます。

## 例
`plancheck.toml`:
```toml
departments = [\"健康づくり課\", \"文化観光課\"]
```
```plan
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: C
  # 一覧には 健康づくり課
  代表課: 健康づくり係
}
```
一覧のいちばん近い名前 (`健康づくり課`) に直す修正があります (推測なので、`--unsafe-fixes` のときだけ適用します)。",
    doc_en: "## What it does
When `plancheck.toml` lists `departments = [\"健康づくり課\", …]`, reports a `代表課` not in the list
(width differences ignored). Does nothing without a list. (A plancheck extension.)

## Why
Finds misspelt department names and names from before a reorganisation.

## Example
`plancheck.toml`:
```toml
departments = [\"健康づくり課\", \"文化観光課\"]
```
```plan
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: C
  # the list has 健康づくり課
  代表課: 健康づくり係
}
```
A fix renames it to the closest name of the list (`健康づくり課`); it is a guess, applied only with `--unsafe-fixes`.",
    fixes: &[Applicability::Unsafe],
    in_spec: false,
    settings: &["departments"],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    let known = &ctx.config.departments;
    if known.is_empty() {
        return;
    }
    let normalized: Vec<String> = known.iter().map(|d| nfkc(d.trim())).collect();
    for (_, block) in doc.blocks_of(BlockKind::Measure) {
        let Some(field) = block.field(FieldKey::Department) else {
            continue;
        };
        if field.is_empty() {
            continue;
        }
        let value = nfkc(field.text.trim());
        if normalized.contains(&value) {
            continue;
        }
        let suggestion = did_you_mean(&value, known.iter().map(String::as_str));
        let mut d = Diagnostic::new(
            &RULE,
            file,
            field.value_span,
            match suggestion {
                Some(s) => msg!(ctx.lang, format!("`{value}` は課の一覧にありません。もしかして `{s}`?"), format!("`{value}` is not in the list of departments; did you mean `{s}`?")),
                None => {
                    msg!(ctx.lang, format!("`{value}` は課の一覧 (plancheck.toml の departments) にありません"), format!("`{value}` is not in the list of departments (plancheck.toml `departments`)"))
                }
            },
        );
        if let Some(s) = suggestion {
            d = d.replace_fix(Applicability::Unsafe, Wording::Replace, field.value_span, s, ctx.lang);
        }
        out.push(d);
    }
}
