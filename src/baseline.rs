//! Baselines: today's findings recorded (`check --write-baseline FILE`), so
//! that CI reports only the new ones (`check --baseline FILE`) while an
//! office works through the old ones.
//!
//! A finding's identity survives unrelated edits: its rule, its file
//! (relative to the baseline's folder), the 施策 it is in (its ID, or its
//! title), the innermost block it is in (keyword and title), and a hash of
//! the normalised source text it points at (NFKC, without blanks and
//! punctuation). Never a line or a column: adding a 施策 above changes
//! none of them. Findings with the same identity are counted, so a second
//! copy of the same mistake in the same block is new.
//!
//! The file is JSON, sorted, one entry per identity, with the message of
//! the first finding for the reader (not part of the identity): stable to
//! diff and to review.

use crate::Analysis;
use crate::diagnostics::Diagnostic;
use crate::model::{BlockKind, Document};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The version of the file's format.
pub const VERSION: u32 = 1;

/// The largest count an entry may record: far more findings than any plan
/// has, and small enough that adding counts up cannot overflow.
pub const MAX_COUNT: usize = u32::MAX as usize;

/// A count from a baseline file, refused (at its place in the file) when out of range.
fn count_in_range<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    let count = u64::deserialize(deserializer)?;
    match usize::try_from(count) {
        Ok(count) if (1..=MAX_COUNT).contains(&count) => Ok(count),
        _ => Err(serde::de::Error::custom(format!("count {count} is out of range: a count is between 1 and {MAX_COUNT}"))),
    }
}

/// What identifies a finding across edits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Identity {
    /// The file, relative to the baseline's folder, with `/`.
    pub path: String,
    /// The enclosing 施策: its ID, or its title when it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
    /// The innermost enclosing block: `指標 参加者数`, `施策 地域医療`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<String>,
    pub rule: String,
    /// xxh3 of the normalised text the finding points at, in hex.
    pub text: String,
}

/// One identity and how many findings have it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    #[serde(flatten)]
    pub identity: Identity,
    /// How many findings have this identity: 1 to [`MAX_COUNT`] in a file.
    #[serde(deserialize_with = "count_in_range")]
    pub count: usize,
    /// The first finding's message, for whoever reads the file.
    #[serde(default)]
    pub message: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

/// The recorded findings, by identity.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Baseline {
    pub entries: BTreeMap<Identity, Entry>,
}

/// What applying a baseline did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Findings left out as already recorded.
    pub known: usize,
    /// Recorded findings that are no longer there (fixed, or their text
    /// changed), with how many of each are gone.
    pub gone: Vec<Entry>,
}

impl Baseline {
    /// Every finding of `analysis`; paths relative to `folder` (the
    /// baseline file's folder).
    pub fn of(analysis: &Analysis, folder: &Path) -> Baseline {
        let mut baseline = Baseline::default();
        let folder = absolute(folder);
        for d in &analysis.diagnostics {
            let identity = identity(analysis, d, &folder);
            let count = &mut baseline.entries.entry(identity.clone()).or_insert_with(|| Entry { identity, count: 0, message: d.message.clone() }).count;
            *count = count.saturating_add(1);
        }
        baseline
    }

    /// The file's text: pretty JSON, sorted, ending with a line end.
    pub fn to_json(&self) -> String {
        let file = File { version: VERSION, findings: self.entries.values().cloned().collect() };
        serde_json::to_string_pretty(&file).expect("a baseline serialises") + "\n"
    }

