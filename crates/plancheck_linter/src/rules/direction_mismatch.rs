//! `direction-mismatch` (PC208): an indicator's 方向 contradicts its target's inequality or range.

use super::{FileContext, RuleMeta};
use crate::diagnostics::{Applicability, Diagnostic, Edit, Related, Severity};
use crate::model::value::{Direction, Quantity};
use crate::model::{BlockKind, FieldKey, Parsed};

pub static RULE: RuleMeta = RuleMeta {
    name: "direction-mismatch",
    code: "PC208",
    default_severity: Severity::Warning,
    summary_ja: "方向が目標の不等号 (以上・以下) や範囲と食い違う",
    summary_en: "an indicator's 方向 contradicts its target's inequality or range",
    doc_ja: "## 何を検出するか
`方向` が、`目標` の不等号と食い違う指標を報告します: `方向: 増加` なのに `目標: 10件以下` (`未満`)、
`方向: 減少` なのに `目標: 95%以上` (`超`、`を維持`)。範囲の目標 (`目標: 20〜25%`) に `範囲` 以外の方向が
書かれているとき、`方向: 範囲` なのに目標が範囲でないときも報告します。

## なぜ
方向は達成率の計算 (実績 ÷ 目標 か 目標 ÷ 実績か) を決めます。どちらかが書き間違いで、評価が逆向きに計算されています。
範囲の目標は、範囲の中なら達成 (100%)、下なら下の端に向けて (実績 ÷ 下の端)、上なら上の端に向けて
(上の端 ÷ 実績) 計算されます。範囲でない目標に `方向: 範囲` では計算できません。

## 例
```plan
施策 3-1-2 交通安全 {
  全体評価: B
  代表課: 交通安全課
  指標 交通事故の件数 {
    実績: 950件
    目標: 900件以下
    方向: 増加
    定量評価: A
  }
}
```
修正 (提案、`check --fix` では直しません): `方向` を目標の示す向きに直します。目標の不等号が誤りなら、そちらを直します。",
    doc_en: "## What it does
Reports an indicator whose `方向` contradicts the inequality of its `目標`: `方向: 増加` (higher is
better) with `目標: 10件以下` (or `未満`), or `方向: 減少` with `目標: 95%以上` (or `超`, `を維持`).
Also a range target (`目標: 20〜25%`) with a 方向 other than `範囲`, and `方向: 範囲` with a target
that is not a range.

## Why
The direction decides the ratio (actual / target or target / actual). One of the two is mistyped,
and the grade is computed the wrong way round. A range target is on target inside the range (100%),
graded toward its lower end below it (actual / lower end) and toward its upper end above it (upper
end / actual); `方向: 範囲` without a range cannot be graded.

## Example
```plan
施策 3-1-2 交通安全 {
  全体評価: B
  代表課: 交通安全課
  指標 交通事故の件数 {
    実績: 950件
    目標: 900件以下
    方向: 増加
    定量評価: A
  }
}
```
Fix (a suggestion, not applied by `check --fix`): set `方向` to the way the target says; if the
target's inequality is the mistake, correct that instead.",
    fixes: &[Applicability::Unsafe],
    in_spec: false,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    for (_, block) in doc.blocks_of(BlockKind::Indicator) {
        let Some(field) = block.field(FieldKey::Direction) else { continue };
        let Parsed::Direction(Ok(written)) = field.parsed else { continue };
        let Some((Quantity::Value(target), target_field)) = block.quantity(FieldKey::Target) else { continue };
        let t = &target_field.text;
        let related = vec![Related { file, span: target_field.value_span, message: msg!(ctx.lang, "目標", "the target") }];
        // A range target and its direction.
        if target.upper.is_some() != (written == Direction::Band) {
            let way = crate::direction::keyword(written);
            let diagnostic = if target.upper.is_some() {
                let message = msg!(ctx.lang,
                    format!("`方向: {way}` ですが、目標 {t} は範囲です: 範囲の目標は `方向: 範囲` で、範囲の中なら達成として計算されます"),
                    format!("`方向: {way}`, but the target {t} is a range: a range target goes with `方向: 範囲`, and is met anywhere inside it"),
                );
                let title = msg!(ctx.lang, "`方向: 範囲` にする (提案)", "set `方向: 範囲` (suggestion)");
                Diagnostic::new(&RULE, file, field.value_span, message)
                    .with_related(related)
                    .with_fix(Applicability::Unsafe, title, vec![Edit { span: field.value_span, replacement: "範囲".to_string() }])
            } else {
                let message = msg!(ctx.lang,
                    format!("`方向: 範囲` ですが、目標 {t} は範囲ではありません: 範囲は `目標: 20〜25%` のように書きます (評価は計算できません)"),
                    format!("`方向: 範囲`, but the target {t} is not a range: write a range as `目標: 20〜25%` (no grade can be computed)"),
                );
                Diagnostic::new(&RULE, file, field.value_span, message).with_related(related)
            };
            out.push(diagnostic);
            continue;
        }
        let Some(bound) = target.bound else { continue };
        let Some(said) = bound.direction() else { continue };
        // 維持 and 以上 agree (a level kept at least), and so do 増加 and を維持.
        if said.arith() == written.arith() {
            continue;
        }
        let (way, said_word) = (crate::direction::keyword(written), crate::direction::keyword(said));
        let word = bound.word();
        let message = match said {
            Direction::Decrease => msg!(ctx.lang,
                format!("`方向: {way}` ですが、目標 {t} の「{word}」は低いほどよい指標を示します"),
                format!("`方向: {way}` (higher is better), but the target {t} (`{word}`) says lower is better"),
            ),
            Direction::Increase | Direction::Maintain | Direction::Band => msg!(ctx.lang,
                format!("`方向: {way}` ですが、目標 {t} の「{word}」は高いほどよい指標を示します"),
                format!("`方向: {way}` (lower is better), but the target {t} (`{word}`) says higher is better"),
            ),
        };
        let title = msg!(ctx.lang, format!("`方向: {said_word}` にする (提案)"), format!("set `方向: {said_word}` (suggestion)"));
        out.push(
            Diagnostic::new(&RULE, file, field.value_span, message)
                .with_related(related)
                .with_fix(Applicability::Unsafe, title, vec![Edit { span: field.value_span, replacement: said_word.to_string() }]),
        );
    }
}
