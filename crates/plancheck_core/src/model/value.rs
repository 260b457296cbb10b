//! Typed field values: grades, levels, directions and quantities, read with
//! the full-width forms that Japanese input methods produce (NFKC).

use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;
use unicode_normalization::UnicodeNormalization;

/// NFKC-normalises `text` (full-width letters, digits and punctuation become
/// their ASCII forms; `㎡` becomes `m2`).
pub fn nfkc(text: &str) -> String {
    text.nfkc().collect()
}

/// A grade or a level as written: one symbol of a legend's scale (`A`,
/// `S`, `B+`, `a`, `◎`, `高`, `順調`, `評価困難`), NFKC-normalised, with any
/// dash written as `-`. Which symbols a plan may use is its legend's (the
/// linter's `legend`) to say: the model reads any.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Symbol(Box<str>);

impl Symbol {
    /// `text` as a symbol: trimmed, NFKC-normalised, a dash as `-`.
    pub fn new(text: &str) -> Symbol {
        let text = nfkc(text.trim());
        if is_dash(&text) { Symbol::dash() } else { Symbol(text.into_boxed_str()) }
    }
    /// `-`: not obtainable.
    pub fn dash() -> Symbol {
        Symbol("-".into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn is_dash(&self) -> bool {
        &*self.0 == "-"
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Symbol {
    fn from(text: &str) -> Symbol {
        Symbol::new(text)
    }
}

impl PartialEq<str> for Symbol {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Symbol {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

/// Whether higher (増加) or lower (減少) values are better, the value is
/// to be kept at its level (維持: at least the target, which may be the
/// baseline itself), or kept within a band (範囲: the target is a range,
/// `20〜25%`; below it higher is better, above it lower is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Direction {
    #[default]
    Increase,
    Decrease,
    Maintain,
    Band,
}

impl Direction {
    /// The way the arithmetic goes: a kept level is graded as "at least"
    /// (a band is graded toward its nearer end; see the rating).
    pub fn arith(self) -> Direction {
        match self {
            Direction::Decrease => Direction::Decrease,
            Direction::Increase | Direction::Maintain | Direction::Band => Direction::Increase,
        }
    }
}

/// Why a value could not be read: the message in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    pub ja: String,
    pub en: String,
    /// The value's canonical spelling when it was readable but not canonical
    /// (e.g. lower-case `b`), for a fix.
    pub suggestion: Option<String>,
}

impl ValueError {
    pub(crate) fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        ValueError { ja: ja.into(), en: en.into(), suggestion: None }
    }
}

/// The dashes that mean "not obtainable" (`-`), after NFKC.
pub fn is_dash(text: &str) -> bool {
    matches!(text, "-" | "―" | "‐" | "−" | "–" | "—" | "ー" | "ｰ")
}

/// Every word a `方向` may be (the editors' grammars highlight these).
pub const DIRECTION_WORDS: [(&str, Direction); 5] =
    [("増加", Direction::Increase), ("減少", Direction::Decrease), ("維持", Direction::Maintain), ("範囲", Direction::Band), ("範囲内", Direction::Band)];

pub fn parse_direction(raw: &str) -> Result<Direction, ValueError> {
    let word = nfkc(raw.trim());
    match DIRECTION_WORDS.iter().find(|(w, _)| *w == word) {
        Some((_, direction)) => Ok(*direction),
        None => Err(ValueError::new(
            format!("`{raw}` は方向として読めません (`増加`、`減少`、`維持`、`範囲` のいずれか)"),
            format!("`{raw}` is not a direction (`増加`, higher is better, `減少`, lower is better, `維持`, kept at its level, or `範囲`, within the target's range)"),
        )),
    }
}

/// A quantity: `-`, or `NUMBER [UNIT] [(NOTE)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quantity {
    /// `-`: the value could not be obtained; `- (調査未実施)` says why.
    NotObtainable {
        reason: Option<String>,
    },
    Value(Measured),
}

/// A number with its unit and note, the number kept exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measured {
    pub number: Decimal,
    /// The number as written after NFKC, separators included (`5,900`).
    pub number_text: String,
    /// The unit after NFKC and trimming (`人`, `%`, `m2`); may be empty.
    pub unit: String,
    /// The parenthesised note's content (`R3年`), if any.
    pub note: Option<String>,
    /// An inequality written after the unit (`95%以上`, `10件以下`, `100%を維持`).
    pub bound: Option<Bound>,
    /// The upper end of a range (`20〜25%`: `number` is 20, this 25, in
    /// the same unit): a target to stay within.
    pub upper: Option<RangeEnd>,
}

/// The upper end of a range, in the range's unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeEnd {
    pub number: Decimal,
    /// As written after NFKC (`25`, `1,200`).
    pub number_text: String,
}

