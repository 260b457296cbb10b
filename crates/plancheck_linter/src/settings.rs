//! The settings the rules read: rule levels, the rating scheme, duplicate
//! detection and the known departments. Only the types: reading and
//! validating a `plancheck.toml` (which needs the rule registry) is
//! [`config`](crate::config)'s, above the rules.

use crate::diagnostics::{DOCS_URL, RuleMeta, Severity};
use crate::rating::RatingScheme;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A rule's configured level: a severity, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Error,
    Warning,
    Info,
    Off,
}

impl RuleLevel {
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleLevel::Error => Some(Severity::Error),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Info => Some(Severity::Info),
            RuleLevel::Off => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct DuplicateSettings {
    /// The prose fields compared, by their canonical names.
    pub fields: Vec<String>,
    /// Texts shorter than this (in characters, after normalisation) are
    /// never reported as duplicates.
    pub min_length: usize,
    /// Similarity (0–1) from which two texts count as near duplicates.
    pub similarity: f64,
}

impl Default for DuplicateSettings {
    fn default() -> Self {
        DuplicateSettings { fields: ["成果", "課題", "自己評価", "取組", "次期課題", "次期方向性"].map(String::from).to_vec(), min_length: 15, similarity: 0.85 }
    }
}

/// The settings in one `plancheck.toml`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Rule name → level (`error`, `warning`, `info`, `off`).
    pub rules: BTreeMap<String, RuleLevel>,
    pub rating: RatingScheme,
    pub duplicates: DuplicateSettings,
    /// The departments that may stand in `代表課`. Empty: any.
    pub departments: Vec<String>,
    /// The base address of the rule pages: a finding's docs link (the
    /// editor's, SARIF's `helpUri`) is `<docs-url>/<rule-name>.md`. Absent:
    /// [`DOCS_URL`] (the pages in the repository's `docs/rules/`).
    pub docs_url: Option<String>,
}

impl Config {
    /// The severity of `rule` under this config (`None` when off).
    pub fn severity(&self, rule: &RuleMeta) -> Option<Severity> {
        match self.rules.get(rule.name) {
            Some(level) => level.severity(),
            None => Some(rule.default_severity),
        }
    }
    /// The base address of the rule pages: `docs-url`, or [`DOCS_URL`].
    pub fn docs_url(&self) -> &str {
        self.docs_url.as_deref().unwrap_or(DOCS_URL)
    }
    /// Where `rule` is documented under this config.
    pub fn rule_url(&self, rule: &RuleMeta) -> String {
        rule.url_in(self.docs_url())
    }
}

/// A config and where it came from (`None`: the defaults, no file found).
#[derive(Debug, Clone, Default)]
pub struct ResolvedConfig {
    pub path: Option<PathBuf>,
    pub config: Config,
}
