//! Normalisation of prose for duplicate detection, and the prose units the
//! two duplicate rules compare.

use super::Context;
use crate::model::{BlockId, BlockKind, FileId};
use crate::syntax::Span;
use unicode_normalization::UnicodeNormalization;

/// Width folded (NFKC), white space and punctuation removed: `、` `､` `，`
/// `,` and the like all disappear, so copies that differ only in those
/// compare equal.
pub fn normalize(text: &str) -> String {
    text.nfkc().filter(|&c| !c.is_whitespace() && !is_punctuation(c)).collect()
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

/// Texts too trivial to be called copies: `-`, `なし`, and anything shorter
/// than the configured minimum.
pub fn is_trivial(normalized: &str, min_length: usize) -> bool {
    const TRIVIAL: [&str; 6] = ["", "なし", "特になし", "該当なし", "無し", "特に無し"];
    TRIVIAL.contains(&normalized) || normalized.chars().count() < min_length
}

/// One piece of prose: a field's value.
#[derive(Debug, Clone)]
pub struct ProseUnit {
    pub file: FileId,
    pub block: Option<BlockId>,
    pub field_name: &'static str,
    pub span: Span,
    pub normalized: String,
}

/// Every prose field the config asks to compare, in workspace order,
/// trivial ones left out.
pub fn prose_units(ctx: &Context<'_>) -> Vec<ProseUnit> {
    let mut units = Vec::new();
    for (file, doc) in ctx.workspace.docs.iter().enumerate() {
        let settings = &ctx.config(file).duplicates;
        for (block, field) in doc.all_fields() {
            let Some(def) = field.def() else { continue };
            if !settings.fields.iter().any(|f| def.names.contains(&f.as_str())) {
                continue;
            }
            let normalized = normalize(&field.text);
            if is_trivial(&normalized, settings.min_length) {
                continue;
            }
            units.push(ProseUnit { file, block, field_name: def.name(), span: field.value_span, normalized });
        }
    }
    // Source order: the first copy in a file is the one written first.
    units.sort_by_key(|u| (u.file, u.span.start));
    units
}

/// Where a prose unit stands, for messages: `成果 (施策 1-1-1 / 展開 母子保健サービスの充実)`.
pub fn describe_unit(ctx: &Context<'_>, unit: &ProseUnit) -> String {
    let doc = &ctx.workspace.docs[unit.file];
    let mut parts = Vec::new();
    if let Some(block) = unit.block {
        if let Some(measure) = doc.enclosing(block, BlockKind::Measure) {
            let m = &doc.blocks[measure];
            parts.push(format!("施策 {}", m.id.as_ref().map_or_else(|| m.title.as_ref().map_or("", |t| &t.value).to_string(), |i| i.value.clone())));
        }
        let b = &doc.blocks[block];
        if matches!(b.kind, Some(BlockKind::Development | BlockKind::Indicator)) {
            parts.push(match &b.title {
                Some(title) => format!("{} {}", b.keyword.value, title.value),
                None => b.keyword.value.clone(),
            });
        }
    }
    if parts.is_empty() { unit.field_name.to_string() } else { format!("{} ({})", unit.field_name, parts.join(" / ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_spaces_and_punctuation_are_folded() {
        assert_eq!(normalize("市民の健康、増進。"), normalize("市民の健康､ 増進｡"));
        assert_eq!(normalize("ＩＣＴ化　を推進"), normalize("ICT化を推進"));
        assert_eq!(normalize("「健康いせさき21」"), "健康いせさき21");
        assert!(is_trivial(&normalize("-"), 1));
        assert!(is_trivial(&normalize("なし。"), 1));
        assert!(is_trivial("短い", 15));
    }
}
