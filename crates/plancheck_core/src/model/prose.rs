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
    pub normalized: Box<str>,
    /// `normalized.chars().count()`.
    pub chars: usize,
    /// A fingerprint of `normalized` (the near-duplicate rule's MinHash
    /// signature), computed on first use and kept with the document.
    fingerprint: std::sync::OnceLock<std::sync::Arc<[u16; FINGERPRINT_LEN]>>,
    /// A hash of `normalized`: the identity of the text in [`Prose::compared`].
    pub hash: u64,
    /// Results of comparing this text with others (see [`Prose::compared`]),
    /// kept with the document and shared by its moved copies.
    /// Allocated at the first comparison: most texts are never compared
    /// (a check of a prefecture holds hundreds of thousands of them).
    comparisons: std::sync::OnceLock<std::sync::Arc<std::sync::Mutex<Vec<Comparison>>>>,
}

/// One remembered comparison: the other text's hash, the setting it was
/// made with, and its result.
#[derive(Debug, Clone, Copy)]
struct Comparison {
    other: u64,
    setting: u64,
    result: Option<f64>,
}

/// How many comparisons a text remembers (editing one text makes a new
/// one at each keystroke; the oldest are forgotten).
const REMEMBERED: usize = 32;

/// Length of a [`Prose::fingerprint`].
pub const FINGERPRINT_LEN: usize = 64;

impl Prose {
    /// The fingerprint `compute` gives for the normalised text, computed
    /// once per document (every caller must pass the same function).
    pub fn fingerprint(&self, compute: fn(&str) -> [u16; FINGERPRINT_LEN]) -> &[u16; FINGERPRINT_LEN] {
        self.fingerprint.get_or_init(|| std::sync::Arc::new(compute(&self.normalized)))
    }

    /// The result of comparing this text with `other` under `setting`
    /// (a deterministic comparison, e.g. the near-duplicate rule's edit
    /// distance at a threshold): computed once and remembered with the
    /// document, so that a re-check (the language server's, at every
    /// keystroke) compares only the texts that changed.
    pub fn compared(&self, other: &Prose, setting: u64, compare: impl FnOnce() -> Option<f64>) -> Option<f64> {
        let list = self.comparisons.get_or_init(Default::default);
        let remembered = list.lock().unwrap_or_else(|p| p.into_inner()).iter().find(|c| c.other == other.hash && c.setting == setting).map(|c| c.result);
        if let Some(result) = remembered {
            return result;
        }
        let result = compare();
        let mut comparisons = list.lock().unwrap_or_else(|p| p.into_inner());
        if comparisons.len() >= REMEMBERED {
            comparisons.remove(0);
        }
        comparisons.push(Comparison { other: other.hash, setting, result });
        result
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
        let normalized = normalize(&field.text).into_boxed_str();
        let chars = normalized.chars().count();
        let hash = xxhash_rust::xxh3::xxh3_64(normalized.as_bytes());
        Some(Prose { block, def, span: field.value_span, normalized, chars, fingerprint: Default::default(), hash, comparisons: Default::default() })
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
    fn a_comparison_is_made_once_per_other_text_and_setting() {
        let doc = Document::parse("p.plan", "施策 1-1-1 a {\n  展開 b {\n    成果: 市民の健康づくりを進めた\n    課題: 担い手の確保が課題である\n  }\n}\n");
        let (a, b) = (&doc.prose()[0], &doc.prose()[1]);
        let calls = std::cell::Cell::new(0);
        let compare = || {
            calls.set(calls.get() + 1);
            Some(0.5)
        };
        assert_eq!(b.compared(a, 1, compare), Some(0.5));
        assert_eq!(b.compared(a, 1, compare), Some(0.5));
        assert_eq!(calls.get(), 1, "remembered");
        // Another setting, another text: compared again.
        assert_eq!(b.compared(a, 2, || None), None);
        assert_eq!(b.compared(b, 1, compare), Some(0.5));
        assert_eq!(calls.get(), 2);
        // A moved copy (the language server's patched model) shares what
        // the text remembers.
        assert_eq!(b.moved(Span::new(0, 0)).compared(a, 2, compare), None);
        assert_eq!(calls.get(), 2);
    }

    #[test]
    fn the_range_check_agrees_with_nfkc() {
        for c in ('\u{0}'..='\u{FFFF}').filter(|&c| surely_nfkc(c)) {
            assert_eq!(c.to_string().nfkc().collect::<String>(), c.to_string(), "U+{:04X}", c as u32);
        }
        assert_eq!(normalize("ＩＣＴ化　を推進、ｶﾀｶﾅ"), "ICT化を推進カタカナ");
    }
}