/// The signs that join the ends of a range: `〜` (and `～`, `~` after NFKC).
pub const RANGE_SIGNS: [char; 2] = ['〜', '~'];

/// How a target bounds its value: `以上`, `以下`, `超`, `未満`, or `を維持`
/// (kept at least at the value). A target `以下` or `未満` says lower is
/// better. The grade is computed from the value as from any target (an
/// actual exactly at a `未満` target counts as meeting it, as at `以下`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    AtLeast,
    AtMost,
    Above,
    Below,
    Maintain,
}

impl Bound {
    /// The words, longest first, as written after a unit.
    pub const WORDS: [(&'static str, Bound); 5] = [("を維持", Bound::Maintain), ("以上", Bound::AtLeast), ("以下", Bound::AtMost), ("未満", Bound::Below), ("超", Bound::Above)];

    pub fn word(self) -> &'static str {
        Bound::WORDS.iter().find(|(_, b)| *b == self).map_or("", |(w, _)| w)
    }

    /// The direction a target with this bound says, if any.
    pub fn direction(self) -> Option<Direction> {
        match self {
            Bound::AtMost | Bound::Below => Some(Direction::Decrease),
            Bound::AtLeast | Bound::Above => Some(Direction::Increase),
            Bound::Maintain => Some(Direction::Maintain),
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Quantity::NotObtainable { reason: None } => f.write_str("-"),
            Quantity::NotObtainable { reason: Some(reason) } => write!(f, "- ({reason})"),
            Quantity::Value(m) => {
                f.write_str(&m.number_text)?;
                if let Some(upper) = &m.upper {
                    write!(f, "〜{}", upper.number_text)?;
                }
                f.write_str(&m.unit)?;
                if let Some(bound) = m.bound {
                    f.write_str(bound.word())?;
                }
                if let Some(note) = &m.note {
                    write!(f, " ({note})")?;
                }
                Ok(())
            }
        }
    }
}

pub fn parse_quantity(raw: &str) -> Result<Quantity, ValueError> {
    let text = nfkc(raw.trim());
    let text = text.trim();
    if is_dash(text) {
        return Ok(Quantity::NotObtainable { reason: None });
    }
    // `- (調査未実施)`: not obtainable, and why.
    if let Some(first) = text.chars().next()
        && is_dash(&first.to_string())
        && let Some(note) = text[first.len_utf8()..].trim_start().strip_prefix('(').and_then(|n| n.strip_suffix(')'))
    {
        let reason = note.trim();
        return Ok(Quantity::NotObtainable { reason: (!reason.is_empty()).then(|| reason.to_string()) });
    }
    let bad = |ja: String, en: String| Err(ValueError::new(ja, en));
    let (number_text, rest) = split_number(text);
    if number_text.is_empty() {
        return bad(
            format!("`{raw}` は数量として読めません: 数値で始まる必要があります (例: `5,900人`、`32.6% (R4年度)`、`-`)"),
            format!("`{raw}` is not a quantity: it must start with a number (e.g. `5,900人`, `32.6% (R4年度)`, `-`)"),
        );
    }
    let number = read_number(number_text)?;
    // `20〜25%`, `20%〜25%`: a range, its unit after the upper end.
    let (rest, upper) = split_range(raw, rest, number)?;
    let rest = rest.trim();
    let (unit, note) = match rest.find('(') {
        Some(open) => {
            let Some(close_rel) = rest[open..].find(')') else {
                return bad(format!("`{raw}` の注記 `(` が閉じていません"), format!("the note in `{raw}` has no closing `)`"));
            };
            let close = open + close_rel;
            if !rest[close + 1..].trim().is_empty() {
                return bad(
                    format!("`{raw}` の注記 `(...)` の後に余分な文字があります: `{}`", rest[close + 1..].trim()),
                    format!("`{raw}` has text after its note `(...)`: `{}`", rest[close + 1..].trim()),
                );
            }
            (rest[..open].trim(), Some(rest[open + 1..close].trim().to_string()))
        }
        None => (rest, None),
    };
    if unit.contains(')') {
        return bad(format!("`{raw}` の `)` に対応する `(` がありません"), format!("`{raw}` has a `)` without `(`"));
    }
    if unit.chars().any(char::is_whitespace) && unit.split_whitespace().skip(1).any(|w| w.starts_with(|c: char| c.is_ascii_digit())) {
        return bad(
            format!("`{raw}` には値が複数あります: 1つの指標には1つの値を書きます (指標を分けてください)"),
            format!("`{raw}` holds several values: an indicator has one value (split it into several indicators)"),
        );
    }
    // `200・4,000 回・人`: two values and their units joined by a 中黒 (or
    // `/`, `、`), as a table prints an indicator that counts two things.
    if let Some(joined) = unit.trim_start().strip_prefix(['・', '/', '、', '，']).map(str::trim_start)
        && joined.starts_with(|c: char| c.is_ascii_digit())
    {
        return bad(
            format!("`{raw}` には値がつなげて書かれています: 1つの指標には1つの値を書きます (`・` でつながった値ごとに指標を分けてください)"),
            format!("`{raw}` joins several values in one: an indicator has one value (split the values joined by `・` into indicators)"),
        );
    }
    // `20-25%`: a range written with a hyphen.
    if unit.starts_with('-') && unit[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return bad(format!("`{raw}` は数量として読めません: 範囲は `〜` で書きます (例: `20〜25%`)"), format!("`{raw}` is not a quantity: a range is written with `〜` (e.g. `20〜25%`)"));
    }
    if unit.contains(':') {
        return bad(
            format!("`{raw}` は数量として読めません: 単位に `:` は使えません (内訳ごとに指標を分けてください)"),
            format!("`{raw}` is not a quantity: a unit cannot contain `:` (split the breakdown into several indicators)"),
        );
    }
    // `95%以上`: the inequality after the unit (before a note).
    let (unit, bound) = match Bound::WORDS.iter().find(|(word, _)| unit.ends_with(word)) {
        Some((word, bound)) => (unit[..unit.len() - word.len()].trim_end(), Some(*bound)),
        None => (unit, None),
    };
    if let (Some(bound), Some(_)) = (bound, &upper) {
        return bad(
            format!("`{raw}` は範囲に `{}` がついています: 範囲 (`20〜25%`) か不等式 (`20%以上`) のどちらかで書きます", bound.word()),
            format!("`{raw}` puts `{}` on a range: write a range (`20〜25%`) or an inequality (`20%以上`), not both", bound.word()),
        );
    }
    Ok(Quantity::Value(Measured { number, number_text: number_text.to_string(), unit: unit.to_string(), note, bound, upper }))
}

/// A number as written (separators checked), exact.
fn read_number(number_text: &str) -> Result<Decimal, ValueError> {
    if !valid_grouping(number_text) {
        return Err(ValueError::new(format!("`{number_text}` の桁区切りが正しくありません (3桁ごとに `,`)"), format!("`{number_text}` has misplaced thousands separators (one `,` every 3 digits)")));
    }
    Decimal::from_str_exact(&number_text.replace(',', ""))
        .map_err(|_| ValueError::new(format!("`{number_text}` は扱える数値の範囲を超えています"), format!("`{number_text}` is out of the supported numeric range")))
}

/// Splits a range's sign and upper end off what follows the lower end
/// (`%〜25% (R7)` → (`% (R7)`, 25)); the unit may be written at both ends,
/// the same, or after the upper end only.
fn split_range<'a>(raw: &str, rest: &'a str, lower: Decimal) -> Result<(std::borrow::Cow<'a, str>, Option<RangeEnd>), ValueError> {
    let before_note = rest.find('(').unwrap_or(rest.len());
    let Some(sign) = rest[..before_note].find(RANGE_SIGNS) else { return Ok((rest.into(), None)) };
    let left_unit = rest[..sign].trim();
    let sign_len = rest[sign..].chars().next().map_or(1, char::len_utf8);
    let right = rest[sign + sign_len..].trim_start();
    let (upper_text, after) = split_number(right);
    if upper_text.is_empty() {
        return Err(ValueError::new(format!("`{raw}` の範囲の上の端が数値ではありません (例: `20〜25%`)"), format!("the upper end of the range in `{raw}` is not a number (e.g. `20〜25%`)")));
    }
    let upper = read_number(upper_text)?;
    let unit_after = after.trim_start();
    let right_unit = unit_after[..unit_after.find(['(', ' ']).unwrap_or(unit_after.len())].trim();
    if right_unit.contains(RANGE_SIGNS) {
        return Err(ValueError::new(
            format!("`{raw}` には範囲の記号 `〜` が2つあります: 範囲は `20〜25%` のように2つの端で書きます"),
            format!("`{raw}` has two range signs `〜`: a range has two ends (`20〜25%`)"),
        ));
    }
    let right_unit = Bound::WORDS.iter().find_map(|(word, _)| right_unit.strip_suffix(word)).unwrap_or(right_unit);
    // `20万〜25万人`: the lower end's unit is the start of the upper's.
    if !left_unit.is_empty() && !right_unit.starts_with(left_unit) {
        return Err(ValueError::new(
            format!("`{raw}` の範囲の両端の単位が違います (`{left_unit}` と `{right_unit}`): 同じ単位で書きます"),
            format!("the ends of the range in `{raw}` have different units (`{left_unit}` and `{right_unit}`): use one unit"),
        ));
    }
    if upper < lower {
        return Err(ValueError::new(
            format!("`{raw}` の範囲は下の端が上の端より大きくなっています: 小さいほうから書きます"),
            format!("the range in `{raw}` starts above its end: write the lower end first"),
        ));
    }
    Ok((after.into(), Some(RangeEnd { number: upper, number_text: upper_text.to_string() })))
}

