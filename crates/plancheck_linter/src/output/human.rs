//! The human report, rendered with miette: a source snippet per finding,
//! its rule name and code, the fix and the related places.
//!
//! Two miette pitfalls are handled here: its `[file:line:col]` header counts
//! columns in bytes when it reads a `str` (we give it a source that reports
//! character columns), and reading a `str` rescans the text from the start
//! for every diagnostic (our source finds lines through the document's line
//! index, so 10,000 findings on a 1 MB file stay fast). A zero-length span at
//! the very end of a file (which panics miette) is widened to the last
//! character.

use super::range_of;
use crate::Analysis;
use crate::diagnostics::{Applicability, Counts, Diagnostic as Finding, Lang, Severity};
use crate::model::Document;
use crate::syntax::Span;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::fmt;

/// How many bytes of source a snippet shows at most on either side of its
/// span, and how much of a span it marks: enough for any real line (a long
/// paragraph is a few hundred characters), bounded for hostile ones.
const SNIPPET_WINDOW: usize = 2048;

/// The report, written one finding at a time (a large report is never
/// held whole).
pub fn write(out: &mut dyn std::io::Write, analysis: &Analysis, lang: Lang, color: bool) -> std::io::Result<()> {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let mut handler = GraphicalReportHandler::new_themed(theme).with_links(false).with_context_lines(1);
    if !color {
        // Logs and pipes: wide, so Japanese messages are not broken mid-word.
        handler = handler.with_width(200);
    }
    // A bidi control in a snippet or a quoted name would reverse what the
    // terminal shows: shown as `<U+202E>` (the underline after one on its
    // line is that much to the left).
    let mut put = |text: &str| out.write_all(crate::diagnostics::show_bidi_controls(text).as_bytes());
    let mut one = String::new();
    // A control character in a plan (an escape sequence pasted into a
    // symbol) would drive the terminal: the snippet shows each as `?` (the
    // same bytes, so spans stay), the messages as `<U+001B>`.
    let texts: Vec<std::borrow::Cow<'_, str>> = analysis.workspace.docs.iter().map(|d| masked_controls(&d.text)).collect();
    for finding in &analysis.diagnostics {
        one.clear();
        let doc = &analysis.workspace.docs[finding.file];
        let report = Report { finding, doc, text: &texts[finding.file], analysis, lang };
        if handler.render_report(&mut one, &report).is_err() {
            // Rendering never fails on a String; keep the finding anyway.
            let r = range_of(doc, finding.span);
            one.push_str(&format!("{}:{}:{}: {}\n", doc.path, r.start.line, r.start.column, shown_controls(&finding.message)));
        }
        one.push('\n');
        put(&one)?;
    }
    let c = Counts::of(&analysis.diagnostics);
    let files = analysis.workspace.docs.len();
    put(&lang
        .pick(format!("{files} ファイル: エラー {}、警告 {}、情報 {}\n", c.errors, c.warnings, c.infos), format!("{files} files: {} errors, {} warnings, {} infos\n", c.errors, c.warnings, c.infos)))
}

struct Report<'a> {
    finding: &'a Finding,
    doc: &'a Document,
    /// The document's text as shown (controls masked).
    text: &'a str,
    analysis: &'a Analysis,
    lang: Lang,
}

/// Whether a character is a control a terminal obeys (not a tab or a line
/// break).
fn is_terminal_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// `text` with each terminal control replaced by as many `?` as its bytes.
fn masked_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(is_terminal_control) {
        return text.into();
    }
    text.chars().map(|c| if is_terminal_control(c) { "?".repeat(c.len_utf8()) } else { c.to_string() }).collect::<String>().into()
}

