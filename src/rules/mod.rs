//! The rules: pure functions from the model to diagnostics, one per file.
//!
//! Each rule file declares a [`RuleMeta`] (stable name, short code, default
//! severity, documentation in Japanese and English, shown by
//! `plancheck explain`) and a `check` function. [`check_workspace`] runs
//! them all, then applies configured severities and suppressions.

use crate::config::{Config, ResolvedConfig};
use crate::diagnostics::{Diagnostic, Lang, Severity};
use crate::model::{FileId, Workspace};
use crate::syntax::Span;
use std::sync::Arc;

mod duplicate_field;
mod duplicate_id;
mod duplicate_text;
mod id_hierarchy_mismatch;
mod invalid_directive;
mod invalid_id;
mod invalid_value;
mod misplaced_block;
mod misplaced_field;
mod missing_department;
mod missing_field;
mod near_duplicate_text;
mod period_mismatch;
mod qualitative_summary_mismatch;
mod quantitative_summary_mismatch;
mod rating_mismatch;
mod syntax_error;
pub(crate) mod text_normalize;
mod unit_mismatch;
mod unknown_block;
mod unknown_department;
mod unknown_field;

/// A rule's identity and documentation.
#[derive(Debug, PartialEq)]
pub struct RuleMeta {
    /// The stable kebab-case name (configuration, suppression, output).
    pub name: &'static str,
    /// The short code, `PC` and three digits.
    pub code: &'static str,
    pub default_severity: Severity,
    /// One line: what it flags.
    pub summary_ja: &'static str,
    pub summary_en: &'static str,
    /// The full explanation (what, why, an example, the fix), Markdown.
    pub doc_ja: &'static str,
    pub doc_en: &'static str,
    /// Whether the rule offers a fix.
    pub fixable: bool,
    /// Whether the rule is in the spec's table (false: a plancheck extension).
    pub in_spec: bool,
}

impl RuleMeta {
    pub fn summary(&self, lang: Lang) -> &'static str {
        lang.pick(self.summary_ja, self.summary_en)
    }
    pub fn doc(&self, lang: Lang) -> &'static str {
        lang.pick(self.doc_ja, self.doc_en)
    }
    /// Where the rule is documented (the docs link of editors and SARIF).
    pub fn url(&self) -> String {
        format!("https://plancheck.invalid/rules/{}", self.name)
    }
}

type CheckFn = fn(&Context<'_>, &mut Vec<Diagnostic>);

/// Every rule: its metadata and its check, in the order of the spec's table.
pub static RULES: &[(&RuleMeta, CheckFn)] = &[
    (&syntax_error::RULE, syntax_error::check),
    (&invalid_value::RULE, invalid_value::check),
    (&unknown_field::RULE, unknown_field::check),
    (&misplaced_field::RULE, misplaced_field::check),
    (&duplicate_id::RULE, duplicate_id::check),
    (&id_hierarchy_mismatch::RULE, id_hierarchy_mismatch::check),
    (&missing_field::RULE, missing_field::check),
    (&missing_department::RULE, missing_department::check),
    (&rating_mismatch::RULE, rating_mismatch::check),
    (&quantitative_summary_mismatch::RULE, quantitative_summary_mismatch::check),
    (&qualitative_summary_mismatch::RULE, qualitative_summary_mismatch::check),
    (&unit_mismatch::RULE, unit_mismatch::check),
    (&duplicate_text::RULE, duplicate_text::check),
    (&near_duplicate_text::RULE, near_duplicate_text::check),
    (&period_mismatch::RULE, period_mismatch::check),
    // plancheck's extensions of the spec's table
    (&unknown_block::RULE, unknown_block::check),
    (&misplaced_block::RULE, misplaced_block::check),
    (&invalid_id::RULE, invalid_id::check),
    (&duplicate_field::RULE, duplicate_field::check),
    (&invalid_directive::RULE, invalid_directive::check),
    (&unknown_department::RULE, unknown_department::check),
];

pub fn all() -> impl Iterator<Item = &'static RuleMeta> {
    RULES.iter().map(|(meta, _)| *meta)
}

/// A rule by name or code (`rating-mismatch`, `PC201`).
pub fn by_name(name: &str) -> Option<&'static RuleMeta> {
    all().find(|r| r.name == name || r.code.eq_ignore_ascii_case(name))
}

/// The rule name closest to a misspelt one.
pub fn closest_name(name: &str) -> Option<&'static str> {
    all().map(|r| (rapidfuzz::distance::levenshtein::distance(name.chars(), r.name.chars()), r.name)).filter(|(d, _)| *d <= 3).min().map(|(_, n)| n)
}

/// What every rule sees: the workspace, each file's config, the language.
pub struct Context<'a> {
    pub workspace: &'a Workspace,
    pub configs: &'a [Arc<ResolvedConfig>],
    pub lang: Lang,
}

impl<'a> Context<'a> {
    pub fn config(&self, file: FileId) -> &'a Config {
        &self.configs[file].config
    }
    /// The message in the context's language.
    pub fn msg(&self, ja: String, en: String) -> String {
        self.lang.pick(ja, en)
    }
}

/// Runs every enabled rule over the workspace; returns the diagnostics with
/// configured severities, suppressions applied, sorted by file and position.
/// `configs[i]` is the config of `workspace.docs[i]`.
pub fn check_workspace(workspace: &Workspace, configs: &[Arc<ResolvedConfig>], lang: Lang) -> Vec<Diagnostic> {
    assert_eq!(workspace.docs.len(), configs.len(), "one config per document");
    let ctx = Context { workspace, configs, lang };
    let mut all = Vec::new();
    for (meta, check) in RULES {
        // A rule that is off everywhere is not run at all.
        if configs.iter().all(|c| c.config.severity(meta).is_none()) {
            continue;
        }
        let mut found = Vec::new();
        check(&ctx, &mut found);
        all.extend(found);
    }
    let mut kept: Vec<Diagnostic> = all
        .into_iter()
        .filter_map(|mut d| {
            d.severity = ctx.config(d.file).severity(d.rule)?;
            (!is_suppressed(workspace, &d)).then_some(d)
        })
        .collect();
    kept.sort_by(|a, b| (a.file, a.span.start, a.span.end, a.rule.code).cmp(&(b.file, b.span.start, b.span.end, b.rule.code)));
    kept.dedup_by(|a, b| a.file == b.file && a.span == b.span && a.rule == b.rule && a.message == b.message);
    kept
}

fn is_suppressed(workspace: &Workspace, d: &Diagnostic) -> bool {
    let doc = &workspace.docs[d.file];
    let names = |allow: &crate::model::Allow| allow.rules.iter().any(|r| r.value == d.rule.name || r.value.eq_ignore_ascii_case(d.rule.code));
    if doc.file_allows.iter().any(names) {
        return true;
    }
    doc.allows.iter().any(|allow| allow.scope.is_some_and(|scope| scope.contains(Span::new(d.span.start, d.span.start))) && names(allow))
}
