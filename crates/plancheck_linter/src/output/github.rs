//! `--format github`: workflow commands (`::warning file=…::…`), which
//! GitHub turns into annotations, and a Markdown job summary. GitHub shows at
//! most 10 annotations of each type per step, so the summary lists them all.

use super::range_of;
use crate::Analysis;
use crate::diagnostics::{Counts, Severity};
use std::collections::BTreeMap;
use std::fmt::Write;

/// GitHub's limit of annotations shown per type and step.
pub const SHOWN_PER_TYPE: usize = 10;

/// The workflow commands, one line per finding, written as they are made.
pub fn write_annotations(out: &mut dyn std::io::Write, analysis: &Analysis) -> std::io::Result<()> {
    let mut per_type: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &analysis.diagnostics {
        let doc = &analysis.workspace.docs[d.file];
        let r = range_of(doc, d.span);
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        *per_type.entry(kind).or_default() += 1;
        // A table's cell: the lines of the imported text mean nothing in it.
        if let Some(cell) = &d.cell {
            writeln!(out, "::{kind} file={},title={}::{}", escape_property(&doc.path), escape_property(&format!("{} ({}) {cell}", d.rule.name, d.rule.code)), escape_data(&d.located_message()))?;
            continue;
        }
        writeln!(
            out,
            "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&doc.path),
            r.start.line,
            r.start.column,
            r.end.line,
            r.end.column,
            escape_property(&format!("{} ({})", d.rule.name, d.rule.code)),
            escape_data(&d.message)
        )?;
    }
    for (kind, count) in per_type {
        if count > SHOWN_PER_TYPE {
            writeln!(out, "::notice title=plancheck::{count} {kind} findings; GitHub shows {SHOWN_PER_TYPE} per type as annotations, the job summary lists them all")?;
        }
    }
    Ok(())
}

/// The Markdown job summary: counts by rule, then every finding.
pub fn render_summary(analysis: &Analysis) -> String {
    let mut out = String::new();
    let c = Counts::of(&analysis.diagnostics);
    let _ = writeln!(out, "## plancheck\n");
    let _ = writeln!(out, "{} files: {} errors, {} warnings, {} infos\n", analysis.workspace.docs.len(), c.errors, c.warnings, c.infos);
    if analysis.diagnostics.is_empty() {
        let _ = writeln!(out, "No findings.");
        return out;
    }
    let mut by_rule: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for d in &analysis.diagnostics {
        *by_rule.entry((d.rule.code, d.rule.name)).or_default() += 1;
    }
    let _ = writeln!(out, "| rule | code | count |\n| --- | --- | ---: |");
    for ((code, name), count) in by_rule {
        let _ = writeln!(out, "| `{name}` | {code} | {count} |");
    }
    let _ = writeln!(out, "\n| location | severity | rule | message |\n| --- | --- | --- | --- |");
    for d in &analysis.diagnostics {
        let doc = &analysis.workspace.docs[d.file];
        let r = range_of(doc, d.span);
        let _ = writeln!(
            out,
            "| `{}:{}:{}` | {} | `{}` | {} |",
            doc.path.replace('|', "\\|"),
            r.start.line,
            r.start.column,
            d.severity.as_str(),
            d.rule.name,
            d.message.replace('|', "\\|").replace('\n', " ")
        );
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_workflow_commands_reserve() {
        assert_eq!(escape_data("50%\nx"), "50%25%0Ax");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
