//! `rating-mismatch` (PC201): an indicator's stated 定量評価 differs from the grade computed from its values.

use super::helpers::{ReplaceFix, Wording, insert_field};
use super::{FileContext, RuleMeta};
use crate::diagnostics::{Applicability, Diagnostic, Lang, Severity};
use crate::model::{BlockKind, FieldKey};
use crate::rating::{IndicatorRating, rate_indicator_block, rating_band, ratio_formula, ratio_text};

pub static RULE: RuleMeta = RuleMeta {
    name: "rating-mismatch",
    code: "PC201",
    default_severity: Severity::Warning,
    summary_ja: "指標の定量評価が、実績と目標から計算した評価と違う",
    summary_en: "an indicator's stated grade differs from the computed one",
    doc_ja: "## 何を検出するか
指標の `定量評価` を、凡例の計算で求め直して比べます。達成率 r = `見込み` (なければ `実績`) ÷ `目標`
(`方向: 減少`、または `目標: 10件以下` のように低いほどよいと示す目標なら `目標` ÷ 実績) として、A: 100%以上、B: 80%以上100%未満、C: 60%以上80%未満、D: 60%未満。
実績か目標が `-` なら評価は `-` です。計算は10進数で正確に行うので、ちょうど 80% は B です。
`plancheck.toml` で `[rating] method = \"progress\"` とすると、基準値からの進捗率
r = (実績 − `基準値`) ÷ (目標 − 基準値) (`方向: 減少` なら (基準値 − 実績) ÷ (基準値 − 目標)) で評価します。
ほかに `baseline` (基準値からの増減率)、`baseline-points` (基準値との差)、`expected` (`期待値`、なければ基準値から目標への直線に対する割合)、
`manual` (判断: 計算しません) があり、指標ごとに `計算方法:` で変えられます。評価の記号と境目 (以上・超) は凡例 (`[rating] grades`) のとおりで、
目標に達したときの評価 (`target = \"met\"`) もあります。凡例の評価しない記号 (`評価なし`、`×`) は判断として比べません。

## なぜ
公表された一覧には、凡例の計算と合わない評価がそのまま印刷されていました (例: 5,900人 ÷ 10,650人 = 55.4% なのに C)。

## 例
```plan
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: C
  代表課: 健康づくり課
  指標 健康づくり事業への参加者数 {
    実績: 5,900人
    目標: 10,650人
    # 55.4% は 60%未満なので D
    定量評価: C
  }
}
```
修正: 計算した評価に置き換えます。閾値は `plancheck.toml` の `[rating.indicator]` で変えられます。

記載の評価が逆の方向でだけ、最上位より下の評価で計算と合うとき (表に 方向 の列がなく、低いほどよい指標に `方向: 減少` がないとき。
目標に届かない実績の A は逆の方向なら必ず合うので、ただの誤りとみなします)、
または指標の名前が低いほどよい指標に見えるのに (死亡率、排出量、待機児童 など) `方向` がないときは、メッセージでそう伝え、
修正は提案だけにします (`check --fix` では直しません): 名前と記載の評価の両方が低いほどよいと示すなら `方向` を書き足す提案、
そうでなければ計算した評価の提案です。語は `plancheck.toml` の `[directions]` で足せます。",
    doc_en: "## What it does
Recomputes each indicator's `定量評価` with the legend's arithmetic and compares. The ratio r is
`見込み` (else `実績`) / `目標` (`目標` / actual with `方向: 減少`, or a target such as `10件以下`
that says lower is better): A at 100% or more, B from 80% to
under 100%, C from 60% to under 80%, D under 60%; `-` when the actual or target value is `-`.
The arithmetic is exact decimal: exactly 80% is B. With `[rating] method = \"progress\"` in
`plancheck.toml`, r is the progress from the baseline: (actual − `基準値`) / (target − 基準値)
((基準値 − actual) / (基準値 − target) with `方向: 減少`).

## Why
The published sheet printed grades that contradict its own legend (5,900人 / 10,650人 = 55.4%,
printed C).

## Example
```plan
施策 1-1-1 健康づくりと疾病予防の推進 {
  全体評価: C
  代表課: 健康づくり課
  指標 健康づくり事業への参加者数 {
    実績: 5,900人
    目標: 10,650人
    # 55.4% is under 60%: D
    定量評価: C
  }
}
```
Fix: replace the stated grade with the computed one. Thresholds: `[rating.indicator]` in `plancheck.toml`.

The methods are also `baseline` (the change from the 基準値, in percent of it), `baseline-points` (the difference from it),
`expected` (against the `期待値`, or the straight line from the 基準値 to the 目標) and `manual` (a judgement: nothing is computed),
per indicator with `計算方法:`. The symbols and their bounds (at least, or above) are the legend's (`[rating] grades`), which may
give its best grade whenever the target is reached (`target = \"met\"`). A code of the legend that is not a grade (`評価なし`, `×`)
is a judgement and is not compared.

When the stated grade is right only the other way, in a band below the top one (a lower-is-better
indicator without `方向: 減少`, as on a table that has no 方向 column; an A of an actual short of
its target is right the other way too, and is simply wrong), or the indicator's name reads lower-is-better (死亡率,
排出量, 待機児童, ...) with no `方向`, the message says so and the fix is only a suggestion, never
applied by `check --fix`: add `方向` when both the name and the stated grade say lower-is-better,
else the computed grade. The words are in `[directions]` of `plancheck.toml`.",
    fixes: &[Applicability::Safe, Applicability::Unsafe],
    in_spec: true,
    settings: &["[rating] method", "[rating] grades", "[rating.indicator]", "[directions]"],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    let scheme = ctx.rating;
    if scheme.legend_unreadable {
        return; // the plan's legend is unknown: invalid-value says why
    }
    for (_, block) in doc.blocks_of(BlockKind::Indicator) {
        let Some((stated, field)) = crate::rating::known_symbol(scheme, block, FieldKey::IndicatorGrade) else {
            continue;
        };
        let Some(rating) = rate_indicator_block(scheme, block) else {
            continue;
        };
        let Some(computed) = rating.grade() else {
            continue;
        };
        if computed == *stated {
            continue;
        }
        // A code that is not a grade is a judgement (事業終了, 評価なし): it
        // stands for `-` too, and is not re-graded from numbers.
        if !stated.is_dash() && scheme.legend.is_ungraded(stated) {
            continue;
        }
        let name = block.title.as_ref().map_or("", |t| t.value.as_str());
        let message = match &rating {
            IndicatorRating::Graded { grade, by_zero: true, .. } => {
                let ratio_ja = ratio_text(block, &rating, crate::diagnostics::Lang::Ja).unwrap_or_default();
                let ratio_en = ratio_text(block, &rating, crate::diagnostics::Lang::En).unwrap_or_default();
                msg!(ctx.lang,
                    format!("定量評価が {stated} と記載されていますが、{ratio_ja}、{grade} です"),
                    format!("stated grade {stated}, but {ratio_en}, which is {grade}"),
                )
            }
            IndicatorRating::Graded { grade, reached: Some(_), .. } => {
                let ratio_ja = ratio_text(block, &rating, crate::diagnostics::Lang::Ja).unwrap_or_default();
                let ratio_en = ratio_text(block, &rating, crate::diagnostics::Lang::En).unwrap_or_default();
                msg!(ctx.lang,
                    format!("定量評価が {stated} と記載されていますが、{ratio_ja}ので、目標に達したときの評価 {grade} です"),
                    format!("stated grade {stated}, but {ratio_en}, so the target is reached: {grade}"),
                )
            }
            IndicatorRating::Graded { grade, .. } => {
                let ratio_ja = ratio_text(block, &rating, crate::diagnostics::Lang::Ja).unwrap_or_default();
                let ratio_en = ratio_text(block, &rating, crate::diagnostics::Lang::En).unwrap_or_default();
                let band_ja = rating_band(&rating, crate::diagnostics::Lang::Ja);
                let band_en = rating_band(&rating, crate::diagnostics::Lang::En);
                if stated.is_dash() {
                    msg!(ctx.lang,
                        format!("定量評価は `-` (取得できない) とされていますが、{ratio_ja} で {band_ja} なので {grade} です"),
                        format!("the grade is given as `-` (not obtainable), but {ratio_en} is {band_en}, which is {grade}"),
                    )
                } else {
                    msg!(ctx.lang,
                        format!("定量評価が {stated} と記載されていますが、{ratio_ja} は {band_ja} なので {grade} です"),
                        format!("stated grade {stated}, but {ratio_en} is {band_en}, which is {grade}"),
                    )
                }
            }
            _ => msg!(ctx.lang,
                format!("定量評価が {stated} と記載されていますが、実績か目標が `-` (取得できない) なので評価は `-` です"),
                format!("stated grade {stated}, but the actual or target value is `-` (not obtainable), so the grade is `-`"),
            ),
        };
        let mut diagnostic = Diagnostic::new(&RULE, file, field.value_span, message);
        let direction_written = block.field(FieldKey::Direction).is_some() || block.implied_direction().is_some();
        let word = (!direction_written).then(|| crate::direction::lower_is_better_word(name, &ctx.config.directions)).flatten();
        // The other way tells something when its band is not the top one, or
        // when the name agrees.
        let other_way = crate::direction::other_way_of_block(scheme, block).filter(|o| o.telling || word.is_some());
        match other_way {
            Some(other) => {
                let ratio_ja = ratio_formula(block, &other.rating, other.direction, Lang::Ja).unwrap_or_default();
                let ratio_en = ratio_formula(block, &other.rating, other.direction, Lang::En).unwrap_or_default();
                let way = crate::direction::keyword(other.direction);
                let (why_ja, why_en) = match &word {
                    Some(w) => (format!("名前の「{w}」は低いほどよい指標に見えます。"), format!(" The name's `{w}` reads lower-is-better.")),
                    None => (String::new(), String::new()),
                };
                diagnostic.message.push_str(&msg!(ctx.lang,
                    format!("。ただし `方向: {way}` なら {ratio_ja} で記載どおり {stated} です。{why_ja}方向 を確かめてください"),
                    format!("; but with `方向: {way}` {ratio_en}, which is {stated} as stated.{why_en} Check the direction"),
                ));
                // The name agrees: write the direction; else the grade,
                // as a suggestion either way.
                let line = format!("方向: {way}");
                // (`word` is only looked for when no 方向 is written.)
                let edit = word.as_ref().and_then(|_| insert_field(ctx.doc, block, &[FieldKey::IndicatorGrade], &line));
                diagnostic = match edit {
                    Some(edit) => {
                        let title = msg!(ctx.lang, format!("`{line}` にする (提案)"), format!("set `{line}` (suggestion)"));
                        diagnostic.with_fix(Applicability::Unsafe, title, vec![edit])
                    }
                    None => diagnostic.replace_fix(Applicability::Unsafe, Wording::Replace, field.value_span, computed, ctx.lang),
                };
            }
            None => {
                let applicability = match &word {
                    Some(w) => {
                        diagnostic.message.push_str(&msg!(ctx.lang,
                            format!("。名前の「{w}」は低いほどよい指標に見えますが `方向` がありません (`方向: 減少` なら計算が変わります)"),
                            format!("; the name's `{w}` reads lower-is-better, but no `方向` is given (`方向: 減少` changes the computation)"),
                        ));
                        Applicability::Unsafe
                    }
                    None => Applicability::Safe,
                };
                diagnostic = diagnostic.replace_fix(applicability, Wording::Replace, field.value_span, computed, ctx.lang);
            }
        }
        out.push(diagnostic);
    }
}
