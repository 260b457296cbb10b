//! The prose units the two duplicate rules compare: each document's
//! normalised prose ([`crate::model::Document::prose`], cached with the
//! document), filtered by the file's `[duplicates]` settings.

use super::Context;
#[cfg(test)]
use crate::model::prose::normalize;
use crate::model::{BlockId, BlockKind, FileId};
use crate::syntax::Span;

pub fn is_trivial(normalized: &str, chars: usize, min_length: usize) -> bool {
    const TRIVIAL: [&str; 6] = ["", "なし", "特になし", "該当なし", "無し", "特に無し"];
    chars < min_length || TRIVIAL.contains(&normalized)
}

/// One piece of prose: a field's value.
#[derive(Debug, Clone)]
pub struct ProseUnit<'a> {
    pub file: FileId,
    pub block: Option<BlockId>,
    pub field_name: &'static str,
    pub span: Span,
    pub normalized: &'a str,
    pub prose: &'a crate::model::prose::Prose,
}

pub fn prose_units<'a>(ctx: &Context<'a>) -> Vec<ProseUnit<'a>> {
    let mut units = Vec::new();
    for (file, doc) in ctx.workspace.docs.iter().enumerate() {
        let settings = &ctx.config(file).duplicates;
        for prose in doc.prose() {
            if !settings.fields.iter().any(|f| prose.def.names.contains(&f.as_str())) || is_trivial(&prose.normalized, prose.chars, settings.min_length) {
                continue;
            }
            units.push(ProseUnit { file, block: prose.block, field_name: prose.def.name(), span: prose.span, normalized: &prose.normalized, prose });
        }
    }
    units.sort_by_key(|u| (u.file, u.span.start));
    units
}

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
        assert!(is_trivial(&normalize("-"), 0, 1));
        assert!(is_trivial(&normalize("なし。"), 2, 1));
        assert!(is_trivial("短い", 2, 15));
        assert!(!is_trivial("健康づくりの推進", 8, 5));
    }
}
