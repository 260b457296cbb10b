//! `unknown-field` (PC003): a key that the format does not know.

use super::helpers::{ReplaceFix, Wording, did_you_mean};
use super::{FileContext, RuleMeta};
use crate::diagnostics::{Applicability, Diagnostic, Severity};
use crate::model::schema;
use crate::model::{BlockId, FieldKey, FieldResolution};
use std::collections::HashMap;

pub static RULE: RuleMeta = RuleMeta {
    name: "unknown-field",
    code: "PC003",
    default_severity: Severity::Error,
    summary_ja: "形式にないフィールド名",
    summary_en: "a key that is not in the format",
    doc_ja: "## 何を検出するか
仕様のフィールド表にないキーを報告します。近い名前があれば「もしかして」を示し、置き換える修正を提案します。

## なぜ
誤字のあるキー (`実積:`) の値は検査されず、必須項目の欠落としても見えにくくなります。

## 例
```plan
施策 2-2-4 魅力ある観光の振興 {
  全体評価: C
  代表課: 文化観光課
  指標 観光入込客数 {
    # 実績 の誤字 (実績 がないことも報告されます)
    実積: 258万人
    目標: 390万人
    定量評価: C
  }
}
```
`実積` → `実績`。形式にない情報を残したいときは `備考:` に書きます。",
    doc_en: "## What it does
Reports keys that are not in the spec's field tables, with a did-you-mean and a fix when a known
key is close.

## Why
A misspelt key (`実積:`) is not checked, and the field it was meant to be is then missing.

## Example
```plan
施策 2-2-4 魅力ある観光の振興 {
  全体評価: C
  代表課: 文化観光課
  指標 観光入込客数 {
    # 実績 misspelt (the missing 実績 is reported too)
    実積: 258万人
    目標: 390万人
    定量評価: C
  }
}
```
`実積` → `実績`. Information the format has no field for goes in `備考:`.",
    fixes: &[Applicability::Unsafe],
    in_spec: true,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    // Each unknown field with its guess, and the one-only field the
    // rename would make in its block (if any).
    let guesses: Vec<_> = doc
        .all_fields()
        .filter(|(_, field)| matches!(field.resolution, FieldResolution::Unknown))
        .map(|(block, field)| {
            let key = &field.key_text.value;
            let kind = block.and_then(|b| doc.blocks[b].kind);
            // Names valid here first; then any name of the format (it may
            // be misspelt and misplaced at once).
            let suggestion = kind.and_then(|kind| did_you_mean(key, schema::names_in(kind))).or_else(|| did_you_mean(key, schema::FIELDS.iter().flat_map(|d| d.names.iter().copied())));
            let once = suggestion.and_then(|s| match (block, schema::resolve_key(kind, s)) {
                (Some(b), schema::KeyResolution::Known(def)) if !def.repeatable => Some((b, def.key)),
                _ => None,
            });
            (field, suggestion, once)
        })
        .collect();
    // The first two guesses that rename into each (block, one-only
    // field): two renames to one name (`旧目標` and `新目標` both to
    // `目標`) would make a duplicate-field, and which one is meant is not
    // a guess to make, so neither is offered (a field's rival is the
    // other of the two).
    let mut into: HashMap<(BlockId, FieldKey), [Option<usize>; 2]> = HashMap::new();
    for (i, once) in guesses.iter().enumerate().filter_map(|(i, g)| Some((i, g.2?))) {
        let firsts = into.entry(once).or_default();
        if let Some(slot) = firsts.iter_mut().find(|s| s.is_none()) {
            *slot = Some(i);
        }
    }
    for (i, &(field, suggestion, once)) in guesses.iter().enumerate() {
        let key = &field.key_text.value;
        // A name the block already has (`成果2` beside `成果`) is not
        // offered as a fix: the rename would make a duplicate-field.
        let taken = once.is_some_and(|(b, k)| doc.blocks[b].field(k).is_some());
        let rival = once.filter(|_| !taken).and_then(|o| into[&o].into_iter().flatten().find(|&j| j != i)).map(|j| guesses[j].0.key_text.value.as_str());
        let mut d = Diagnostic::new(
            &RULE,
            file,
            field.key_text.span,
            match (suggestion, rival) {
                (Some(s), _) if taken => msg!(ctx.lang,
                    format!("`{key}` というフィールドはありません (`{s}` はこのブロックにすでにあります。形式にない情報は `備考:` に書けます)"),
                    format!("unknown field `{key}` (this block already has `{s}`; information without a field of its own goes in `備考:`)"),
                ),
                (Some(s), Some(other)) => msg!(ctx.lang,
                    format!("`{key}` というフィールドはありません。`{s}` のことかもしれませんが、このブロックの `{other}` も `{s}` に近いため、どちらとも決めず直しません"),
                    format!("unknown field `{key}`; perhaps `{s}`, but `{other}` in this block is close to `{s}` too, so neither is renamed"),
                ),
                (Some(s), None) => msg!(ctx.lang, format!("`{key}` というフィールドはありません。もしかして `{s}`?"), format!("unknown field `{key}`; did you mean `{s}`?")),
                (None, _) => msg!(ctx.lang,
                    format!("`{key}` というフィールドはありません (形式にない情報は `備考:` に書けます)"),
                    format!("unknown field `{key}` (information without a field of its own goes in `備考:`)"),
                ),
            },
        );
        if let Some(s) = suggestion.filter(|_| !taken && rival.is_none()) {
            d = d.replace_fix(Applicability::Unsafe, Wording::Rename, field.key_text.span, s, ctx.lang);
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Lang;

    /// Two or three unknown fields of one block guessed as the same one-only
    /// field (`目標`) are each reported without a fix, naming a rival; a
    /// guess into `目標` of another block, and a repeatable field's guesses
    /// (`次期課題`), are still offered.
    #[test]
    fn two_guesses_into_one_field_of_a_block_offer_no_rename() {
        let text = "施策 1-1-1 a {\n  全体評価: B\n  代表課: 課\n  次期課題1: x\n  次期課題2: y\n  指標 b {\n    実績: 50\n    旧目標: 10\n    新目標: 20\n    目漂: 30\n  }\n  指標 c {\n    実績: 50\n    旧目標: 10\n  }\n}\n";
        let analysis = crate::check_text("a.plan", text, Lang::En);
        let unknown: Vec<_> = analysis.diagnostics.iter().filter(|d| d.rule.name == "unknown-field").collect();
        let line = |d: &&crate::diagnostics::Diagnostic| text[..d.span.start].matches('\n').count() + 1;
        let unfixed: Vec<_> = unknown.iter().filter(|d| d.fix.is_none()).map(|d| (line(d), d.message.as_str())).collect();
        assert_eq!(
            unfixed,
            [
                (8, "unknown field `旧目標`; perhaps `目標`, but `新目標` in this block is close to `目標` too, so neither is renamed"),
                (9, "unknown field `新目標`; perhaps `目標`, but `旧目標` in this block is close to `目標` too, so neither is renamed"),
                (10, "unknown field `目漂`; perhaps `目標`, but `旧目標` in this block is close to `目標` too, so neither is renamed"),
            ]
        );
        let fixed: Vec<_> = unknown.iter().filter(|d| d.fix.is_some()).map(line).collect();
        assert_eq!(fixed, [4, 5, 14]);
        let ja = crate::check_text("a.plan", text, Lang::Ja);
        assert!(ja.diagnostics.iter().any(|d| d.message.contains("このブロックの `新目標` も `目標` に近いため、どちらとも決めず直しません")));
    }
}
