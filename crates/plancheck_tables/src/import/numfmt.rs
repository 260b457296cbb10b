//! A number cell as Excel shows it: its value under its number format
//! (`0.554` under `0.0%` is `55.4%`, `5900` under `#,##0"件"` is `5,900件`,
//! a date under `[$-ja-JP]ggge"年"m"月"d"日"` is `令和5年4月1日`), so that
//! import reads what the author sees, unit included, and never a raw value
//! the sheet does not show.
//!
//! The formats of real sheets are covered: sections by sign (`#,##0;△#,##0`),
//! literals (`"件"`, `\人`, `円`), padding `_)` and fill `*`, colours and
//! locale tags (`[Red]`, `[$-ja-JP]`, `[$¥-411]`), digit placeholders `0 # ?`,
//! thousands separators and trailing commas (thousands), percent, scientific
//! notation, and dates and times with Japanese eras (`ggg` 令和, `gg` 令, `g`
//! R, `e` the era's year). Rounding is decimal, half away from zero, as
//! Excel rounds. A format this module cannot render (a condition such as
//! `[>=100]`, fractions) gives `None`: the caller keeps the value as written
//! in the file and says so.

use rust_decimal::Decimal;
use rust_decimal::prelude::*;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Literal(String),
    /// `0`, `#` or `?`.
    Digit(char),
    Point,
    Comma,
    Percent,
    /// `E+` or `E-` and the exponent's digit placeholders.
    Exponent {
        plus: bool,
    },
    /// A date or time part: `yyyy`, `m`, `dd`, `ggg`, `e`, `h`, `ss`, `AM/PM`, `aaa`.
    Date(String),
    /// `@`: the text of a text cell.
    Text,
    General,
}

/// The text Excel shows for `value` under the format `code`; `None` when the
/// format is beyond this module (see the module's documentation).
pub fn display(value: f64, code: &str) -> Option<String> {
    if !value.is_finite() {
        return None;
    }
    let sections = split_sections(code);
    let (section, signed) = match (sections.len(), value) {
        (1, _) => (&sections[0], true),
        (_, v) if v < 0.0 => (&sections[1], false),
        (n, v) if v == 0.0 && n >= 3 => (&sections[2], false),
        _ => (&sections[0], false),
    };
    let tokens = tokenize(section)?;
    if tokens.iter().any(|t| matches!(t, Token::Date(_))) {
        return date(value, &tokens);
    }
    if tokens.iter().all(|t| matches!(t, Token::General | Token::Literal(_) | Token::Text)) {
        let shown = if tokens.contains(&Token::General) { general(value.abs()) } else { String::new() };
        let body: String = tokens
            .iter()
            .map(|t| match t {
                Token::Literal(l) => l.clone(),
                Token::General => shown.clone(),
                _ => String::new(),
            })
            .collect();
        return Some(if value < 0.0 && signed && tokens.contains(&Token::General) { format!("-{body}") } else { body });
    }
    number(value, &tokens, signed)
}

/// `General`: the shortest text that reads back as the value.
fn general(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{}", value as i64) } else { format!("{value}") }
}

/// The format's sections (`;`), quotes and escapes respected.
fn split_sections(code: &str) -> Vec<String> {
    let mut sections = vec![String::new()];
    let mut chars = code.chars();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if !quoted => {
                sections.last_mut().expect("one").push(c);
                if let Some(next) = chars.next() {
                    sections.last_mut().expect("one").push(next);
                }
                continue;
            }
            ';' if !quoted => {
                sections.push(String::new());
                continue;
            }
            _ => {}
        }
        sections.last_mut().expect("one").push(c);
    }
    sections
}

