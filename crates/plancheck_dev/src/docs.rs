//! The rule pages `docs/rules/<name>.md` and their index
//! `docs/rules/README.md`, generated from the rules' [`RuleMeta`]:
//! `tests/docs.rs` writes them with `PLANCHECK_UPDATE_DOCS=1 cargo test
//! --test docs` and otherwise fails when a committed page differs.

use plancheck_linter::diagnostics::{Applicability, Lang, RuleMeta};
use plancheck_linter::explain;
use plancheck_linter::rules::{self, Scope};
use std::fmt::Write;
use std::path::PathBuf;

/// Where the pages are, relative to the repository's root.
pub const RULES_DIR: &str = "docs/rules";

/// The command that regenerates them.
pub const UPDATE_COMMAND: &str = "PLANCHECK_UPDATE_DOCS=1 cargo test --test docs";

/// Every rule's page, then the index: (path from the repository's root, text).
pub fn rule_docs() -> Vec<(PathBuf, String)> {
    let mut pages: Vec<(PathBuf, String)> = rules::all().map(|rule| (PathBuf::from(RULES_DIR).join(format!("{}.md", rule.name)), rule_page(rule))).collect();
    pages.push((PathBuf::from(RULES_DIR).join(format!("{}.md", explain::CONFIG_ERROR)), config_error_page()));
    pages.push((PathBuf::from(RULES_DIR).join("README.md"), index()));
    pages
}

/// The rule's source file, relative to the repository's root.
pub fn source_of(rule: &RuleMeta) -> String {
    format!("crates/plancheck_linter/src/rules/{}.rs", rule.name.replace('-', "_"))
}

fn generated_note(source: &str) -> String {
    format!("<!-- Generated from {source} by crates/plancheck_dev (`{UPDATE_COMMAND}`): edit it there, not here. -->\n")
}

/// The page editors link a `plancheck.toml` that cannot be read to (its
/// diagnostic's code is `config-error`): in Japanese, then in English.
fn config_error_page() -> String {
    let mut out = generated_note("crates/plancheck_linter/src/explain.rs");
    let page = |lang| demoted(&demoted(&explain::config_error_page(lang)));
    let _ = write!(out, "\n# {}\n\n[日本語](#日本語) · [English](#english)\n\n## 日本語\n\n{}\n\n## English\n\n{}", explain::CONFIG_ERROR, page(Lang::Ja), page(Lang::En));
    out
}

/// A page: the header table and the documentation in Japanese, then the
/// same in English.
fn rule_page(rule: &RuleMeta) -> String {
    let mut out = generated_note(&source_of(rule));
    let _ = writeln!(out, "\n# {} ({})\n\n[日本語](#日本語) · [English](#english)", rule.name, rule.code);
    for lang in [Lang::Ja, Lang::En] {
        let _ = writeln!(out, "\n## {}\n", lang.pick("日本語", "English"));
        let headers = lang.pick(["コード", "名前", "既定の重大度", "修正", "範囲", "仕様", "読む設定"], ["Code", "Name", "Default severity", "Fix", "Scope", "Spec", "Settings read"]);
        let settings = if rule.settings.is_empty() { lang.pick("なし", "none").to_string() } else { rule.settings.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ") };
        let values = [
            rule.code.to_string(),
            format!("`{}`", rule.name),
            rule.default_severity.as_str().to_string(),
            fix_text(rule.fixes, lang).to_string(),
            scope_text(rule.scope, lang).to_string(),
            spec_text(rule.in_spec, lang).to_string(),
            settings,
        ];
        let _ = writeln!(out, "| {} |", headers.join(" | "));
        let _ = writeln!(out, "|{}", " --- |".repeat(headers.len()));
        let _ = writeln!(out, "| {} |\n", values.join(" | "));
        let _ = writeln!(out, "**{}** {}\n", lang.pick("概要:", "Summary:"), rule.summary(lang));
        out.push_str(&demoted(rule.doc(lang)));
        let _ = writeln!(out, "\n\n{}", lang.pick(format!("端末では `plancheck explain {}`。", rule.name), format!("In a terminal: `plancheck explain {} --lang en`.", rule.name)));
    }
    out
}

/// What the fix column says.
pub fn fix_text(fixes: &[Applicability], lang: Lang) -> &'static str {
    let safe = fixes.contains(&Applicability::Safe);
    let guess = fixes.contains(&Applicability::Unsafe);
    match (safe, guess) {
        (false, false) => lang.pick("なし", "none"),
        (true, false) => lang.pick("安全 (`check --fix` が直します)", "safe (`check --fix` applies it)"),
        (false, true) => lang.pick("推測の提案 (エディタと `check --fix --unsafe-fixes`)", "unsafe suggestion (the editor, `check --fix --unsafe-fixes`)"),
        (true, true) => lang.pick("安全、または推測の提案 (場合による)", "safe, or an unsafe suggestion (by case)"),
    }
}

