//! The comparable form of a document's prose: every known field's value,
//! normalised (NFKC, without white space and punctuation), computed once per
//! document and kept with it. The duplicate rules compare these across the
//! workspace; the language server re-checks with the unchanged documents'
//! forms as they are, so only the edited file is normalised again.

use super::{BlockId, Document, FieldDef};
use crate::syntax::Span;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// One text field's value in comparable form.
#[derive(Debug, Clone)]
pub struct Prose {
    /// The block the field is in (`None`: a top-level field).
    pub block: Option<BlockId>,
    pub def: &'static FieldDef,
    /// The value's span.
    pub span: Span,
    pub normalized: String,
    /// `normalized.chars().count()`.
    pub chars: usize,
    /// A fingerprint of `normalized` (the near-duplicate rule's MinHash
    /// signature), computed on first use and kept with the document.
    fingerprint: std::sync::OnceLock<std::sync::Arc<[u64; FINGERPRINT_LEN]>>,
}

/// Length of a [`Prose::fingerprint`].
pub const FINGERPRINT_LEN: usize = 64;

impl Prose {
    /// The fingerprint `compute` gives for the normalised text, computed
    /// once per document (every caller must pass the same function).
    pub fn fingerprint(&self, compute: fn(&str) -> [u64; FINGERPRINT_LEN]) -> &[u64; FINGERPRINT_LEN] {
        self.fingerprint.get_or_init(|| std::sync::Arc::new(compute(&self.normalized)))
    }
}

/// `text` in the form prose is compared in: NFKC (full-width letters and
/// digits, half-width katakana folded), without white space and
/// punctuation. Most Japanese text is already NFKC, which a quick check
/// tells without decomposing it.
pub fn normalize(text: &str) -> String {
    let keep = |c: &char| !c.is_whitespace() && !is_punctuation(*c);
    if text.chars().all(surely_nfkc) || is_nfkc_quick(text.chars()) == IsNormalized::Yes { text.chars().filter(keep).collect() } else { text.nfkc().filter(keep).collect() }
}

/// Characters NFKC leaves as they are, told by range (faster than the
/// quick check's table lookups): ASCII, hiragana, katakana with `ー` and
/// `・`, the CJK unified ideographs, and the ideographic comma, full stop
/// and brackets. Full-width letters and half-width kana are not among them.
fn surely_nfkc(c: char) -> bool {
    c.is_ascii() || matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FC}' | '\u{4E00}'..='\u{9FFF}' | '、' | '。' | '「' | '」' | '『' | '』')
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '、' | '。'
                | '・'
                | '「'
                | '」'
                | '『'
                | '』'
                | '（'
                | '）'
                | '〔'
                | '〕'
                | '【'
                | '】'
                | '〈'
                | '〉'
                | '《'
                | '》'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '…'
                | '‥'
                | '〜'
                | '～'
                | '―'
                | '‐'
                | '－'
                | '※'
        )
}

impl Document {
    /// Every known field of the file in comparable form, in source order
    /// (computed on first use; which fields are compared is configuration,
    /// `[duplicates] fields`).
    pub fn prose(&self) -> &[Prose] {
        self.prose.get_or_init(|| self.all_fields().filter_map(|(block, field)| Prose::of(block, field)).collect())
    }
}

impl Prose {
    /// The comparable form of a known field (`None` for an unknown one).
    pub(super) fn of(block: Option<BlockId>, field: &super::Field) -> Option<Prose> {
        let def = field.def()?;
        let normalized = normalize(&field.text);
        let chars = normalized.chars().count();
        Some(Prose { block, def, span: field.value_span, normalized, chars, fingerprint: Default::default() })
    }

    /// The same prose at another place (the incremental path moves the
    /// prose after an edit, its fingerprint kept).
    pub(super) fn moved(&self, span: Span) -> Prose {
        Prose { span, ..self.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_range_check_agrees_with_nfkc() {
        for c in ('\u{0}'..='\u{FFFF}').filter(|&c| surely_nfkc(c)) {
            assert_eq!(c.to_string().nfkc().collect::<String>(), c.to_string(), "U+{:04X}", c as u32);
        }
        assert_eq!(normalize("ＩＣＴ化　を推進、ｶﾀｶﾅ"), "ICT化を推進カタカナ");
    }
}
