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
}

/// `text` in the form prose is compared in: NFKC (full-width letters and
/// digits, half-width katakana folded), without white space and
/// punctuation. Most Japanese text is already NFKC, which a quick check
/// tells without decomposing it.
pub fn normalize(text: &str) -> String {
    let keep = |c: &char| !c.is_whitespace() && !is_punctuation(*c);
    if is_nfkc_quick(text.chars()) == IsNormalized::Yes { text.chars().filter(keep).collect() } else { text.nfkc().filter(keep).collect() }
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
        self.prose.get_or_init(|| {
            self.all_fields()
                .filter_map(|(block, field)| {
                    let def = field.def()?;
                    let normalized = normalize(&field.text);
                    let chars = normalized.chars().count();
                    Some(Prose { block, def, span: field.value_span, normalized, chars })
                })
                .collect()
        })
    }
}
