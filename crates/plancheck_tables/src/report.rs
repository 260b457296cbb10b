//! `plancheck report`: one self-contained HTML page (no script, no network:
//! styles inline, charts as inline SVG) for the planning office and the
//! council. It opens with the plan's name, its municipality, the date and
//! plancheck's version, then a first page that says in plain words what was
//! found, 施策 by 施策; then the charts (grades per 基本政策, findings per
//! kind, each indicator's achievement ratio against its legend's bands);
//! then each 施策 with its indicators, its 展開 and its prose (folded in
//! `<details>`, open with `--expand` for printing); then every finding,
//! named by its summary in the reader's language and located by 施策 /
//! 指標 / field, the file and line in small print. Japanese fonts come from
//! the system; it prints on A4 and reads on a phone.
//!
//! Every text from the plan goes through `escape`: a plan holding `<script>`
//! renders it as text. Messages are plain text with `code` spans (names
//! quoted with backticks), shown as `<code>`: no Markdown shows literally.

use crate::Analysis;
use crate::diagnostics::{Diagnostic, Lang, Severity};
use crate::model::{BlockKind, FieldKey};
use crate::sheet::{Measure, Sheet};
use std::collections::BTreeMap;
use std::fmt::Write;

/// What the report says about itself besides the plans.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// The date the report is made, as it is shown (`2026年12月6日`).
    pub date: Option<String>,
    /// Prose shown open (for printing) rather than folded.
    pub expand: bool,
}

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

/// A message as HTML: escaped, each `code` span (a name between backticks)
/// as `<code>`; a backtick without its pair stays as it is.
pub fn message_html(text: &str) -> String {
    crate::diagnostics::code_spans(text).into_iter().map(|(code, piece)| if code { format!("<code>{}</code>", escape(piece)) } else { escape(piece) }).collect()
}

/// Text of several lines (prose) as HTML: escaped, lines kept.
fn lines_html(text: &str) -> String {
    text.lines().map(escape).collect::<Vec<_>>().join("<br>")
}

/// An ID that never wraps (`1-1-1` is one word).
fn id_html(id: &str) -> String {
    format!("<span class=\"id\">{}</span>", escape(id))
}

/// The anchor of the n-th 施策 with an ID (IDs may repeat in a plan).
fn anchor(id: &str, occurrence: usize) -> String {
    let safe: String = id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    if occurrence == 0 { format!("m{safe}") } else { format!("m{safe}-{occurrence}") }
}

fn severity_text(severity: Severity, lang: Lang) -> &'static str {
    match severity {
        // The words of the terminal and the annotated workbook.
        Severity::Error => lang.pick("エラー", "error"),
        Severity::Warning => lang.pick("警告", "warning"),
        _ => lang.pick("情報", "info"),
    }
}

