//! `duplicate-field` (PC009, extension): a field that may appear once, written twice in a block.

use super::{FileContext, RuleMeta};
use crate::diagnostics::{Diagnostic, Related, Severity};

pub static RULE: RuleMeta = RuleMeta {
    name: "duplicate-field",
    code: "PC009",
    default_severity: Severity::Error,
    summary_ja: "1つのブロックに2回書かれたフィールド",
    summary_en: "a single-valued field written twice in one block",
    doc_ja: "## 何を検出するか
1回しか書けないフィールド (`実績`、`全体評価`、`成果` など) が同じブロックに2回以上あるものを報告します。
`取組`、`次期課題`、`次期方向性`、`備考` は繰り返せます。(plancheck の拡張ルール)

## なぜ
どちらの値が正しいのか分からず、評価の再計算は最初の値だけを使います。

## 例
```plan
施策 2-2-4 魅力ある観光の振興 {
  全体評価: C
  代表課: 文化観光課
  指標 観光入込客数 {
    実績: 258万人
    # 2つ目の 実績
    実績: 260万人
    目標: 390万人
    定量評価: C
  }
}
```",
    doc_en: "## What it does
Reports a field that may appear once (`実績`, `全体評価`, `成果`, ...) written more than once in the
same block. `取組`, `次期課題`, `次期方向性` and `備考` may repeat. (A plancheck extension.)

## Why
It is unclear which value is meant; ratings use the first one only.

## Example
```plan
施策 2-2-4 魅力ある観光の振興 {
  全体評価: C
  代表課: 文化観光課
  指標 観光入込客数 {
    実績: 258万人
    # a second 実績
    実績: 260万人
    目標: 390万人
    定量評価: C
  }
}
```",
    fixes: &[],
    in_spec: false,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    // The first field of each key, found in one pass (a search of the
    // fields before each one was quadratic in a block's fields). The keys
    // are the schema's, a few dozen at most, so a short list searched in
    // order is linear in the fields, and cheaper than hashing; it is
    // reused from block to block.
    let mut firsts: Vec<(crate::model::FieldKey, usize)> = Vec::new();
    for block in &doc.blocks {
        firsts.clear();
        for (i, field) in block.fields.iter().enumerate() {
            let Some(def) = field.def() else { continue };
            let first = match firsts.iter().find(|(key, _)| *key == def.key) {
                Some(&(_, first)) => first,
                None => {
                    firsts.push((def.key, i));
                    i
                }
            };
            if def.repeatable || first == i {
                continue;
            }
            let first = &block.fields[first];
            out.push(
                Diagnostic::new(
                    &RULE,
                    file,
                    field.key_text.span,
                    msg!(ctx.lang, format!("`{}` はこのブロックにすでにあります (1回だけ書けます)", def.name()), format!("`{}` is already given in this block (it may appear once)", def.name())),
                )
                .with_related(vec![Related { file, span: first.key_text.span, message: msg!(ctx.lang, "最初の記述", "first given here") }]),
            );
        }
    }
}
