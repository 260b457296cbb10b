//! What several rules share: the did-you-mean guess, and the fix that
//! replaces a span with the right text (its message written once here).

use crate::diagnostics::{Applicability, Diagnostic, Edit, Lang};
use crate::model::value::nfkc;
use crate::syntax::Span;

/// The closest candidate, if it is close enough to be a misspelling.
pub(crate) fn did_you_mean<'a>(key: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let key = nfkc(key);
    let len = key.chars().count();
    candidates.map(|c| (rapidfuzz::distance::levenshtein::distance(key.chars(), c.chars()), c)).filter(|(d, c)| *d <= 2.max(len / 3) && *d < len.max(c.chars().count())).min().map(|(_, c)| c)
}

/// How a replacement fix is worded.
#[derive(Clone, Copy)]
pub(crate) enum Wording {
    /// "`X` に直す" / "replace with `X`": a value or an ID.
    Replace,
    /// "`X` に直す" / "rename to `X`": a key or a block keyword.
    Rename,
}

/// The fix that writes the right text over a span, worded once for every rule.
pub(crate) trait ReplaceFix {
    fn replace_fix(self, applicability: Applicability, wording: Wording, span: Span, with: impl std::fmt::Display, lang: Lang) -> Self;
}

impl ReplaceFix for Diagnostic {
    fn replace_fix(self, applicability: Applicability, wording: Wording, span: Span, with: impl std::fmt::Display, lang: Lang) -> Self {
        let with = with.to_string();
        let message = match (lang, wording) {
            (Lang::Ja, _) => format!("`{with}` に直す"),
            (Lang::En, Wording::Replace) => format!("replace with `{with}`"),
            (Lang::En, Wording::Rename) => format!("rename to `{with}`"),
        };
        self.with_fix(applicability, message, vec![Edit { span, replacement: with }])
    }
}

/// What a summary-mismatch rule says of a 施策's stated level against the
/// one its parts give: the key and how its parts are named.
pub(crate) struct SummaryWords {
    /// `定量評価` or `定性評価`.
    pub key: &'static str,
    pub parts_ja: &'static str,
    pub parts_en: &'static str,
}

/// The finding of a summary-mismatch rule (both share their wording and
/// their fix): the parts listed with their points, why the legend gives
/// `summary.level`, how many parts had no value, and the safe fix that
/// writes the computed level.
#[allow(clippy::too_many_arguments)]
pub(crate) fn summary_mismatch(
    ctx: &super::FileContext<'_>,
    rule: &'static crate::diagnostics::RuleMeta,
    words: &SummaryWords,
    field: &crate::model::Field,
    stated: &crate::model::value::Symbol,
    summary: &crate::rating::Summary,
    listed: &[String],
    unstated: usize,
) -> Diagnostic {
    let computed = &summary.level;
    let why = crate::rating::summary_reason(summary, ctx.lang);
    let article = if matches!(summary.aggregate, crate::rating::Aggregate::Mean) { "an" } else { "a" };
    let key = words.key;
    let message = match ctx.lang {
        Lang::Ja => {
            let left_out = if unstated > 0 { format!(" (評価のない {unstated} 件を除く)") } else { String::new() };
            format!("{key}が {stated} と記載されていますが、{} {}{left_out}の{why} なので {computed} です", words.parts_ja, listed.join("・"))
        }
        Lang::En => {
            let left_out = if unstated > 0 { format!(" ({unstated} without a stated value left out)") } else { String::new() };
            format!("stated {key} {stated}, but {} {}{left_out} give {article} {why}, which is {computed}", words.parts_en, listed.join(", "))
        }
    };
    Diagnostic::new(rule, ctx.file, field.value_span, message).replace_fix(Applicability::Safe, Wording::Replace, field.value_span, computed.to_string(), ctx.lang)
}

/// An edit that inserts `line` (a field, without indentation or line
/// break) as a line of its own before the line holding byte `at`, indented
/// as that line is, with the file's line breaks.
pub(crate) fn insert_line_before(doc: &crate::model::Document, at: usize, line: &str) -> Edit {
    let text = &doc.text;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..].chars().take_while(|c| crate::syntax::is_blank(*c)).collect();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    Edit { span: Span::new(line_start, line_start), replacement: format!("{indent}{line}{newline}") }
}

/// Where a field goes in a block: before the line of `before` (the first
/// of these keys the block has), else as the block's last line (before
/// its `}`, one level deeper). `None` for a block without its `}`.
pub(crate) fn insert_field(doc: &crate::model::Document, block: &crate::model::Block, before: &[crate::model::FieldKey], line: &str) -> Option<Edit> {
    if let Some(field) = before.iter().find_map(|&key| block.field(key)) {
        return Some(insert_line_before(doc, field.span.start, line));
    }
    let close = block.span.end.checked_sub(1)?;
    // An unclosed block, or one closed on its header line (`{}`).
    if !block.closed || !doc.text.get(block.header.end.min(close)..close)?.contains('\n') {
        return None;
    }
    let edit = insert_line_before(doc, close, line);
    // One level deeper than the `}`.
    Some(Edit { replacement: format!("  {}", edit.replacement), ..edit })
}
