//! `invalid-value` (PC002): a grade, level, quantity or 方向 that cannot be read.

use super::helpers::{ReplaceFix, Wording};
use super::{FileContext, RuleMeta};
use crate::diagnostics::{Applicability, Diagnostic, Severity};

pub static RULE: RuleMeta = RuleMeta {
    name: "invalid-value",
    code: "PC002",
    default_severity: Severity::Error,
    summary_ja: "読めない評価・水準・数量・方向",
    summary_en: "a grade, level, quantity or 方向 that cannot be read",
    doc_ja: "## 何を検出するか
決まった形式の値が読めないものを報告します。

- 評価 (`全体評価`、指標の `定量評価`): 凡例の評価の記号。既定は `A` `B` `C` `D` (指標は取得できない場合 `-` と、凡例の評価しない記号も)
- 水準 (施策・展開の `定量評価` `定性評価`): 凡例の水準の記号。既定は `高` `中` `低`
- 数量 (`実績` `目標` `見込み`): `-` か `数値 [単位] [(注記)]`。例 `5,900人`、`32.6% (R4年度)`
- `方向`: `増加` (大きいほど良い、既定)、`減少` (小さいほど良い) か `維持` (水準を保つ: 目標以上で、目標は基準値と同じでよい)
- `推移` の行: `年度: 値 (状況)` (例 `R4年度: 5,600人 (確定)`)、`累計`: `はい` か `いいえ`
- `計算方法` (指標ごとの達成度の計算方法): `ratio` (達成率)、`progress` (進捗率)、`baseline` (基準値比)、`baseline-points` (基準値差)、`expected` (期待値)、`manual` (判断)
- 計画 の `階層` (`政策 > 施策` など、基本目標・基本政策・政策・施策 から2〜4段、施策 で終わる) と `番号` (`区切り` か、段ごとの桁数 `2桁, 2桁, 3桁`)

全角の英数字 (`Ｂ`、`５，９００人`) はそのまま読めます。

## なぜ
読めない値からは評価を再計算できず、誤りを見逃します。

## 例
```plan
施策 4-1-1 幼児・学校教育の充実 {
  全体評価: B
  代表課: 学校教育課
  指標 授業の内容がよく分かると答えた児童生徒の割合 {
    # 値が2つある
    実績: 児童:86.1% 生徒:76.6%
    目標: 90%
    定量評価: B
  }
}
```
1つの指標に値は1つです。`指標 …(児童) {` と `指標 …(生徒) {` に分けます。
小文字の評価 (`b`) には大文字に直す修正があります。記号は `plancheck.toml` の `[rating] grades`・`levels`・`ungraded` と、まとめの `scale` で変えられます (`S`、`B+`、`◎`、`順調` など)。",
    doc_en: "## What it does
Reports values of a fixed form that cannot be read:

- grades (`全体評価`, an indicator's `定量評価`): the legend's grade symbols, by default `A` `B` `C` `D` (for indicators also `-`, not obtainable, and the legend's codes that are not grades)
- levels (`定量評価`/`定性評価` of a 施策 or 展開): the legend's level symbols, by default `高` `中` `低`
- quantities (`実績` `目標` `見込み`): `-` or `NUMBER [UNIT] [(NOTE)]`, e.g. `5,900人`, `32.6% (R4年度)`
- `方向`: `増加` (higher is better, the default), `減少` (lower is better) or `維持` (a level to keep: at least the target, which may equal the baseline)
- a line of `推移`: `YEAR: VALUE (STATUS)` (e.g. `R4年度: 5,600人 (確定)`); `累計`: `はい` (yes) or `いいえ` (no)
- `計算方法` (an indicator's own method): `ratio`, `progress`, `baseline`, `baseline-points`, `expected` or `manual` (or their Japanese names 達成率, 進捗率, 基準値比, 基準値差, 期待値, 判断)
- the 計画 block's `階層` (two to four of 基本目標, 基本政策, 政策, 施策, top first, ending in 施策: `政策 > 施策`) and `番号` (`区切り`, dashed, or the digits per level: `2桁, 2桁, 3桁`)

Full-width forms (`Ｂ`, `５，９００人`) are read as their ASCII forms.

## Why
A value that cannot be read cannot be re-rated, so errors would go unnoticed.

## Example
```plan
施策 4-1-1 幼児・学校教育の充実 {
  全体評価: B
  代表課: 学校教育課
  指標 授業の内容がよく分かると答えた児童生徒の割合 {
    # two values
    実績: 児童:86.1% 生徒:76.6%
    目標: 90%
    定量評価: B
  }
}
```
An indicator has one value: split it into `指標 …(児童) {` and `指標 …(生徒) {`.
A lower-case grade (`b`) has a fix to upper case. The symbols are the legend's: `[rating] grades`, `levels`, `ungraded` and each summary's `scale` in `plancheck.toml` (`S`, `B+`, `◎`, `順調`, ...).",
    fixes: &[Applicability::Safe],
    in_spec: true,
    settings: &["[rating] grades", "[rating] levels", "[rating] ungraded"],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    let legend = &ctx.rating.legend;
    for (_, field) in doc.all_fields() {
        // A grade or a level is read by the legend: a symbol of its scale.
        let by_legend = match (&field.parsed, &field.resolution) {
            // The plan's legend is unknown: its symbols cannot be judged.
            (crate::model::Parsed::Symbol(_), _) if ctx.rating.legend_unreadable => None,
            (crate::model::Parsed::Symbol(symbol), crate::model::FieldResolution::Known(def)) => {
                crate::legend::ScaleOf::of_field(def.key).and_then(|of| legend.classify(of, symbol, field.text.trim()).err())
            }
            // An indicator's `累計`.
            (_, crate::model::FieldResolution::Known(def)) if def.key == crate::model::FieldKey::Cumulative && !field.is_empty() => crate::series::parse_flag(&field.text).err(),
            // A 指標's own `計算方法`.
            (_, crate::model::FieldResolution::Known(def)) if def.key == crate::model::FieldKey::Method && !field.is_empty() => crate::legend::Method::parse(&field.text).err(),
            _ => None,
        };
        let Some(error) = by_legend.as_ref().or(field.parsed.error()) else {
            continue;
        };
        let key = &field.key_text.value;
        let mut d = Diagnostic::new(&RULE, file, field.value_span, msg!(ctx.lang, format!("{key}: {}", error.ja), format!("{key}: {}", error.en)));
        if let Some(suggestion) = &error.suggestion {
            d = d.replace_fix(Applicability::Safe, Wording::Replace, field.value_span, suggestion.clone(), ctx.lang);
        }
        out.push(d);
    }
    // The legend the 計画 block writes, where it cannot be read (its
    // 計算方法 is read above, as any field's).
    for (_, plan) in doc.blocks_of(crate::model::BlockKind::Plan) {
        let (_, _, errors) = ctx.config.rating.legend.with_plan(ctx.config.rating.method, plan);
        for e in errors.into_iter().filter(|e| e.key != crate::model::FieldKey::Method) {
            let key = crate::model::schema::def(e.key).name();
            out.push(Diagnostic::new(&RULE, file, e.span, msg!(ctx.lang, format!("{key}: {}", e.error.ja), format!("{key}: {}", e.error.en))));
        }
        // The hierarchy it declares (階層, 番号).
        for e in crate::model::Hierarchy::of_plan(Some(plan)).1 {
            let key = crate::model::schema::def(e.key).name();
            out.push(Diagnostic::new(&RULE, file, e.span, msg!(ctx.lang, format!("{key}: {}", e.error.ja), format!("{key}: {}", e.error.en))));
        }
        for key in crate::model::hierarchy::HIERARCHY_FIELDS {
            if let Some(f) = plan.field(key).filter(|f| f.is_empty()) {
                let name = crate::model::schema::def(key).name();
                // What applies without it: the other field's reading.
                let (hierarchy, example) = (ctx.hierarchy.describe(), ctx.hierarchy.shape(ctx.hierarchy.levels().len()).2);
                out.push(Diagnostic::new(&RULE, file, f.value_span, msg!(ctx.lang,
                    format!("{name} が空です: 書くか、この行を消します (階層は {hierarchy}、施策 の番号は `{example}` の形になります)"),
                    format!("{name} is empty: write it, or remove the line (the hierarchy is then {hierarchy}, a 施策 numbered `{example}`)"),
                )));
            }
        }
        // (An empty 計算方法 leaves the config's method.)
        for key in crate::legend::PLAN_FIELDS.into_iter().filter(|&k| k != crate::model::FieldKey::Method) {
            if let Some(f) = plan.field(key).filter(|f| f.is_empty()) {
                let name = crate::model::schema::def(key).name();
                out.push(Diagnostic::new(&RULE, file, f.value_span, msg!(ctx.lang,
                    format!("{name} が空です: 凡例を書くか、この行を消します (plancheck.toml の凡例が使われます)"),
                    format!("{name} is empty: write the legend, or remove the line (plancheck.toml's legend applies)"),
                )));
            }
        }
    }
    // The lines of a series (`推移`, `目標推移`) that cannot be read, each where it is.
    for (_, block) in doc.blocks_of(crate::model::BlockKind::Indicator) {
        for (name, lines) in [("推移", crate::series::series_of(block)), ("目標推移", crate::series::target_series_of(block))] {
            let mut years = std::collections::HashMap::new();
            for line in lines.into_iter().flatten() {
                match line {
                    Err(bad) => out.push(Diagnostic::new(&RULE, file, bad.span, msg!(ctx.lang, format!("{name}: {}", bad.error.ja), format!("{name}: {}", bad.error.en)))),
                    // One line a year: which of two would count is not known.
                    Ok(entry) => {
                        if let Some(first) = years.insert(entry.year, entry.span) {
                            let year = &entry.year_text;
                            out.push(
                                Diagnostic::new(&RULE, file, entry.span, msg!(ctx.lang,
                                    format!("{name}: {year} が2回書かれています (1つの年に1行)"),
                                    format!("{name}: {year} is given twice (one line a year)"),
                                ))
                                .with_related(vec![crate::diagnostics::Related { file, span: first, message: msg!(ctx.lang, "先に書かれた行", "the earlier line") }]),
                            );
                        }
                    }
                }
            }
        }
    }
}
