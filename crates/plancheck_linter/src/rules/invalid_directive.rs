//! `invalid-directive` (PC011, extension): a suppression naming an unknown rule, or covering nothing.

use super::helpers::{ReplaceFix, Wording};
use super::{FileContext, RuleMeta};
use crate::diagnostics::{Applicability, Diagnostic, Severity};

pub static RULE: RuleMeta = RuleMeta {
    name: "invalid-directive",
    code: "PC011",
    default_severity: Severity::Warning,
    summary_ja: "知らないルール名、または対象のない抑制コメント",
    summary_en: "a suppression naming an unknown rule, or covering nothing",
    doc_ja: "## 何を検出するか
`# plancheck:` で始まるのに `allow(...)` / `allow-file(...)` の形でないコメント、ルール名が存在しないもの、`allow(...)` の後に対象となる
フィールドやブロックがないものを報告します。(plancheck の拡張ルール)

## なぜ
ルール名を書き間違えた抑制は何も抑制せず、抑制したつもりの警告が出続けます。

## 例
```plan
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: C
  代表課: 健康づくり課
  指標 健康づくり事業への参加者数 {
    実績: 5,900人
    目標: 10,650人
    # 何も抑制しないので、rating-mismatch も報告されます
    # plancheck: allow(rating-mismach)
    定量評価: C
  }
}
```
`rating-mismatch` に直します。",
    doc_en: "## What it does
Reports a comment starting with `# plancheck:` that is not an `allow(...)` / `allow-file(...)`,
a directive naming a rule that does not exist, and an
`allow(...)` with no field or block after it. (A plancheck extension.)

## Why
A misspelt suppression suppresses nothing.

## Example
```plan
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: C
  代表課: 健康づくり課
  指標 健康づくり事業への参加者数 {
    実績: 5,900人
    目標: 10,650人
    # suppresses nothing, so rating-mismatch is reported too
    # plancheck: allow(rating-mismach)
    定量評価: C
  }
}
```
Correct it to `rating-mismatch`.",
    fixes: &[Applicability::Unsafe],
    in_spec: false,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    for &span in &doc.malformed_directives {
        out.push(Diagnostic::new(
            &RULE,
            file,
            span,
            msg!(ctx.lang,
                "`# plancheck:` で始まるコメントは抑制の指示として読まれますが、形式が違います: `# plancheck: allow(ルール名, …)` または `allow-file(…)` と書きます。ふつうのコメントなら `plancheck:` で始めないでください",
                "a comment starting with `# plancheck:` is read as a directive, but this one is malformed: write `# plancheck: allow(RULE, …)` or `allow-file(…)`; an ordinary comment should not start with `plancheck:`",
            ),
        ));
    }
    for allow in doc.allows.iter().chain(&doc.file_allows) {
        for rule in &allow.rules {
            if super::by_name(&rule.value).is_some() {
                continue;
            }
            let suggestion = super::closest_name(&rule.value);
            let mut d = Diagnostic::new(
                &RULE,
                file,
                rule.span,
                match suggestion {
                    Some(s) => msg!(ctx.lang, format!("`{}` というルールはありません。もしかして `{s}`?", rule.value), format!("unknown rule `{}`; did you mean `{s}`?", rule.value)),
                    None => msg!(ctx.lang, format!("`{}` というルールはありません (`plancheck explain --list`)", rule.value), format!("unknown rule `{}` (see `plancheck explain --list`)", rule.value)),
                },
            );
            if let Some(s) = suggestion {
                d = d.replace_fix(Applicability::Unsafe, Wording::Replace, rule.span, s, ctx.lang);
            }
            out.push(d);
        }
        if allow.scope.is_none() {
            out.push(Diagnostic::new(
                &RULE,
                file,
                allow.directive,
                msg!(ctx.lang, "この抑制コメントの後に対象のフィールドやブロックがありません", "no field or block follows this suppression, so it covers nothing"),
            ));
        }
    }
}
