//! The legend a published sheet prints above its table, read into the
//! plan's legend fields (`指標の評価`, `定量評価の基準`, `展開の評価`,
//! `定性評価の基準`), in the words sheets use:
//!
//! ```text
//! 令和6年度の達成見込みについて
//! A:100%以上、B:80%以上100%未満、
//! C:60%以上80%未満、D:60%未満
//! 各指標の評価についてA:3点・B:2点・C:1点・D:0
//! 点とし、平均点が2.5を上回ると「高」、1.5を上回ると「中」、それ以下を「低」とした
//! 各「施策の展開」の評価について高:3点・中:2点・低:1点とし、平均点が2.5点以上の
//! 場合「高」、1.7点以上の場合「中」、1.7未満の場合「低」とした。
//! ```
//!
//! A paragraph (consecutive rows) is read only when it says something the
//! legend can hold; whatever it says is checked by reading it back as the
//! linter would, so a legend that cannot be read is left in the 備考 only.

use crate::model::FieldKey;
use regex::Regex;
use std::sync::OnceLock;

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("a valid pattern"))
}

/// `A:100%以上`, `A:目標値の100%以上`, `A:達成率100%以上`: a grade and the
/// lower bound of its band (`未満`: the last); a few words may name what the
/// percentage is of.
fn grade_bound() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    regex(&R, r"([A-Za-z][+]?|[◎○〇△×])\s*:\s*(?:[^\d:、,\s%]{1,8}?)?\s*(-?[0-9.]+)\s*%(以上|超|未満|以下)")
}

/// `A:すでに達成している`: a symbol and what it means (a 全体評価's legend).
fn meaning() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    regex(&R, r"([A-Za-z][+]?|[◎○〇△×])\s*:\s*([^\d、,:\n][^、,:\n]*?)(?:、|,|$|\n)")
}

/// `A:3点`, `高:3点`: a symbol (a letter, a sign or one character) and its
/// points.
fn points() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    regex(&R, r"([A-Za-z][+]?|[^\x00-\x7F\s、・「」（）])\s*:\s*(-?[0-9.]+)\s*点")
}

/// `2.5を上回ると「高」`, `1.7点以上の場合「中」`, `それ以下を「低」`: a
/// summary's band, with what precedes its symbol since the previous one.
fn band() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    regex(&R, r"「([^」]+)」")
}

/// The legend fields the preamble's paragraphs give (each paragraph's rows
/// joined as printed), in the plan's own syntax.
/// The grade bounds a paragraph prints (`A:100%以上`, …), as written.
pub fn grade_bounds_of(paragraph: &str) -> Vec<String> {
    let text = crate::model::value::nfkc(paragraph).replace(['\n', ' '], "");
    grade_bound().captures_iter(&text).map(|c| format!("{}:{}%{}", &c[1], &c[2], &c[3])).collect()
}

pub fn printed_legend(paragraphs: &[String]) -> Vec<(FieldKey, String)> {
    let mut grades: Vec<(String, String, String)> = Vec::new(); // (symbol, bound, comparison)
    let mut grade_points: Vec<(String, String)> = Vec::new();
    let mut out = Vec::new();
    for paragraph in paragraphs {
        // The 施策's own grades with their meanings (no numbers): its 全体評価.
        let lines = crate::model::value::nfkc(paragraph);
        if (lines.contains("施策の目標") || lines.contains("全体評価")) && !lines.contains('%') && !out.iter().any(|(k, _)| *k == FieldKey::LegendOverall) {
            let joined = lines.replace('\n', "");
            let items: Vec<String> = meaning().captures_iter(&joined).map(|c| format!("{}:{}", &c[1], c[2].trim_end_matches("とした").trim())).collect();
            if items.len() >= 2 {
                out.push((FieldKey::LegendOverall, items.join("、")));
            }
        }
        let text = crate::model::value::nfkc(paragraph).replace(['\n', ' '], "");
        if grades.is_empty() {
            grades = grade_bound().captures_iter(&text).map(|c| (c[1].to_string(), c[2].to_string(), c[3].to_string())).collect();
            if grades.len() < 2 {
                grades.clear();
            }
        }
        let Some(average) = text.find("平均") else { continue };
        let listed: Vec<(String, String)> = points().captures_iter(&text[..average]).map(|c| (c[1].to_string(), c[2].to_string())).collect();
        if listed.len() < 2 {
            continue;
        }
        let rule = summary_rule(&text[average..]);
        let development = text[..average].contains("展開");
        if development {
            let levels: Vec<String> = listed.iter().map(|(s, p)| format!("{s}:{p}点")).collect();
            out.push((FieldKey::LegendLevels, levels.join("・")));
            if let Some(rule) = rule {
                out.push((FieldKey::LegendQualitative, rule));
            }
        } else {
            grade_points = listed;
            if let Some(rule) = rule {
                out.push((FieldKey::LegendQuantitative, rule));
            }
        }
    }
    if !grades.is_empty() {
        let items: Vec<String> = grades
            .iter()
            .map(|(symbol, bound, comparison)| {
                let points = grade_points.iter().find(|(s, _)| s == symbol).map(|(_, p)| format!(" {p}点")).unwrap_or_default();
                match comparison.as_str() {
                    "以上" | "超" => format!("{symbol}:{bound}%{comparison}{points}"),
                    _ => format!("{symbol}{}", if points.is_empty() { String::new() } else { format!(":{}", points.trim()) }),
                }
            })
            .collect();
        out.insert(0, (FieldKey::LegendGrades, items.join("、")));
    }
    // Kept only if the linter reads it all back.
    let legend = plancheck_linter::legend::Legend::default();
    let (_, _, errors) = legend.with_fields(plancheck_linter::legend::Method::Ratio, |key| out.iter().find(|(k, _)| *k == key).map(|(_, t)| (t.as_str(), crate::syntax::Span::default())));
    if errors.is_empty() { out } else { Vec::new() }
}