    /// Reads a baseline file's text (`path` for messages).
    /// A leading BOM (an editor's) is accepted.
    pub fn from_json(path: &Path, text: &str) -> Result<Baseline, String> {
        let bom = text.starts_with('\u{feff}');
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let file: File = serde_json::from_str(text).map_err(|e| {
            // Columns as the file has them (the BOM is one character on line 1).
            let column = if bom && e.line() == 1 { e.column() + 1 } else { e.column() };
            let message = e.to_string();
            let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(m, _)| m);
            format!("{}:{}:{column}: not a plancheck baseline: {message}", path.display(), e.line())
        })?;
        if file.version != VERSION {
            return Err(format!("{}: baseline version {} is not supported (this plancheck writes version {VERSION}); write it again with --write-baseline", path.display(), file.version));
        }
        let mut baseline = Baseline::default();
        for entry in file.findings {
            let recorded = &mut baseline.entries.entry(entry.identity.clone()).or_insert_with(|| Entry { count: 0, ..entry.clone() }).count;
            *recorded = recorded.saturating_add(entry.count);
        }
        Ok(baseline)
    }

    /// Leaves out of `analysis` the findings the baseline records (as many
    /// of each identity as it counts); says what it left out and what is gone.
    pub fn apply(&self, analysis: &mut Analysis, folder: &Path) -> Applied {
        let folder = absolute(folder);
        let mut remaining: BTreeMap<&Identity, usize> = self.entries.iter().map(|(k, e)| (k, e.count)).collect();
        let mut applied = Applied::default();
        let diagnostics = std::mem::take(&mut analysis.diagnostics);
        let mut kept = Vec::with_capacity(diagnostics.len());
        for d in diagnostics {
            let identity = identity(analysis, &d, &folder);
            match remaining.get_mut(&identity) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    applied.known += 1;
                }
                _ => kept.push(d),
            }
        }
        analysis.diagnostics = kept;
        applied.gone = remaining.into_iter().filter(|(_, n)| *n > 0).map(|(identity, n)| Entry { count: n, ..self.entries[identity].clone() }).collect();
        applied
    }
}

/// A finding's identity (see the module docs).
pub fn identity(analysis: &Analysis, d: &Diagnostic, folder: &Path) -> Identity {
    let doc: &Document = &analysis.workspace.docs[d.file];
    let block = doc.innermost_block(d.span);
    let measure = block.and_then(|b| doc.enclosing(b, BlockKind::Measure)).map(|m| {
        let m = &doc.blocks[m];
        m.id.as_ref().or(m.title.as_ref()).map_or_else(String::new, |s| s.value.clone())
    });
    let block = block.map(|b| {
        let b = &doc.blocks[b];
        match &b.title {
            Some(title) => format!("{} {}", b.keyword.value, title.value),
            None => b.keyword.value.clone(),
        }
    });
    let text = doc.text.get(d.span.start..d.span.end).unwrap_or_default();
    let text = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(crate::model::prose::normalize(text).as_bytes()));
    Identity { path: relative(Path::new(&doc.path), folder), measure, block, rule: d.rule.name.to_string(), text }
}

/// `path` relative to `folder` (both made absolute), with `/`; as given
/// when it is not under it (or is not a file, like standard input).
fn relative(path: &Path, folder: &Path) -> String {
    let full = absolute(path);
    full.strip_prefix(folder).map_or_else(|_| path.to_path_buf(), Path::to_path_buf).to_string_lossy().replace('\\', "/")
}