/// `text` with each terminal control written as `<U+001B>`.
fn shown_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(is_terminal_control) {
        return text.into();
    }
    text.chars().map(|c| if is_terminal_control(c) { format!("<U+{:04X}>", c as u32) } else { c.to_string() }).collect::<String>().into()
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&shown_controls(&self.finding.message))
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&shown_controls(&self.finding.located_message()))
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("{} ({})", self.finding.rule.name, self.finding.rule.code)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let mut lines = Vec::new();
        if let Some(fix) = &self.finding.fix {
            lines.push(match fix.applicability {
                Applicability::Safe => self.lang.pick(format!("修正: {}", fix.message), format!("fix: {}", fix.message)),
                Applicability::Unsafe => {
                    self.lang.pick(format!("修正案 (推測。--fix --unsafe-fixes で適用): {}", fix.message), format!("suggested fix (a guess; --fix --unsafe-fixes applies it): {}", fix.message))
                }
            });
        }
        for (i, related) in self.finding.related.iter().enumerate() {
            let doc = &self.analysis.workspace.docs[related.file];
            // In a table: its cell (`成果一覧.xlsx 基本政策1!B8`), not a line of the plan made in memory.
            if let Some(Some(cell)) = self.finding.related_cells.get(i) {
                lines.push(format!("{} {cell}: {}", doc.path, related.message));
                continue;
            }
            let r = range_of(doc, related.span);
            lines.push(format!("{}:{}:{}: {}", doc.path, r.start.line, r.start.column, related.message));
        }
        lines.push(self.lang.pick(format!("説明: plancheck explain {}", self.finding.rule.name), format!("see: plancheck explain {}", self.finding.rule.name)));
        Some(Box::new(shown_controls(&lines.join("\n")).into_owned()))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let mut span = renderable(self.doc, self.finding.span)?;
        // A huge span (a value of a million characters) is marked at its start.
        if span.len() > SNIPPET_WINDOW {
            span.end = crate::syntax::floor_char_boundary(&self.doc.text, span.start + SNIPPET_WINDOW).max(span.start);
        }
        let label = self.lang.pick("ここ", "here").to_string();
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(Some(label), SourceSpan::from((span.start, span.len()))))))
    }
}

/// A span miette can render: not empty where the text allows, never
/// pointing past the end; `None` for an empty file.
fn renderable(doc: &Document, span: Span) -> Option<Span> {
    let len = doc.text.len();
    if len == 0 {
        return None;
    }
    let start = span.start.min(len);
    let end = span.end.clamp(start, len);
    if end > start {
        return Some(Span::new(start, end));
    }
    if start < len {
        let next = doc.text[start..].chars().next().map_or(1, char::len_utf8);
        if doc.text.as_bytes()[start] != b'\n' {
            return Some(Span::new(start, start + next));
        }
        return Some(Span::new(start, start));
    }
    let last = doc.text.chars().next_back().map_or(1, char::len_utf8);
    Some(Span::new(len - last, len))
}

impl SourceCode for Report<'_> {
    fn read_span<'a>(&'a self, span: &SourceSpan, before: usize, after: usize) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let doc = self.doc;
        let text = self.text;
        let index = &doc.line_index;
        let start = span.offset().min(text.len());
        let end = (span.offset() + span.len()).min(text.len());
        let first_line = index.line_of(start).saturating_sub(before);
        let last_line = (index.line_of(end.saturating_sub(usize::from(end > start))) + after).min(index.line_count() - 1);
        let data_start = index.line_start(first_line);
        let data_end = index.line_span(text, last_line).1;
        // Include the last line's line break, as miette's own sources do.
        let data_end = if text[data_end..].starts_with("\r\n") {
            data_end + 2
        } else if text[data_end..].starts_with('\n') {
            data_end + 1
        } else {
            data_end
        };
        // The column miette prints in its header: characters, not bytes.
        let column = if before == 0 { index.char_position(text, start).col } else { 0 };
        let line = if before == 0 { index.line_of(start) } else { first_line };
        // With no context, miette's own sources start the contents at the span.
        let data_start = if before == 0 { start } else { data_start };
        // Lines of a million characters are shown around the span only.
        let data_start = data_start.max(crate::syntax::floor_char_boundary(text, start.saturating_sub(SNIPPET_WINDOW)));
        let data_end = data_end.min(crate::syntax::floor_char_boundary(text, end + SNIPPET_WINDOW)).max(end);
        // A table checked as it is: the snippet is of the plan it was read as.
        let name = if super::is_table(&doc.path) { self.lang.pick(format!("{} を取り込んだ .plan", doc.path), format!("{} as imported to .plan", doc.path)) } else { doc.path.clone() };
        Ok(Box::new(MietteSpanContents::new_named(name, &text.as_bytes()[data_start..data_end], SourceSpan::from((data_start, data_end - data_start)), line, column, last_line - line + 1)))
    }
}