/// `平均点が2.5を上回ると「高」、1.5を上回ると「中」、それ以下を「低」` as
/// `平均 高 2.5超、中 1.5超、低`.
fn summary_rule(text: &str) -> Option<String> {
    let mut items = Vec::new();
    let mut from = 0;
    for found in band().captures_iter(text) {
        let whole = found.get(0).expect("a match");
        let before = &text[from..whole.start()];
        from = whole.end();
        let symbol = &found[1];
        let number = before.char_indices().find(|(_, c)| c.is_ascii_digit()).map(|(i, _)| {
            let rest = &before[i..];
            let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
            &rest[..end]
        });
        let comparison = if before.contains("上回") || before.contains('超') {
            "超"
        } else if before.contains("以上") {
            "以上"
        } else {
            ""
        };
        match (number, comparison) {
            (Some(n), "超" | "以上") => items.push(format!("{symbol} {n}{comparison}")),
            _ => items.push(symbol.to_string()),
        }
    }
    (items.len() >= 2).then(|| format!("平均 {}", items.join("、")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plancheck_linter::legend::Legend;

    /// The seed's printed legend, as its rows come in a dump: the default
    /// legend, every part of it.
    #[test]
    fn the_seed_s_legend_is_read() {
        let paragraphs = [
            "施策の目標について\nA:すでに達成している、B:おおむね達成している(達成見込みあり)、\nC:やや未達である、D:未達であるとした",
            "令和6年度の達成見込みについて\nA:100%以上、B:80%以上100%未満、\nC:60%以上80%未満、D:60%未満\n指標の取得ができなかったものは「-」とした",
            "各指標の評価についてA:3点・B:2点・C:1点・D:0\n点とし、平均点が2.5を上回ると「高」、1.5を上回\nると「中」、それ以下を「低」とした",
            "高:取組内容が達成できている状態\n中:取組内容が半分程度達成できている状態\n低:取組内容が達成できていない状態",
            "各「施策の展開」の評価について高:3点・中:2\n点・低:1点とし、平均点が2.5点以上の場合「高」、\n1.7点以上の場合「中」、1.7未満の場合「低」と\nした。",
        ]
        .map(String::from);
        let fields = printed_legend(&paragraphs);
        let get = |key| fields.iter().find(|(k, _)| *k == key).map(|(_, t)| t.as_str());
        assert_eq!(get(FieldKey::LegendGrades), Some("A:100%以上 3点、B:80%以上 2点、C:60%以上 1点、D:0点"));
        assert_eq!(get(FieldKey::LegendOverall), Some("A:すでに達成している、B:おおむね達成している(達成見込みあり)、C:やや未達である、D:未達である"));
        assert_eq!(get(FieldKey::LegendQuantitative), Some("平均 高 2.5超、中 1.5超、低"));
        assert_eq!(get(FieldKey::LegendLevels), Some("高:3点・中:2点・低:1点"));
        assert_eq!(get(FieldKey::LegendQualitative), Some("平均 高 2.5以上、中 1.7以上、低"));
        let legend = plancheck_linter::legend::Legend::default();
        let (_, read, errors) = legend.with_fields(plancheck_linter::legend::Method::Ratio, |key| get(key).map(|t| (t, crate::syntax::Span::default())));
        assert_eq!(errors, []);
        assert_eq!(read.overall.as_ref().map(|s| s.listed("・")).as_deref(), Some("A・B・C・D"));
        assert_eq!(Legend { overall: None, ..read }, legend, "the seed prints the default legend");
    }

    #[test]
    fn another_body_s_legend_and_prose_that_is_none() {
        let fields = printed_legend(&["評価基準 S:110%以上、A:100%以上、B:80%以上、C:80%未満".to_string()]);
        assert_eq!(fields, [(FieldKey::LegendGrades, "S:110%以上、A:100%以上、B:80%以上、C".to_string())]);
        assert!(printed_legend(&["第2次伊勢崎市総合計画の成果・課題一覧".to_string()]).is_empty());
        // What the percentage is of, between the grade and its bound.
        let fields = printed_legend(&["【定量評価（指標）】A：目標値の100%以上　B：80%以上100%未満　C：60%以上80%未満　D：60%未満".to_string()]);
        assert_eq!(fields.first().map(|(_, t)| t.as_str()), Some("A:100%以上、B:80%以上、C:60%以上、D"), "{fields:?}");
        let fields = printed_legend(&["A:達成率100%以上、B:達成率80%以上、C:達成率80%未満".to_string()]);
        assert_eq!(fields.first().map(|(_, t)| t.as_str()), Some("A:100%以上、B:80%以上、C"), "{fields:?}");
        // Bounds that rise cannot be a legend: nothing is read.
        assert!(printed_legend(&["A:50%以上、B:80%以上、C:80%未満".to_string()]).is_empty());
    }
}
