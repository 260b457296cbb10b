//! `--format json`: exactly the shape of the spec's "plancheck check --format json".

use super::{Range, range_of};
use crate::Analysis;
use crate::diagnostics::Counts;
use serde::Serialize;

#[derive(Serialize)]
pub struct Report<'a> {
    pub version: u32,
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
    pub summary: Summary,
}

#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub path: &'a str,
    pub rule: &'static str,
    pub code: &'static str,
    pub severity: &'static str,
    pub message: &'a str,
    pub range: Range,
    /// plancheck's extension: the cell of a workbook or CSV checked as a
    /// table (`基本政策2!I12`); `range` is then in the imported plan's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<&'a str>,
    pub related: Vec<JsonRelated<'a>>,
    /// plancheck's extension: the fix, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
pub struct JsonRelated<'a> {
    pub path: &'a str,
    pub range: Range,
    pub message: &'a str,
}

#[derive(Serialize)]
pub struct JsonFix<'a> {
    pub message: &'a str,
    pub edits: Vec<JsonEdit<'a>>,
    /// `safe` (`check --fix` applies it) or `unsafe` (a guess: only with
    /// `--unsafe-fixes`).
    pub applicability: &'static str,
}

#[derive(Serialize)]
pub struct JsonEdit<'a> {
    pub range: Range,
    pub replacement: &'a str,
}

#[derive(Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

pub fn report(analysis: &Analysis) -> Report<'_> {
    let docs = &analysis.workspace.docs;
    let diagnostics = analysis
        .diagnostics
        .iter()
        .map(|d| {
            let doc = &docs[d.file];
            JsonDiagnostic {
                path: &doc.path,
                rule: d.rule.name,
                code: d.rule.code,
                severity: d.severity.as_str(),
                message: &d.message,
                range: range_of(doc, d.span),
                cell: d.cell.as_deref(),
                related: d.related.iter().map(|r| JsonRelated { path: &docs[r.file].path, range: range_of(&docs[r.file], r.span), message: &r.message }).collect(),
                fix: d.fix.as_ref().map(|f| JsonFix {
                    message: &f.message,
                    edits: f.edits.iter().map(|e| JsonEdit { range: range_of(doc, e.span), replacement: &e.replacement }).collect(),
                    applicability: f.applicability.as_str(),
                }),
            }
        })
        .collect();
    let c = Counts::of(&analysis.diagnostics);
    Report { version: 1, diagnostics, summary: Summary { files: docs.len(), errors: c.errors, warnings: c.warnings, infos: c.infos } }
}
