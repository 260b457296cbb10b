//! `unknown-block` (PC007, extension): a block keyword the format does not know.

use super::helpers::did_you_mean;
use super::helpers::{ReplaceFix, Wording};
use super::{FileContext, RuleMeta};
use crate::diagnostics::{Applicability, Diagnostic, Severity};
use crate::model::BlockKind;

pub static RULE: RuleMeta = RuleMeta {
    name: "unknown-block",
    code: "PC007",
    default_severity: Severity::Error,
    summary_ja: "形式にないブロックの種類",
    summary_en: "a block keyword that is not in the format",
    doc_ja: "## 何を検出するか
`計画`、`基本政策`、`政策`、`施策`、`指標`、`展開` (`施策の展開`) 以外の語で始まるブロックを報告します。
中身は検査されません。(plancheck の拡張ルール)

## 例
```plan
# 施策 の誤字
施作 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: C
  代表課: 健康づくり課
}
```
`施作` → `施策`。",
    doc_en: "## What it does
Reports a block whose keyword is not one of `計画`, `基本政策`, `政策`, `施策`, `指標`, `展開`
(`施策の展開`). Its contents are not checked. (A plancheck extension.)

## Example
```plan
# 施策 misspelt
施作 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: C
  代表課: 健康づくり課
}
```
`施作` → `施策`.",
    fixes: &[Applicability::Unsafe],
    in_spec: false,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    for block in doc.blocks.iter().filter(|b| b.kind.is_none()) {
        let keyword = &block.keyword.value;
        let suggestion = did_you_mean(keyword, BlockKind::KEYWORDS.into_iter());
        let list = BlockKind::KEYWORDS.join("・");
        let mut d = Diagnostic::new(
            &RULE,
            file,
            block.keyword.span,
            match suggestion {
                Some(s) => msg!(ctx.lang, format!("`{keyword}` というブロックはありません。もしかして `{s}`?"), format!("unknown block `{keyword}`; did you mean `{s}`?")),
                None => msg!(ctx.lang, format!("`{keyword}` というブロックはありません ({list})"), format!("unknown block `{keyword}` (one of {list})")),
            },
        );
        if let Some(s) = suggestion {
            d = d.replace_fix(Applicability::Unsafe, Wording::Rename, block.keyword.span, s, ctx.lang);
        }
        out.push(d);
    }
}