fn tokenize(section: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = section.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let literal = |tokens: &mut Vec<Token>, text: &str| match tokens.last_mut() {
        Some(Token::Literal(l)) => l.push_str(text),
        _ => tokens.push(Token::Literal(text.to_string())),
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                let end = chars[i + 1..].iter().position(|&x| x == '"').map_or(chars.len(), |p| i + 1 + p);
                literal(&mut tokens, &chars[i + 1..end].iter().collect::<String>());
                i = end + 1;
                continue;
            }
            '\\' => {
                if let Some(&next) = chars.get(i + 1) {
                    literal(&mut tokens, &next.to_string());
                }
                i += 2;
                continue;
            }
            // `_x`: a space as wide as x; `*x`: x repeated to fill the cell.
            '_' => {
                literal(&mut tokens, " ");
                i += 2;
                continue;
            }
            '*' => {
                i += 2;
                continue;
            }
            '[' => {
                let end = chars[i..].iter().position(|&x| x == ']').map(|p| i + p)?;
                let inside: String = chars[i + 1..end].iter().collect();
                if let Some(currency) = inside.strip_prefix('$') {
                    // `[$¥-411]`: the symbol before the locale.
                    literal(&mut tokens, currency.split('-').next().unwrap_or(""));
                } else if inside.starts_with(['<', '>', '=']) {
                    return None; // a condition
                } else if inside.eq_ignore_ascii_case("h") || inside.eq_ignore_ascii_case("mm") || inside.eq_ignore_ascii_case("ss") {
                    return None; // elapsed time
                }
                // Colours (`[Red]`, `[Color10]`), `[DBNum1]`: not text.
                i = end + 1;
                continue;
            }
            '0' | '#' | '?' => tokens.push(Token::Digit(c)),
            '.' => tokens.push(Token::Point),
            ',' => tokens.push(Token::Comma),
            '%' => tokens.push(Token::Percent),
            '@' => tokens.push(Token::Text),
            '/' if tokens.iter().any(|t| matches!(t, Token::Digit(_))) && chars.get(i + 1).is_some_and(|n| matches!(n, '0' | '#' | '?' | '1'..='9')) => return None, // a fraction
            'E' | 'e' if matches!(chars.get(i + 1), Some('+' | '-')) && tokens.iter().any(|t| matches!(t, Token::Digit(_))) => {
                tokens.push(Token::Exponent { plus: chars[i + 1] == '+' });
                i += 2;
                continue;
            }
            _ => {
                let rest: String = chars[i..].iter().collect();
                if rest.get(..7).is_some_and(|head| head.eq_ignore_ascii_case("general")) {
                    tokens.push(Token::General);
                    i += 7;
                    continue;
                }
                if rest.starts_with("G/標準") {
                    tokens.push(Token::General);
                    i += 4;
                    continue;
                }
                if let Some(marker) = ["AM/PM", "am/pm", "A/P", "a/p"].into_iter().find(|m| rest.starts_with(m)) {
                    tokens.push(Token::Date("AM/PM".into()));
                    i += marker.chars().count();
                    continue;
                }
                let lower = c.to_ascii_lowercase();
                if matches!(lower, 'y' | 'm' | 'd' | 'h' | 's' | 'g' | 'e' | 'a') {
                    let run = chars[i..].iter().take_while(|x| x.to_ascii_lowercase() == lower).count();
                    // `a` alone is text; `aaa`/`aaaa` is the weekday.
                    if lower == 'a' && run < 3 {
                        literal(&mut tokens, &c.to_string());
                        i += 1;
                        continue;
                    }
                    tokens.push(Token::Date(std::iter::repeat_n(lower, run).collect()));
                    i += run;
                    continue;
                }
                literal(&mut tokens, &c.to_string());
            }
        }
        i += 1;
    }
    Some(tokens)
}

