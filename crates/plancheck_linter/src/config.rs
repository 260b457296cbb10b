//! `plancheck.toml`: rule severities, the rating scheme, duplicate detection
//! settings and known departments.
//!
//! [`ConfigResolver::for_file`] is the one config-resolution function: the
//! CLI and the language server both call it, so an editor and CI can never
//! disagree about which settings apply to a file. The nearest
//! `plancheck.toml` found walking up from the file's folder applies (no
//! merging of several files: the nearest one is the whole truth).

pub use crate::settings::{Config, DuplicateSettings, ResolvedConfig, RuleLevel};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use plancheck_core::load::CONFIG_FILE_NAME as FILE_NAME;

/// A problem with a `plancheck.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based line and column of the problem, when known.
    pub location: Option<(usize, usize)>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.location {
            Some((line, col)) => {
                write!(f, "{}:{line}:{col}: {}", self.path.display(), self.message)
            }
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl Config {
    /// Reads and validates a `plancheck.toml`'s text.
    pub fn from_toml(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            // A legend's error names its key (`rating.grades[1]: ...`): the
            // place of that key, not of the whole `[rating]` table.
            let at = key_path_of(e.message()).and_then(|path| span_of_key(text, path)).or(e.span().map(|s| s.start));
            let location = at.map(|start| {
                let before = &text[..start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                (line, col)
            });
            ConfigError { path: path.to_path_buf(), location, message: e.message().to_string() }
        })?;
        let invalid = |message: String| ConfigError { path: path.to_path_buf(), location: None, message };
        // Keys are a rule's name or its code (`PC201`); each is stored under
        // the rule's name, which is what lookups use.
        let mut rules = BTreeMap::new();
        for (key, level) in std::mem::take(&mut config.rules) {
            let Some(rule) = crate::rules::by_name(&key) else {
                let hint = crate::rules::closest_name(&key).map(|n| format!(" (did you mean `{n}`?)")).unwrap_or_default();
                return Err(invalid(format!("[rules]: unknown rule `{key}`{hint}; `plancheck explain --list` lists the rules")));
            };
            if let Some((other, _)) = rules.insert(rule.name.to_string(), (key.clone(), level)) {
                return Err(invalid(format!("[rules]: `{other}` and `{key}` both set the rule {} ({}); keep one", rule.name, rule.code)));
            }
        }
        config.rules = rules.into_iter().map(|(name, (_, level))| (name, level)).collect();
        if !(0.0..=1.0).contains(&config.duplicates.similarity) {
            return Err(invalid(format!("duplicates.similarity must be between 0 and 1, got {}", config.duplicates.similarity)));
        }
        if let Some(url) = &config.docs_url {
            let absolute = ["https://", "http://", "file://"].iter().any(|scheme| url.len() > scheme.len() && url.get(..scheme.len()).is_some_and(|s| s.eq_ignore_ascii_case(scheme)));
            if !absolute || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(invalid(format!("docs-url: `{url}` is not an absolute `https://`, `http://` or `file://` address without spaces")));
            }
        }
        for field in &config.duplicates.fields {
            let known = crate::model::schema::FIELDS.iter().any(|d| d.names.contains(&field.as_str()));
            if !known {
                return Err(invalid(format!("duplicates.fields: `{field}` is not a field of the format")));
            }
        }
        Ok(config)
    }
}

/// The key a legend's error starts with (`rating.grades[1]`), if any.
fn key_path_of(message: &str) -> Option<&str> {
    let (path, _) = message.split_once(": ")?;
    (path.starts_with("rating") && !path.contains(' ')).then_some(path)
}

/// Where the deepest existing item of a key path (`rating.grades[1].points`,
/// `rating.quantitative.points.A`) is in a TOML text (byte offset).
fn span_of_key(text: &str, path: &str) -> Option<usize> {
    let doc = text.parse::<toml_edit::Document<String>>().ok()?;
    let mut item: &toml_edit::Item = doc.as_item();
    let mut found = None;
    for segment in path.split('.') {
        let (name, index) = match segment.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        let Some(next) = item.get(name) else { break };
        item = next;
        found = item.span().map(|s| s.start).or(found);
        if let Some(i) = index {
            let Some(next) = item.get(i) else { break };
            item = next;
            found = item.span().map(|s| s.start).or(found);
        }
    }
    found
}

