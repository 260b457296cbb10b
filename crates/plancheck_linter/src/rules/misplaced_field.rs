//! `misplaced-field` (PC004): a known key in the wrong block.

use super::{FileContext, RuleMeta};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::FieldResolution;

pub static RULE: RuleMeta = RuleMeta {
    name: "misplaced-field",
    code: "PC004",
    default_severity: Severity::Error,
    summary_ja: "別のブロックに属するフィールド",
    summary_en: "a known key in the wrong block",
    doc_ja: "## 何を検出するか
形式にあるキーが、属さないブロックに書かれているものを報告します (例: `施策` 直下の `実績:`、`指標` の中の `代表課:`)。

## なぜ
ブロックが違うと値の意味が変わり (施策の `定量評価` は高・中・低、指標の `定量評価` は A〜D)、評価の再計算に使われません。

## 例
```plan
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: C
  代表課: 健康づくり課
  # 指標 { } の中に書く
  実績: 5,900人
}
```",
    doc_en: "## What it does
Reports a known key written in a block it does not belong to (`実績:` directly in a `施策`, `代表課:` in a `指標`).

## Why
The same key means different things in different blocks (a 施策's `定量評価` is 高/中/低, an
indicator's is A–D), and a misplaced value takes no part in the ratings.

## Example
```plan
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: C
  代表課: 健康づくり課
  # belongs in a 指標 { } block
  実績: 5,900人
}
```",
    fixes: &[],
    in_spec: true,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    for (block, field) in doc.all_fields() {
        let FieldResolution::Misplaced(homes) = &field.resolution else {
            continue;
        };
        let key = &field.key_text.value;
        let here_ja = block.map_or("ブロックの外".to_string(), |b| format!(" `{}` の中", doc.blocks[b].keyword.value));
        let here_en = block.map_or("outside any block".to_string(), |b| format!("in a `{}` block", doc.blocks[b].keyword.value));
        let homes: Vec<&str> = homes.iter().map(|k| k.keyword()).collect();
        let message = if homes.is_empty() {
            msg!(ctx.lang, format!("`{key}` はブロックの中に書きます"), format!("`{key}` belongs inside a block"))
        } else {
            let list = homes.join("・");
            msg!(ctx.lang, format!("`{key}` は{here_ja}には書けません ({list} のフィールドです)"), format!("`{key}` cannot stand {here_en}: it is a field of {}", homes.join(", ")))
        };
        out.push(Diagnostic::new(&RULE, file, field.key_text.span, message));
    }
}