/// A number under its placeholders.
fn number(value: f64, tokens: &[Token], signed: bool) -> Option<String> {
    let first_digit = tokens.iter().position(|t| matches!(t, Token::Digit(_)))?;
    let last_digit = tokens.iter().rposition(|t| matches!(t, Token::Digit(_)))?;
    let exponent_at = tokens.iter().position(|t| matches!(t, Token::Exponent { .. }));
    let point_at = tokens[..exponent_at.unwrap_or(tokens.len())].iter().position(|t| *t == Token::Point);
    let integer_end = point_at.or(exponent_at).unwrap_or(last_digit + 1);
    let digits = |range: &[Token], kind: char| range.iter().filter(|t| **t == Token::Digit(kind)).count();
    let integer_part = &tokens[first_digit.min(integer_end)..integer_end];
    let fraction_part = match point_at {
        Some(p) => &tokens[p + 1..exponent_at.unwrap_or(last_digit + 1).max(p + 1)],
        None => &[][..],
    };
    let min_integer = digits(integer_part, '0');
    let fraction_places = fraction_part.iter().filter(|t| matches!(t, Token::Digit(_))).count();
    // More places than a decimal holds (Excel allows 30): not rendered.
    if fraction_places > 20 {
        return None;
    }
    let fraction_zeros = {
        // `0.0#`: the first places are shown always, the `#` ones only when not 0.
        let places: Vec<char> = fraction_part.iter().filter_map(|t| if let Token::Digit(d) = t { Some(*d) } else { None }).collect();
        places.iter().rposition(|&d| d == '0').map_or(0, |p| p + 1)
    };
    // A comma between digit placeholders groups thousands; commas right
    // after the last integer placeholder divide by a thousand each.
    let grouping = integer_part.iter().enumerate().any(|(i, t)| *t == Token::Comma && integer_part[i + 1..].iter().any(|x| matches!(x, Token::Digit(_))));
    let after_integer = tokens[..integer_end].iter().rposition(|t| matches!(t, Token::Digit(_))).unwrap_or(first_digit);
    let scaling = tokens[after_integer + 1..].iter().take_while(|t| **t == Token::Comma).count() as u32;
    let percents = tokens.iter().filter(|t| **t == Token::Percent).count() as u32;
    let mut x = Decimal::from_str(&format!("{}", value.abs())).ok().or_else(|| Decimal::from_f64(value.abs()))?;
    for _ in 0..percents {
        x = x.checked_mul(Decimal::ONE_HUNDRED)?;
    }
    for _ in 0..scaling {
        x = x.checked_div(Decimal::from(1000))?;
    }
    let mut exponent_text = String::new();
    if let Some(e) = exponent_at {
        let Token::Exponent { plus } = tokens[e] else { unreachable!() };
        let exponent_digits = tokens[e + 1..].iter().take_while(|t| matches!(t, Token::Digit(_))).count().max(1);
        let mut power = 0i32;
        if !x.is_zero() {
            let integer_places = digits(integer_part, '0') + digits(integer_part, '#') + digits(integer_part, '?');
            // At most 18 integer places before the exponent (10^18 fits an i64).
            let step = integer_places.clamp(1, 18) as i32;
            while x >= Decimal::from(10i64.pow(step as u32)) {
                x /= Decimal::from(10);
                power += 1;
            }
            while x < Decimal::ONE {
                x *= Decimal::from(10);
                power -= 1;
            }
        }
        let sign = if power < 0 {
            "-"
        } else if plus {
            "+"
        } else {
            ""
        };
        exponent_text = format!("E{sign}{:0width$}", power.abs(), width = exponent_digits);
    }
    let rounded = x.round_dp_with_strategy(fraction_places as u32, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.*}", fraction_places, rounded);
    let (integer, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let integer = integer.trim_start_matches('0');
    let integer = if integer.len() < min_integer { format!("{}{integer}", "0".repeat(min_integer - integer.len())) } else { integer.to_string() };
    let integer = if grouping { group(&integer) } else { integer };
    let fraction = {
        let kept = fraction.trim_end_matches('0');
        let kept = if kept.len() < fraction_zeros { &fraction[..fraction_zeros] } else { kept };
        kept.to_string()
    };
    let mut shown = integer;
    if point_at.is_some() {
        shown.push('.');
        shown.push_str(&fraction);
    }
    shown.push_str(&exponent_text);
    let prefix: String = tokens[..first_digit].iter().map(literal_text).collect();
    let suffix: String = tokens[last_digit + 1..].iter().filter(|t| !matches!(t, Token::Exponent { .. })).map(literal_text).collect();
    let between: String = tokens[first_digit..=last_digit].iter().filter(|t| matches!(t, Token::Literal(_))).map(literal_text).collect();
    let negative = value < 0.0 && signed && !rounded.is_zero();
    Some(format!("{}{prefix}{shown}{between}{suffix}", if negative { "-" } else { "" }))
}

fn literal_text(token: &Token) -> String {
    match token {
        Token::Literal(l) => l.clone(),
        Token::Percent => "%".into(),
        _ => String::new(),
    }
}

/// `1234567` → `1,234,567`.
fn group(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A serial date (the 1900 system) under date and time tokens.
fn date(serial: f64, tokens: &[Token]) -> Option<String> {
    if !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    // Excel's 1900 system counts a 29 February 1900 that never was.
    let days_from_1899_12_30 = if days < 60 { days + 1 } else { days };
    let (y, m, d) = civil_from_days(days_from_1899_12_30 - 25_569);
    let seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
    let (hour, minute, second) = (seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
    let twelve = tokens.iter().any(|t| matches!(t, Token::Date(d) if d == "AM/PM"));
    let (era, era_year) = japanese_era(y, m, d);
    let mut out = String::new();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Literal(l) => out.push_str(l),
            Token::Date(part) => {
                let minute_here = part.starts_with('m')
                    && part.len() <= 2
                    && (tokens[..i].iter().rev().find_map(|t| if let Token::Date(p) = t { Some(p.starts_with('h')) } else { None }).unwrap_or(false)
                        || tokens[i + 1..].iter().find_map(|t| if let Token::Date(p) = t { Some(p.starts_with('s')) } else { None }).unwrap_or(false));
                let text = match part.as_str() {
                    "yy" => format!("{:02}", y % 100),
                    p if p.starts_with('y') => y.to_string(),
                    "m" if minute_here => minute.to_string(),
                    "mm" if minute_here => format!("{minute:02}"),
                    "m" => m.to_string(),
                    "mm" => format!("{m:02}"),
                    "mmm" | "mmmm" | "mmmmm" => format!("{m}月"),
                    "d" => d.to_string(),
                    "dd" => format!("{d:02}"),
                    "ddd" | "aaa" => weekday(days_from_1899_12_30).to_string(),
                    "dddd" | "aaaa" => format!("{}曜日", weekday(days_from_1899_12_30)),
                    "h" => (if twelve { (hour + 11) % 12 + 1 } else { hour }).to_string(),
                    "hh" => format!("{:02}", if twelve { (hour + 11) % 12 + 1 } else { hour }),
                    "s" => second.to_string(),
                    "ss" => format!("{second:02}"),
                    "g" => era?.0.to_string(),
                    "gg" => era?.1.to_string(),
                    p if p.starts_with('g') => era?.2.to_string(),
                    "e" => era_year?.to_string(),
                    p if p.starts_with('e') => format!("{:02}", era_year?),
                    "AM/PM" => (if hour < 12 { "AM" } else { "PM" }).to_string(),
                    _ => return None,
                };
                out.push_str(&text);
            }
            Token::Percent => out.push('%'),
            Token::Point => out.push('.'),
            Token::Comma => out.push(','),
            _ => {}
        }
    }
    Some(out)
}

/// The era (letter, first character, name) and the year in it.
fn japanese_era(y: i64, m: i64, d: i64) -> (Option<(&'static str, &'static str, &'static str)>, Option<i64>) {
    const ERAS: [(i64, i64, i64, &str, &str, &str); 5] =
        [(2019, 5, 1, "R", "令", "令和"), (1989, 1, 8, "H", "平", "平成"), (1926, 12, 25, "S", "昭", "昭和"), (1912, 7, 30, "T", "大", "大正"), (1868, 10, 23, "M", "明", "明治")];
    for (ey, em, ed, letter, first, name) in ERAS {
        if (y, m, d) >= (ey, em, ed) {
            return (Some((letter, first, name)), Some(y - ey + 1));
        }
    }
    (None, None)
}

fn weekday(days_from_1899_12_30: i64) -> &'static str {
    // 1899-12-30 was a Saturday.
    ["土", "日", "月", "火", "水", "木", "金"][days_from_1899_12_30.rem_euclid(7) as usize]
}

/// The civil date of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_show_as_the_sheet_shows_them() {
        let cases: [(f64, &str, &str); 22] = [
            (0.554, "0.0%", "55.4%"),
            (0.5545, "0.0%", "55.5%"),
            (5900.0, "#,##0\"件\"", "5,900件"),
            (5900.0, "#,##0", "5,900"),
            (1234567.891, "#,##0.00", "1,234,567.89"),
            (0.5, "0", "1"),
            (2.5, "0", "3"),
            (-2.5, "0", "-3"),
            (32.6, "0.0\"%\"", "32.6%"),
            (12.0, "0.0", "12.0"),
            (12.25, "0.0#", "12.25"),
            (12.2, "0.0#", "12.2"),
            (1500000.0, "#,##0,\"千円\"", "1,500千円"),
            (-120.0, "#,##0;△#,##0", "△120"),
            (0.0, "#,##0;△#,##0;\"-\"", "-"),
            (-5.0, "#,##0;[Red]-#,##0", "-5"),
            (1200.0, "[$¥-411]#,##0", "¥1,200"),
            (7.0, "0\\人", "7人"),
            (5.0, "_(* #,##0_)", " 5 "),
            (5900.0, "General", "5900"),
            (0.554, "G/標準", "0.554"),
            (12345.0, "0.00E+00", "1.23E+04"),
        ];
        for (value, code, shown) in cases {
            assert_eq!(display(value, code).as_deref(), Some(shown), "{value} under {code}");
        }
    }

    #[test]
    fn dates_show_with_their_era() {
        // 45017 is 2023-04-01.
        assert_eq!(display(45017.0, "yyyy/m/d").as_deref(), Some("2023/4/1"));
        assert_eq!(display(45017.0, "[$-ja-JP]ggge\"年\"m\"月\"d\"日\"").as_deref(), Some("令和5年4月1日"));
        assert_eq!(display(45017.0, "ge.m.d").as_deref(), Some("R5.4.1"));
        assert_eq!(display(45017.0, "yyyy\"年\"mm\"月\"dd\"日\"(aaa)").as_deref(), Some("2023年04月01日(土)"));
        // 1989-01-07 is 昭和64年; 1989-01-08 is 平成元年 (1).
        assert_eq!(display(32515.0, "gggee").as_deref(), Some("昭和64"));
        assert_eq!(display(32516.0, "ggge").as_deref(), Some("平成1"));
        assert_eq!(display(45017.5, "h:mm").as_deref(), Some("12:00"));
    }

    /// Odd and broken formats, extreme values: a text or `None`, never a panic.
    #[test]
    fn any_format_and_value_gives_text_or_none() {
        let formats = [
            "0000000000000000000000000000000E+00",
            "[",
            "\"",
            "_",
            "*",
            "\\",
            "0.0E+",
            "E+00",
            "#,##0,,,,,,,,,,,,",
            "0%%%%%%%%%%%%%%%%%%%%",
            "0.0000000000000000000000000000000000000000",
            "yyyy\"",
            "[$",
            ";;;",
            "@",
            "General;General",
            "ggggggggge",
            "[Red][Blue]0",
            "0;0;0;0;0;0",
            "\"人\"#\"件\"0\"円\"",
        ];
        let values = [0.0, -1.0, 1e308, -1e308, 1e-308, 12345.678, 0.5, f64::INFINITY, 2_958_465.9];
        for format in formats {
            for value in values {
                let _ = display(value, format);
            }
        }
        assert_eq!(display(1e30, "0"), None, "beyond a decimal: the value is kept");
        // Formats made of the format's own characters, at random (a fixed seed).
        let alphabet: Vec<char> = "0#?.,%E+-;\"\\_*[]$@ymdhsgeaAP/:人件円 G".chars().collect();
        let mut seed: u64 = 0x5eed;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize
        };
        for _ in 0..20_000 {
            let len = next() % 24;
            let format: String = (0..len).map(|_| alphabet[next() % alphabet.len()]).collect();
            let _ = display(values[next() % values.len()], &format);
        }
    }

    #[test]
    fn formats_beyond_the_module_say_so() {
        assert_eq!(display(150.0, "[>=100]0;0.0"), None);
        assert_eq!(display(0.5, "# ?/?"), None);
        assert_eq!(display(f64::NAN, "0"), None);
    }
}
