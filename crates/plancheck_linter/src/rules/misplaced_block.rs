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
計画 の `階層` で段を変えた計画では、各段は最上位か1つ上の段の中に置きます
(`階層: 政策 > 施策` なら `基本政策` は置けず、`階層: 基本目標 > 基本政策 > 政策 > 施策` なら `基本政策` は `基本目標` の中にも置けます)。

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
(A plancheck extension; nesting that contradicts IDs is `id-hierarchy-mismatch`.) In a plan whose 計画
declares its own `階層`, each level stands at top level or inside the level above it (with
`階層: 政策 > 施策` there is no `基本政策`; with `階層: 基本目標 > 基本政策 > 政策 > 施策` a `基本政策` may stand in a `基本目標`).

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
        // While the plan's 階層 cannot be read, its levels are not judged.
        if ctx.hierarchy.unreadable && crate::model::hierarchy::LEVELS.contains(&kind) {
            continue;
        }
        // Inside a level this plan does not have: that block is reported, not what it holds.
        if parent_kind.is_some_and(|p| crate::model::hierarchy::LEVELS.contains(&p) && ctx.hierarchy.depth(p).is_none()) {
            continue;
        }
        let homes = ctx.hierarchy.allowed_parents(kind);
        if homes.contains(&parent_kind) {
            continue;
        }
        if homes.is_empty() {
            // A level this plan's hierarchy does not have.
            let levels = ctx.hierarchy.describe();
            out.push(Diagnostic::new(
                &RULE,
                file,
                block.header,
                msg!(ctx.lang,
                    format!("この計画の階層 ({levels}) に `{}` の段はありません (段を足すときは 計画 の `階層` に書きます)", kind.keyword()),
                    format!("this plan's hierarchy ({levels}) has no `{}` level (to add it, declare it in the 計画 block's `階層`)", kind.keyword()),
                ),
            ));
            continue;
        }
        let homes_ja: Vec<String> = homes.iter().map(|p| p.map_or("最上位".to_string(), |k| format!(" `{}` の中", k.keyword()))).collect();
        let homes_en: Vec<String> = homes.iter().map(|p| p.map_or("at top level".to_string(), |k| format!("inside a `{}`", k.keyword()))).collect();
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
