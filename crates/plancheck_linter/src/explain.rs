//! A rule's page, as `plancheck explain RULE` prints it (Markdown): the
//! header (name, code, summary, default severity, whether it has a fix and
//! whether it is a plancheck extension), then the rule's documentation.

use crate::diagnostics::{Lang, RuleMeta};

/// The page of `rule` in `lang`, ending with a line end.
pub fn page(rule: &RuleMeta, lang: Lang) -> String {
    let mut out = format!("# {} ({})\n\n", rule.name, rule.code);
    let default = rule.default_severity.as_str();
    out.push_str(&lang.pick(
        format!("{}\n\n既定の重大度: {default}{}{}\n\n", rule.summary_ja, if rule.fixable() { "、修正あり" } else { "" }, if rule.in_spec { "" } else { "、plancheck の拡張" }),
        format!("{}\n\nDefault severity: {default}{}{}\n\n", rule.summary_en, if rule.fixable() { "; has a fix" } else { "" }, if rule.in_spec { "" } else { "; a plancheck extension" }),
    ));
    out.push_str(rule.doc(lang));
    out.push('\n');
    out
}

/// The code of a `plancheck.toml` that cannot be read, as editors show it.
/// Not a rule (nothing in a plan is wrong), but it has a page like one:
/// `plancheck explain config-error` and `docs/rules/config-error.md`.
pub const CONFIG_ERROR: &str = "config-error";

/// `plancheck explain config-error`: what the editor's `config-error` means.
pub fn config_error_page(lang: Lang) -> String {
    let ja = [
        "# config-error: plancheck.toml を読めない",
        "",
        "## 何を表すか",
        "このファイルに適用される `plancheck.toml` に誤りがあり、読めません (書き方の誤り、知らない設定名、範囲外の値など)。",
        "読めるようになるまで、plancheck は既定の設定 (既定の凡例、すべてのルールを既定の重大度) で検査します。",
        "",
        "## 直し方",
        "指摘の位置 (plancheck.toml の行) を開き、メッセージのとおりに直します。設定の一覧と例は README の",
        "「Configuration: `plancheck.toml`」にあります。エディターでは、ファイルの先頭に",
        "`#:schema https://raw.githubusercontent.com/plancheck/plancheck/main/schema/plancheck-toml.schema.json`",
        "と書くと、設定名の補完と検査が使えます。`plancheck init` は注釈つきの正しい plancheck.toml を書きます。",
    ];
    let en = [
        "# config-error: plancheck.toml cannot be read",
        "",
        "## What it means",
        "The `plancheck.toml` that applies to this file has a mistake and cannot be read (a syntax error, an unknown",
        "setting, a value out of range). Until it can, plancheck checks with the defaults (the default legend, every",
        "rule at its default severity).",
        "",
        "## How to fix it",
        "Open the place the finding points at (a line of plancheck.toml) and fix what the message says. The settings,",
        "with examples, are in the README, \"Configuration: `plancheck.toml`\". In an editor, a first line",
        "`#:schema https://raw.githubusercontent.com/plancheck/plancheck/main/schema/plancheck-toml.schema.json`",
        "gives completion and checking of the settings. `plancheck init` writes a correct, commented plancheck.toml.",
    ];
    let lines: &[&str] = if lang == Lang::Ja { &ja } else { &en };
    lines.iter().map(|l| format!("{l}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_then_the_doc() {
        let rule = crate::rules::by_name("rating-mismatch").unwrap();
        let ja = page(rule, Lang::Ja);
        assert!(ja.starts_with(&format!("# rating-mismatch (PC201)\n\n{}\n\n既定の重大度: warning、修正あり\n\n{}", rule.summary_ja, rule.doc_ja)), "{ja}");
        assert!(ja.ends_with(&format!("{}\n", rule.doc_ja)));
        let en = page(rule, Lang::En);
        assert_eq!(en, format!("# rating-mismatch (PC201)\n\n{}\n\nDefault severity: warning; has a fix\n\n{}\n", rule.summary_en, rule.doc_en));
        let extension = crate::rules::by_name("misplaced-block").unwrap();
        assert!(page(extension, Lang::Ja).contains("既定の重大度: error、plancheck の拡張\n"));
        assert!(page(extension, Lang::En).contains("Default severity: error; a plancheck extension\n"));
    }
}