/// Splits a leading number (optional sign, digits, `,` separators, a
/// decimal part) from the rest.
fn split_number(text: &str) -> (&str, &str) {
    let bytes = text.as_bytes();
    let mut end = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) && bytes.get(1).is_some_and(u8::is_ascii_digit) {
        end = 1;
    }
    let digits_start = end;
    while end < bytes.len() && (bytes[end].is_ascii_digit() || (bytes[end] == b',' && end > digits_start && bytes.get(end + 1).is_some_and(u8::is_ascii_digit))) {
        end += 1;
    }
    if end == digits_start {
        return ("", text);
    }
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end += 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
    }
    (&text[..end], &text[end..])
}

fn valid_grouping(number: &str) -> bool {
    let integer = number.trim_start_matches(['+', '-']).split('.').next().unwrap_or("");
    if !integer.contains(',') {
        return true;
    }
    let mut groups = integer.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
}

impl FromStr for Quantity {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_quantity(s)
    }
}

/// How two units compare: the power of ten that turns a value written in
/// `from` into `to`'s unit (`万人` to `人`: 4; `g` to `kg`: −3), so that
/// `万人` and `人`, or `t` and `kg`, can be compared; `None` when they
/// measure different things. A chain of prefixes multiplies (`千万円` is
/// 10⁷ 円); the exponent is an integer, so no chain can overflow.
pub fn unit_scale(from: &str, to: &str) -> Option<i64> {
    let (ea, ba) = split_unit(from);
    let (eb, bb) = split_unit(to);
    (ba == bb).then(|| ea.saturating_sub(eb))
}