/// The canonical path when it exists, else the absolute one.
fn absolute(path: &Path) -> PathBuf {
    path.canonicalize().or_else(|_| std::path::absolute(path)).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigResolver;
    use crate::diagnostics::Lang;

    const PLAN: &str = "施策 1-1-1 健康 {\n  全体評価: A\n  指標 参加者数 {\n    実績: 50人\n    目標: 100人\n    定量評価: A\n  }\n}\n";

    fn analysis(text: &str) -> Analysis {
        crate::analyze(vec![("plans/a.plan".into(), text.into())], &mut ConfigResolver::default(), Lang::Ja).unwrap()
    }

    #[test]
    fn findings_keep_their_identity_when_lines_move_and_new_ones_are_reported() {
        let before = analysis(PLAN);
        assert!(!before.diagnostics.is_empty());
        let folder = std::env::current_dir().unwrap();
        let baseline = Baseline::of(&before, &folder);
        let read = Baseline::from_json(Path::new("b.json"), &baseline.to_json()).unwrap();
        assert_eq!(read, baseline, "round trip");
        // Lines added above move every finding; none is new.
        let moved = format!("# 前書き\n\n施策 1-1-0 前 {{\n  全体評価: B\n  代表課: 企画課\n}}\n{PLAN}");
        let mut after = analysis(&moved);
        let fresh_for_the_new_block = after.diagnostics.iter().filter(|d| d.span.start < moved.find("施策 1-1-1").unwrap()).count();
        let applied = baseline.apply(&mut after, &folder);
        assert_eq!(applied.known, before.diagnostics.len());
        assert!(applied.gone.is_empty(), "{:?}", applied.gone);
        assert_eq!(after.diagnostics.len(), fresh_for_the_new_block, "only the new 施策's findings are new");
        // A second wrong grade in another indicator of the same 施策 is new;
        // fixing the old one makes it gone.
        let changed = PLAN.replace("定量評価: A", "定量評価: D").replace("  }\n}", "  }\n  指標 相談件数 {\n    実績: 10件\n    目標: 100件\n    定量評価: A\n  }\n}");
        let mut after = analysis(&changed);
        let applied = baseline.apply(&mut after, &folder);
        let rules: Vec<_> = after.diagnostics.iter().map(|d| d.rule.name).collect();
        assert!(rules.contains(&"rating-mismatch"), "{rules:?}");
        assert!(applied.gone.iter().any(|e| e.identity.rule == "rating-mismatch" && e.identity.block.as_deref() == Some("指標 参加者数")), "{:?}", applied.gone);
    }

    #[test]
    fn the_file_is_sorted_json_with_relative_paths_and_bad_files_are_clear_errors() {
        let baseline = Baseline::of(&analysis(PLAN), &std::env::current_dir().unwrap());
        let json = baseline.to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["version"], 1);
        assert!(value["findings"].as_array().unwrap().iter().all(|f| f["path"] == "plans/a.plan" && f["measure"] == "1-1-1"), "{json}");
        let error = Baseline::from_json(Path::new("b.json"), "{\"version\": 1, \"findings\": [{]}").unwrap_err();
        assert!(error.starts_with("b.json:1:"), "{error}");
        assert!(Baseline::from_json(Path::new("b.json"), "{\"version\": 9, \"findings\": []}").unwrap_err().contains("version 9"));
    }

    #[test]
    fn counts_out_of_range_are_errors_at_their_place_and_large_ones_do_not_overflow() {
        let entry = |count: &str| format!("{{\"path\": \"a.plan\", \"rule\": \"rating-mismatch\", \"text\": \"00\", \"count\": {count}}}");
        for count in ["0", "-1", "18446744073709551616", "4294967296", "1.5"] {
            let text = format!("{{\"version\": 1,\n \"findings\": [\n  {}\n]}}", entry(count));
            let error = Baseline::from_json(Path::new("b.json"), &text).unwrap_err();
            assert!(error.starts_with("b.json:3:"), "{count}: {error}");
        }
        // Two entries of the same identity at the largest count: added without overflow.
        let max = MAX_COUNT.to_string();
        let text = format!("{{\"version\": 1, \"findings\": [{}, {}]}}", entry(&max), entry(&max));
        let baseline = Baseline::from_json(Path::new("b.json"), &text).unwrap();
        assert_eq!(baseline.entries.values().next().unwrap().count, MAX_COUNT * 2);
    }

    #[test]
    fn a_baseline_with_a_bom_is_read() {
        let baseline = Baseline::of(&analysis(PLAN), &std::env::current_dir().unwrap());
        let with_bom = format!("\u{feff}{}", baseline.to_json());
        assert_eq!(Baseline::from_json(Path::new("b.json"), &with_bom).unwrap(), baseline);
        let error = Baseline::from_json(Path::new("b.json"), "\u{feff}{\"version\": 1, \"findings\": x}").unwrap_err();
        assert!(error.starts_with("b.json:1:29: not a plancheck baseline: expected value"), "the column counts the BOM: {error}");
    }
}
