//! `invalid-id` (PC010, extension): a level of the hierarchy (基本政策, 政策,
//! 施策, 基本目標) without a well-formed ID, by the plan's own numbering.

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
計画 に `階層` や `番号` を書いた計画では、その段数と番号の付け方で判定します
(`階層: 政策 > 施策` なら 施策 は `1-1`、`番号: 2桁, 2桁, 3桁` なら 施策 は `0102003`)。

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
A plan whose 計画 declares `階層` or `番号` is judged by its own levels and numbering
(with `階層: 政策 > 施策` a 施策 is `1-1`; with `番号: 2桁, 2桁, 3桁` it is `0102003`).

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
    let (file, doc, hierarchy) = (ctx.file, ctx.doc, &*ctx.hierarchy);
    if hierarchy.unreadable {
        return; // invalid-value names the 階層 or 番号 it cannot read
    }
    for block in &doc.blocks {
        let Some(kind) = block.kind else { continue };
        // A kind that is not a level of this plan: misplaced-block says so.
        let Some(depth) = hierarchy.depth(kind) else {
            continue;
        };
        let (shape_ja, shape_en, example) = hierarchy.shape(depth);
        let kw = kind.keyword();
        let dashed = matches!(hierarchy.numbering(), crate::model::hierarchy::Numbering::Dashed);
        match &block.id {
            None if dashed && dotted_id(block).is_some() => {
                let (span, written, fixed) = dotted_id(block).expect("checked");
                // `1.2.3` on a 施策 is its ID written with dots; `2024.4`
                // on a 施策 may be a date: only the right count is exact.
                let applicability = if hierarchy.numbers(kind, &fixed).is_some() { Applicability::Safe } else { Applicability::Unsafe };
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
            None => out.push(Diagnostic::new(
                &RULE,
                file,
                block.keyword.span,
                msg!(ctx.lang, format!("`{kw}` に ID がありません (`{kw} {example} …` のように {shape_ja} の形で書きます)"), format!("this `{kw}` has no ID (write `{kw} {example} …`, shaped {shape_en})")),
            )),
            Some(id) if hierarchy.numbers(kind, &id.value).is_some() => {}
            Some(id) => {
                let levels = if hierarchy.is_default() { String::new() } else { format!(" ({})", hierarchy.describe()) };
                let mut d = Diagnostic::new(
                    &RULE,
                    file,
                    id.span,
                    msg!(ctx.lang,
                        format!("`{kw}` の ID `{}` は {shape_ja} の形ではありません (例: `{example}`){levels}", id.value),
                        format!("the ID `{}` of this `{kw}` is not shaped {shape_en} (e.g. `{example}`){levels}", id.value),
                    ),
                );
                // `01-02` in a plan of fixed-width codes: the same numbers, run together.
                if let Some(fixed) = hierarchy.respelt(kind, &id.value) {
                    d = d.replace_fix(Applicability::Safe, Wording::Replace, id.span, fixed, ctx.lang);
                }
                out.push(d)
            }
        }
    }
}
