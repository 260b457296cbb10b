//! An indicator's actuals over the years (`推移`), each with its status,
//! and its cumulative flag (`累計`).
//!
//! ```plan
//! 指標 移住相談の件数 {
//!   累計: はい
//!   推移:
//!     | R3年度: 12件 (確定)
//!     | R4年度: 25件 (確定)
//!     | R5年度: 31件 (速報)
//!     | R6年度: 未把握
//! }
//! ```
//!
//! Each line is `YEAR: VALUE (STATUS)`; the status is one of 確定 (final),
//! 速報 (preliminary), 見込み (estimated) or 未把握 (not known, with or
//! without a value `-`). A line without a status, or with no value and no
//! 未把握, is what `missing-status` reports; a cumulative series (`累計:
//! はい`, or an indicator whose name says 累計) must never decrease, which
//! `cumulative-decrease` checks. A line that cannot be read is
//! `invalid-value`'s.
//!
//! Targets may be given per year the same way (`目標推移`, without
//! statuses): under the `expected` method, the target of the basis's year
//! is the value it is graded against.
//!
//! ```plan
//! 指標 移住者数 {
//!   実績: 520人 (R5年度)
//!   目標: 1,000人 (R7年度)
//!   計算方法: 期待値
//!   目標推移:
//!     | R5年度: 600人
//!     | R6年度: 800人
//!     | R7年度: 1,000人
//! }
//! ```

use crate::model::value::{Quantity, ValueError, nfkc, parse_quantity, years_in};
use crate::model::{Block, FieldKey};
use crate::syntax::Span;

/// How certain a year's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 確定: the final figure.
    Final,
    /// 速報: a preliminary figure.
    Preliminary,
    /// 見込み: an estimate.
    Estimate,
    /// 未把握: not known (yet).
    Unknown,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Final, Status::Preliminary, Status::Estimate, Status::Unknown];

    pub fn word(self) -> &'static str {
        match self {
            Status::Final => "確定",
            Status::Preliminary => "速報",
            Status::Estimate => "見込み",
            Status::Unknown => "未把握",
        }
    }

    /// The status a note or a word names (`確定値`, `速報値`, `見込値` too).
    pub fn of(text: &str) -> Option<Status> {
        let text = nfkc(text.trim());
        let text = text.trim_end_matches('値');
        match text {
            "確定" => Some(Status::Final),
            "速報" => Some(Status::Preliminary),
            "見込み" | "見込" => Some(Status::Estimate),
            "未把握" | "把握できない" | "不明" => Some(Status::Unknown),
            _ => None,
        }
    }
}

/// One line of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The year (western), from `R4年度`, `令和4年`, `2022年度`.
    pub year: i32,
    /// The year as written.
    pub year_text: String,
    /// The value, when one is written.
    pub value: Option<Quantity>,
    pub status: Option<Status>,
    /// Where the line is.
    pub span: Span,
}

/// A series line that cannot be read, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    pub span: Span,
    pub error: ValueError,
}

/// The lines of a block's `推移`, each read or why not (`None`: no series).
pub fn series_of(block: &Block) -> Option<Vec<Result<Entry, Unreadable>>> {
    lines_of(block, FieldKey::Series)
}

/// The lines of a block's `目標推移` (per-year targets), each read or why not.
pub fn target_series_of(block: &Block) -> Option<Vec<Result<Entry, Unreadable>>> {
    lines_of(block, FieldKey::TargetSeries)
}

/// The target for `year` in a `目標推移` written as text (its lines joined
/// by `\n`), with the year as written: the first readable line of that year
/// that has a value.
pub fn target_for_year(text: &str, year: i32) -> Option<(String, Quantity)> {
    text.split('\n').filter_map(|line| read_line(FieldKey::TargetSeries, Span::default(), line).ok()).find(|e| e.year == year).and_then(|e| Some((e.year_text, e.value?)))
}

/// The year of the latest line of a `推移` written as text that has a value
/// (the year the actual is of, when its note does not say).
pub fn latest_year(text: &str) -> Option<i32> {
    text.split('\n').filter_map(|line| read_line(FieldKey::Series, Span::default(), line).ok()).filter(|e| matches!(e.value, Some(Quantity::Value(_)))).map(|e| e.year).max()
}

fn lines_of(block: &Block, key: FieldKey) -> Option<Vec<Result<Entry, Unreadable>>> {
    let field = block.field(key)?;
    if field.is_empty() {
        return Some(Vec::new());
    }
    let lines: Vec<(Span, &str)> = if field.text_lines.is_empty() { vec![(field.value_span, field.text.as_str())] } else { field.text_lines.iter().copied().zip(field.text.split('\n')).collect() };
    Some(lines.into_iter().filter(|(_, text)| !text.trim().is_empty()).map(|(span, text)| read_line(key, span, text)).collect())
}

