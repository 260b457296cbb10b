//! `invalid-id` (PC010, extension): a 基本政策, 政策 or 施策 without a well-formed ID.

use super::helpers::{ReplaceFix, Wording};
use super::{FileContext, RuleMeta};
use crate::diagnostics::{Applicability, Diagnostic, Severity};
use crate::model::Block;
use crate::syntax::Span;

/// An ID written with dots or other separators at the start of the title
/// (`施策 1.1.4 …`, `1・1・4`): its span, as written, and as it should be.
fn dotted_id(block: &Block) -> Option<(Span, String, String)> {
    let title = block.title.as_ref()?;
    let word = title.value.split(char::is_whitespace).next()?;
    let normalized = crate::model::value::nfkc(word);
    let parts: Vec<&str> = normalized.split(['.', '・', '_', '/', '．']).collect();
    if parts.len() < 2 || !parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    Some((Span::new(title.span.start, title.span.start + word.len()), word.to_string(), parts.join("-")))
}

pub static RULE: RuleMeta = RuleMeta {
    name: "invalid-id",
    code: "PC010",
    default_severity: Severity::Error,
    summary_ja: "ID がない、または形式が違う",
    summary_en: "a missing or malformed ID",
    doc_ja: "## 何を検出するか
`基本政策` には `N`、`政策` には `N-N`、`施策` には `N-N-N` の形の ID が要ります (全角数字・`－` も可)。
ID がないもの、数字の個数が違うものを報告します。(plancheck の拡張ルール)

## なぜ
ID が体系上の位置を決めます。ID がないと、重複や番号の食い違いを検査できません。

## 例
```plan
# 施策 は 1-1-2 のように3つの数字
施策 1-1 地域医療体制の充実 {
  全体評価: B
  代表課: 健康づくり課
}
```",
    doc_en: "## What it does
A `基本政策` needs an ID `N`, a `政策` `N-N`, a `施策` `N-N-N` (full-width digits and `－` are fine).
Reports a missing ID or one with the wrong number of parts. (A plancheck extension.)

## Why
The ID places a block in the hierarchy; without one, duplicates and numbering cannot be checked.

## Example
```plan
# a 施策 has three numbers, e.g. 1-1-2
施策 1-1 地域医療体制の充実 {
  全体評価: B
  代表課: 健康づくり課
}
```",
    fixes: &[Applicability::Safe, Applicability::Unsafe],
    in_spec: false,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    for block in &doc.blocks {
        let Some(kind) = block.kind else { continue };
        let Some(depth) = kind.id_depth() else {
            continue;
        };
        let shape = ["N", "N-N", "N-N-N"][depth - 1];
        let example = ["1", "1-2", "1-2-3"][depth - 1];
        let kw = kind.keyword();
        match (&block.id, block.id_numbers()) {
            (None, _) if dotted_id(block).is_some() => {
                let (span, written, fixed) = dotted_id(block).expect("checked");
                // `1.2.3` on a 施策 is its ID written with dots; `2024.4`
                // on a 施策 may be a date: only the right count is exact.
                let applicability = if fixed.split('-').count() == depth { Applicability::Safe } else { Applicability::Unsafe };
                out.push(
                    Diagnostic::new(
                        &RULE,
                        file,
                        span,
                        msg!(ctx.lang, format!("ID の数字は `-` で区切ります: `{written}` ではなく `{fixed}`"), format!("ID numbers are separated by `-`: `{fixed}`, not `{written}`")),
                    )
                    .replace_fix(applicability, Wording::Replace, span, fixed, ctx.lang),
                )
            }
            (None, _) => out.push(Diagnostic::new(
                &RULE,
                file,
                block.keyword.span,
                msg!(ctx.lang, format!("`{kw}` に ID がありません (`{kw} {example} …` のように {shape} の形で書きます)"), format!("this `{kw}` has no ID (write `{kw} {example} …`, shaped {shape})")),
            )),
            (Some(id), Some(numbers)) if numbers.len() == depth => {
                let _ = id;
            }
            (Some(id), _) => out.push(Diagnostic::new(
                &RULE,
                file,
                id.span,
                msg!(ctx.lang,
                    format!("`{kw}` の ID `{}` は {shape} の形ではありません (例: `{example}`)", id.value),
                    format!("the ID `{}` of this `{kw}` is not shaped {shape} (e.g. `{example}`)", id.value),
                ),
            )),
        }
    }
}
