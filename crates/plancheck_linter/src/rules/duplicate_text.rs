//! `duplicate-text` (PC301): the same prose in two places.

use super::text_normalize::{describe_unit, prose_units};
use super::{Context, RuleMeta, related_members};
use crate::diagnostics::{Diagnostic, Related, Severity};
use std::collections::HashMap;

pub static RULE: RuleMeta = RuleMeta {
    name: "duplicate-text",
    code: "PC301",
    default_severity: Severity::Warning,
    summary_ja: "同じ文章が2か所以上にある",
    summary_en: "the same prose in two places",
    doc_ja: "## 何を検出するか
`成果`、`課題`、`自己評価`、`取組`、`次期課題`、`次期方向性` の文章が、ワークスペースの別の場所と同じものを報告します。
全角・半角、空白、句読点 (`、` `､` `。` `｡` など) の違いは無視して比べます。`-`、`なし`、短すぎる文 (既定 15 文字未満) は対象外です。
2つ目以降の各コピーに報告し、ほかのコピーを関連位置として示します (21 か所以上あるときは最初・直前・直後のコピー。メッセージに全部の数を示します)。

## なぜ
公表された一覧では、ある施策の課題の段落がほかの行にも貼り付けられたまま印刷されていました。
コピーされた文章は、その行の本来の評価が書かれていないことを示します。

## 例
```plan
施策 2-1-7 良好な居住環境の形成 {
  全体評価: B
  代表課: 住宅課
  展開 住宅の耐震化 {
    成果: 木造住宅の耐震診断と耐震改修の費用を補助した。
    課題: 木造住宅の耐震化について、大規模災害の後は相談が増えるが、改修まで進まない例が多い。
    定性評価: 中
  }
  展開 空き家対策 {
    成果: 空き家バンクへの物件の登録と利用の促進に取り組んだ。
    # 同じ段落
    課題: 木造住宅の耐震化について、大規模災害の後は相談が増えるが、改修まで進まない例が多い。
    定性評価: 中
  }
}
```
設定: `[duplicates] fields`、`min-length`。",
    doc_en: "## What it does
Reports prose (`成果`, `課題`, `自己評価`, `取組`, `次期課題`, `次期方向性`) that is the same as
elsewhere in the workspace, ignoring width, white space and punctuation (`、` `､` `。` `｡` ...).
`-`, `なし` and very short texts (under 15 characters by default) are left out. Each copy after
the first is reported, with the other copies as related locations (when there are more than 20: the
first, the previous and the next copy; the message gives the number of copies in all).

## Why
The published sheet printed one 施策's paragraph of issues in several rows. A copied text means
the row's own evaluation was never written.

## Example
```plan
施策 2-1-7 良好な居住環境の形成 {
  全体評価: B
  代表課: 住宅課
  展開 住宅の耐震化 {
    成果: 木造住宅の耐震診断と耐震改修の費用を補助した。
    課題: 木造住宅の耐震化について、大規模災害の後は相談が増えるが、改修まで進まない例が多い。
    定性評価: 中
  }
  展開 空き家対策 {
    成果: 空き家バンクへの物件の登録と利用の促進に取り組んだ。
    # the same paragraph
    課題: 木造住宅の耐震化について、大規模災害の後は相談が増えるが、改修まで進まない例が多い。
    定性評価: 中
  }
}
```
Settings: `[duplicates] fields`, `min-length`.",
    fixes: &[],
    in_spec: true,
    settings: &["[duplicates] fields", "[duplicates] min-length"],
    scope: super::Scope::Workspace,
};

pub fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let units = prose_units(ctx);
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, unit) in units.iter().enumerate() {
        groups.entry(unit.normalized).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    groups.sort();
    for group in groups {
        let count = group.len();
        for (n, &i) in group.iter().enumerate().skip(1) {
            let unit = &units[i];
            let first = describe_unit(ctx, &units[group[0]]);
            // Every copy is pointed to: all of them in a small group, else the
            // first, the previous and the next (a paragraph pasted 14,000
            // times must not make 280,000 related locations).
            let related = related_members(count, n)
                .into_iter()
                .map(|m| group[m])
                .map(|j| Related {
                    file: units[j].file,
                    span: units[j].span,
                    message: msg!(ctx.lang, format!("同じ文章: {}", describe_unit(ctx, &units[j])), format!("same text: {}", describe_unit(ctx, &units[j]))),
                })
                .collect();
            out.push(
                Diagnostic::new(
                    &RULE,
                    unit.file,
                    unit.span,
                    msg!(ctx.lang,
                        format!("この{}は {first} と同じ文章です (全部で {count} か所)。コピーされたまま直されていない可能性があります", unit.field_name),
                        format!("this {} is the same text as {first} ({count} copies in all); it may have been pasted and never rewritten", unit.field_name),
                    ),
                )
                .with_related(related),
            );
        }
    }
}