const STYLE: &str = r#"
@page { size: A4; margin: 14mm; }
:root { --a: #2e7d32; --b: #7cb342; --c: #f9a825; --d: #c62828; --na: #9e9e9e; --ink: #212121; --muted: #616161; }
body { font-family: "Hiragino Kaku Gothic ProN", "Hiragino Sans", "Yu Gothic", "YuGothic", "Meiryo", "Noto Sans CJK JP", "Noto Sans JP", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 16px; line-height: 1.6; font-size: 14px; overflow-wrap: anywhere; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; border-bottom: 2px solid #ccc; margin-top: 28px; } h3 { font-size: 16px; margin: 18px 0 6px; }
.muted, small { color: var(--muted); font-size: 12px; }
.id { white-space: nowrap; font-variant-numeric: tabular-nums; }
code { font-family: inherit; background: #f1f3f5; border-radius: 3px; padding: 0 3px; white-space: nowrap; }
.lead { font-size: 16px; margin: 8px 0 12px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; } th, td { border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; text-align: left; overflow-wrap: anywhere; word-break: normal; } th { background: #eef3f8; font-weight: 600; }
td.n { text-align: right; white-space: nowrap; } td.g { text-align: center; white-space: nowrap; }
table.indicators { table-layout: fixed; } td.n { overflow-wrap: normal; word-break: keep-all; } small.rule { white-space: nowrap; }
.wide { max-width: 100%; overflow-x: auto; }
.grade { display: inline-block; min-width: 1.6em; text-align: center; border-radius: 3px; color: #fff; font-weight: 700; padding: 0 3px; }
.gA { background: var(--a); } .gB { background: var(--b); } .gC { background: var(--c); color: #212121; } .gD { background: var(--d); } .gNA { background: var(--na); }
.mismatch { background: #ffebee; } .measure { border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; margin: 10px 0; break-inside: avoid; page-break-inside: avoid; }
.finding { font-size: 13px; } .sev-error { color: var(--d); font-weight: 700; } .sev-warning { color: #e65100; font-weight: 700; } .sev-info { color: #1565c0; }
ul.kinds { margin: 0; padding-left: 1.2em; }
details { margin: 4px 0 8px; } summary { cursor: pointer; color: #1565c0; } dl { margin: 4px 0; } dt { font-weight: 600; margin-top: 6px; } dd { margin: 0 0 0 1em; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; } .chart { break-inside: avoid; min-width: 0; max-width: 100%; } svg { max-width: 100%; height: auto; }
svg text { font-family: inherit; font-size: 11px; fill: #212121; }
a { color: #1565c0; }
section.summary { break-after: page; }
@media (max-width: 600px) { body { padding: 8px; font-size: 15px; } table.indicators { table-layout: auto; min-width: 560px; } td.n { white-space: nowrap; } th, td { padding: 2px 4px; } .charts { display: block; } .chart { overflow-x: auto; } .chart svg { max-width: none; } }
@media print { a { color: inherit; text-decoration: none; } h2 { break-after: avoid; } details::details-content { content-visibility: visible; display: block; } }
"#;

/// Where a finding is: its 施策 (the anchor), the 指標 or 展開 inside it,
/// the field, and the file and line.
struct Place {
    anchor: Option<String>,
    /// `指標「参加者数」`, when the finding is inside an 指標 or a 展開.
    part: Option<String>,
    /// The field's key as written.
    field: Option<String>,
    file_line: String,
}

fn place_of(analysis: &Analysis, finding: &Diagnostic, anchors: &BTreeMap<(usize, usize), String>, lang: Lang) -> Place {
    let doc = &analysis.workspace.docs[finding.file];
    let line = doc.line_index.char_position(&doc.text, finding.span.start).line + 1;
    // A workbook's finding is at its cell (`成果一覧.xlsx 基本政策1!M9`), not
    // at a line of the plan imported in memory.
    let file_line = match &finding.cell {
        Some(cell) => format!("{} {cell}", doc.path),
        None => format!("{}:{line}", doc.path),
    };
    let Some(inner) = doc.innermost_block(finding.span) else { return Place { anchor: None, part: None, field: None, file_line } };
    let measure = doc.enclosing(inner, BlockKind::Measure);
    let anchor = measure.and_then(|m| anchors.get(&(finding.file, m)).cloned());
    let block = &doc.blocks[inner];
    let part = match block.kind {
        Some(kind @ (BlockKind::Indicator | BlockKind::Development)) => {
            let name = block.title.as_ref().map(|t| t.value.as_str()).unwrap_or("");
            Some(lang.pick(format!("{}「{}」", kind.keyword(), name), format!("{} \"{}\"", kind.keyword(), name)))
        }
        _ => None,
    };
    let field = block.fields.iter().find(|f| f.span.start <= finding.span.start && finding.span.start <= f.span.end).map(|f| f.key_text.value.clone());
    Place { anchor, part, field, file_line }
}

/// The report of an analysis, in `lang`.
pub fn report(analysis: &Analysis, lang: Lang) -> String {
    report_with(analysis, lang, &ReportOptions::default())
}

/// The report of an analysis, in `lang`, with `options`.
pub fn report_with(analysis: &Analysis, lang: Lang, options: &ReportOptions) -> String {
    // Each 施策 rated with its own file's scheme.
    let owned = analysis.schemes();
    let schemes: Vec<_> = owned.iter().map(|c| c.as_ref()).collect();
    let sheet = Sheet::from_workspace_computed(&analysis.workspace, &schemes);
    let t = |ja: &'static str, en: &'static str| if lang == Lang::Ja { ja } else { en };

    // Findings by 施策 (the block that holds them), numbered as the 施策 are.
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
    let places: Vec<Place> = analysis.diagnostics.iter().map(|f| place_of(analysis, f, &anchors_by_block, lang)).collect();
    let mut findings_by_anchor: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, place) in places.iter().enumerate() {
        if let Some(anchor) = &place.anchor {
            findings_by_anchor.entry(anchor.clone()).or_default().push(i);
        }
    }
    let rule_url = |finding: &Diagnostic| analysis.configs.get(finding.file).map_or_else(|| finding.rule.url(), |c| c.config.rule_url(finding.rule));

    let plan = sheet.plan.as_ref();
    let plan_title = plan.and_then(|p| p.title.clone()).unwrap_or_else(|| t("総合計画 成果・課題一覧", "Plan evaluation").to_string());
    let municipality = plan.and_then(|p| p.fields.get(FieldKey::Municipality)).map(str::to_string);
    let heading = match &municipality {
        Some(m) if !plan_title.contains(m.as_str()) => format!("{m} {plan_title}"),
        _ => plan_title.clone(),
    };
    let document_title = format!("{heading} {}", t("点検結果", "check report"));
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        if lang == Lang::Ja { "ja" } else { "en" },
        escape(&document_title)
    );
    let measures: Vec<&Measure> = sheet.measures().map(|(_, _, m)| m).collect();
    let indicators: usize = measures.iter().map(|m| m.indicators.len()).sum();
    let developments: usize = measures.iter().map(|m| m.developments.len()).sum();
    let _ = write!(html, "<header>\n<h1>{}</h1>\n<p class=\"muted\">", escape(&document_title));
    let mut meta: Vec<String> = Vec::new();
    if let Some(m) = &municipality {
        meta.push(escape(m));
    }
    if let Some(plan) = plan
        && let (Some(a), Some(b)) = (plan.fields.get(FieldKey::ActualYear), plan.fields.get(FieldKey::TargetYear))
    {
        meta.push(format!("{} {} / {} {}", t("実績", "actual"), escape(a), t("目標", "target"), escape(b)));
    }
    meta.push(format!("{} {} · {} {} · {} {}", t("施策", "measures"), measures.len(), t("指標", "indicators"), indicators, t("展開", "lines of development"), developments));
    if let Some(date) = &options.date {
        meta.push(format!("{} {}", t("作成", "made"), escape(date)));
    }
    meta.push(format!("plancheck {}", env!("CARGO_PKG_VERSION")));
    let _ = writeln!(html, "{}</p>\n</header>", meta.join(" · "));

    // The first page: what was found, 施策 by 施策.
    html.push_str(&summary_page(analysis, &sheet, &places, &findings_by_anchor, &rule_url, lang));

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
                let _ = writeln!(html, "<h2>{} {} {}</h2>", t("基本目標", "Goal"), id_html(&goal.id), escape(goal.title.as_deref().unwrap_or("")));
            }
            current_goal = basic.goal.clone();
        }
        if !basic.is_slot() {
            let _ = writeln!(html, "<h2>{} {} {}</h2>", t("基本政策", "Basic policy"), id_html(&basic.id), escape(basic.title.as_deref().unwrap_or("")));
        }
        for policy in &basic.policies {
            if !policy.is_slot() {
                let _ = writeln!(html, "<h3>{} {} {}</h3>", t("政策", "Policy"), id_html(&policy.id), escape(policy.title.as_deref().unwrap_or("")));
            }
            for measure in &policy.measures {
                let n = occurrence.entry(&measure.id).or_default();
                let anchor = anchor(&measure.id, *n);
                *n += 1;
                let findings = findings_by_anchor.get(&anchor).map(Vec::as_slice).unwrap_or(&[]);
                html.push_str(&measure_card(measure, &anchor, findings, analysis, &places, options, lang));
            }
        }
    }

    // Every finding.
    let _ = writeln!(
        html,
        "<h2>{}</h2>\n<table class=\"all-findings\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        t("指摘の一覧", "All findings"),
        t("施策", "measure"),
        t("指摘", "finding"),
        t("場所", "where"),
        t("内容", "message")
    );
    for (i, finding) in analysis.diagnostics.iter().enumerate() {
        let place = &places[i];
        let link = place.anchor.as_ref().map_or_else(|| "-".to_string(), |a| format!("<a href=\"#{a}\">{}</a>", id_html(anchor_id(a))));
        let _ = writeln!(
            html,
            "<tr class=\"finding\"><td>{link}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            finding_kind_html(finding, &rule_url(finding), lang),
            place_html(place, false),
            message_html(&finding.message)
        );
    }
    html.push_str("</table>\n</body>\n</html>\n");
    html
}

/// The 施策 ID an anchor was made from (`m1-1-1-2` → `1-1-1`: the
/// occurrence suffix dropped).
fn anchor_id(anchor: &str) -> &str {
    anchor.trim_start_matches('m')
}

/// A finding's kind: its severity, then its summary in the reader's
/// language linked to the rule's page (the rule's name in small print).
fn finding_kind_html(finding: &Diagnostic, url: &str, lang: Lang) -> String {
    format!(
        "<span class=\"sev-{}\">{}</span> <a href=\"{}\">{}</a> <small class=\"rule\">{}</small>",
        finding.severity.as_str(),
        severity_text(finding.severity, lang),
        escape(url),
        message_html(finding.rule.summary(lang)),
        escape(finding.rule.name)
    )
}

/// Where, in words: `指標「参加者数」 · 定量評価`, then the file and line
/// in small print. `in_measure`: the 施策 is already said (its card).
fn place_html(place: &Place, in_measure: bool) -> String {
    let mut words: Vec<String> = Vec::new();
    if let Some(part) = &place.part {
        words.push(escape(part));
    }
    if let Some(field) = &place.field {
        words.push(format!("<code>{}</code>", escape(field)));
    }
    if words.is_empty() && in_measure {
        words.push(String::new());
    }
    let words = words.join(" · ");
    let small = format!("<small>{}</small>", escape(&place.file_line));
    if words.is_empty() { small } else { format!("{words} {small}") }
}

/// The first page: a sentence of what was found, then each 施策 with
/// findings and the kinds of its findings, then the kinds over the plan.
fn summary_page(analysis: &Analysis, sheet: &Sheet, places: &[Place], findings_by_anchor: &BTreeMap<String, Vec<usize>>, rule_url: &dyn Fn(&Diagnostic) -> String, lang: Lang) -> String {
    let t = |ja: &'static str, en: &'static str| if lang == Lang::Ja { ja } else { en };
    let mut html = format!("<section class=\"summary\">\n<h2>{}</h2>\n", t("点検の結果", "What was found"));
    let count = |severity: Severity| analysis.diagnostics.iter().filter(|d| d.severity == severity).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let infos = analysis.diagnostics.len() - errors - warnings;
    let measures = sheet.measures().count();
    let with_findings = findings_by_anchor.len();
    let outside = places.iter().filter(|p| p.anchor.is_none()).count();
    let total = analysis.diagnostics.len();
    let sentence = if total == 0 {
        lang.pick(
            format!("{measures} の施策を点検しました。指摘はありません: 記載された評価は凡例の計算と合い、必要な項目がそろっています。"),
            format!("{measures} measures were checked. Nothing was found: the stated grades agree with the legend's arithmetic and the required fields are there."),
        )
    } else {
        let mut parts = Vec::new();
        for (n, ja, one, many) in [(errors, "エラー", "error", "errors"), (warnings, "警告", "warning", "warnings"), (infos, "情報", "note", "notes")] {
            if n > 0 {
                parts.push(lang.pick(format!("{ja} {n} 件"), format!("{n} {}", if n == 1 { one } else { many })));
            }
        }
        let outside_text = if outside > 0 {
            lang.pick(format!("施策の外 (計画の見出しなど) に {outside} 件。"), format!(" {outside} are outside any measure (the plan's header, ...)."))
        } else {
            String::new()
        };
        lang.pick(
            format!("{measures} の施策を点検しました。{with_findings} の施策に、あわせて {total} 件の指摘があります ({})。{outside_text}", parts.join("、")),
            format!(
                "{measures} {} checked: {total} {} ({}), in {with_findings} of them.{outside_text}",
                if measures == 1 { "measure was" } else { "measures were" },
                if total == 1 { "finding" } else { "findings" },
                parts.join(", ")
            ),
        )
    };
    let _ = writeln!(html, "<p class=\"lead\">{}</p>", escape(&sentence));
    if total > 0 {
        let _ = writeln!(html, "<table class=\"by-measure\"><tr><th>{}</th><th>{}</th><th>{}</th></tr>", t("施策", "measure"), t("名称", "title"), t("指摘", "findings"));
        let mut occurrence: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, _, measure) in sheet.measures() {
            let n = occurrence.entry(&measure.id).or_default();
            let anchor = anchor(&measure.id, *n);
            *n += 1;
            let Some(findings) = findings_by_anchor.get(&anchor) else { continue };
            let _ = writeln!(
                html,
                "<tr><td><a href=\"#{anchor}\">{}</a></td><td>{}</td><td>{}</td></tr>",
                id_html(&measure.id),
                escape(measure.title.as_deref().unwrap_or("")),
                kinds_html(analysis, findings, lang)
            );
        }
        let outside: Vec<usize> = places.iter().enumerate().filter(|(_, p)| p.anchor.is_none()).map(|(i, _)| i).collect();
        if !outside.is_empty() {
            let _ = writeln!(html, "<tr><td>-</td><td>{}</td><td>{}</td></tr>", t("施策の外", "outside any measure"), kinds_html(analysis, &outside, lang));
        }
        html.push_str("</table>\n");
        // The kinds over the plan, most frequent first, each linked to its page.
        let mut kinds: BTreeMap<&str, (usize, &Diagnostic)> = BTreeMap::new();
        for finding in &analysis.diagnostics {
            kinds.entry(finding.rule.name).or_insert((0, finding)).0 += 1;
        }
        let mut kinds: Vec<(usize, &Diagnostic)> = kinds.into_values().collect();
        kinds.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.rule.code.cmp(b.1.rule.code)));
        let _ = writeln!(html, "<h3>{}</h3>\n<table class=\"kinds\"><tr><th>{}</th><th>{}</th></tr>", t("指摘の種類", "Kinds of finding"), t("種類", "kind"), t("件数", "count"));
        for (n, finding) in kinds {
            let _ = writeln!(html, "<tr><td>{}</td><td class=\"n\">{n}</td></tr>", finding_kind_html(finding, &rule_url(finding), lang));
        }
        html.push_str("</table>\n");
    }
    html.push_str("</section>\n");
    html
}

/// The kinds of some findings, each with its count: `注意 評価が計算と合わない ×2`.
fn kinds_html(analysis: &Analysis, findings: &[usize], lang: Lang) -> String {
    let mut kinds: Vec<(&Diagnostic, usize)> = Vec::new();
    for &i in findings {
        let finding = &analysis.diagnostics[i];
        match kinds.iter_mut().find(|(f, _)| f.rule.name == finding.rule.name) {
            Some((_, n)) => *n += 1,
            None => kinds.push((finding, 1)),
        }
    }
    let items: Vec<String> = kinds
        .iter()
        .map(|(f, n)| {
            let times = if *n > 1 { format!(" ×{n}") } else { String::new() };
            format!("<li><span class=\"sev-{}\">{}</span> {}{times}</li>", f.severity.as_str(), severity_text(f.severity, lang), message_html(f.rule.summary(lang)))
        })
        .collect();
    format!("<ul class=\"kinds\">{}</ul>", items.concat())
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

/// The prose fields of a block of `kind` (自己評価, 成果, 課題, 取組, 備考,
/// ...): text fields but for names and the department.
fn prose_fields(kind: BlockKind) -> impl Iterator<Item = &'static crate::model::schema::FieldDef> {
    crate::model::schema::fields_in(kind).filter(|d| d.value == crate::model::ValueKind::Text && d.compare != crate::model::Compare::Department)
}

/// The written prose of some fields as a definition list (`None` when all
/// are empty): each value, all of a repeated field's.
fn prose_html(fields: &[(&'static crate::model::schema::FieldDef, &[String])], lang: Lang) -> Option<String> {
    let mut html = String::new();
    for (def, values) in fields {
        let values: Vec<&String> = values.iter().filter(|v| !v.trim().is_empty()).collect();
        if values.is_empty() {
            continue;
        }
        let name = if lang == Lang::Ja { def.name() } else { def.en };
        let _ = write!(html, "<dt>{}</dt>", escape(name));
        for value in values {
            let _ = write!(html, "<dd>{}</dd>", lines_html(value));
        }
    }
    (!html.is_empty()).then(|| format!("<dl>{html}</dl>"))
}

/// A `<details>` around `body`, open when printing with `--expand`.
fn details(summary: &str, body: &str, options: &ReportOptions) -> String {
    format!("<details{}><summary>{}</summary>{body}</details>\n", if options.expand { " open" } else { "" }, escape(summary))
}

/// A 施策's card. Its rows and columns come from the field table: a row
/// for each 施策 field that sums up its 指標 or 展開 (stated beside
/// computed), a column for each quantity of an 指標 (those the official
/// table has no column for when one of them has it),
/// the 指標's stated grade beside the computed one, and each level of a 展開;
/// then its prose and each 展開's, folded; then its findings.
fn measure_card(m: &Measure, anchor: &str, findings: &[usize], analysis: &Analysis, places: &[Place], options: &ReportOptions, lang: Lang) -> String {
    use crate::model::ValueKind;
    use crate::model::schema::{FieldDef, fields_in};
    let t = |ja: &'static str, en: &'static str| if lang == Lang::Ja { ja } else { en };
    let name = |def: &FieldDef| if lang == Lang::Ja { def.name() } else { def.en };
    let mut html = String::new();
    let computed = m.computed.as_ref();
    let _ = writeln!(html, "<div class=\"measure\" id=\"{anchor}\">");
    let _ = writeln!(html, "<h3>{} {} {} {}</h3>", t("施策", "Measure"), id_html(&m.id), escape(m.title.as_deref().unwrap_or("")), grade_badge(m.fields.get(FieldKey::OverallGrade)));
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
        html.push_str("<div class=\"wide\"><table class=\"indicators\"><colgroup><col style=\"width: 36%\">");
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
        html.push_str("</table></div>\n");
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
    // Its prose and each 展開's, folded.
    let prose: Vec<(&'static FieldDef, &[String])> = prose_fields(BlockKind::Measure).map(|d| (d, m.fields.all(d.key))).collect();
    if let Some(list) = prose_html(&prose, lang) {
        html.push_str(&details(t("施策の文章 (自己評価・次期課題など)", "The measure's text (self-assessment, next issues, ...)"), &list, options));
    }
    for development in &m.developments {
        let prose: Vec<(&'static FieldDef, &[String])> = prose_fields(BlockKind::Development).map(|d| (d, development.fields.all(d.key))).collect();
        if let Some(list) = prose_html(&prose, lang) {
            let summary = lang.pick(format!("展開「{}」の取組・成果・課題", development.title), format!("Line of development \"{}\": actions, results, issues", development.title));
            html.push_str(&details(&summary, &list, options));
        }
    }
    for indicator in &m.indicators {
        let prose: Vec<(&'static FieldDef, &[String])> = prose_fields(BlockKind::Indicator).map(|d| (d, indicator.fields.all(d.key))).collect();
        if let Some(list) = prose_html(&prose, lang) {
            let summary = lang.pick(format!("指標「{}」の備考", indicator.title), format!("Indicator \"{}\": notes", indicator.title));
            html.push_str(&details(&summary, &list, options));
        }
    }
    if !findings.is_empty() {
        let _ = writeln!(html, "<p><b>{}</b></p>\n<ul>", t("指摘", "Findings"));
        for &i in findings {
            let finding = &analysis.diagnostics[i];
            let _ = writeln!(
                html,
                "<li class=\"finding\"><span class=\"sev-{}\">{}</span> <b>{}</b> {} — {}</li>",
                finding.severity.as_str(),
                severity_text(finding.severity, lang),
                message_html(finding.rule.summary(lang)),
                place_html(&places[i], true),
                message_html(&finding.message)
            );
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

/// Findings per kind, as horizontal bars, each named by its summary in the
/// reader's language (the rule's name in the bar's tooltip).
fn rule_chart(analysis: &Analysis, lang: Lang) -> String {
    let t = |ja: &'static str, en: &'static str| if lang == Lang::Ja { ja } else { en };
    let mut counts: BTreeMap<&str, (usize, &crate::diagnostics::RuleMeta)> = BTreeMap::new();
    for d in &analysis.diagnostics {
        counts.entry(d.rule.name).or_insert((0, d.rule)).0 += 1;
    }
    let mut rows: Vec<(usize, &crate::diagnostics::RuleMeta)> = counts.into_values().collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.name.cmp(b.1.name)));
    let max = rows.first().map_or(1, |r| r.0).max(1);
    let (label, bar) = (320.0, 240.0);
    let width = label + bar + 40.0;
    let height = 10 + rows.len().max(1) * 20 + 10;
    let mut svg = format!("<div class=\"chart\"><h3>{}</h3><svg role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">", t("種類ごとの指摘数", "Findings by kind"));
    if rows.is_empty() {
        let _ = write!(svg, "<text x=\"0\" y=\"20\">{}</text>", t("指摘はありません", "no findings"));
    }
    for (r, (count, rule)) in rows.iter().enumerate() {
        let y = 8 + r * 20;
        let w = bar * *count as f64 / max as f64;
        let summary: String = rule.summary(lang).replace('`', "");
        let short: String = if summary.chars().count() > 28 { summary.chars().take(27).chain(['…']).collect() } else { summary.clone() };
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\">{}<title>{} ({})</title></text><rect x=\"{label}\" y=\"{y}\" width=\"{w:.1}\" height=\"14\" fill=\"#5c6bc0\"><title>{}: {count}</title></rect><text x=\"{:.1}\" y=\"{}\">{count}</text>",
            y + 11,
            escape(&short),
            escape(&summary),
            escape(rule.name),
            escape(rule.name),
            label + 4.0 + w,
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

    const CARD: &str = "計画 第2次みどり市総合計画 {\n  自治体: みどり市\n  実績年度: 令和4年度\n  目標年度: 令和6年度\n}\n施策 1-1-1 健康づくり {\n  全体評価: B\n  自己評価:\n    | 受診率は上がった。\n    | 目標には届かない。\n  指標 参加者数 {\n    実績: 5,900人\n    目標: 10,650人\n    定量評価: C\n  }\n  展開 予防 {\n    成果:\n      | 教室を開いた。\n    課題:\n      | 働く世代が少ない。\n  }\n}\n施策 1-1-2 子育て {\n  全体評価: A\n  代表課: こども課\n}\n";

    /// The title names the plan, its municipality, the date and the
    /// version; the first page says what was found, 施策 by 施策.
    #[test]
    fn the_title_and_the_first_page_say_what_was_found_by_measure() {
        let analysis = plancheck_linter::check_text("a.plan", CARD, Lang::Ja);
        let html = report_with(&analysis, Lang::Ja, &ReportOptions { date: Some("2026年12月6日".into()), expand: false });
        assert!(html.contains("<title>第2次みどり市総合計画 点検結果</title>"), "the municipality is in the plan's name: not said twice");
        let header = &html[html.find("<header>").unwrap()..html.find("</header>").unwrap()];
        for part in ["みどり市 · ", "実績 令和4年度 / 目標 令和6年度", "作成 2026年12月6日", concat!("plancheck ", env!("CARGO_PKG_VERSION"))] {
            assert!(header.contains(part), "{part}: {header}");
        }
        let summary = &html[html.find("<section class=\"summary\">").unwrap()..html.find("</section>").unwrap()];
        assert!(summary.contains("2 の施策を点検しました。1 の施策に、あわせて"), "{summary}");
        assert!(summary.contains("<a href=\"#m1-1-1\"><span class=\"id\">1-1-1</span></a>"), "the 施策 with findings, its ID unbroken");
        assert!(!summary.contains("1-1-2"), "a 施策 without findings is not listed");
        assert!(summary.contains("指標の定量評価が、実績と目標から計算した評価と違う"), "findings named by their Japanese summary");
        assert!(summary.contains("施策に代表課がない"));
        // Located in words, the file and line small.
        assert!(html.contains("指標「参加者数」 · <code>定量評価</code> <small>a.plan:14</small>"), "{html}");
        // No literal Markdown: every backtick of a message became <code>.
        let text_outside_tags: String = html.split('<').map(|part| part.split_once('>').map_or(part, |(_, text)| text)).collect();
        assert!(!text_outside_tags.contains('`'), "a literal backtick is shown");
        let en = report_with(&analysis, Lang::En, &ReportOptions::default());
        assert!(en.contains("2 measures were checked: ") && en.contains("<title>第2次みどり市総合計画 check report</title>"), "English on request");
    }

    /// The prose is in the report, folded; `--expand` opens it for printing.
    #[test]
    fn prose_is_folded_in_details_and_open_when_expanded() {
        let analysis = plancheck_linter::check_text("a.plan", CARD, Lang::Ja);
        let folded = report(&analysis, Lang::Ja);
        assert!(folded.contains("<details><summary>施策の文章 (自己評価・次期課題など)</summary><dl><dt>自己評価</dt><dd>受診率は上がった。<br>目標には届かない。</dd></dl></details>"), "{folded}");
        assert!(folded.contains("<details><summary>展開「予防」の取組・成果・課題</summary><dl><dt>成果</dt><dd>教室を開いた。</dd><dt>課題</dt><dd>働く世代が少ない。</dd></dl></details>"));
        let open = report_with(&analysis, Lang::Ja, &ReportOptions { date: None, expand: true });
        assert!(open.contains("<details open><summary>施策の文章") && !open.contains("<details><summary>"));
        assert!(!folded.contains("<script"), "still no script");
    }

    #[test]
    fn messages_show_code_spans_as_code_and_a_lone_backtick_as_it_is() {
        assert_eq!(message_html("`代表課` がありません"), "<code>代表課</code> がありません");
        assert_eq!(message_html("a `b` c `d"), "a <code>b</code> c `d");
        assert_eq!(message_html("`<x>`"), "<code>&lt;x&gt;</code>");
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
