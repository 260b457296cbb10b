//! The settings the rules read: rule levels, the rating scheme, duplicate
//! detection and the known departments. Only the types: reading and
//! validating a `plancheck.toml` (which needs the rule registry) is
//! [`config`](crate::config)'s, above the rules.

use crate::diagnostics::{DOCS_URL, RuleMeta, Severity};
use crate::rating::RatingScheme;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A rule's level: a severity, or `off`. / ルールの重大度 (`off` で無効)。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
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

/// Duplicate and near-duplicate prose (`duplicate-text`,
/// `near-duplicate-text`). / 重複する文章の検出。
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct DuplicateSettings {
    /// The fields compared, by their names. / 比べるフィールドの名前。
    pub fields: Vec<String>,
    /// Texts shorter than this (in characters, after normalisation) are
    /// never reported as duplicates. / これより短い文章 (正規化した後の文字数) は比べません。
    pub min_length: usize,
    /// Similarity (0–1) from which two texts count as near duplicates. /
    /// ほぼ同じとみなす類似度 (0〜1)。
    #[schemars(range(min = 0.0, max = 1.0))]
    pub similarity: f64,
}

impl Default for DuplicateSettings {
    fn default() -> Self {
        DuplicateSettings { fields: ["成果", "課題", "自己評価", "取組", "次期課題", "次期方向性"].map(String::from).to_vec(), min_length: 15, similarity: 0.85 }
    }
}

/// Words of indicator names that say which way is better, added to the
/// built-in ones (`missing-direction`, and the hints of `rating-mismatch`).
/// / 指標の名前から方向を推定する語 (組み込みの語に加えます)。
#[derive(Debug, Clone, PartialEq, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct DirectionSettings {
    /// Words that make a name read lower-is-better (`救急出動件数`). /
    /// 低いほどよい指標を表す語。
    pub lower_is_better: Vec<String>,
    /// Words that make a name higher-is-better even with such a word in
    /// it (`削減率`). / それでも高いほどよい指標を表す語。
    pub higher_is_better: Vec<String>,
}

/// `[import]`: a table's headings that plancheck does not know, mapped.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ImportSettings {
    /// Each heading (as written, spaces aside) and what its column is: a
    /// heading plancheck knows (`施策代表課`, `実績値`, `指標`, `備考`, any name
    /// of a field), or `除外` to leave the column out (said in a warning).
    /// `"所管" = "施策代表課"`, `"担当者（内線）" = "除外"`. / 見出しと、その列
    /// の読み方 (plancheck が知る見出しか、列を取り込まない `除外`)。
    pub columns: BTreeMap<String, String>,
}

/// The settings in one `plancheck.toml`: it applies to the `.plan` files in
/// its folder and below. Every key is optional. / plancheck の設定。このフォルダ
/// とその下の .plan に使われます。どのキーも省略できます。
#[derive(Debug, Clone, PartialEq, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "plancheck.toml")]
pub struct Config {
    /// Each rule's level, by the rule's name or code (`rating-mismatch`,
    /// `PC201`): `error`, `warning`, `info` or `off`. / ルールごとの重大度
    /// (ルール名かコードで)。
    pub rules: BTreeMap<String, RuleLevel>,
    /// The rating legend: thresholds, points and bounds. / 評価の計算 (凡例)。
    pub rating: RatingScheme,
    /// Duplicate and near-duplicate prose. / 重複する文章の検出。
    pub duplicates: DuplicateSettings,
    /// Words of indicator names that say which way is better. / 方向を推定する語。
    pub directions: DirectionSettings,
    /// The departments a `代表課` may name (`unknown-department`); empty:
    /// any. / 施策代表課として認める課 (空ならどれでも)。
    pub departments: Vec<String>,
    /// How `plancheck import` (and `check` of a table) reads this body's
    /// own headings. / 取り込むときの、この団体の表の見出しの読み方。
    pub import: ImportSettings,
    /// The base address of the rule pages: a finding's docs link (the
    /// editor's, SARIF's `helpUri`) is `<docs-url>/<rule-name>.md`. Absent:
    /// the pages in the repository's `docs/rules/`. / ルールの説明ページの場所
    /// (リンクは `<docs-url>/<ルール名>.md`)。
    #[schemars(schema_with = "docs_url_schema")]
    pub docs_url: Option<String>,
}

/// `docs-url`: an absolute `https://`, `http://` or `file://` address (as
/// [`Config::from_toml`](crate::config) checks it).
fn docs_url_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "string",
        "format": "uri",
        "pattern": "^([Hh][Tt][Tt][Pp][Ss]?|[Ff][Ii][Ll][Ee])://\\S+$",
        "default": DOCS_URL,
    })
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
