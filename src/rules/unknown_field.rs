//! `unknown-field` (PC003): a key that the format does not know.

use super::{Context, RuleMeta};
use crate::diagnostics::{Applicability, Diagnostic, Edit, Severity};
use crate::model::FieldResolution;
use crate::model::schema;
use crate::model::value::nfkc;

pub static RULE: RuleMeta = RuleMeta {
    name: "unknown-field",
    code: "PC003",
    default_severity: Severity::Error,
    summary_ja: "形式にないフィールド名",
    summary_en: "a key that is not in the format",
    doc_ja: "## 何を検出するか
仕様のフィールド表にないキーを報告します。近い名前があれば「もしかして」を示し、置き換える修正を提案します。

## なぜ
誤字のあるキー (`実積:`) の値は検査されず、必須項目の欠落としても見えにくくなります。

## 例
```
指標 観光入込客数 {
  実積: 258万人
}
```
`実積` → `実績`。形式にない情報を残したいときは `備考:` に書きます。",
    doc_en: "## What it does
Reports keys that are not in the spec's field tables, with a did-you-mean and a fix when a known
key is close.

## Why
A misspelt key (`実積:`) is not checked, and the field it was meant to be is then missing.

## Example
```
指標 観光入込客数 {
  実積: 258万人
}
```
`実積` → `実績`. Information the format has no field for goes in `備考:`.",
    fixable: true,
    in_spec: true,
    scope: super::Scope::File,
};

pub fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (file, doc) in ctx.workspace.docs.iter().enumerate() {
        for (block, field) in doc.all_fields() {
            if !matches!(field.resolution, FieldResolution::Unknown) {
                continue;
            }
            let key = &field.key_text.value;
            let kind = block.and_then(|b| doc.blocks[b].kind);
            // Names valid here first; then any name of the format (it may
            // be misspelt and misplaced at once).
            let suggestion = kind.and_then(|kind| did_you_mean(key, schema::names_in(kind))).or_else(|| did_you_mean(key, schema::FIELDS.iter().flat_map(|d| d.names.iter().copied())));
            // A name the block already has (`成果2` beside `成果`) is not
            // offered as a fix: the rename would make a duplicate-field.
            let taken = suggestion.is_some_and(|s| match (block, schema::resolve_key(kind, s)) {
                (Some(b), schema::KeyResolution::Known(def)) => !def.repeatable && doc.blocks[b].field(def.key).is_some(),
                _ => false,
            });
            let mut d = Diagnostic::new(
                &RULE,
                file,
                field.key_text.span,
                match &suggestion {
                    Some(s) if taken => ctx.msg(
                        format!("`{key}` というフィールドはありません (`{s}` はこのブロックにすでにあります。形式にない情報は `備考:` に書けます)"),
                        format!("unknown field `{key}` (this block already has `{s}`; information without a field of its own goes in `備考:`)"),
                    ),
                    Some(s) => ctx.msg(format!("`{key}` というフィールドはありません。もしかして `{s}`?"), format!("unknown field `{key}`; did you mean `{s}`?")),
                    None => ctx.msg(
                        format!("`{key}` というフィールドはありません (形式にない情報は `備考:` に書けます)"),
                        format!("unknown field `{key}` (information without a field of its own goes in `備考:`)"),
                    ),
                },
            );
            if let Some(s) = suggestion.filter(|_| !taken) {
                d = d.with_fix(Applicability::Unsafe, ctx.msg(format!("`{s}` に直す"), format!("rename to `{s}`")), vec![Edit { span: field.key_text.span, replacement: s.to_string() }]);
            }
            out.push(d);
        }
    }
}

/// The closest candidate, if it is close enough to be a misspelling.
pub(crate) fn did_you_mean<'a>(key: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let key = nfkc(key);
    let len = key.chars().count();
    candidates.map(|c| (rapidfuzz::distance::levenshtein::distance(key.chars(), c.chars()), c)).filter(|(d, c)| *d <= 2.max(len / 3) && *d < len.max(c.chars().count())).min().map(|(_, c)| c)
}
