//! `missing-status` (PC210): a year of an indicator's series (`推移`) without a status, or left blank.

use super::{FileContext, RuleMeta};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::BlockKind;
use crate::series::{Status, series_of};

pub static RULE: RuleMeta = RuleMeta {
    name: "missing-status",
    code: "PC210",
    default_severity: Severity::Warning,
    summary_ja: "推移の年度に状況 (確定・速報・見込み・未把握) がない、または空欄",
    summary_en: "a year of a series (推移) without a status (確定, 速報, 見込み, 未把握), or left blank",
    doc_ja: "## 何を検出するか
指標の `推移` (年度ごとの実績) の行で、状況が書かれていないもの、値も `未把握` もない空欄を報告します。
行は `R4年度: 5,600人 (確定)` の形で、状況は `確定`・`速報`・`見込み`・`未把握` のどれかです。

## なぜ
速報値や見込みの値は後で変わります。確定した値と区別せずに評価すると、翌年度に評価が変わっても理由が分かりません。
空欄は「値がない」のか「まだ分からない」のか読めません (公表の遅れで8~9割しか実績がそろわない県もあります)。
団体の様式に状況の欄がないときは、`計画` に `様式にない項目: 状況` と書くと、空欄だけを報告します
(施策のシートの取り込みは、状況が1つも書かれていなければこれを書きます)。

## 例
```plan
施策 2-1-1 観光の振興 {
  全体評価: B
  代表課: 商工観光課
  指標 観光入込客数 {
    # R4年度 に状況がなく、R5年度 は空欄
    推移:
      | R3年度: 5,200人 (確定)
      | R4年度: 5,600人
      | R5年度:
    実績: 5,600人
    目標: 6,000人
    定量評価: B
  }
}
```
`R4年度: 5,600人 (速報)`、`R5年度: 未把握` のように書きます。",
    doc_en: "## What it does
Reports a line of an indicator's `推移` (its actuals year by year) without a status, or blank
(no value and no `未把握`). A line is written `R4年度: 5,600人 (確定)`; the status is one of `確定`
(final), `速報` (preliminary), `見込み` (estimated), `未把握` (not known).

## Why
Preliminary and estimated figures change later: graded like final ones, a grade changes the next
year with no visible reason. A blank cannot say whether there is no value or it is not known yet
(publication lags: some prefectures have only 80–90% of their actuals by the next August).
When the body's form has no place for a status, `様式にない項目: 状況` in the `計画` block makes
the rule report only blank years (importing a sheet per 施策 writes it when no year gives one).

## Example
```plan
施策 2-1-1 観光の振興 {
  全体評価: B
  代表課: 商工観光課
  指標 観光入込客数 {
    # R4年度 has no status, R5年度 is blank
    推移:
      | R3年度: 5,200人 (確定)
      | R4年度: 5,600人
      | R5年度:
    実績: 5,600人
    目標: 6,000人
    定量評価: B
  }
}
```
Write `R4年度: 5,600人 (速報)`, `R5年度: 未把握`.",
    fixes: &[],
    in_spec: false,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let words: Vec<&str> = Status::ALL.iter().map(|s| s.word()).collect();
    for (_, block) in ctx.doc.blocks_of(BlockKind::Indicator) {
        let Some(lines) = series_of(block) else { continue };
        for entry in lines.iter().filter_map(|l| l.as_ref().ok()) {
            // A form with no place for statuses (`様式にない項目: 状況`): only blanks.
            if entry.status.is_some() || entry.value.is_some() && ctx.hierarchy.form_lacks_status() {
                continue;
            }
            let year = &entry.year_text;
            let message = match entry.value {
                None => msg!(ctx.lang,
                    format!("推移の {year} が空欄です: 値と状況 ({}) を書くか、分からなければ `未把握` と書きます", words[..3].join("・")),
                    format!("the series' {year} is blank: give the value and its status ({}), or `未把握` when it is not known", words[..3].join(", ")),
                ),
                Some(_) => msg!(ctx.lang,
                    format!("推移の {year} に状況がありません: 値の後に `(確定)`・`(速報)`・`(見込み)` のように書きます"),
                    format!("the series' {year} has no status: write `(確定)`, `(速報)` or `(見込み)` after the value"),
                ),
            };
            out.push(Diagnostic::new(&RULE, ctx.file, entry.span, message));
        }
    }
}
