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
