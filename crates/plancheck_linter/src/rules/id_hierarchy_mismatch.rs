//! `id-hierarchy-mismatch` (PC006): nesting that contradicts the ID.

use super::{FileContext, RuleMeta};
use crate::diagnostics::{Diagnostic, Related, Severity};

pub static RULE: RuleMeta = RuleMeta {
    name: "id-hierarchy-mismatch",
    code: "PC006",
    default_severity: Severity::Error,
    summary_ja: "ID と入れ子の位置が食い違っている",
    summary_en: "nesting that contradicts the ID",
    doc_ja: "## 何を検出するか
ID は体系上の位置を決めます: `施策 2-1-3` は `政策 2-1` と `基本政策 2` に属します。
違う番号のブロックの中に書かれているものを報告します。
計画 の `階層`・`番号` で段数や番号の付け方を変えた計画では、その付け方で比べます
(`番号: 2桁, 2桁, 3桁` なら 施策 `0102003` は 政策 `0102` に属します)。

## なぜ
公表された一覧では、施策が別の基本政策・政策の行に印刷されていることがあります (番号の付け間違いか、配置の誤り)。

## 例
```plan
基本政策 4 市民が自ら学び豊かな心をつくる {
  政策 4-1 子どもの生きる力を育む {
    # 3-2-3 は 政策 3-2 に属する
    施策 3-2-3 水と緑の空間の形成 {
      全体評価: B
      代表課: 安心安全課
    }
  }
}
```
番号を直すか、正しい 政策 の中へ移します。",
    doc_en: "## What it does
The ID places a block: `施策 2-1-3` belongs to `政策 2-1` and `基本政策 2`. Reports a block written
inside a block with a different number. In a plan whose 計画 declares its own `階層` or `番号`,
IDs are compared by its numbering (with `番号: 2桁, 2桁, 3桁`, 施策 `0102003` belongs to 政策 `0102`).

## Why
Published sheets print a 施策 in the rows of another 基本政策 or 政策 (a wrong number, or a wrong place).

## Example
```plan
基本政策 4 市民が自ら学び豊かな心をつくる {
  政策 4-1 子どもの生きる力を育む {
    # 3-2-3 belongs to 政策 3-2
    施策 3-2-3 水と緑の空間の形成 {
      全体評価: B
      代表課: 安心安全課
    }
  }
}
```
Correct the number, or move the block into the right 政策.",
    fixes: &[],
    in_spec: true,
    settings: &[],
    scope: super::Scope::File,
};

pub fn check(ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let (file, doc, hierarchy) = (ctx.file, ctx.doc, &*ctx.hierarchy);
    if hierarchy.unreadable {
        return;
    }
    for block in &doc.blocks {
        let Some(kind) = block.kind else {
            continue;
        };
        // An ill-formed ID, or a kind that is no level here: invalid-id or
        // misplaced-block reports it.
        let Some(numbers) = hierarchy.numbers_of(block) else {
            continue;
        };
        let Some(parent) = block.parent.map(|p| &doc.blocks[p]) else {
            continue;
        };
        let Some(parent_kind) = parent.kind else {
            continue;
        };
        let Some(parent_numbers) = hierarchy.numbers_of(parent) else {
            continue;
        };
        let depth = parent_numbers.len();
        if depth >= numbers.len() || numbers[..depth] == parent_numbers[..] {
            continue;
        }
        let own = block.id.as_ref().expect("numbers_of implies an id");
        let expected = hierarchy.format(&numbers[..depth]);
        let pk = parent_kind.keyword();
        let parent_label = parent.label();
        out.push(
            Diagnostic::new(
                &RULE,
                file,
                own.span,
                msg!(ctx.lang,
                    format!("{} {} は {pk} {} の中に書かれていますが、ID からは {pk} {expected} に属します", kind.keyword(), own.value, parent.id.as_ref().map_or("", |i| &i.value)),
                    format!("{} {} is written inside {pk} {}, but its ID places it in {pk} {expected}", kind.keyword(), own.value, parent.id.as_ref().map_or("", |i| &i.value)),
                ),
            )
            .with_related(vec![Related { file, span: parent.header, message: msg!(ctx.lang, format!("ここに書かれている: {parent_label}"), format!("written inside {parent_label}")) }]),
        );
    }
}