/// The JSON Schema of `plancheck.toml` (`schema/plancheck-toml.schema.json`,
/// for editors: taplo, Even Better TOML), draft 7: the settings types'
/// schema, with the `[rules]` table's keys the rules' names and codes (a
/// code in any case, as [`Config::from_toml`] reads it) and
/// `[duplicates] fields` the format's field names.
pub fn json_schema() -> String {
    let mut settings = schemars::generate::SchemaSettings::draft07();
    settings.inline_subschemas = true;
    let mut schema = settings.into_generator().into_root_schema_for::<Config>().to_value();
    schema["$id"] = format!("{}plancheck-toml.schema.json", crate::diagnostics::SCHEMA_URL).into();
    let level = schema["properties"]["rules"]["additionalProperties"].clone();
    assert!(level["enum"].is_array(), "a rule's level is an enum: {level}");
    let rule_schema = |rule: &crate::rules::RuleMeta, described: String| {
        let mut one = level.clone();
        one["description"] = described.into();
        one["default"] = rule.default_severity.as_str().into();
        one
    };
    let mut properties = serde_json::Map::new();
    for rule in crate::rules::all() {
        properties.insert(rule.name.to_string(), rule_schema(rule, format!("{}: {} / {}", rule.code, rule.summary_en, rule.summary_ja)));
    }
    for rule in crate::rules::all() {
        properties.insert(rule.code.to_string(), rule_schema(rule, format!("{}: {} / {}", rule.name, rule.summary_en, rule.summary_ja)));
    }
    // Codes are read in any case (`pc201`).
    let mut digits: Vec<&str> = crate::rules::all().map(|r| r.code.trim_start_matches(|c: char| c.is_ascii_alphabetic())).collect();
    digits.sort_unstable();
    let any_case = format!("^[Pp][Cc]({})$", digits.join("|"));
    let rules = &mut schema["properties"]["rules"];
    rules.as_object_mut().expect("[rules] is an object").remove("additionalProperties");
    rules["properties"] = properties.into();
    rules["patternProperties"] = serde_json::json!({ any_case: level });
    rules["additionalProperties"] = false.into();
    let mut names: Vec<&str> = crate::model::schema::FIELDS.iter().flat_map(|d| d.names.iter().copied()).collect();
    names.sort_unstable();
    names.dedup();
    schema["properties"]["duplicates"]["properties"]["fields"]["items"]["enum"] = names.into();
    // Absent, docs-url is the repository's pages (not `null`, which TOML has not).
    schema["properties"]["docs-url"]["default"] = crate::diagnostics::DOCS_URL.into();
    // The spec's keys default to the spec's legend (they are optional in
    // the types, to tell them from a `scale`).
    let legend = crate::legend::Legend::default();
    let number = |d: rust_decimal::Decimal| -> serde_json::Value { d.to_string().parse::<serde_json::Number>().expect("a decimal is a number").into() };
    let rating = &mut schema["properties"]["rating"]["properties"];
    let bounds: serde_json::Map<String, serde_json::Value> = legend.grades.steps.iter().filter_map(|s| Some((s.symbol.to_string(), number(s.bound?.value)))).collect();
    rating["indicator"]["default"] = bounds.into();
    for (name, rule, parts) in [("quantitative", &legend.quantitative, &legend.grades), ("qualitative", &legend.qualitative, &legend.levels)] {
        let table = &mut rating[name]["properties"];
        let points: serde_json::Map<String, serde_json::Value> = parts.steps.iter().map(|s| (s.symbol.to_string(), number(s.points))).collect();
        table["points"]["default"] = points.into();
        let bound = |i: usize| rule.scale.steps[i].bound.expect("高 and 中 have bounds");
        table["high"]["default"] = number(bound(0).value);
        table["middle"]["default"] = number(bound(1).value);
        table["comparison"]["default"] = if bound(0).inclusive { "at-least" } else { "greater" }.into();
    }
    tidy(&mut schema);
    serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n"
}

