//! `--format github`: workflow commands (`::warning file=…::…`), which
//! GitHub turns into annotations, and a Markdown job summary. GitHub shows at
//! most 10 annotations of each type per step, so the summary lists them all.

use super::range_of;
use crate::Analysis;
use crate::diagnostics::{Counts, Lang, Severity};
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
/// The job summary (Markdown): the counts, the findings by rule (each rule
/// named by its summary and linked to its page), and each finding with its
/// place (a table's cell when it was checked as a table), in `lang`.
pub fn render_summary(analysis: &Analysis, lang: Lang) -> String {
    let mut out = String::new();
    let c = Counts::of(&analysis.diagnostics);
    let files = analysis.workspace.docs.len();
    let _ = writeln!(out, "{}\n", lang.pick("## plancheck の結果", "## plancheck"));
    let _ = writeln!(
        out,
        "{}\n",
        lang.pick(format!("{files} ファイル: エラー {}、警告 {}、情報 {}", c.errors, c.warnings, c.infos), format!("{files} files: {} errors, {} warnings, {} infos", c.errors, c.warnings, c.infos))
    );
    if analysis.diagnostics.is_empty() {
        let _ = writeln!(out, "{}", lang.pick("指摘はありません。", "No findings."));
        return out;
    }
    let cell = |text: &str| text.replace('|', "\\|").replace(['\n', '\r'], " ");
    // A rule's page: under the docs-url of the file's plancheck.toml.
    let url = |d: &crate::diagnostics::Diagnostic| analysis.configs.get(d.file).map_or_else(|| d.rule.url(), |c| c.config.rule_url(d.rule));
    let mut by_rule: BTreeMap<(&str, &str), (usize, String, &str)> = BTreeMap::new();
    for d in &analysis.diagnostics {
        let summary = lang.pick(d.rule.summary_ja, d.rule.summary_en);
        by_rule.entry((d.rule.code, d.rule.name)).or_insert((0, url(d), summary)).0 += 1;
    }
    let _ = writeln!(out, "{}", lang.pick("| 規則 | 内容 | 件数 |\n| --- | --- | ---: |", "| rule | what it finds | count |\n| --- | --- | ---: |"));
    for ((code, name), (count, link, summary)) in by_rule {
        let _ = writeln!(out, "| [{name}]({link}) ({code}) | {} | {count} |", cell(summary));
    }
    let _ = writeln!(out, "\n{}", lang.pick("| 場所 | 重大度 | 規則 | 指摘 |\n| --- | --- | --- | --- |", "| location | severity | rule | message |\n| --- | --- | --- | --- |"));
    for d in &analysis.diagnostics {
        let doc = &analysis.workspace.docs[d.file];
        let place = match &d.cell {
            Some(at) => format!("{} {at}", doc.path),
            None => {
                let r = range_of(doc, d.span);
                format!("{}:{}:{}", doc.path, r.start.line, r.start.column)
            }
        };
        let severity = match d.severity {
            crate::diagnostics::Severity::Error => lang.pick("エラー", "error"),
            crate::diagnostics::Severity::Warning => lang.pick("警告", "warning"),
            _ => lang.pick("情報", "info"),
        };
        let _ = writeln!(out, "| {} | {severity} | [{}]({}) | {} |", cell(&place), d.rule.name, url(d), cell(&d.message));
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
