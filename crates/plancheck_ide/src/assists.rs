//! Assists (code actions): for each finding in the range its own fix, the
//! same fix for every finding of the rule in the file, the `代表課:` line a
//! 施策 lacks, and a `# plancheck: allow(...)` directive above it; for the
//! whole file, full-width grades, numbers and IDs written in ASCII.

use plancheck_core::i18n::Lang;
use plancheck_core::model::{BlockKind, Document, ValueKind};
use plancheck_core::syntax::{Span, is_blank};
use plancheck_linter::diagnostics::{Applicability, Diagnostic, Edit};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssistKind {
    /// Fixes a finding.
    QuickFix,
    /// Rewrites the file (not tied to a finding).
    Source,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assist {
    pub title: String,
    pub kind: AssistKind,
    /// Byte spans of the document's text.
    pub edits: Vec<Edit>,
    /// Whether an editor may apply it unasked (`Some(true)` only for a
    /// safe fix; a guess is offered, never preferred).
    pub preferred: Option<bool>,
    /// The finding it answers: an index into the `findings` given.
    pub finding: Option<usize>,
}

/// The assists for the byte range `range` of `doc`. `findings` are the
/// document's findings from an analysis of this very text.
pub fn assists(doc: &Document, findings: &[&Diagnostic], range: Span, lang: Lang) -> Vec<Assist> {
    let text = doc.text.as_str();
    // Inserted lines end like the document's lines.
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut out = Vec::new();
    for (index, finding) in findings.iter().enumerate().filter(|(_, d)| d.span.start <= range.end && range.start <= d.span.end) {
        if let Some(fix) = &finding.fix {
            out.push(Assist { title: fix.message.clone(), kind: AssistKind::QuickFix, edits: fix.edits.clone(), preferred: Some(fix.applicability == Applicability::Safe), finding: Some(index) });
            // Every fix of this rule in the file.
            let (all, count) = plancheck_linter::fix::compatible_edits(text, findings.iter().copied().filter(|d| std::ptr::eq(d.rule, finding.rule)));
            if count > 1 {
                out.push(Assist {
                    title: lang.pick(format!("このファイルの {} をすべて修正 ({count} 件)", finding.rule.name), format!("fix all {} in this file ({count})", finding.rule.name)),
                    kind: AssistKind::QuickFix,
                    edits: all.into_iter().cloned().collect(),
                    preferred: None,
                    finding: None,
                });
            }
        }
        // A 施策 without 代表課: the line, for the user to fill. (Not the
        // rule's fix: there is nothing to write after the colon, so `check
        // --fix` must not add it.)
        if finding.rule.name == "missing-department"
            && let Some((_, measure)) = doc.blocks_of(BlockKind::Measure).find(|(_, b)| b.header.contains(finding.span))
            && measure.closed
        {
            let close = measure.span.end - 1; // the `}`
            let line_start = text[..close].rfind('\n').map_or(0, |i| i + 1);
            let indent: String = text[line_start..close].chars().take_while(|c| is_blank(*c)).collect();
            out.push(Assist {
                title: lang.pick("`代表課:` を追加", "add a `代表課:` line").to_string(),
                kind: AssistKind::QuickFix,
                edits: vec![Edit { span: Span::new(line_start, line_start), replacement: format!("{indent}  代表課: {newline}") }],
                preferred: None,
                finding: Some(index),
            });
        }
        // Suppress it here: a directive above the element the finding is in.
        if let Some(element) = element_start(doc, finding.span.start) {
            let line_start = text[..element].rfind('\n').map_or(0, |i| i + 1);
            let indent: String = text[line_start..].chars().take_while(|c| is_blank(*c)).collect();
            out.push(Assist {
                title: lang.pick(format!("ここでは {} を抑制する", finding.rule.name), format!("allow {} here", finding.rule.name)),
                kind: AssistKind::QuickFix,
                edits: vec![Edit { span: Span::new(line_start, line_start), replacement: format!("{indent}# plancheck: allow({}){newline}", finding.rule.name) }],
                preferred: None,
                finding: Some(index),
            });
        }
    }
    // Full-width grades, numbers and IDs to ASCII, in the whole file.
    let mut width_edits = Vec::new();
    for (_, field) in doc.all_fields() {
        if field.def().is_some_and(|d| d.value != ValueKind::Text) && field.text_lines.is_empty() {
            let written = &text[field.value_span.start..field.value_span.end];
            let folded = plancheck_linter::format::fold_width(written);
            if folded != written {
                width_edits.push(Edit { span: field.value_span, replacement: folded });
            }
        }
    }
    for block in &doc.blocks {
        if let Some(id) = &block.id
            && text[id.span.start..id.span.end] != id.value
        {
            width_edits.push(Edit { span: id.span, replacement: id.value.clone() });
        }
    }
    if !width_edits.is_empty() {
        width_edits.sort_by_key(|e| e.span.start);
        out.push(Assist {
            title: lang.pick("全角の評価・数値・ID を半角にする", "write full-width grades, numbers and IDs in ASCII").to_string(),
            kind: AssistKind::Source,
            edits: width_edits,
            preferred: None,
            finding: None,
        });
    }
    out
}

/// Where the element (field or block) containing `offset` starts: the
/// place a `# plancheck: allow(...)` line goes.
fn element_start(doc: &Document, offset: usize) -> Option<usize> {
    let field = doc.all_fields().map(|(_, f)| f.span).filter(|s| s.start <= offset && offset <= s.end).max_by_key(|s| s.start);
    let block = doc.blocks.iter().map(|b| b.header).filter(|h| h.start <= offset && offset <= h.end).max_by_key(|h| h.start);
    match (field, block) {
        (Some(f), Some(b)) => Some(f.start.max(b.start)),
        (f, b) => f.or(b).map(|s| s.start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{analysis, apply, at};

    #[test]
    fn a_missing_department_gets_the_line_and_a_directive_and_both_edit_the_right_place() {
        let plan = "施策 1-1-1 防災 {\n  定量評価: 高\n}\n";
        let a = analysis(plan);
        let findings: Vec<&Diagnostic> = a.diagnostics.iter().collect();
        let here = Span::new(at(plan, "防災"), at(plan, "防災"));
        let found = assists(&a.workspace.docs[0], &findings, here, Lang::Ja);
        let add = found.iter().find(|x| x.title == "`代表課:` を追加").expect("the add-代表課 assist");
        assert_eq!(apply(plan, &add.edits), "施策 1-1-1 防災 {\n  定量評価: 高\n  代表課: \n}\n");
        assert_eq!(findings[add.finding.unwrap()].rule.name, "missing-department");
        let allow = found.iter().find(|x| x.title == "ここでは missing-department を抑制する").expect("the allow assist");
        assert_eq!(apply(plan, &allow.edits), format!("# plancheck: allow(missing-department)\n{plan}"));
    }

    #[test]
    fn grade_fixes_are_preferred_fix_all_covers_the_file_and_width_folds_in_the_whole_file() {
        let plan = "施策 １-1-1 t {\n  代表課: 課\n  指標 a {\n    実績: 50\n    目標: 100\n    定量評価: A\n  }\n  指標 b {\n    実績: ５0\n    目標: 100\n    定量評価: B\n  }\n}\n";
        let a = analysis(plan);
        let findings: Vec<&Diagnostic> = a.diagnostics.iter().collect();
        let first = at(plan, "定量評価: A") + 14;
        let found = assists(&a.workspace.docs[0], &findings, Span::new(first, first), Lang::En);
        let fix = found.iter().find(|x| x.finding.is_some_and(|i| findings[i].rule.name == "rating-mismatch") && x.preferred == Some(true)).expect("the grade fix");
        assert_eq!(fix.edits, [Edit { span: Span::new(first, first + 1), replacement: "D".into() }]);
        let all = found.iter().find(|x| x.title == "fix all rating-mismatch in this file (2)").expect("fix all");
        assert_eq!(all.edits.len(), 2);
        let width = found.iter().find(|x| x.kind == AssistKind::Source).expect("the width assist");
        let folded = apply(plan, &width.edits);
        assert!(folded.starts_with("施策 1-1-1 t") && folded.contains("実績: 50\n    目標: 100\n    定量評価: B"), "{folded}");
    }
}
