//! The rules' documentation: every rule's example of the bad case (each
//! ```` ```plan ```` block of its doc, in both languages) is a whole `.plan`
//! document that triggers the rule.

use plancheck::diagnostics::{Lang, RuleMeta};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The code blocks of a Markdown text, as (info string, text).
fn code_blocks(doc: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in doc.lines() {
        match (&mut open, line.trim_start().strip_prefix("```")) {
            (None, Some(info)) => open = Some((info.trim().to_string(), String::new())),
            (Some(_), Some("")) => blocks.push(open.take().expect("an open block")),
            (Some((_, text)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "a code block is not closed:\n{doc}");
    blocks
}

/// Rules whose example triggers other rules too, and why that is right.
const ALSO_TRIGGERED: &[(&str, &[&str], &str)] = &[
    ("unknown-field", &["missing-field"], "the misspelt `実積` leaves the indicator without its `実績`, as the doc says"),
    ("invalid-directive", &["rating-mismatch"], "a misspelt suppression suppresses nothing: the finding it was meant to allow is still reported"),
];

/// The rules an example triggers: checked alone, with the default config or
/// with the doc's ```` ```toml ```` block as its `plancheck.toml`.
fn triggered(example: &str, config: Option<&str>, lang: Lang) -> BTreeSet<&'static str> {
    let analysis = match config {
        None => plancheck::check_text("example.plan", example, lang),
        Some(toml) => {
            let config = plancheck::config::Config::from_toml(std::path::Path::new("plancheck.toml"), toml).unwrap_or_else(|e| panic!("the doc's plancheck.toml: {e}"));
            let workspace = plancheck::model::Workspace::new(vec![plancheck::model::Document::parse("example.plan", example)]);
            let configs = vec![Arc::new(plancheck::config::ResolvedConfig { path: None, config })];
            let diagnostics = plancheck::rules::check_workspace(&workspace, &configs, lang);
            plancheck::Analysis { workspace, configs, diagnostics }
        }
    };
    analysis.diagnostics.iter().map(|d| d.rule.name).collect()
}

/// A doc's examples: its `plan` blocks and its `toml` block (at most one).
fn examples(rule: &RuleMeta, lang: Lang) -> (Vec<String>, Option<String>) {
    let blocks = code_blocks(rule.doc(lang));
    for (info, _) in &blocks {
        assert!(info == "plan" || info == "toml", "{} ({lang:?}): a code block marked `{info}`; mark it `plan` (an example that triggers the rule) or `toml` (its plancheck.toml)", rule.name);
    }
    let plans: Vec<String> = blocks.iter().filter(|(info, _)| info == "plan").map(|(_, text)| text.clone()).collect();
    let tomls: Vec<String> = blocks.iter().filter(|(info, _)| info == "toml").map(|(_, text)| text.clone()).collect();
    assert!(tomls.len() <= 1, "{} ({lang:?}): one plancheck.toml per doc", rule.name);
    (plans, tomls.into_iter().next())
}

#[test]
fn every_rule_s_example_triggers_it() {
    let mut failures = Vec::new();
    for rule in plancheck::rules::all() {
        let allowed: BTreeSet<&str> = ALSO_TRIGGERED.iter().filter(|(name, _, _)| *name == rule.name).flat_map(|(_, also, _)| also.iter().copied()).chain([rule.name]).collect();
        for lang in [Lang::Ja, Lang::En] {
            let (plans, config) = examples(rule, lang);
            if plans.is_empty() {
                failures.push(format!("{} ({lang:?}): no ```plan example", rule.name));
            }
            for plan in &plans {
                let found = triggered(plan, config.as_deref(), lang);
                if !found.contains(rule.name) || !found.is_subset(&allowed) {
                    failures.push(format!("{} ({lang:?}): the example triggers {found:?}, expected {:?}:\n{plan}", rule.name, allowed));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The Japanese and the English doc show the same example: the same lines
/// but for the comments (which are in the doc's language).
#[test]
fn both_languages_show_the_same_examples() {
    let without_comments = |text: &str| -> Vec<String> { text.lines().filter(|l| !l.trim_start().starts_with('#') || l.trim_start().starts_with("# plancheck:")).map(String::from).collect() };
    for rule in plancheck::rules::all() {
        let (ja, ja_toml) = examples(rule, Lang::Ja);
        let (en, en_toml) = examples(rule, Lang::En);
        assert_eq!(ja.iter().map(|p| without_comments(p)).collect::<Vec<_>>(), en.iter().map(|p| without_comments(p)).collect::<Vec<_>>(), "{}", rule.name);
        assert_eq!(ja_toml, en_toml, "{}", rule.name);
    }
}

#[test]
fn the_exceptions_name_real_rules_that_the_examples_need() {
    for (name, also, reason) in ALSO_TRIGGERED {
        let rule = plancheck::rules::by_name(name).unwrap_or_else(|| panic!("{name}"));
        assert!(!reason.is_empty());
        for lang in [Lang::Ja, Lang::En] {
            let (plans, config) = examples(rule, lang);
            let found: BTreeSet<&str> = plans.iter().flat_map(|p| triggered(p, config.as_deref(), lang)).collect();
            for other in *also {
                assert!(found.contains(other), "{name}'s example no longer triggers {other}: remove it from ALSO_TRIGGERED");
            }
        }
    }
}
