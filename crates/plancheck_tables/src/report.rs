//! `plancheck report`: one self-contained HTML page (no script, no network:
//! styles inline, charts as inline SVG) for the planning office and the
//! council. The hierarchy with each 施策's stated and computed ratings, a
//! grade distribution per 基本政策, each indicator's achievement ratio
//! against the bands of its file's rating scheme, the findings by rule, and every finding
//! linked to its 施策. Japanese fonts come from the system; it prints on A4.
//!
//! Every text from the plan goes through `escape`: a plan holding `<script>`
//! renders it as text.

use crate::Analysis;
use crate::diagnostics::Lang;
use crate::model::{BlockKind, FieldKey};
use crate::sheet::{Measure, Sheet};
use std::collections::BTreeMap;
use std::fmt::Write;

/// HTML-escapes text for element content and attribute values. Bidi
/// controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) are
/// shown, not obeyed: an override in a name would display it reversed
/// (`課画計市都` for 都市計画課 after U+202E), so each becomes the visible
/// text `<U+202E>` (plain text, so it is right in attributes and the title too).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if crate::diagnostics::is_bidi_control(c) => {
                let _ = write!(out, "&lt;U+{:04X}&gt;", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The anchor of the n-th 施策 with an ID (IDs may repeat in a plan).
fn anchor(id: &str, occurrence: usize) -> String {
    let safe: String = id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    if occurrence == 0 { format!("m{safe}") } else { format!("m{safe}-{occurrence}") }
}

const STYLE: &str = r#"
@page { size: A4; margin: 14mm; }
:root { --a: #2e7d32; --b: #7cb342; --c: #f9a825; --d: #c62828; --na: #9e9e9e; --ink: #212121; --muted: #616161; }
body { font-family: "Hiragino Kaku Gothic ProN", "Hiragino Sans", "Yu Gothic", "YuGothic", "Meiryo", "Noto Sans CJK JP", "Noto Sans JP", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 16px; line-height: 1.6; font-size: 14px; overflow-wrap: anywhere; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; border-bottom: 2px solid #ccc; margin-top: 28px; } h3 { font-size: 16px; margin: 18px 0 6px; }
.muted { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; } th, td { border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; text-align: left; overflow-wrap: anywhere; word-break: normal; } th { background: #eef3f8; font-weight: 600; }
td.n { text-align: right; white-space: nowrap; } td.g { text-align: center; white-space: nowrap; }
table.indicators { table-layout: fixed; } table.indicators td.n { white-space: normal; }
.grade { display: inline-block; min-width: 1.6em; text-align: center; border-radius: 3px; color: #fff; font-weight: 700; padding: 0 3px; }
.gA { background: var(--a); } .gB { background: var(--b); } .gC { background: var(--c); color: #212121; } .gD { background: var(--d); } .gNA { background: var(--na); }
.mismatch { background: #ffebee; } .measure { border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; margin: 10px 0; break-inside: avoid; page-break-inside: avoid; }
.finding { font-size: 13px; } .sev-error { color: var(--d); font-weight: 700; } .sev-warning { color: #e65100; font-weight: 700; } .sev-info { color: #1565c0; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; } .chart { break-inside: avoid; min-width: 0; max-width: 100%; } svg { max-width: 100%; height: auto; }
svg text { font-family: inherit; font-size: 11px; fill: #212121; }
a { color: #1565c0; }
@media print { a { color: inherit; text-decoration: none; } h2 { break-after: avoid; } }
"#;

/// The report of an analysis, in `lang`.
pub fn report(analysis: &Analysis, lang: Lang) -> String {
    // Each 施策 rated with its own file's scheme.
    let owned = analysis.schemes();
    let schemes: Vec<_> = owned.iter().map(|c| c.as_ref()).collect();
    let sheet = Sheet::from_workspace_computed(&analysis.workspace, &schemes);
    let t = |ja: &'static str, en: &'static str| if lang == Lang::Ja { ja } else { en };

    // Findings by 施策 (the block that holds them), numbered as the 施策 are.
    let mut measure_of_finding: Vec<Option<String>> = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut anchors_by_block: BTreeMap<(usize, usize), String> = BTreeMap::new();
    for (file, doc) in analysis.workspace.docs.iter().enumerate() {
        for (id, block) in doc.blocks_of(BlockKind::Measure) {
            let measure_id = block.id.as_ref().map(|i| crate::model::normalize_id(&i.value)).unwrap_or_default();
            let n = seen.entry(measure_id.clone()).or_default();
            anchors_by_block.insert((file, id), anchor(&measure_id, *n));
            *n += 1;
        }
    }
    for finding in &analysis.diagnostics {
        let doc = &analysis.workspace.docs[finding.file];
        let block =
            doc.blocks.iter().enumerate().filter(|(_, b)| b.kind == Some(BlockKind::Measure) && b.span.start <= finding.span.start && finding.span.start <= b.span.end).map(|(i, _)| i).next_back();
        measure_of_finding.push(block.and_then(|b| anchors_by_block.get(&(finding.file, b)).cloned()));
    }
    let mut findings_by_anchor: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, anchor) in measure_of_finding.iter().enumerate() {
        if let Some(anchor) = anchor {
            findings_by_anchor.entry(anchor.clone()).or_default().push(i);
        }
    }

    let title = sheet.plan.as_ref().and_then(|p| p.title.clone()).unwrap_or_else(|| t("総合計画 成果・課題一覧", "Plan evaluation").to_string());
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        if lang == Lang::Ja { "ja" } else { "en" },
        escape(&title)
    );
    let measures: Vec<&Measure> = sheet.measures().map(|(_, _, m)| m).collect();
    let indicators: usize = measures.iter().map(|m| m.indicators.len()).sum();
    let developments: usize = measures.iter().map(|m| m.developments.len()).sum();
    let _ = write!(html, "<h1>{}</h1>\n<p class=\"muted\">", escape(&title));
    if let Some(plan) = &sheet.plan
        && let (Some(a), Some(b)) = (plan.fields.get(FieldKey::ActualYear), plan.fields.get(FieldKey::TargetYear))
    {
        let _ = write!(html, "{} {} / {} {} · ", t("実績", "actual"), escape(a), t("目標", "target"), escape(b));
    }
    let _ = writeln!(
        html,
        "{} {} · {} {} · {} {} · {} {} · plancheck {}</p>",
        measures.len(),
        t("施策", "measures"),
        indicators,
        t("指標", "indicators"),
        developments,
        t("展開", "lines of development"),
        analysis.diagnostics.len(),
        t("件の指摘", "findings"),
        env!("CARGO_PKG_VERSION")
    );

    // Charts.
    let _ = writeln!(html, "<h2>{}</h2>\n<div class=\"charts\">", t("概要", "Overview"));
    html.push_str(&grade_chart(&sheet, lang));
    html.push_str(&rule_chart(analysis, lang));
    html.push_str("</div>\n");
    html.push_str(&ratio_chart(&sheet, lang));

    // The hierarchy.
    let _ = writeln!(html, "<h2>{}</h2>", t("施策ごとの評価", "Ratings by measure"));
    let mut occurrence: BTreeMap<&str, usize> = BTreeMap::new();
    // A heading per container; none for a level the plan does not have.
    let mut current_goal = None;
    for basic in &sheet.basic_policies {
        if basic.goal != current_goal {
            if let Some(goal) = sheet.goal_of(basic) {
                let _ = writeln!(html, "<h2>{} {} {}</h2>", t("基本目標", "Goal"), escape(&goal.id), escape(goal.title.as_deref().unwrap_or("")));
            }
            current_goal = basic.goal.clone();
        }
        if !basic.is_slot() {
            let _ = writeln!(html, "<h2>{} {} {}</h2>", t("基本政策", "Basic policy"), escape(&basic.id), escape(basic.title.as_deref().unwrap_or("")));
        }
        for policy in &basic.policies {
            if !policy.is_slot() {
                let _ = writeln!(html, "<h3>{} {} {}</h3>", t("政策", "Policy"), escape(&policy.id), escape(policy.title.as_deref().unwrap_or("")));
            }
            for measure in &policy.measures {
                let n = occurrence.entry(&measure.id).or_default();
                let anchor = anchor(&measure.id, *n);
                *n += 1;
                html.push_str(&measure_card(measure, &anchor, findings_by_anchor.get(&anchor).map(Vec::as_slice).unwrap_or(&[]), analysis, lang));
            }
        }
    }

    // Every finding.
    let _ = writeln!(
        html,
        "<h2>{}</h2>\n<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        t("指摘の一覧", "All findings"),
        t("施策", "measure"),
        t("規則", "rule"),
        t("場所", "where"),
        t("内容", "message")
    );
    for (i, finding) in analysis.diagnostics.iter().enumerate() {
        let doc = &analysis.workspace.docs[finding.file];
        let p = doc.line_index.char_position(&doc.text, finding.span.start);
        let link = measure_of_finding[i].as_ref().map_or_else(|| "-".to_string(), |a| format!("<a href=\"#{a}\">{}</a>", escape(a.trim_start_matches('m'))));
        let _ = writeln!(
            html,
            "<tr class=\"finding\"><td>{link}</td><td><span class=\"sev-{}\">{}</span></td><td>{}:{}:{}</td><td>{}</td></tr>",
            finding.severity.as_str(),
            escape(finding.rule.name),
            escape(&doc.path),
            p.line + 1,
            p.col + 1,
            escape(&finding.message)
        );
    }
    html.push_str("</table>\n</body>\n</html>\n");
    html
}

fn grade_badge(grade: Option<&str>) -> String {
    let g = grade.map(|g| crate::model::value::nfkc(g.trim())).unwrap_or_default();
    let class = match g.as_str() {
        "A" | "高" => "gA",
        "B" | "中" => "gB",
        "C" | "低" => "gC",
        "D" => "gD",
        _ => "gNA",
    };
    if g.is_empty() { "<span class=\"muted\">–</span>".to_string() } else { format!("<span class=\"grade {class}\">{}</span>", escape(&g)) }
}

fn same(stated: Option<&str>, computed: Option<&str>) -> bool {
    match (stated, computed) {
        (Some(s), Some(c)) => crate::model::value::nfkc(s.trim()) == c,
        _ => true,
    }
}

/// A 施策's card. Its rows and columns come from the field table: a row
/// for each 施策 field that sums up its 指標 or 展開 (stated beside
/// computed), a column for each quantity of an 指標 (those the official
/// table has no column for when one of them has it),
/// the 指標's stated grade beside the computed one, and each level of a 展開.
fn measure_card(m: &Measure, anchor: &str, findings: &[usize], analysis: &Analysis, lang: Lang) -> String {
    use crate::model::ValueKind;
    use crate::model::schema::{FieldDef, fields_in};
    let t = |ja: &'static str, en: &'static str| if lang == Lang::Ja { ja } else { en };
    let name = |def: &FieldDef| if lang == Lang::Ja { def.name() } else { def.en };
    let mut html = String::new();
    let computed = m.computed.as_ref();
    let _ = writeln!(html, "<div class=\"measure\" id=\"{anchor}\">");
    let _ = writeln!(html, "<h3>{} {} {} {}</h3>", t("施策", "Measure"), escape(&m.id), escape(m.title.as_deref().unwrap_or("")), grade_badge(m.fields.get(FieldKey::OverallGrade)));
    let _ = write!(html, "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>", t("施策の評価", "summary"), t("記載", "stated"), t("計算", "computed"));
    for def in fields_in(BlockKind::Measure).filter(|d| d.summarizes.is_some()) {
        let stated = m.fields.get(def.key);
        let computed = computed.and_then(|c| match def.key {
            FieldKey::QuantitativeLevel => c.quantitative_level.as_deref(),
            FieldKey::QualitativeLevel => c.qualitative_level.as_deref(),
            _ => None,
        });
        let class = if same(stated, computed) { "" } else { " class=\"mismatch\"" };
        let _ = write!(html, "<tr{class}><td>{}</td><td class=\"g\">{}</td><td class=\"g\">{}</td></tr>", escape(name(def)), grade_badge(stated), grade_badge(computed));
    }
    html.push_str("</table>\n");
    if !m.indicators.is_empty() {
        let quantities: Vec<&FieldDef> = fields_in(BlockKind::Indicator)
            .filter(|d| {
                d.value == ValueKind::Quantity && (crate::table::OFFICIAL.contains(&crate::table::Column::Field(BlockKind::Indicator, d.key)) || m.indicators.iter().any(|i| i.fields.has(d.key)))
            })
            .collect();
        let grade = fields_in(BlockKind::Indicator).find(|d| d.value == ValueKind::IndicatorGrade).map(|d| d.key);
        let width = 34.0 / quantities.len().max(1) as f64;
        html.push_str("<table class=\"indicators\"><colgroup><col style=\"width: 36%\">");
        for _ in &quantities {
            let _ = write!(html, "<col style=\"width: {width:.0}%\">");
        }
        let _ = write!(html, "<col style=\"width: 10%\"><col style=\"width: 10%\"><col style=\"width: 10%\"></colgroup><tr><th>{}</th>", t("指標", "indicator"));
        for def in &quantities {
            let _ = write!(html, "<th>{}</th>", escape(name(def)));
        }
        let _ = writeln!(html, "<th>{}</th><th>{}</th><th>{}</th></tr>", t("達成率", "ratio"), t("記載", "stated"), t("計算", "computed"));
        for indicator in &m.indicators {
            let c = indicator.computed.as_ref();
            let stated = grade.and_then(|g| indicator.fields.get(g));
            let class = if same(stated, c.and_then(|c| c.grade.as_deref())) { "" } else { " class=\"mismatch\"" };
            let _ = write!(html, "<tr{class}><td>{}</td>", escape(&indicator.title));
            for def in &quantities {
                let _ = write!(html, "<td class=\"n\">{}</td>", escape(indicator.fields.get(def.key).unwrap_or("")));
            }
            let _ = writeln!(
                html,
                "<td class=\"n\">{}</td><td class=\"g\">{}</td><td class=\"g\">{}</td></tr>",
                c.and_then(|c| c.ratio_percent.as_deref()).map(|r| format!("{}%", escape(r))).unwrap_or_default(),
                grade_badge(stated),
                grade_badge(c.and_then(|c| c.grade.as_deref())),
            );
        }
        html.push_str("</table>\n");
    }
    if !m.developments.is_empty() {
        let levels: Vec<&FieldDef> = fields_in(BlockKind::Development).filter(|d| d.value == ValueKind::Level).collect();
        let _ = write!(html, "<table><tr><th>{}</th>", t("施策の展開", "line of development"));
        for def in &levels {
            let _ = write!(html, "<th>{}</th>", escape(name(def)));
        }
        html.push_str("</tr>\n");
        for development in &m.developments {
            let _ = write!(html, "<tr><td>{}</td>", escape(&development.title));
            for def in &levels {
                let _ = write!(html, "<td class=\"g\">{}</td>", grade_badge(development.fields.get(def.key)));
            }
            html.push_str("</tr>\n");
        }
        html.push_str("</table>\n");
    }
    let department = fields_in(BlockKind::Measure).find(|d| d.compare == crate::model::Compare::Department);
    if let Some(def) = department {
        // The official table's heading (施策代表課) in Japanese.
        let label = match def.column.as_ref().map(|c| c.heading) {
            Some(crate::model::Heading::Plain(heading)) if lang == Lang::Ja => heading,
            _ => name(def),
        };
        let _ = writeln!(html, "<p class=\"muted\">{}: {}</p>", escape(label), escape(m.fields.get(def.key).unwrap_or("–")));
    }
    if !findings.is_empty() {
        html.push_str("<ul>\n");
        for &i in findings {
            let finding = &analysis.diagnostics[i];
            let _ = writeln!(html, "<li class=\"finding\"><span class=\"sev-{}\">{}</span> {}</li>", finding.severity.as_str(), escape(finding.rule.name), escape(&finding.message));
        }
        html.push_str("</ul>\n");
    }
    html.push_str("</div>\n");
    html
}

/// Stated indicator grades per container of the plan's top level (基本政策
/// by default; 政策 in `政策 > 施策`, 基本目標 in a four-level plan), as
/// stacked horizontal bars.
fn grade_chart(sheet: &Sheet, lang: Lang) -> String {
    let t = |ja: &'static str, en: &'static str| if lang == Lang::Ja { ja } else { en };
    let grades = ["A", "B", "C", "D", "-"];
    let colors = ["#2e7d32", "#7cb342", "#f9a825", "#c62828", "#9e9e9e"];
    let top = sheet.hierarchy().levels()[0];
    let mut rows: Vec<(String, [usize; 5])> = Vec::new();
    for (basic, policy, measure) in sheet.measures() {
        let id = match top {
            BlockKind::Goal => basic.goal.clone().unwrap_or_default(),
            BlockKind::Policy => policy.id.clone(),
            _ => basic.id.clone(),
        };
        let at = match rows.iter().position(|(x, _)| *x == id) {
            Some(at) => at,
            None => {
                rows.push((id, [0; 5]));
                rows.len() - 1
            }
        };
        for i in &measure.indicators {
            let g = i.fields.get(FieldKey::IndicatorGrade).map(|g| crate::model::value::nfkc(g.trim())).unwrap_or_default();
            if let Some(k) = grades.iter().position(|x| *x == g) {
                rows[at].1[k] += 1;
            }
        }
    }
    let max = rows.iter().map(|(_, c)| c.iter().sum::<usize>()).max().unwrap_or(1).max(1);
    let (width, bar) = (420.0, 300.0);
    let height = 30 + rows.len() * 26 + 24;
    let mut svg = format!(
        "<div class=\"chart\"><h3>{}</h3><svg role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">",
        match (lang, top) {
            (Lang::Ja, _) => format!("指標の評価 (記載) の分布、{}ごと", top.keyword()),
            (_, BlockKind::Goal) => "Stated indicator grades by goal".to_string(),
            (_, BlockKind::Policy) => "Stated indicator grades by policy".to_string(),
            _ => "Stated indicator grades by basic policy".to_string(),
        }
    );
    for (r, (id, counts)) in rows.iter().enumerate() {
        let y = 10 + r * 26;
        let label = match top {
            BlockKind::Goal => t("基本目標", "Goal"),
            BlockKind::Policy => t("政策", "P"),
            _ => t("基本政策", "BP"),
        };
        let _ = write!(svg, "<text x=\"0\" y=\"{}\">{} {}</text>", y + 14, label, escape(id));
        let mut x = 90.0;
        for (k, &count) in counts.iter().enumerate() {
            let w = bar * count as f64 / max as f64;
            if count > 0 {
                let _ = write!(svg, "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"18\" fill=\"{}\"><title>{}: {count}</title></rect>", colors[k], grades[k]);
                if w > 14.0 {
                    let _ = write!(svg, "<text x=\"{:.1}\" y=\"{}\" style=\"fill:#fff\">{count}</text>", x + 3.0, y + 13);
                }
            }
            x += w;
        }
    }
    let y = 10 + rows.len() * 26 + 10;
    let mut x = 90.0;
    for (k, g) in grades.iter().enumerate() {
        let _ = write!(svg, "<rect x=\"{x}\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{g}</text>", colors[k], x + 13.0, y + 9);
        x += 40.0;
    }
    svg.push_str("</svg></div>\n");
    svg
}

/// Findings per rule, as horizontal bars.
fn rule_chart(analysis: &Analysis, lang: Lang) -> String {
    let t = |ja: &'static str, en: &'static str| if lang == Lang::Ja { ja } else { en };
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &analysis.diagnostics {
        *counts.entry(d.rule.name).or_default() += 1;
    }
    let mut rows: Vec<(&str, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let max = rows.first().map_or(1, |r| r.1).max(1);
    let (width, bar) = (520.0, 260.0);
    let height = 10 + rows.len().max(1) * 20 + 10;
    let mut svg = format!("<div class=\"chart\"><h3>{}</h3><svg role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">", t("規則ごとの指摘数", "Findings by rule"));
    if rows.is_empty() {
        let _ = write!(svg, "<text x=\"0\" y=\"20\">{}</text>", t("指摘はありません", "no findings"));
    }
    for (r, (rule, count)) in rows.iter().enumerate() {
        let y = 8 + r * 20;
        let w = bar * *count as f64 / max as f64;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\">{}</text><rect x=\"220\" y=\"{y}\" width=\"{w:.1}\" height=\"14\" fill=\"#5c6bc0\"/><text x=\"{:.1}\" y=\"{}\">{count}</text>",
            y + 11,
            escape(rule),
            224.0 + w,
            y + 11
        );
    }
    svg.push_str("</svg></div>\n");
    svg
}

/// Each indicator's achievement ratio against its legend's bands (the
/// lower bounds of its grades: 60/80/100% by default; each file may have
/// its own, so each row draws its own), coloured from red (the worst
/// grade) to green (the best), however many grades the legend has.
fn ratio_chart(sheet: &Sheet, lang: Lang) -> String {
    let t = |ja: &'static str, en: &'static str| if lang == Lang::Ja { ja } else { en };
    let as_f64 = |d: &rust_decimal::Decimal| d.to_string().parse::<f64>().unwrap_or(0.0);
    let rows: Vec<(String, f64, String, Vec<f64>)> = sheet
        .measures()
        .flat_map(|(_, _, m)| {
            m.indicators.iter().filter_map(move |i| {
                let computed = i.computed.as_ref()?;
                let ratio: f64 = computed.ratio_percent.as_deref()?.parse().ok()?;
                Some((format!("{} {}", m.id, i.title), ratio, i.fields.get(FieldKey::IndicatorGrade).unwrap_or_default().to_string(), computed.bands.iter().map(as_f64).collect()))
            })
        })
        .collect();
    let mut schemes: Vec<&Vec<f64>> = rows.iter().map(|r| &r.3).collect();
    schemes.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    schemes.dedup();
    let one_scheme: Option<Vec<f64>> = match schemes.as_slice() {
        [] => Some(vec![60.0, 80.0, 100.0]),
        [only] => Some((*only).clone()),
        _ => None,
    };
    let (label, plot) = (260.0, 420.0);
    let highest = rows.iter().filter_map(|r| r.3.last().copied()).fold(100.0f64, f64::max);
    let scale_max = if highest + 50.0 > 150.0 { highest + 50.0 } else { 150.0 };
    let width = label + plot + 60.0;
    let height = 30 + rows.len() * 14 + 20;
    let x_of = |p: f64| label + plot * p.clamp(0.0, scale_max) / scale_max;
    let percents = |bands: &[f64]| bands.iter().map(f64::to_string).collect::<Vec<_>>().join("/");
    let title = match &one_scheme {
        Some(bands) => format!("{} {}%", t("指標の達成率 (見込みまたは実績 ÷ 目標) と評価の境界", "Achievement ratio per indicator against the bands"), percents(bands)),
        None => t("指標の達成率 (見込みまたは実績 ÷ 目標) と評価の境界 (ファイルごとの設定)", "Achievement ratio per indicator against the bands (each file's settings)").to_string(),
    };
    let mut svg = format!("<div class=\"chart\"><h3>{}</h3><svg role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">", escape(&title));
    // One scheme: its bands as columns; several: each row its own.
    let band_rows: Vec<(usize, usize, Vec<f64>)> = match &one_scheme {
        Some(bands) => vec![(0, rows.len(), bands.clone())],
        None => rows.iter().enumerate().map(|(r, row)| (r, 1, row.3.clone())).collect(),
    };
    // Worst to best: as many colours as the legend has grades.
    const RAMP: [&str; 6] = ["#ffebee", "#fff3e0", "#fff8e1", "#f9fbe7", "#f1f8e9", "#e8f5e9"];
    for (first, count, bands) in band_rows {
        let edges: Vec<f64> = std::iter::once(0.0).chain(bands.iter().copied()).chain([scale_max]).collect();
        let regions = edges.len() - 1;
        for (i, pair) in edges.windows(2).enumerate() {
            let color = RAMP[if regions > 1 { (i * (RAMP.len() - 1) + (regions - 1) / 2) / (regions - 1) } else { RAMP.len() - 1 }];
            let (band_start, band_end) = (pair[0], pair[1]);
            let _ =
                write!(svg, "<rect x=\"{:.1}\" y=\"{}\" width=\"{:.1}\" height=\"{}\" fill=\"{color}\"/>", x_of(band_start), 20 + first * 14, (x_of(band_end) - x_of(band_start)).max(0.0), count * 14);
        }
    }
    let ticks: Vec<f64> = match &one_scheme {
        Some(bands) => std::iter::once(0.0).chain(bands.iter().copied()).chain([scale_max]).collect(),
        None => vec![0.0, scale_max],
    };
    for p in ticks {
        let _ = write!(svg, "<text x=\"{:.1}\" y=\"14\">{p}%</text><line x1=\"{:.1}\" y1=\"20\" x2=\"{:.1}\" y2=\"{}\" stroke=\"#bbb\"/>", x_of(p) - 8.0, x_of(p), x_of(p), 20 + rows.len() * 14);
    }
    for (r, (name, ratio, grade, _)) in rows.iter().enumerate() {
        let y = 20 + r * 14;
        let short: String = name.chars().take(24).collect();
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" style=\"font-size:9px\">{}</text><rect x=\"{label}\" y=\"{}\" width=\"{:.1}\" height=\"9\" fill=\"#42a5f5\"><title>{}: {ratio}% ({})</title></rect>",
            y + 10,
            escape(&short),
            y + 2,
            x_of(*ratio) - label,
            escape(name),
            escape(grade)
        );
        if *ratio > scale_max {
            let _ = write!(svg, "<text x=\"{:.1}\" y=\"{}\" style=\"font-size:9px\">{ratio}%</text>", x_of(scale_max) + 3.0, y + 10);
        }
    }
    svg.push_str("</svg></div>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_the_plan_is_escaped() {
        assert_eq!(escape("<script>alert('x')</script> & \"q\""), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
        let analysis = plancheck_linter::check_text("a.plan", "施策 1-1-1 <script>document.title='pwned'</script> {\n  全体評価: A\n  代表課: <img src=x onerror=alert(1)>\n}\n", Lang::Ja);
        let html = report(&analysis, Lang::Ja);
        assert!(!html.contains("<script"), "no script element");
        assert!(!html.contains("<img"), "no img element");
        assert!(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"));
        assert!(html.contains("id=\"m1-1-1\""));
    }

    // --- issue 14, fixes, workbooks and reports ---

    /// A right-to-left override in a name would show it reversed: every
    /// bidi control is shown as `<U+XXXX>`, none is left in the page.
    #[test]
    fn bidi_controls_are_shown_not_obeyed() {
        let text = "施策 1-1-1 \u{202E}まちづくり\u{202C} {\n  全体評価: A\n  代表課: 都市\u{2067}計画\u{2069}課\u{200F}\u{061C}\n  指標 \u{202D}人数 {\n    実績: 5人\n    目標: 5人\n    定量評価: A\n  }\n}\n";
        let analysis = plancheck_linter::check_text("a.plan", text, Lang::Ja);
        let html = report(&analysis, Lang::Ja);
        assert!(!html.chars().any(crate::diagnostics::is_bidi_control), "a bidi control is in the page");
        for shown in ["&lt;U+202E&gt;まちづくり&lt;U+202C&gt;", "都市&lt;U+2067&gt;計画&lt;U+2069&gt;課&lt;U+200F&gt;&lt;U+061C&gt;", "&lt;U+202D&gt;人数"] {
            assert!(html.contains(shown), "{shown}");
        }
    }

    /// A long unbroken word (a URL, a run of digits) wraps inside its cell
    /// instead of pushing the indicator table off the page.
    #[test]
    fn long_words_wrap_inside_table_cells() {
        assert!(STYLE.contains("th, td {") && STYLE.contains("overflow-wrap: anywhere;"));
        assert!(STYLE.contains("table.indicators { table-layout: fixed; }"));
        let long = "x".repeat(5000);
        let text = format!("施策 1-1-1 a {{\n  全体評価: A\n  代表課: 課\n  指標 {long} {{\n    実績: 5人\n    目標: 5人\n    定量評価: A\n  }}\n}}\n");
        let html = report(&plancheck_linter::check_text("a.plan", &text, Lang::Ja), Lang::Ja);
        assert!(html.contains("<table class=\"indicators\"><colgroup>"));
    }
}