/// What editors show and insert, in a schema made from Rust types: a
/// decimal's default as a number (`100`, not the string `"100"` that a
/// `Decimal` serialises to), no default of a whole table (each key has
/// its own), no formats of Rust's (`uint`, `double`), and descriptions
/// whose lines are joined (doc comments wrap mid-sentence: a space between
/// two ASCII characters, none between Japanese ones).
fn tidy(schema: &mut serde_json::Value) {
    let serde_json::Value::Object(node) = schema else { return };
    let decimal = node.get("type") == Some(&serde_json::json!(["number", "string"]));
    if let (true, Some(serde_json::Value::String(text))) = (decimal, node.get("default")) {
        let number: serde_json::Number = text.parse().unwrap_or_else(|_| panic!("a decimal's default is a number: {text}"));
        node.insert("default".into(), number.into());
    }
    if node.get("type").and_then(|t| t.as_str()) == Some("object") && node.contains_key("properties") {
        node.remove("default");
    }
    // An optional key's default is its absence (`null`, which TOML has not).
    if node.get("default") == Some(&serde_json::Value::Null) {
        node.remove("default");
    }
    if matches!(node.get("format").and_then(|f| f.as_str()), Some("uint" | "double")) {
        node.remove("format");
    }
    if let Some(serde_json::Value::String(text)) = node.get_mut("description") {
        *text = joined_lines(text);
    }
    for value in node.values_mut() {
        match value {
            serde_json::Value::Array(items) => items.iter_mut().for_each(tidy),
            other => tidy(other),
        }
    }
}

