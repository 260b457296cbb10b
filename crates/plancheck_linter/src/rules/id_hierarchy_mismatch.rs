//! `id-hierarchy-mismatch` (PC006): nesting that contradicts the ID.

use super::{FileContext, RuleMeta};
use crate::diagnostics::{Diagnostic, Related, Severity};
use crate::model::BlockKind;

pub static RULE: RuleMeta = RuleMeta {
    name: "id-hierarchy-mismatch",
    code: "PC006",
    default_severity: Severity::Error,
    summary_ja: "ID と入れ子の位置が食い違っている",
    summary_en: "nesting that contradicts the ID",
    doc_ja: "## 何を検出するか
ID は体系上の位置を決めます: `施策 2-1-3` は `政策 2-1` と `基本政策 2` に属します。
違う番号のブロックの中に書かれているものを報告します。

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
inside a block with a different number.

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
    let (file, doc) = (ctx.file, ctx.doc);
    for block in &doc.blocks {
        let Some(kind @ (BlockKind::Policy | BlockKind::Measure)) = block.kind else {
            continue;
        };
        let Some(numbers) = block.id_numbers() else {
            continue;
        };
        if Some(numbers.len()) != kind.id_depth() {
            continue; // invalid-id reports it
        }
        let Some(parent_id) = block.parent else {
            continue;
        };
        let parent = &doc.blocks[parent_id];
        let Some(parent_kind) = parent.kind else {
            continue;
        };
        let Some(depth) = parent_kind.id_depth() else {
            continue;
        };
        let Some(parent_numbers) = parent.id_numbers() else {
            continue;
        };
        if parent_numbers.len() != depth || depth >= numbers.len() {
            continue;
        }
        if numbers[..depth] == parent_numbers[..] {
            continue;
        }
        let own = block.id.as_ref().expect("id_numbers implies an id");
        let expected = numbers[..depth].iter().map(u32::to_string).collect::<Vec<_>>().join("-");
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