fn scope_text(scope: Scope, lang: Lang) -> &'static str {
    match scope {
        Scope::File => lang.pick("ファイル", "file"),
        Scope::Workspace => lang.pick("ワークスペース (ほかのファイルも見ます)", "workspace (other files too)"),
    }
}

fn spec_text(in_spec: bool, lang: Lang) -> &'static str {
    if in_spec { lang.pick("仕様の表にあるルール", "in the spec's table") } else { lang.pick("plancheck の拡張", "a plancheck extension") }
}

/// Markdown with its headings one level deeper (`##` → `###`), code blocks
/// left as they are (a `.plan` comment starts with `#` too).
fn demoted(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 32);
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if !in_code && line.starts_with('#') {
            out.push('#');
        }
        out.push_str(line);
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out
}

/// The groups of the index, by a code's hundreds.
const GROUPS: [(char, &str, &str); 5] =
    [('0', "読み取りと構造", "reading and structure"), ('1', "記入漏れ", "completeness"), ('2', "評価", "ratings"), ('3', "文章", "prose"), ('4', "年度", "periods")];

/// The group of a code (`PC201` → `'2'`).
fn hundreds(rule: &RuleMeta) -> char {
    rule.code.chars().nth(2).unwrap_or_else(|| panic!("{}: a code is PC and three digits", rule.name))
}

fn index() -> String {
    let mut out = generated_note("the rules' documentation (crates/plancheck_linter/src/rules/)");
    out.push_str(
        "\n# plancheck のルール / plancheck's rules\n\n\
         各ルールの説明 (`plancheck explain RULE` が表示するもの) です。エディタと SARIF のリンクはここを指します\n\
         (`plancheck.toml` の `docs-url` で変えられます)。ルールの重大度は `[rules]` で、名前かコードで変えます。\n\n\
         Each rule's documentation (what `plancheck explain RULE` prints). The links of editors and SARIF\n\
         point here (`docs-url` in `plancheck.toml` changes that). A rule's level is set in `[rules]`, by\n\
         name or code.\n",
    );
    for (digit, ja, en) in GROUPS {
        let members: Vec<&RuleMeta> = {
            let mut m: Vec<&RuleMeta> = rules::all().filter(|r| hundreds(r) == digit).collect();
            m.sort_by_key(|r| r.code);
            m
        };
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## PC{digit}xx {ja} / {en}\n");
        let _ = writeln!(out, "| コード / code | 名前 / name | 既定 / default | 概要 | summary |");
        let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
        for rule in members {
            let extension = if rule.in_spec { "" } else { " (拡張 / extension)" };
            let _ = writeln!(out, "| {} | [`{}`]({}.md){extension} | {} | {} | {} |", rule.code, rule.name, rule.name, rule.default_severity.as_str(), rule.summary_ja, rule.summary_en);
        }
    }
    let unnamed: Vec<&str> = rules::all().filter(|r| !GROUPS.iter().any(|(d, _, _)| *d == hundreds(r))).map(|r| r.code).collect();
    assert!(unnamed.is_empty(), "codes without a group in the index: {unnamed:?}; name their group in plancheck_dev::docs::GROUPS");
    let _ = writeln!(out, "\n[`{0}`]({0}.md): plancheck.toml を読めない (ルールではなく、設定の誤り) / plancheck.toml cannot be read (not a rule: a mistake in the settings)", explain::CONFIG_ERROR);
    out.push_str(
        "\n「拡張」は仕様の表にない plancheck 独自のルールです。\n\n\
         An extension is a rule of plancheck's own, not in the spec's table.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_demoted_outside_code_blocks_only() {
        assert_eq!(demoted("## 例\n```plan\n# コメント\n施策 1-1-1 a {\n}\n```\n文\n"), "### 例\n```plan\n# コメント\n施策 1-1-1 a {\n}\n```\n文");
    }

    #[test]
    fn every_rule_has_a_page_and_a_row_in_the_index() {
        let pages = rule_docs();
        assert_eq!(pages.len(), rules::all().count() + 2, "every rule, config-error and the index");
        let index = &pages.last().unwrap().1;
        assert!(index.contains("[`config-error`](config-error.md)"), "the index links config-error's page");
        assert!(pages.iter().any(|(p, text)| p.ends_with("config-error.md") && text.contains("plancheck.toml を読めない") && text.contains("cannot be read")));
        for rule in rules::all() {
            assert!(index.contains(&format!("| {} | [`{}`]({}.md)", rule.code, rule.name, rule.name)), "{}", rule.name);
            let page = &pages.iter().find(|(p, _)| p.ends_with(format!("{}.md", rule.name))).unwrap().1;
            let ja = page.find("## 日本語").unwrap();
            let en = page.find("## English").unwrap();
            assert!(ja < en, "Japanese first");
            assert!(page[ja..en].contains(rule.summary_ja) && page[en..].contains(rule.summary_en));
            assert!(page[en..].contains(fix_text(rule.fixes, Lang::En)));
        }
    }
}
