//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. Our own
//! serde structs; `region.startLine` is always set (but for a table checked
//! as it is, which has no lines: its cell is the result's logical location), columns count Unicode
//! code points (`columnKind: unicodeCodePoints`), URIs are relative to the
//! checkout (`%SRCROOT%`) and percent-encoded (Japanese file names).

use super::range_of;
use crate::Analysis;
use crate::diagnostics::{Lang, Severity};
use serde::Serialize;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub tool: Tool,
    pub results: Vec<SarifResult>,
    pub column_kind: &'static str,
    pub original_uri_base_ids: serde_json::Value,
}

#[derive(Serialize)]
pub struct Tool {
    pub driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub name: &'static str,
    pub version: &'static str,
    pub semantic_version: &'static str,
    pub information_uri: &'static str,
    pub rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingDescriptor {
    pub id: &'static str,
    pub name: String,
    pub short_description: Message,
    pub full_description: Message,
    pub help: MultiformatMessage,
    pub help_uri: String,
    pub default_configuration: Configuration,
    pub properties: RuleProperties,
}

#[derive(Serialize)]
pub struct RuleProperties {
    pub code: &'static str,
    pub tags: Vec<&'static str>,
}

#[derive(Serialize)]
pub struct Configuration {
    pub level: &'static str,
}

#[derive(Serialize)]
pub struct Message {
    pub text: String,
}

#[derive(Serialize)]
pub struct MultiformatMessage {
    pub text: String,
    pub markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    pub rule_id: &'static str,
    pub rule_index: usize,
    pub level: &'static str,
    pub message: Message,
    pub locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<SarifFix>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<usize>,
    pub physical_location: PhysicalLocation,
    /// A workbook's cell (`基本政策1!H4`), for a table checked as it is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogicalLocation {
    pub name: String,
    pub fully_qualified_name: String,
    pub kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    /// Lines of the file; none in a table checked as it is (a workbook has
    /// no lines: its cell is the logical location).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

use super::is_table;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    pub uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

/// A path relative to the folder plancheck runs in (`%SRCROOT%`), or an
/// absolute `file://` URI for a file outside it.
fn artifact_location(path: &str, cwd: Option<&std::path::Path>) -> ArtifactLocation {
    let real = std::fs::canonicalize(path).ok();
    if let (Some(real), Some(cwd)) = (&real, cwd) {
        if let Ok(relative) = real.strip_prefix(cwd) {
            return ArtifactLocation { uri: path_uri(&relative.to_string_lossy()), uri_base_id: Some("%SRCROOT%") };
        }
        return ArtifactLocation { uri: format!("file://{}", path_uri(&real.to_string_lossy())), uri_base_id: None };
    }
    // Not a file on disk (standard input): the name as given.
    ArtifactLocation { uri: path_uri(path), uri_base_id: Some("%SRCROOT%") }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifFix {
    pub description: Message,
    pub artifact_changes: Vec<ArtifactChange>,
    /// SARIF has no field for how sure a fix is: `{"applicability": "safe"|"unsafe"}`.
    pub properties: FixProperties,
}

#[derive(Serialize)]
pub struct FixProperties {
    pub applicability: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactChange {
    pub artifact_location: ArtifactLocation,
    pub replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Replacement {
    pub deleted_region: Region,
    pub inserted_content: Content,
}

#[derive(Serialize)]
pub struct Content {
    pub text: String,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `rating-mismatch` → `RatingMismatch` (SARIF's `name` is a readable identifier).
fn pascal(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

/// A relative path as a URI reference: `/` separators, percent-encoded.
pub fn path_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn log(analysis: &Analysis, lang: Lang) -> Log {
    let rules: Vec<_> = crate::rules::all().collect();
    // SARIF describes the rules once per run, not per file: their
    // `helpUri` is under the first file's `docs-url` (or the default).
    let docs_url = analysis.configs.first().map_or(crate::diagnostics::DOCS_URL, |c| c.config.docs_url());
    let docs = &analysis.workspace.docs;
    let text_region = |file: usize, span| {
        let r = range_of(&docs[file], span);
        Region { start_line: r.start.line, start_column: r.start.column, end_line: r.end.line, end_column: r.end.column }
    };
    let region = |file: usize, span| (!is_table(&docs[file].path)).then(|| text_region(file, span));
    let cell = |d: &crate::diagnostics::Diagnostic| -> Vec<LogicalLocation> {
        d.cell.iter().map(|cell| LogicalLocation { name: cell.rsplit_once('!').map_or(cell.as_str(), |(_, c)| c).to_string(), fully_qualified_name: cell.clone(), kind: "element" }).collect()
    };
    let cwd = std::env::current_dir().ok().and_then(|d| std::fs::canonicalize(d).ok());
    let artifact = |file: usize| artifact_location(&docs[file].path, cwd.as_deref());
    let results = analysis
        .diagnostics
        .iter()
        .map(|d| SarifResult {
            rule_id: d.rule.name,
            rule_index: rules.iter().position(|r| r.name == d.rule.name).expect("every diagnostic's rule is registered"),
            level: level(d.severity),
            message: Message { text: d.located_message().into_owned() },
            locations: vec![Location {
                id: None,
                physical_location: PhysicalLocation { artifact_location: artifact(d.file), region: region(d.file, d.span) },
                logical_locations: cell(d),
                message: None,
            }],
            related_locations: d
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| Location {
                    id: Some(i + 1),
                    physical_location: PhysicalLocation { artifact_location: artifact(r.file), region: region(r.file, r.span) },
                    logical_locations: Vec::new(),
                    message: Some(Message { text: r.message.clone() }),
                })
                .collect(),
            // A fix edits the text: a table checked as it is has none to edit.
            fixes: d
                .fix
                .iter()
                .filter(|_| !is_table(&docs[d.file].path))
                .map(|f| SarifFix {
                    description: Message { text: f.message.clone() },
                    artifact_changes: vec![ArtifactChange {
                        artifact_location: artifact(d.file),
                        replacements: f.edits.iter().map(|e| Replacement { deleted_region: text_region(d.file, e.span), inserted_content: Content { text: e.replacement.clone() } }).collect(),
                    }],
                    properties: FixProperties { applicability: f.applicability.as_str() },
                })
                .collect(),
        })
        .collect();
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "plancheck",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: crate::diagnostics::REPOSITORY_URL,
                    rules: rules
                        .iter()
                        .map(|r| ReportingDescriptor {
                            id: r.name,
                            name: pascal(r.name),
                            short_description: Message { text: r.summary(lang).to_string() },
                            full_description: Message { text: r.summary(lang).to_string() },
                            help: MultiformatMessage { text: r.doc(lang).to_string(), markdown: r.doc(lang).to_string() },
                            help_uri: r.url_in(docs_url),
                            default_configuration: Configuration { level: level(r.default_severity) },
                            properties: RuleProperties { code: r.code, tags: if r.in_spec { vec!["plan-format"] } else { vec!["plan-format", "extension"] } },
                        })
                        .collect(),
                },
            },
            results,
            column_kind: "unicodeCodePoints",
            original_uri_base_ids: serde_json::json!({"%SRCROOT%": {"description": {"text": "The folder plancheck was run in."}}}),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(path_uri("./plans/健康.plan"), "plans/%E5%81%A5%E5%BA%B7.plan");
        assert_eq!(path_uri("a b\\c.plan"), "a%20b/c.plan");
        assert_eq!(pascal("rating-mismatch"), "RatingMismatch");
    }
}
