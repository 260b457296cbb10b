//! Renderers of diagnostics: human (miette), JSON (the spec's), SARIF 2.1.0
//! and GitHub workflow commands. They only format; analysis happens before.
//!
//! Every format is an [`Emitter`] listed in [`OutputFormat`]: the CLI picks
//! one by name, and the tests that no input makes an output panic go over
//! [`OutputFormat::ALL`]. Each writes to a `Write` as it goes (JSON and
//! SARIF are serialized straight into it), so a large report is never held
//! as one string. A new format is a module here and a variant there.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::Analysis;
use crate::diagnostics::Lang;
use crate::model::Document;
use crate::syntax::Span;
use serde::Serialize;
use std::io::{self, Write};

/// What every format is given besides the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmitOptions {
    /// The language of messages and of the format's own words.
    pub lang: Lang,
    /// Terminal colours (the human format only).
    pub color: bool,
}

/// One output format.
pub trait Emitter {
    /// Writes the whole output for `analysis`, ending with a newline.
    fn emit(&self, out: &mut dyn Write, analysis: &Analysis, options: &EmitOptions) -> io::Result<()>;
}

/// Every output format, by its `--format` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// A readable report with source snippets (miette).
    Human,
    /// The JSON of the plan-format spec.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 4] = [OutputFormat::Human, OutputFormat::Json, OutputFormat::Sarif, OutputFormat::Github];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Human => "human",
            OutputFormat::Json => "json",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Github => "github",
        }
    }

    /// What `--help` says of it.
    pub fn description(self) -> &'static str {
        match self {
            OutputFormat::Human => "Readable report with source snippets",
            OutputFormat::Json => "The JSON of the plan-format spec",
            OutputFormat::Sarif => "SARIF 2.1.0 (GitHub code scanning)",
            OutputFormat::Github => "GitHub Actions workflow annotations (and a job summary)",
        }
    }

    pub fn emitter(self) -> &'static dyn Emitter {
        match self {
            OutputFormat::Human => &Human,
            OutputFormat::Json => &Json,
            OutputFormat::Sarif => &Sarif,
            OutputFormat::Github => &Github,
        }
    }

    /// [`Emitter::emit`] into a string (tests, the fuzz targets).
    pub fn render(self, analysis: &Analysis, options: &EmitOptions) -> String {
        let mut out = Vec::new();
        self.emitter().emit(&mut out, analysis, options).expect("writing to memory");
        String::from_utf8(out).expect("every format writes UTF-8")
    }
}

struct Human;
struct Json;
struct Sarif;
struct Github;

impl Emitter for Human {
    fn emit(&self, out: &mut dyn Write, analysis: &Analysis, options: &EmitOptions) -> io::Result<()> {
        human::write(out, analysis, options.lang, options.color)
    }
}

impl Emitter for Json {
    fn emit(&self, out: &mut dyn Write, analysis: &Analysis, _: &EmitOptions) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &json::report(analysis))?;
        out.write_all(b"\n")
    }
}

impl Emitter for Sarif {
    fn emit(&self, out: &mut dyn Write, analysis: &Analysis, options: &EmitOptions) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &sarif::log(analysis, options.lang))?;
        out.write_all(b"\n")
    }
}

impl Emitter for Github {
    fn emit(&self, out: &mut dyn Write, analysis: &Analysis, _: &EmitOptions) -> io::Result<()> {
        github::write_annotations(out, analysis)
    }
}

/// A 1-based line and a 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A range in the spec's terms: 1-based, character columns, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

/// Whether a document is a table checked as it is (`check book.xlsx`): its
/// text is the import's, not the file's.
pub fn is_table(path: impl AsRef<std::path::Path>) -> bool {
    let extension = path.as_ref().extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    matches!(extension.as_deref(), Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods" | "csv" | "tsv"))
}

pub fn range_of(doc: &Document, span: Span) -> Range {
    let start = doc.line_index.char_position(&doc.text, span.start);
    let end = doc.line_index.char_position(&doc.text, span.end);
    Range { start: Position { line: start.line + 1, column: start.col + 1 }, end: Position { line: end.line + 1, column: end.col + 1 } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_streams_what_its_renderer_makes() {
        let text = "施策 1-1-1 \u{202E}t {\n  指標 a {\n    実績: 5,900人\n    目標: 10,650人\n    定量評価: C\n  }\n}\n";
        let analysis = crate::check_text("a.plan", text, Lang::En);
        assert!(analysis.diagnostics.len() >= 2, "the fixture has findings");
        let options = EmitOptions { lang: Lang::En, color: false };
        for format in OutputFormat::ALL {
            let out = format.render(&analysis, &options);
            assert!(out.ends_with('\n') && out.len() > 100, "{}: {out}", format.name());
            assert!(!out.contains('\u{202E}') || format != OutputFormat::Human, "bidi controls are shown, not obeyed");
        }
        // Streamed into the writer, the same text as serialized whole.
        assert_eq!(OutputFormat::Json.render(&analysis, &options), serde_json::to_string_pretty(&json::report(&analysis)).unwrap() + "\n");
        assert_eq!(OutputFormat::Sarif.render(&analysis, &options), serde_json::to_string_pretty(&sarif::log(&analysis, Lang::En)).unwrap() + "\n");
        // One finding at a time: every finding's message, then the summary line.
        let human = OutputFormat::Human.render(&analysis, &options);
        for finding in &analysis.diagnostics {
            assert!(human.contains(crate::diagnostics::show_bidi_controls(&finding.message).as_ref()), "{human}");
        }
        assert!(
            human.ends_with(&format!(
                "1 files: {} errors, {} warnings, {} infos\n",
                analysis.diagnostics.iter().filter(|d| d.severity == crate::diagnostics::Severity::Error).count(),
                analysis.diagnostics.iter().filter(|d| d.severity == crate::diagnostics::Severity::Warning).count(),
                analysis.diagnostics.iter().filter(|d| d.severity == crate::diagnostics::Severity::Info).count()
            )),
            "{human}"
        );
        assert!(OutputFormat::Human.render(&analysis, &options).contains("<U+202E>"));
        let names: Vec<&str> = OutputFormat::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names, ["human", "json", "sarif", "github"]);
    }
}
