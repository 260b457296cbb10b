//! `misplaced-block` (PC008, extension): a block nested where its kind may not stand.

use super::{FileContext, RuleMeta};
use crate::diagnostics::{Diagnostic, Severity};

pub static RULE: RuleMeta = RuleMeta {
    name: "misplaced-block",
    code: "PC008",
    default_severity: Severity::Error,
    summary_ja: "置けない場所にあるブロック",
    summary_en: "a block nested where its kind may not stand",
    doc_ja: "## 何を検出するか
ブロックの入れ子が形式に合わないものを報告します: `指標` と `展開` は `施策` の中だけ、`施策` は最上位か `政策` の中、
`政策` は最上位か `基本政策` の中、`基本政策` と `計画` は最上位だけです。(plancheck の拡張ルール。ID と入れ子の食い違いは `id-hierarchy-mismatch`)

## 例
```plan
政策 1-1 健康で安心して暮らせるまちをつくる {
  # 施策 の中に書く
  指標 健康づくり事業への参加者数 {
    実績: 5,900人
    目標: 10,650人
    定量評価: D
  }
}
```",
    doc_en: "## What it does
Reports nesting the format does not allow: `指標` and `展開` only inside a `施策`; `施策` at top level
or in a `政策`; `政策` at top level or in a `基本政策`; `基本政策` and `計画` at top level only.
(A plancheck extension; nesting that contradicts IDs is `id-hierarchy-mismatch`.)

## Example
```plan
政策 1-1 健康で安心して暮らせるまちをつくる {
  # belongs in a 施策
  指標 健康づくり事業への参加者数 {
    実績: 5,900人
    目標: 10,650人
    定量評価: D
  }
}
```",
    fixes: &[],
    in_spec: false,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc) = (ctx.file, ctx.doc);
    for block in &doc.blocks {
        let Some(kind) = block.kind else { continue };
        let parent_kind = match block.parent {
            Some(p) => match doc.blocks[p].kind {
                Some(k) => Some(k),
                None => continue, // inside an unknown block: not judged
            },
            None => None,
        };
        if kind.allowed_parents().contains(&parent_kind) {
            continue;
        }
        let homes_ja: Vec<String> = kind.allowed_parents().iter().map(|p| p.map_or("最上位".to_string(), |k| format!(" `{}` の中", k.keyword()))).collect();
        let homes_en: Vec<String> = kind.allowed_parents().iter().map(|p| p.map_or("at top level".to_string(), |k| format!("inside a `{}`", k.keyword()))).collect();
        let here_ja = parent_kind.map_or("最上位".to_string(), |k| format!(" `{}` の中", k.keyword()));
        let here_en = parent_kind.map_or("at top level".to_string(), |k| format!("inside a `{}`", k.keyword()));
        out.push(Diagnostic::new(
            &RULE,
            file,
            block.header,
            msg!(ctx.lang,
                format!("`{}` は{here_ja}には置けません ({}に書きます)", kind.keyword(), homes_ja.join("か").trim_start()),
                format!("a `{}` cannot stand {here_en} (it goes {})", kind.keyword(), homes_en.join(" or ")),
            ),
        ));
    }
}
