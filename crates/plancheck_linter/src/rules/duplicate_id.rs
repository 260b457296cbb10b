//! `duplicate-id` (PC005): two blocks with the same ID, across the workspace.

use super::{Context, RuleMeta, related_members};
use crate::diagnostics::{Diagnostic, Related, Severity};
use crate::model::{BlockId, BlockKind, FileId};
use std::collections::BTreeMap;

pub static RULE: RuleMeta = RuleMeta {
    name: "duplicate-id",
    code: "PC005",
    default_severity: Severity::Error,
    summary_ja: "同じ ID のブロックが2つある (ワークスペース全体)",
    summary_en: "two blocks with the same ID (across the workspace)",
    doc_ja: "## 何を検出するか
同じ ID の `施策` が2つ以上あるもの (ファイルをまたいでも) を報告します。`基本政策` と `政策` は、部署ごとのファイルで
入れ物として何度開いてもかまいませんが、名前 (タイトル) を書くのは1か所だけです。`計画` ブロックはワークスペースに1つです。

## なぜ
公表された一覧では、同じ番号の施策が別の行に重複して印刷されたり、番号の付け間違いで別の施策と同じ番号になったりします。

## 例
```plan
施策 3-2-2 ごみの減量と再資源化の推進 {
  全体評価: B
  代表課: 資源循環課
}
# 2つ目
施策 3-2-2 ごみの減量と再資源化の推進 {
  全体評価: B
  代表課: 資源循環課
}
```
1つの施策にまとめるか、番号を直します。最初の記述は関連位置として示されます。",
    doc_en: "## What it does
Reports two or more `施策` with the same ID, in one file or across files. A `基本政策` or `政策` may
be opened several times as a container (one file per department), but its title is given in one
place only. There is one `計画` block per workspace.

## Why
Published sheets print the same 施策 twice, or number a 施策 with another one's number.

## Example
```plan
施策 3-2-2 ごみの減量と再資源化の推進 {
  全体評価: B
  代表課: 資源循環課
}
# the second one
施策 3-2-2 ごみの減量と再資源化の推進 {
  全体評価: B
  代表課: 資源循環課
}
```
Merge them into one 施策, or correct the number. The first one is shown as a related location.",
    fixes: &[],
    in_spec: true,
    settings: &[],
    scope: super::Scope::Workspace,
};

pub fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let hierarchy = ctx.workspace.hierarchy();
    if hierarchy.unreadable {
        return;
    }
    // (rank: 0 the plan, else the level's depth; the ID as the plan writes it).
    let mut groups: BTreeMap<(usize, String), Vec<(FileId, BlockId)>> = BTreeMap::new();
    for (file, doc) in ctx.workspace.docs.iter().enumerate() {
        for (id, block) in doc.blocks.iter().enumerate() {
            let Some(kind) = block.kind else { continue };
            let (rank, counts) = match kind {
                BlockKind::Plan => (0, true),
                BlockKind::Measure => (hierarchy.depth(kind).unwrap_or(0), true),
                // A container may be reopened without a title.
                _ => match hierarchy.depth(kind) {
                    Some(depth) => (depth, block.title.is_some()),
                    None => continue,
                },
            };
            let key = match (kind, hierarchy.numbers_of(block)) {
                (BlockKind::Plan, _) => String::new(),
                (_, Some(numbers)) => hierarchy.format(&numbers),
                _ => continue,
            };
            if counts {
                groups.entry((rank, key)).or_default().push((file, id));
            }
        }
    }
    for ((rank, key), places) in groups {
        if places.len() < 2 {
            continue;
        }
        let (first_file, first_block) = places[0];
        let first = &ctx.workspace.docs[first_file].blocks[first_block];
        for (n, &(file, id)) in places.iter().enumerate().skip(1) {
            let block = &ctx.workspace.docs[file].blocks[id];
            let kw = &block.keyword.value;
            let span = block.id.as_ref().map_or(block.keyword.span, |i| i.span);
            let message = if rank == 0 {
                msg!(ctx.lang, "`計画` ブロックは1つだけ書けます", "only one `計画` block may be given")
            } else if block.kind != Some(BlockKind::Measure) {
                msg!(ctx.lang,
                    format!("{kw} {key} の名前はすでに付けられています (入れ物として開き直すときは名前を省きます)"),
                    format!("{kw} {key} is already given a title (reopen it as a container without a title)"),
                )
            } else {
                msg!(ctx.lang, format!("ID {key} の {kw} が重複しています ({} か所)", places.len()), format!("duplicate ID {key}: {} {kw} blocks have it", places.len()))
            };
            // Every place in a small group, else the first, the previous and
            // the next: a block repeated 14,000 times must not make 280,000
            // related places.
            let related = related_members(places.len(), n)
                .into_iter()
                .map(|m| places[m])
                .map(|(f, b)| {
                    let other = &ctx.workspace.docs[f].blocks[b];
                    Related {
                        file: f,
                        span: other.header,
                        message: if (f, b) == (first_file, first_block) {
                            msg!(ctx.lang, format!("最初の {}", first.label()), format!("first {}", first.label()))
                        } else {
                            msg!(ctx.lang, "同じ ID", "same ID")
                        },
                    }
                })
                .collect();
            out.push(Diagnostic::new(&RULE, file, span, message).with_related(related));
        }
    }
}
