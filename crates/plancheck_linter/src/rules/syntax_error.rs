//! `syntax-error` (PC001): text the grammar cannot read.

use super::{FileContext, RuleMeta};
use crate::diagnostics::{Applicability, Diagnostic, Edit, Severity};

pub static RULE: RuleMeta = RuleMeta {
    name: "syntax-error",
    code: "PC001",
    default_severity: Severity::Error,
    summary_ja: "文法として読めない記述",
    summary_en: "text the grammar cannot read",
    doc_ja: "## 何を検出するか
`.plan` の文法として読めない行を報告します。フィールドのコロン忘れ、ブロックの `{` や `}` の不足、
値が空でないフィールドの後の `|` テキスト行などです。

## なぜ
読めない行の内容は検査されません。1行の誤りは他の行の検査を妨げませんが、その行自体は直すまで無視されます。

## 例
```plan
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: C
  代表課: 健康づくり課
  指標 健康づくり事業への参加者数 {
    # コロンがない
    実績 5,900人
    目標: 10,650人
    定量評価: D
  }
}
```
`実績: 5,900人` と書きます。",
    doc_en: "## What it does
Reports lines the `.plan` grammar cannot read: a field without its colon, a block missing its `{` or
`}`, a `|` text line after a field that already has a value.

## Why
What cannot be read is not checked. One bad line does not stop the rest of the file from being
checked, but the line itself is ignored until it is fixed.

## Example
```plan
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: C
  代表課: 健康づくり課
  指標 健康づくり事業への参加者数 {
    # no colon
    実績 5,900人
    目標: 10,650人
    定量評価: D
  }
}
```
Write `実績: 5,900人`.",
    fixes: &[Applicability::Safe, Applicability::Unsafe],
    in_spec: true,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    for error in &doc.syntax_errors {
        let mut d = Diagnostic::new(&RULE, file, error.span, msg!(ctx.lang, error.ja.clone(), error.en.clone()));
        if let Some((span, text)) = &error.fix {
            // The colon after a known key is exact; the `|` before a
            // line under an empty field is a guess at what it was.
            let applicability = if text == ":" { Applicability::Safe } else { Applicability::Unsafe };
            d = d.with_fix(applicability, msg!(ctx.lang, format!("`{}` を補う", text.trim()), format!("insert `{}`", text.trim())), vec![Edit { span: *span, replacement: text.clone() }]);
        }
        out.push(d);
    }
}
