//! `missing-direction` (PC205): an indicator whose name reads lower-is-better, with no 方向.

use super::helpers::insert_field;
use super::{FileContext, RuleMeta};
use crate::diagnostics::{Applicability, Diagnostic, Lang, Severity};
use crate::model::value::Direction;
use crate::model::{BlockKind, FieldKey};
use crate::rating::{IndicatorRating, ratio_formula};

pub static RULE: RuleMeta = RuleMeta {
    name: "missing-direction",
    code: "PC205",
    default_severity: Severity::Warning,
    summary_ja: "低いほどよい指標に見えるのに方向がない",
    summary_en: "an indicator that reads lower-is-better has no 方向",
    doc_ja: "## 何を検出するか
名前が低いほどよい指標に見える (`死亡率`、`排出量`、`待機児童`、`滞納`、`公債費比率` など) のに `方向` がない指標を報告します。
低いほどよいとしたときの評価が記載と違えば、それも伝えます (公表された一覧では、目標 1,400件 に対して 1,420件 の刑法犯認知件数が A でした)。
`方向` がなければ高いほどよい (`増加`) として達成率を計算するので、低いほどよい指標の評価が正しく計算されません。
`削減率`・`防止`・`参加` などを含む名前 (減った割合、防ぐ取組) は高いほどよいとみなし、報告しません。

記載の定量評価が逆の方向でだけ計算と合うときは、`rating-mismatch` がそのことを伝えるので、このルールは重ねて報告しません。

## なぜ
公表された一覧には 方向 の列がなく、がん死亡率やごみ排出量も 実績 ÷ 目標 で読まれてしまいます。
方向 を書いておけば、凡例どおりに 目標 ÷ 実績 で計算されます。

## 例
```plan
施策 3-2-1 ごみの減量 {
  全体評価: B
  代表課: 清掃リサイクル課
  指標 1人1日当たりのごみ排出量 {
    実績: 900g
    目標: 900g
    # 方向 がない
    定量評価: A
  }
}
```
修正 (提案、`check --fix` では直しません): `方向: 減少` を書き足します。高いほどよい指標なら `方向: 増加` と書きます。
語は `plancheck.toml` の `[directions]` で足せます (`lower-is-better`、`higher-is-better`)。",
    doc_en: "## What it does
Reports an indicator whose name reads lower-is-better (`死亡率` mortality, `排出量` emissions,
`待機児童` children on waiting lists, `滞納` arrears, `公債費比率` debt ratio, ...) and which has no
`方向`, with the grade it has when lower is better if that differs from the stated one (the
published sheet graded 1,420 crimes against a target of 1,400 as A). Without `方向` the ratio is computed as higher-is-better (`増加`), so such an indicator is
graded the wrong way. Names with `削減率`, `防止`, `参加` and the like (a share reduced, an effort
to prevent) read higher-is-better and are not reported.

When the stated grade agrees with the numbers only the other way, `rating-mismatch` says so, and
this rule does not report the indicator again.

## Why
The published table has no 方向 column, so cancer mortality and waste per person are read as
actual / target. With `方向` written, they are computed as target / actual, as the legend says.

## Example
```plan
施策 3-2-1 ごみの減量 {
  全体評価: B
  代表課: 清掃リサイクル課
  指標 1人1日当たりのごみ排出量 {
    実績: 900g
    目標: 900g
    # no 方向
    定量評価: A
  }
}
```
Fix (a suggestion, not applied by `check --fix`): add `方向: 減少`; write `方向: 増加` for an
indicator that is higher-is-better. More words: `[directions]` in `plancheck.toml`
(`lower-is-better`, `higher-is-better`).",
    fixes: &[Applicability::Unsafe],
    in_spec: false,
    settings: &["[directions]"],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    for (_, block) in doc.blocks_of(BlockKind::Indicator) {
        // Written, or said by the target's inequality (`10件以下`).
        if block.field(FieldKey::Direction).is_some() || block.implied_direction().is_some() {
            continue;
        }
        let Some(title) = &block.title else { continue };
        let Some(word) = crate::direction::lower_is_better_word(&title.value, &ctx.config.directions) else {
            continue;
        };
        // `rating-mismatch` says it already, with the name's word: the stated
        // grade differs from the computed one.
        let computed = crate::rating::rate_indicator_block(ctx.rating, block).and_then(|r| r.grade());
        if let (Some((stated, _)), Some(computed)) = (crate::rating::known_symbol(ctx.rating, block, FieldKey::IndicatorGrade), computed)
            && *stated != computed
        {
            continue;
        }
        // What the grade is when lower is better, if it differs from the stated one.
        let values = crate::rating::stated_indicator_values(block);
        let decreasing = crate::rating::rate_stated_indicator(ctx.rating, values.with_direction(Direction::Decrease));
        let stated = crate::rating::known_symbol(ctx.rating, block, FieldKey::IndicatorGrade).map(|(g, _)| g);
        let then = match &decreasing {
            Some(rating @ IndicatorRating::Graded { grade, .. }) if stated.is_some_and(|s| Some(s) != rating.grade().as_ref()) => {
                let ratio = |lang| ratio_formula(block, rating, Direction::Decrease, lang).unwrap_or_default();
                msg!(ctx.lang, format!("。`方向: 減少` なら {} で {grade} です", ratio(Lang::Ja)), format!("; with `方向: 減少`, {}, which is {grade}", ratio(Lang::En)))
            }
            _ => String::new(),
        };
        let message = msg!(ctx.lang,
            format!("指標「{}」に `方向` がありません。名前の「{word}」は低いほどよい指標に見えます: `方向: 減少` と書いてください (高いほどよい指標なら `方向: 増加`){then}", title.value),
            format!("the indicator `{}` has no `方向`; the name's `{word}` reads lower-is-better: write `方向: 減少` (or `方向: 増加` if higher is better){then}", title.value),
        );
        let mut diagnostic = Diagnostic::new(&RULE, file, title.span, message);
        if let Some(edit) = insert_field(doc, block, &[FieldKey::IndicatorGrade], "方向: 減少") {
            diagnostic = diagnostic.with_fix(Applicability::Unsafe, msg!(ctx.lang, "`方向: 減少` を追加 (提案)", "add `方向: 減少` (suggestion)"), vec![edit]);
        }
        out.push(diagnostic);
    }
}
