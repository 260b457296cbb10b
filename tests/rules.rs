//! Every rule, on a small fixture of its own under `tests/fixtures/rules/`:
//! the fixture must trigger the rule, and the findings (in Japanese and in
//! English) are snapshot-tested.

mod common;

use plancheck::diagnostics::Lang;
use std::path::{Path, PathBuf};

fn fixture(rule: &str) -> PathBuf {
    let base = Path::new("tests/fixtures/rules");
    let file = base.join(format!("{rule}.plan"));
    if file.exists() { file } else { base.join(rule) }
}

#[test]
fn every_rule_has_a_fixture_that_triggers_it() {
    for rule in plancheck::rules::all() {
        let path = fixture(rule.name);
        assert!(path.exists(), "no fixture for {} at {}", rule.name, path.display());
        let analysis = common::analyze_path(&path, Lang::Ja);
        assert!(analysis.diagnostics.iter().any(|d| d.rule.name == rule.name), "the fixture for {} does not trigger it:\n{}", rule.name, common::render(&analysis));
    }
}

#[test]
fn a_rule_s_scope_and_fix_flag_are_what_it_does() {
    for rule in plancheck::rules::RULES {
        let meta = rule.meta;
        // The registry runs a rule as a file or a workspace rule; its
        // metadata (docs, cache) must say the same.
        assert_eq!(meta.scope, rule.check.scope(), "{}: RuleMeta::scope against the registry", meta.name);
        // `fixable` is what the fixture shows: a rule that says it fixes
        // offers a fix there, one that does not never offers one.
        let analysis = common::analyze_path(&fixture(meta.name), Lang::Ja);
        let fixes = analysis.diagnostics.iter().filter(|d| d.rule.name == meta.name && d.fix.is_some()).count();
        assert_eq!(fixes > 0, meta.fixable(), "{}: fixable = {} but its fixture gives {fixes} fixes", meta.name, meta.fixable());
    }
}

#[test]
fn findings_of_each_rule_fixture() {
    for rule in plancheck::rules::all() {
        let path = fixture(rule.name);
        let ja = common::render(&common::analyze_path(&path, Lang::Ja));
        let en = common::render(&common::analyze_path(&path, Lang::En));
        insta::assert_snapshot!(rule.name, format!("{ja}\n--- en ---\n{en}"));
    }
}

#[test]
fn rule_names_and_codes_are_unique_and_stable() {
    let rules: Vec<_> = plancheck::rules::all().collect();
    for (i, a) in rules.iter().enumerate() {
        for b in &rules[i + 1..] {
            assert_ne!(a.name, b.name);
            assert_ne!(a.code, b.code);
        }
        assert!(a.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", a.name);
        assert!(a.code.starts_with("PC") && a.code.len() == 5, "{}", a.code);
        for doc in [a.doc_ja, a.doc_en] {
            assert!(doc.contains("```"), "{} documents an example", a.name);
        }
    }
    // The spec's table, by name: these names are a contract.
    let spec = [
        "syntax-error",
        "invalid-value",
        "unknown-field",
        "misplaced-field",
        "duplicate-id",
        "id-hierarchy-mismatch",
        "missing-field",
        "missing-department",
        "rating-mismatch",
        "quantitative-summary-mismatch",
        "qualitative-summary-mismatch",
        "unit-mismatch",
        "duplicate-text",
        "near-duplicate-text",
        "period-mismatch",
    ];
    for name in spec {
        let rule = plancheck::rules::by_name(name).unwrap_or_else(|| panic!("spec rule {name} missing"));
        assert!(rule.in_spec, "{name} is a spec rule");
    }
    assert_eq!(rules.iter().filter(|r| r.in_spec).count(), spec.len());
}
