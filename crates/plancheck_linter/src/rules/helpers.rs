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