/// Lines joined into one: by a space between ASCII text, directly in
/// Japanese text.
fn joined_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim) {
        let space = out.chars().next_back().is_some_and(|c| c.is_ascii()) && line.chars().next().is_some_and(|c| c.is_ascii());
        if space {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// Finds the `plancheck.toml` for files, caching per folder.
#[derive(Debug, Default)]
pub struct ConfigResolver {
    by_dir: HashMap<PathBuf, Result<Arc<ResolvedConfig>, ConfigError>>,
    /// An explicit config (`--config`) overrides the search.
    explicit: Option<Result<Arc<ResolvedConfig>, ConfigError>>,
    /// Rule levels set by the editor (the language server's settings),
    /// laid over whatever the files say.
    overrides: BTreeMap<String, RuleLevel>,
    /// Each config found with the overrides laid over it, made once: the
    /// same `Arc` for every call, so the per-document findings cache
    /// (which compares configs by pointer) is hit. Emptied when the
    /// overrides or the files change.
    overridden: Vec<(Arc<ResolvedConfig>, Arc<ResolvedConfig>)>,
}

impl ConfigResolver {
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses this config file for every file, instead of searching.
    pub fn with_explicit(path: &Path) -> Self {
        let resolved = read_config(path).map(Arc::new);
        ConfigResolver { explicit: Some(resolved), ..ConfigResolver::default() }
    }

    /// Lays these rule levels over every config found (an editor's
    /// settings), keyed by a rule's name or code (`PC201`). Unknown rule
    /// names are refused, and returned. A rule set both by name and by code
    /// takes the level given with its name.
    pub fn set_overrides(&mut self, overrides: BTreeMap<String, RuleLevel>) -> Vec<String> {
        let mut known = BTreeMap::new();
        let mut unknown = Vec::new();
        for (key, level) in overrides {
            match crate::rules::by_name(&key) {
                Some(rule) if key == rule.name => {
                    known.insert(rule.name.to_string(), level);
                }
                Some(rule) => {
                    known.entry(rule.name.to_string()).or_insert(level);
                }
                None => unknown.push(key),
            }
        }
        if self.overrides != known {
            self.overrides = known;
            self.overridden.clear();
        }
        unknown
    }

    /// The config that applies to the file at `path`: the nearest
    /// `plancheck.toml` in its folder or above, or the defaults.
    pub fn for_file(&mut self, path: &Path) -> Result<Arc<ResolvedConfig>, ConfigError> {
        let found = self.found_for(path)?;
        if self.overrides.is_empty() {
            return Ok(found);
        }
        // The found `Arc` is held with its overridden one, so its address
        // cannot be reused by another config while the pair is kept.
        if let Some((_, overridden)) = self.overridden.iter().find(|(base, _)| Arc::ptr_eq(base, &found)) {
            return Ok(overridden.clone());
        }
        let mut config = (*found).clone();
        config.config.rules.extend(self.overrides.iter().map(|(name, level)| (name.clone(), *level)));
        let overridden = Arc::new(config);
        self.overridden.push((found, overridden.clone()));
        Ok(overridden)
    }

    fn found_for(&mut self, path: &Path) -> Result<Arc<ResolvedConfig>, ConfigError> {
        if let Some(explicit) = &self.explicit {
            return explicit.clone();
        }
        // The real folder (`..` and links resolved), so that walking up
        // goes through the file's own parents, not the path's spelling.
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
        let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
        self.for_dir(&dir)
    }

    fn for_dir(&mut self, dir: &Path) -> Result<Arc<ResolvedConfig>, ConfigError> {
        if let Some(found) = self.by_dir.get(dir) {
            return found.clone();
        }
        let candidate = dir.join(FILE_NAME);
        // A `plancheck.toml` that is there in any form (a folder, a FIFO, a
        // link to nothing) is the config, and an error if it cannot be read:
        // never "no config" in silence.
        let present = match std::fs::symlink_metadata(&candidate) {
            Ok(_) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(ConfigError { path: candidate, location: None, message: format!("cannot read: {e}") }),
        };
        let result = if present {
            read_config(&candidate).map(Arc::new)
        } else {
            match dir.parent() {
                Some(parent) if parent != dir => self.for_dir(parent),
                _ => Ok(Arc::new(ResolvedConfig::default())),
            }
        };
        self.by_dir.insert(dir.to_path_buf(), result.clone());
        result
    }

    /// Forgets cached configs (after a `plancheck.toml` changed).
    pub fn clear(&mut self) {
        self.by_dir.clear();
        self.overridden.clear();
    }
}

fn read_config(path: &Path) -> Result<ResolvedConfig, ConfigError> {
    // Only a regular file, of bounded size (a FIFO or /dev/zero is refused).
    let error = |message: String| ConfigError { path: path.to_path_buf(), location: None, message };
    let bytes = crate::load::read_bytes(path).map_err(|e| error(format!("cannot read: {}", e.message)))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(&e.as_bytes()[..valid]);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        ConfigError { path: path.to_path_buf(), location: Some((line, col)), message: "not valid UTF-8; save it as UTF-8".into() }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let config = Config::from_toml(path, text)?;
    Ok(ResolvedConfig { path: Some(path.to_path_buf()), config })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;
    use crate::rating::RatingScheme;
    use rust_decimal::Decimal;

    #[test]
    fn editor_overrides_lie_over_the_file_and_unknown_names_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "[rules]\nrating-mismatch = \"error\"\nperiod-mismatch = \"off\"\n").unwrap();
        let plan = dir.path().join("a.plan");
        let mut resolver = ConfigResolver::new();
        let refused = resolver.set_overrides(BTreeMap::from([("rating-mismatch".to_string(), RuleLevel::Info), ("no-such-rule".to_string(), RuleLevel::Off)]));
        assert_eq!(refused, vec!["no-such-rule".to_string()]);
        let config = resolver.for_file(&plan).unwrap();
        assert_eq!(config.config.rules.get("rating-mismatch"), Some(&RuleLevel::Info));
        assert_eq!(config.config.rules.get("period-mismatch"), Some(&RuleLevel::Off), "the file's other levels stay");
        assert!(!config.config.rules.contains_key("no-such-rule"));
        resolver.set_overrides(BTreeMap::new());
        assert_eq!(resolver.for_file(&plan).unwrap().config.rules.get("rating-mismatch"), Some(&RuleLevel::Error));
    }

    #[test]
    fn rule_codes_and_names_both_set_a_rule() {
        let c = Config::from_toml(Path::new("p"), "[rules]\nPC201 = \"off\"\nnear-duplicate-text = \"error\"\npc401 = \"warning\"\n").unwrap();
        let rule = |name: &str| crate::rules::by_name(name).unwrap();
        assert_eq!(c.severity(rule("rating-mismatch")), None, "PC201 is rating-mismatch");
        assert_eq!(c.severity(rule("near-duplicate-text")), Some(Severity::Error));
        assert_eq!(c.severity(rule("period-mismatch")), Some(Severity::Warning));
        assert_eq!(c.rules.keys().collect::<Vec<_>>(), ["near-duplicate-text", "period-mismatch", "rating-mismatch"]);
        let e = Config::from_toml(Path::new("p"), "[rules]\nPC201 = \"off\"\nrating-mismatch = \"error\"\n").unwrap_err();
        assert!(e.message.contains("PC201") && e.message.contains("rating-mismatch"), "{}", e.message);
        // The editor's overrides too.
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("a.plan");
        let mut resolver = ConfigResolver::new();
        assert!(resolver.set_overrides(BTreeMap::from([("PC201".to_string(), RuleLevel::Off), ("period-mismatch".to_string(), RuleLevel::Error)])).is_empty());
        let config = resolver.for_file(&plan).unwrap();
        assert_eq!(config.config.severity(rule("rating-mismatch")), None);
        assert_eq!(config.config.severity(rule("period-mismatch")), Some(Severity::Error));
        resolver.set_overrides(BTreeMap::from([("PC201".to_string(), RuleLevel::Off), ("rating-mismatch".to_string(), RuleLevel::Info)]));
        assert_eq!(resolver.for_file(&plan).unwrap().config.severity(rule("rating-mismatch")), Some(Severity::Info), "the name wins");
    }

    #[test]
    fn with_overrides_a_file_s_config_is_the_same_arc_on_every_call() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("b")).unwrap();
        std::fs::write(dir.path().join("b").join(FILE_NAME), "[rules]\nperiod-mismatch = \"off\"\n").unwrap();
        let (a, b) = (dir.path().join("a.plan"), dir.path().join("b/b.plan"));
        let mut resolver = ConfigResolver::new();
        resolver.set_overrides(BTreeMap::from([("rating-mismatch".to_string(), RuleLevel::Info)]));
        let first = resolver.for_file(&a).unwrap();
        assert!(Arc::ptr_eq(&first, &resolver.for_file(&a).unwrap()), "the same Arc for the same file");
        assert!(Arc::ptr_eq(&first, &resolver.for_file(&dir.path().join("other.plan")).unwrap()), "and for its folder");
        let in_b = resolver.for_file(&b).unwrap();
        assert!(!Arc::ptr_eq(&first, &in_b));
        assert_eq!(in_b.config.rules.get("period-mismatch"), Some(&RuleLevel::Off));
        assert!(Arc::ptr_eq(&in_b, &resolver.for_file(&b).unwrap()));
        // The same overrides again: still the same; others: a new config.
        resolver.set_overrides(BTreeMap::from([("rating-mismatch".to_string(), RuleLevel::Info)]));
        assert!(Arc::ptr_eq(&first, &resolver.for_file(&a).unwrap()));
        resolver.set_overrides(BTreeMap::from([("rating-mismatch".to_string(), RuleLevel::Off)]));
        let changed = resolver.for_file(&a).unwrap();
        assert!(!Arc::ptr_eq(&first, &changed));
        assert_eq!(changed.config.rules.get("rating-mismatch"), Some(&RuleLevel::Off));
        // A config file changed on disk: read again after `clear`.
        std::fs::write(dir.path().join("b").join(FILE_NAME), "[rules]\nperiod-mismatch = \"error\"\n").unwrap();
        resolver.clear();
        assert_eq!(resolver.for_file(&b).unwrap().config.rules.get("period-mismatch"), Some(&RuleLevel::Error));

        // The findings cache is hit: no file rule re-runs on an unchanged document.
        let docs: Vec<Arc<crate::model::Document>> =
            ["施策 1-1-1 x {\n  全体評価: E\n}\n", "施策 1-1-2 y {\n  代表課: 課\n}\n"].iter().enumerate().map(|(i, t)| Arc::new(crate::model::Document::parse(format!("{i}.plan"), *t))).collect();
        let workspace = crate::model::Workspace::from_shared(docs);
        let mut cache = crate::rules::FileFindings::default();
        let configs = |resolver: &mut ConfigResolver| vec![resolver.for_file(&a).unwrap(), resolver.for_file(&b).unwrap()];
        let found = crate::rules::check_workspace_with(&workspace, &configs(&mut resolver), crate::diagnostics::Lang::En, &mut cache);
        assert_eq!(cache.reused(), 0);
        assert!(!found.is_empty());
        assert_eq!(crate::rules::check_workspace_with(&workspace, &configs(&mut resolver), crate::diagnostics::Lang::En, &mut cache), found);
        assert_eq!(cache.reused(), 2, "both documents' file findings reused");
    }

    #[test]
    fn partial_rating_tables_keep_the_defaults_of_what_they_leave_out() {
        use crate::legend::Bound;
        let c = Config::from_toml(Path::new("p"), "[rating.indicator]\nB = 85\n[rating.quantitative]\nhigh = 2.6\npoints = { D = -1 }\n[rating.qualitative.points]\n\"中\" = 2.5\n").unwrap();
        let d = RatingScheme::default();
        let bounds = |s: &RatingScheme| s.legend.grades.steps.iter().map(|g| g.bound).collect::<Vec<_>>();
        assert_eq!(bounds(&c.rating), [Some(Bound::from(100.into())), Some(Bound::from(85.into())), Some(Bound::from(60.into())), None]);
        let (q, dq) = (&c.rating.legend.quantitative.scale.steps, &d.legend.quantitative.scale.steps);
        assert_eq!(q[0].bound, Some(Bound::above(Decimal::new(26, 1))));
        assert_eq!(q[1].bound, dq[1].bound);
        let points = |s: &RatingScheme| s.legend.grades.steps.iter().map(|g| g.points).collect::<Vec<_>>();
        assert_eq!(points(&c.rating), [3, 2, 1, -1].map(Decimal::from));
        assert_eq!(c.rating.legend.levels.steps[1].points, Decimal::new(25, 1));
        assert_eq!(c.rating.legend.qualitative, d.legend.qualitative);
        assert_eq!(Config::from_toml(Path::new("p"), "[rating.indicator]\n[rating.quantitative]\n[rating.qualitative]\n").unwrap().rating, d);
        // Unknown keys are still refused, and a partial table is still validated.
        assert!(Config::from_toml(Path::new("p"), "[rating.indicator]\nE = 10\n").unwrap_err().message.contains("`E` is not a grade"));
        assert!(Config::from_toml(Path::new("p"), "[rating.indicator]\nB = 120\n").unwrap_err().message.contains("descend"));
    }

    #[test]
    fn defaults_are_the_spec() {
        let c = Config::from_toml(Path::new("p"), "").unwrap();
        assert_eq!(c.rating, RatingScheme::default());
        assert_eq!(c.rating.legend.grades.steps[1].bound.map(|b| b.value), Some(Decimal::from(80)));
    }

    #[test]
    fn reads_every_section() {
        let text = r#"
departments = ["健康づくり課", "都市計画課"]
[rules]
rating-mismatch = "error"
near-duplicate-text = "off"
[rating.indicator]
A = 100
B = 85
C = 50
[rating.qualitative]
points = { "高" = 3, "中" = 2, "低" = 1 }
high = 2.6
middle = 1.5
comparison = "greater"
[duplicates]
min-length = 30
similarity = 0.9
fields = ["成果", "課題"]
"#;
        let c = Config::from_toml(Path::new("p"), text).unwrap();
        assert_eq!(c.rules["rating-mismatch"], RuleLevel::Error);
        assert_eq!(c.rating.legend.grades.steps[1].bound.map(|b| b.value), Some(Decimal::from(85)));
        assert_eq!(c.rating.legend.qualitative.scale.steps[0].bound, Some(crate::legend::Bound::above(Decimal::new(26, 1))));
        assert_eq!(c.duplicates.min_length, 30);
        assert_eq!(c.departments.len(), 2);
    }

    #[test]
    fn schema_descriptions_are_one_line_in_either_language() {
        assert_eq!(joined_lines("an ID\nof three / 施策代表課として\n認める課 (空なら\nany)"), "an ID of three / 施策代表課として認める課 (空ならany)");
        let schema: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
        assert_eq!(schema["properties"]["rating"]["properties"]["indicator"]["default"]["B"], serde_json::json!(80));
        assert!(schema["properties"]["rating"]["properties"]["grades"]["items"]["properties"]["symbol"].is_object(), "{}", schema["properties"]["rating"]);
        assert!(schema["properties"]["rating"].get("default").is_none());
        assert_eq!(schema["properties"]["docs-url"]["default"], crate::diagnostics::DOCS_URL);
    }

    #[test]
    fn docs_url_sets_the_base_of_the_rule_pages() {
        let rule = crate::rules::by_name("PC201").unwrap();
        let default = Config::from_toml(Path::new("p"), "").unwrap();
        assert_eq!(default.docs_url, None);
        assert_eq!(default.rule_url(rule), rule.url());
        let c = Config::from_toml(Path::new("p"), "docs-url = \"https://intra.example.jp/plancheck/rules/\"\n").unwrap();
        assert_eq!(c.rule_url(rule), "https://intra.example.jp/plancheck/rules/rating-mismatch.md");
        for bad in ["rules/", "https://", "https://a b/", "javascript:alert(1)", "ｈｔｔｐｓ://例"] {
            let e = Config::from_toml(Path::new("p"), &format!("docs-url = \"{bad}\"\n")).unwrap_err();
            assert!(e.message.starts_with("docs-url"), "{bad}: {}", e.message);
        }
        assert!(Config::from_toml(Path::new("p"), "docs-url = 1\n").is_err());
    }

    #[test]
    fn errors_name_the_place() {
        let e = Config::from_toml(Path::new("plancheck.toml"), "[rules]\nrating-mismatch = \"loud\"\n").unwrap_err();
        assert_eq!(e.location.map(|l| l.0), Some(2));
        let e = Config::from_toml(Path::new("p"), "[rules]\nrating-mismach = \"off\"\n").unwrap_err();
        assert!(e.message.contains("rating-mismatch"), "{}", e.message);
        let e = Config::from_toml(Path::new("p"), "[rating.indicator]\nA = 50\nB = 80\nC = 60\n").unwrap_err();
        assert!(e.message.contains("descend"));
        let e = Config::from_toml(Path::new("p"), "colour = 1\n").unwrap_err();
        assert!(e.message.contains("colour"), "{}", e.message);
        // A legend's error is placed at its key, not at the `[rating]` table.
        let text =
            "[rating]\nmethod = \"ratio\"\ngrades = [\n  { symbol = \"A\", from = 100 },\n  { symbol = \"A\", from = 80 },\n  { symbol = \"C\" },\n]\n[rating.quantitative]\naggregate = \"share\"\n";
        let e = Config::from_toml(Path::new("p"), text).unwrap_err();
        assert!(e.message.contains("twice"), "{}", e.message);
        assert_eq!(e.location.map(|l| l.0), Some(3), "the grades, not line 1: {e}");
        let e = Config::from_toml(Path::new("p"), "[rating.quantitative]\nhigh = 1\n\n[rating.quantitative.points]\nA = 1e28\n").unwrap_err();
        assert_eq!(e.location.map(|l| l.0), Some(5), "{e}");
    }
}