/// A line of the series of `key` (its name in the messages).
fn read_line(key: FieldKey, span: Span, text: &str) -> Result<Entry, Unreadable> {
    let def = crate::model::schema::def(key);
    let (name, en) = (def.name(), def.en);
    let unreadable = |ja: String, en: String| Unreadable { span, error: ValueError { ja, en, suggestion: None } };
    let Some((year_text, rest)) = text.split_once([':', '：']) else {
        return Err(unreadable(
            format!("{name}の行 `{text}` は `年度: 値 (状況)` の形で書きます (例 `R4年度: 5,600人 (確定)`)"),
            format!("the {en} line `{text}` is written `YEAR: VALUE (STATUS)` (e.g. `R4年度: 5,600人 (確定)`)"),
        ));
    };
    let year_text = year_text.trim().to_string();
    let Some(&(year, _)) = years_in(&year_text).first() else {
        return Err(unreadable(format!("{name}の行の `{year_text}` は年として読めません (例 `R4年度`、`2022年度`)"), format!("`{year_text}` in the {en} is not a year (e.g. `R4年度`, `2022年度`)")));
    };
    let rest = rest.trim();
    if rest.is_empty() {
        return Ok(Entry { year, year_text, value: None, status: None, span });
    }
    // `未把握`, or `(未把握)` as the other statuses are written.
    if let Some(status) = Status::of(rest).or_else(|| rest.strip_prefix(['(', '（']).and_then(|r| r.strip_suffix([')', '）'])).and_then(Status::of)) {
        return Ok(Entry { year, year_text, value: None, status: Some(status), span });
    }
    // `5,600人 速報` (a status word after the value) or `5,600人 (速報)`.
    let (value_text, trailing) = match rest.rsplit_once(char::is_whitespace) {
        Some((value, word)) if Status::of(word).is_some() => (value, Status::of(word)),
        _ => (rest, None),
    };
    let value = parse_quantity(value_text)
        .map_err(|e| Unreadable { span, error: ValueError { ja: format!("{name}の {year_text}: {}", e.ja), en: format!("{en}, {year_text}: {}", e.en), suggestion: None } })?;
    let noted = match &value {
        Quantity::Value(m) => m.note.as_deref().and_then(Status::of),
        Quantity::NotObtainable { reason } => reason.as_deref().and_then(Status::of),
    };
    Ok(Entry { year, year_text, value: Some(value), status: trailing.or(noted), span })
}

/// Whether the block's values are running totals: its `累計` (`はい` or
/// `いいえ`), else whether its name says `累計`. `Err` for a `累計` that
/// is neither.
pub fn is_cumulative(block: &Block) -> Result<bool, ValueError> {
    match block.field(FieldKey::Cumulative).filter(|f| !f.is_empty()) {
        Some(field) => parse_flag(&field.text),
        None => Ok(block.title.as_ref().is_some_and(|t| t.value.contains("累計"))),
    }
}

/// `累計`'s value: はい / いいえ (yes / no, true / false).
pub fn parse_flag(text: &str) -> Result<bool, ValueError> {
    let text = nfkc(text.trim());
    match text.to_lowercase().as_str() {
        "はい" | "yes" | "true" | "累計" => Ok(true),
        "いいえ" | "no" | "false" => Ok(false),
        _ => Err(ValueError {
            ja: format!("`{text}` は 累計 の値として読めません (`はい` か `いいえ`)"),
            en: format!("`{text}` is not a value of 累計 (`はい`, yes, or `いいえ`, no)"),
            suggestion: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    fn block(plan: &str) -> Document {
        Document::parse("a.plan", plan)
    }

    #[test]
    fn lines_read_with_their_year_value_and_status() {
        let doc = block(
            "施策 1-1-1 x {\n  指標 y {\n    推移:\n      | R3年度: 12件 (確定)\n      | 令和4年度：25件 速報\n      | 2023年度: 31件\n      | R6年度: 未把握\n      | R7年度:\n      | 年度: 3件\n      | R8年度: (未把握)\n  }\n}\n",
        );
        assert!(doc.syntax_errors.is_empty(), "{:?}", doc.syntax_errors);
        let (_, indicator) = doc.blocks_of(crate::model::BlockKind::Indicator).next().unwrap();
        let lines = series_of(indicator).unwrap();
        assert_eq!(lines.len(), 7);
        assert_eq!(lines[6].as_ref().unwrap().status, Some(Status::Unknown), "(未把握) as the other statuses are written");
        let entry = |i: usize| lines[i].as_ref().unwrap();
        assert_eq!((entry(0).year, entry(0).status), (2021, Some(Status::Final)));
        assert_eq!((entry(1).year, entry(1).status), (2022, Some(Status::Preliminary)));
        assert_eq!((entry(2).year, entry(2).status), (2023, None));
        assert_eq!((entry(3).value.as_ref(), entry(3).status), (None, Some(Status::Unknown)));
        assert_eq!((entry(4).value.as_ref(), entry(4).status), (None, None));
        assert!(lines[5].as_ref().unwrap_err().error.ja.contains("年として読めません"));
        assert_eq!(&doc.text[entry(0).span.start..entry(0).span.end], "R3年度: 12件 (確定)");
    }

    #[test]
    fn a_year_s_target_is_found_and_the_latest_actual_gives_the_year() {
        let targets = "R5年度: 600人\nR6年度: 800人\n2025年度: 1,000人\nR8年度: 未把握";
        assert_eq!(target_for_year(targets, 2024).map(|(year, q)| (year, q.to_string())), Some(("R6年度".to_string(), "800人".to_string())));
        assert_eq!(target_for_year(targets, 2025).map(|(_, q)| q.to_string()).as_deref(), Some("1,000人"), "a western year too");
        assert_eq!(target_for_year(targets, 2026), None, "no value for that year");
        assert_eq!(target_for_year(targets, 2030), None);
        assert_eq!(latest_year("R3年度: 12件 (確定)\nR5年度: 31件 (速報)\nR6年度: 未把握"), Some(2023), "the latest with a value");
        assert_eq!(latest_year("R6年度: 未把握"), None);
    }

    #[test]
    fn the_cumulative_flag_and_the_name() {
        let doc = block("施策 1-1-1 x {\n  指標 相談件数 (累計) {\n  }\n  指標 b {\n    累計: いいえ\n  }\n  指標 c {\n    累計: たぶん\n  }\n}\n");
        let flags: Vec<_> = doc.blocks_of(crate::model::BlockKind::Indicator).map(|(_, b)| is_cumulative(b).ok()).collect();
        assert_eq!(flags, [Some(true), Some(false), None]);
    }
}