/// A unit's power of ten and its base unit (`万人` → (4, `人`), `kg` →
/// (3, `g`)). Iterative: a line of 200,000 `万` is one loop, not 200,000
/// stack frames.
fn split_unit(unit: &str) -> (i64, &str) {
    const PREFIXES: [(&str, i64); 4] = [("兆", 12), ("億", 8), ("万", 4), ("千", 3)];
    let mut unit = unit.trim();
    let mut exponent: i64 = 0;
    // A prefix counts only with something after it (`万` alone is a unit).
    while let Some((rest, e)) = PREFIXES.iter().find_map(|&(prefix, e)| unit.strip_prefix(prefix).filter(|rest| !rest.is_empty()).map(|rest| (rest, e))) {
        exponent = exponent.saturating_add(e);
        unit = rest.trim();
    }
    match unit {
        "kg" => (exponent.saturating_add(3), "g"),
        "t" => (exponent.saturating_add(6), "g"),
        "mg" => (exponent.saturating_sub(3), "g"),
        _ => (exponent, unit),
    }
}

/// Years named in a text, as western years; the bool marks the end of a
/// range (`H30-R6` → [(2018, false), (2024, true)]). Linear in the text:
/// each position is matched against the era names in place.
pub fn years_in(text: &str) -> Vec<(i32, bool)> {
    const ERAS: [(&[char], i32); 6] = [(&['令', '和'], 2018), (&['平', '成'], 1988), (&['昭', '和'], 1925), (&['R'], 2018), (&['H'], 1988), (&['S'], 1925)];
    let text = nfkc(text);
    let chars: Vec<char> = text.chars().collect();
    let digits_from = |start: usize| chars[start.min(chars.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
    let number = |start: usize, len: usize| chars[start..start + len].iter().fold(0i32, |n, c| n.saturating_mul(10).saturating_add(c.to_digit(10).unwrap_or(0) as i32));
    let mut years = Vec::new();
    let mut i = 0;
    let mut after_dash = false;
    while i < chars.len() {
        let era = ERAS.into_iter().find(|(name, _)| chars[i..].starts_with(name));
        if let Some((name, base)) = era {
            let start = i + name.len();
            if chars.get(start) == Some(&'元') {
                years.push((base + 1, after_dash));
                i = start + 1;
                after_dash = false;
                continue;
            }
            let digits = digits_from(start);
            if digits > 0 && digits <= 2 {
                years.push((base + number(start, digits), after_dash));
                i = start + digits;
                after_dash = false;
                continue;
            }
        }
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            let digits = digits_from(i);
            let end = i + digits;
            if digits == 4 && matches!(chars.get(end), Some('年') | None | Some('-') | Some('~') | Some('～')) {
                years.push((number(i, digits), after_dash));
                i = end;
                after_dash = false;
                continue;
            }
            i = end;
            continue;
        }
        after_dash = matches!(chars[i], '-' | '~' | '～' | '〜');
        if !after_dash && !chars[i].is_whitespace() && !matches!(chars[i], '年' | '度') {
            after_dash = false;
        }
        i += 1;
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Measured {
        match parse_quantity(text).unwrap() {
            Quantity::Value(m) => m,
            Quantity::NotObtainable { .. } => panic!("{text} read as -"),
        }
    }

    #[test]
    fn a_range_is_read_with_its_unit_at_either_end() {
        for written in ["20〜25%", "20%〜25%", "20 〜 25%", "２０～２５％", "20~25% (R7年度)"] {
            let m = q(written);
            assert_eq!((m.number, m.upper.as_ref().map(|u| u.number), m.unit.as_str()), (Decimal::from(20), Some(Decimal::from(25)), "%"), "{written}");
        }
        assert_eq!(parse_quantity("1,500〜2,500人").unwrap().to_string(), "1,500〜2,500人");
        assert_eq!(q("20~25% (R7年度)").note.as_deref(), Some("R7年度"));
        assert_eq!(parse_quantity("20〜25%").unwrap().to_string(), "20〜25%");
        let m = q("20万〜25万人");
        assert_eq!((m.number, m.upper.as_ref().map(|u| u.number), m.unit.as_str()), (Decimal::from(20), Some(Decimal::from(25)), "万人"));
        for bad in ["25〜20%", "20人〜25%", "20〜%", "20〜25%以上", "20〜2,50%", "20〜25〜30%", "20-25%", "20万〜25人"] {
            assert!(parse_quantity(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_direction("範囲").unwrap(), Direction::Band);
        assert_eq!(parse_direction("範囲内").unwrap(), Direction::Band);
    }

    #[test]
    fn quantities_from_the_real_document() {
        let m = q("5,900人");
        assert_eq!(m.number, Decimal::from(5900));
        assert_eq!(m.unit, "人");
        assert_eq!(m.note, None);
        let m = q("60.5人 (R3年)");
        assert_eq!(m.number, Decimal::from_str_exact("60.5").unwrap());
        assert_eq!((m.unit.as_str(), m.note.as_deref()), ("人", Some("R3年")));
        let m = q("60.5人(R3年)");
        assert_eq!(m.note.as_deref(), Some("R3年"));
        let m = q("2,232億円 (R3年)");
        assert_eq!((m.number, m.unit.as_str()), (Decimal::from(2232), "億円"));
        let m = q("32.6% (R4年度)");
        assert_eq!((m.unit.as_str(), m.note.as_deref()), ("%", Some("R4年度")));
        assert_eq!(q("70人 (H30-R6)").note.as_deref(), Some("H30-R6"));
        assert_eq!(q("365日").unit, "日");
        assert_eq!(q("6,103,747人").number, Decimal::from(6_103_747));
        assert_eq!(q("10.1㎡").unit, "m2");
        assert_eq!(q("72,305t").unit, "t");
        for dash in ["-", "－", "―", "‐"] {
            assert_eq!(parse_quantity(dash).unwrap(), Quantity::NotObtainable { reason: None }, "{dash}");
        }
        // Why a value could not be obtained, in a note after the dash.
        assert_eq!(parse_quantity("- (調査未実施)").unwrap(), Quantity::NotObtainable { reason: Some("調査未実施".into()) });
        assert_eq!(parse_quantity("－（R5年度から調査）").unwrap().to_string(), "- (R5年度から調査)");
        assert!(parse_quantity("- 調査未実施").is_err(), "a reason goes in parentheses");
    }

    /// The published sheet prints two counts in one cell, `200・4,000 回・人`:
    /// refused with a message that says so (not read as 200 of a unit
    /// `・4,000 回・人`), while a unit with a 中黒 of its own stays a unit.
    #[test]
    fn values_joined_by_a_nakaguro_are_refused_as_several() {
        for joined in ["200・4,000 回・人", "200・4,000回", "12/30件", "５・６回"] {
            let error = parse_quantity(joined).unwrap_err();
            assert!(error.en.contains("joins several values"), "{joined}: {}", error.en);
        }
        assert_eq!(q("120人・日").unit, "人・日", "a unit with a 中黒 of its own");
    }

    /// Inequality targets: the bound is kept apart from the unit, so that
    /// `95%以上` compares with an actual in `%`.
    #[test]
    fn a_target_with_an_inequality_keeps_its_unit_and_its_bound() {
        let m = q("95%以上");
        assert_eq!((m.unit.as_str(), m.bound), ("%", Some(Bound::AtLeast)));
        let m = q("10件以下 (R6年度)");
        assert_eq!((m.unit.as_str(), m.bound, m.note.as_deref()), ("件", Some(Bound::AtMost), Some("R6年度")));
        assert_eq!(q("100%を維持").bound, Some(Bound::Maintain));
        assert_eq!(q("3人未満").bound.and_then(Bound::direction), Some(Direction::Decrease));
        assert_eq!(q("０件超").bound, Some(Bound::Above));
        assert_eq!(q("5,900人").bound, None);
        assert_eq!(parse_quantity("10件以下 (R6年度)").unwrap().to_string(), "10件以下 (R6年度)");
    }

    #[test]
    fn full_width_quantities_read_as_ascii() {
        let m = q("５，９００人（Ｒ４年度）");
        assert_eq!(m.number, Decimal::from(5900));
        assert_eq!(m.number_text, "5,900");
        assert_eq!(m.note.as_deref(), Some("R4年度"));
        assert_eq!(q("３２．６％").number, Decimal::from_str_exact("32.6").unwrap());
    }

    #[test]
    fn decimals_stay_exact() {
        assert_eq!(q("0.1").number + q("0.2").number, q("0.3").number);
        assert_eq!(q("0.875").number.to_string(), "0.875");
    }

    #[test]
    fn unreadable_quantities_say_why() {
        for bad in ["児童:86.1% 生徒:76.6%", "18校 99.5%", "約500人", "1,00人", "5人 (R4", "5人 (R4) 以上", ""] {
            assert!(parse_quantity(bad).is_err(), "{bad} should not parse");
        }
        assert!(parse_quantity("745人 11,882人").unwrap_err().ja.contains("複数"));
    }

    #[test]
    fn symbols_and_directions() {
        assert_eq!(Symbol::new("Ｂ＋"), "B+");
        assert_eq!(Symbol::new(" 中 "), "中");
        assert_eq!(Symbol::new("◎").as_str(), "◎");
        assert_eq!(Symbol::new("b"), "b", "case is the legend's to judge");
        for dash in ["－", "ー", "―", "—", "-"] {
            assert!(Symbol::new(dash).is_dash(), "{dash}");
        }
        assert_eq!(parse_direction("減少").unwrap(), Direction::Decrease);
        assert!(parse_direction("上昇").is_err());
    }

    #[test]
    fn units_compare_through_japanese_and_mass_prefixes() {
        assert_eq!(unit_scale("人", "人"), Some(0));
        assert_eq!(unit_scale("万人", "人"), Some(4));
        assert_eq!(unit_scale("t", "kg"), Some(3));
        assert_eq!(unit_scale("mg", "g"), Some(-3));
        assert_eq!(unit_scale("億円", "円"), Some(8));
        assert_eq!(unit_scale("千万円", "円"), Some(7));
        assert_eq!(unit_scale("万 人", "人"), Some(4));
        assert_eq!(unit_scale("万", "人"), None, "a prefix alone is a unit");
        assert_eq!(unit_scale("人", "%"), None);
        assert_eq!(unit_scale("", "人"), None);
    }

    #[test]
    fn prefix_chains_are_read_iteratively_without_overflow() {
        assert_eq!(unit_scale("兆兆兆人", "人"), Some(36));
        assert_eq!(unit_scale("人", "兆兆兆人"), Some(-36));
        // 200,000 prefixes: one loop (a recursion would overflow the stack).
        let chain = format!("{}人", "万".repeat(200_000));
        assert_eq!(unit_scale(&chain, "人"), Some(800_000));
        assert_eq!(unit_scale(&chain, &chain), Some(0));
    }
}

/// `years_in`, against the first (quadratic) reading kept as its reference.
#[cfg(test)]
mod years_tests {
    use super::{nfkc, years_in};

    #[test]
    fn reads_eras_and_ranges() {
        assert_eq!(years_in("令和4年度"), vec![(2022, false)]);
        assert_eq!(years_in("R4"), vec![(2022, false)]);
        assert_eq!(years_in("R3年"), vec![(2021, false)]);
        assert_eq!(years_in("H30-R6"), vec![(2018, false), (2024, true)]);
        assert_eq!(years_in("令和元年"), vec![(2019, false)]);
        assert_eq!(years_in("2022年度"), vec![(2022, false)]);
        assert_eq!(years_in("Ｒ４年度"), vec![(2022, false)]);
        assert!(years_in("累計").is_empty());
        assert!(years_in("365日").is_empty());
    }

    /// The first implementation (quadratic: it copied the rest of the text
    /// at every character), kept as the reference for the linear one.
    fn years_in_reference(text: &str) -> Vec<(i32, bool)> {
        let text = nfkc(text);
        let chars: Vec<char> = text.chars().collect();
        let mut years = Vec::new();
        let mut i = 0;
        let mut after_dash = false;
        while i < chars.len() {
            let rest: String = chars[i..].iter().collect();
            let era = [("令和", 2018), ("平成", 1988), ("昭和", 1925), ("R", 2018), ("H", 1988), ("S", 1925)].into_iter().find(|(name, _)| rest.starts_with(name));
            if let Some((name, base)) = era {
                let start = i + name.chars().count();
                if chars.get(start) == Some(&'元') {
                    years.push((base + 1, after_dash));
                    i = start + 1;
                    after_dash = false;
                    continue;
                }
                let digits: String = chars[start..].iter().take_while(|c| c.is_ascii_digit()).collect();
                if !digits.is_empty() && digits.len() <= 2 {
                    years.push((base + digits.parse::<i32>().unwrap_or(0), after_dash));
                    i = start + digits.len();
                    after_dash = false;
                    continue;
                }
            }
            if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
                let digits: String = chars[i..].iter().take_while(|c| c.is_ascii_digit()).collect();
                let end = i + digits.len();
                if digits.len() == 4 && matches!(chars.get(end), Some('年') | None | Some('-') | Some('~') | Some('～')) {
                    years.push((digits.parse().unwrap_or(0), after_dash));
                    i = end;
                    after_dash = false;
                    continue;
                }
                i = end;
                continue;
            }
            after_dash = matches!(chars[i], '-' | '~' | '～' | '〜');
            if !after_dash && !chars[i].is_whitespace() && !matches!(chars[i], '年' | '度') {
                after_dash = false;
            }
            i += 1;
        }
        years
    }

    #[test]
    fn the_linear_reading_equals_the_first_one_on_every_short_note() {
        let pieces = ["令和", "平成", "昭和", "令", "R", "H", "S", "元", "4", "30", "2022", "12345", "年", "度", "-", "~", "～", "〜", " ", "x", "Ｒ", "１", "㍻"];
        let mut checked = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in ["", "R6", "-2024年", "元年"] {
                        let note = format!("{a}{b}{c}{d}");
                        assert_eq!(years_in(&note), years_in_reference(&note), "{note}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 40_000);
    }

    #[test]
    fn a_note_of_200_000_characters_is_read_in_one_pass() {
        // Quadratic, this was minutes; linear, it is a few milliseconds.
        let note = "R3年と令和4年度、2022年-".repeat(12_500);
        assert!(note.chars().count() >= 200_000);
        let years = years_in(&note);
        assert_eq!(years.len(), 37_500);
        assert_eq!(&years[..3], &[(2021, false), (2022, false), (2022, false)]);
        let sample: String = note.chars().take(2_000).collect();
        assert_eq!(years_in(&sample), years_in_reference(&sample));
    }
}
