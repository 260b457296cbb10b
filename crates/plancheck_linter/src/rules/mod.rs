//! The rules: pure functions from the model to diagnostics, one per file.
//!
//! Each rule file declares a [`RuleMeta`] (stable name, short code, default
//! severity, documentation in Japanese and English, shown by
//! `plancheck explain` and generated into `docs/rules/`) and a `check`
//! function. A rule is either a file rule, which sees one document and its
//! settings ([`FileContext`]: its findings are cached per document), or a
//! workspace rule, which sees every file ([`Context`]); the registry below
//! says which, and `RuleMeta::scope` must agree (a test checks it). Messages
//! are written with `msg!(lang, ja, en)`, which formats only the language
//! asked for. [`check_workspace`] runs them all, then applies configured
//! severities and suppressions.
//!
//! Adding a rule: a file here with its `RULE` and `check`, one line in
//! `registry!`, a fixture in `tests/fixtures/rules/` (its snapshot is made
//! by insta), and `PLANCHECK_UPDATE_DOCS=1 cargo test --test docs` for its
//! page.

use crate::diagnostics::{Diagnostic, Lang};
use crate::model::{Document, FileId, Hierarchy, Workspace};
use crate::settings::{Config, ResolvedConfig};
use std::sync::Arc;

mod helpers;
pub(crate) mod text_normalize;

pub use crate::diagnostics::{RuleMeta, Scope};

/// How a rule is run.
#[derive(Clone, Copy)]
pub enum Check {
    /// On one document at a time, with its own settings.
    File(fn(&FileContext<'_>, &mut Vec<Diagnostic>)),
    /// On the whole workspace (duplicates across files, the plan's years).
    Workspace(fn(&Context<'_>, &mut Vec<Diagnostic>)),
}

impl Check {
    pub fn scope(self) -> Scope {
        match self {
            Check::File(_) => Scope::File,
            Check::Workspace(_) => Scope::Workspace,
        }
    }
}

/// A rule: what it is and how it is run.
pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: Check,
}

impl Rule {
    /// Runs this rule alone over the workspace, with no severities or
    /// suppressions applied (benchmarks, tests): a file rule on each
    /// document in turn, its findings placed in that document.
    pub fn run(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        match self.check {
            Check::Workspace(check) => check(ctx, out),
            Check::File(check) => {
                let ratings = plan_ratings(ctx.workspace, ctx.configs);
                let hierarchy = ctx.workspace.hierarchy();
                for (file, doc) in ctx.workspace.docs.iter().enumerate() {
                    let mut found = Vec::new();
                    check(&FileContext::new(doc, ctx.config(file), ratings[file].as_deref(), ctx.lang).with_hierarchy(&hierarchy), &mut found);
                    out.extend(found.into_iter().map(|d| in_file(d, file)));
                }
            }
        }
    }
}

/// Each document's rating scheme with the plan's legend laid over it
/// (`None`: its config's applies as it is), read once per distinct config,
/// not once per file.
fn plan_ratings(workspace: &Workspace, configs: &[Arc<ResolvedConfig>]) -> Vec<Option<Arc<crate::rating::RatingScheme>>> {
    let plan = workspace.plan_header().map(|(_, b)| b);
    let mut read: std::collections::HashMap<usize, Option<Arc<crate::rating::RatingScheme>>> = std::collections::HashMap::new();
    configs.iter().map(|config| read.entry(Arc::as_ptr(config) as usize).or_insert_with(|| config.config.rating.with_plan(plan).map(Arc::new)).clone()).collect()
}

/// A file rule's finding (made with file 0, the document alone) placed in
/// document `file` of the workspace, with its related places.
fn in_file(mut d: Diagnostic, file: FileId) -> Diagnostic {
    d.file = file;
    for related in &mut d.related {
        related.file = file;
    }
    d
}

/// Declares the rule modules and [`RULES`] from one list, so that a rule
/// cannot be declared and left out of the registry (or the reverse).
macro_rules! registry {
    ($($scope:ident $module:ident,)*) => {
        $(mod $module;)*
        /// Every rule, in the order of the spec's table (plancheck's
        /// extensions last).
        pub static RULES: &[Rule] = &[$(Rule { meta: &$module::RULE, check: registry!(@check $scope $module) },)*];
    };
    (@check File $module:ident) => { Check::File($module::check) };
    (@check Workspace $module:ident) => { Check::Workspace($module::check) };
}

registry! {
    File syntax_error,
    File invalid_value,
    File unknown_field,
    File misplaced_field,
    Workspace duplicate_id,
    File id_hierarchy_mismatch,
    File missing_field,
    File missing_department,
    File rating_mismatch,
    File quantitative_summary_mismatch,
    File qualitative_summary_mismatch,
    File unit_mismatch,
    Workspace duplicate_text,
    Workspace near_duplicate_text,
    Workspace period_mismatch,
    // plancheck's extensions of the spec's table
    File unknown_block,
    File misplaced_block,
    File invalid_id,
    File duplicate_field,
    File invalid_directive,
    File unknown_department,
    File missing_direction,
    File target_not_beyond_baseline,
    File ratio_mismatch,
    File direction_mismatch,
    File dash_without_reason,
    File missing_status,
    File cumulative_decrease,
}

pub fn all() -> impl Iterator<Item = &'static RuleMeta> {
    RULES.iter().map(|rule| rule.meta)
}

/// A rule by name or code (`rating-mismatch`, `PC201`).
pub fn by_name(name: &str) -> Option<&'static RuleMeta> {
    all().find(|r| r.name == name || r.code.eq_ignore_ascii_case(name))
}

/// The rule name closest to a misspelt one.
pub fn closest_name(name: &str) -> Option<&'static str> {
    all().map(|r| (rapidfuzz::distance::levenshtein::distance(name.chars(), r.name.chars()), r.name)).filter(|(d, _)| *d <= 3).min().map(|(_, n)| n)
}

/// The other members of a group of `len` copies that a finding on member
/// `at` lists as related: every one when there are at most
/// [`MAX_RELATED`](crate::diagnostics::MAX_RELATED); in a larger group the
/// first, the one before and the one after, so that every copy can be
/// reached by following them and `k` copies make at most `3k` related
/// places, not `20k` (the message gives the number in all).
pub(crate) fn related_members(len: usize, at: usize) -> Vec<usize> {
    if len <= crate::diagnostics::MAX_RELATED + 1 {
        return (0..len).filter(|&j| j != at).collect();
    }
    let mut members = vec![0, at.saturating_sub(1), at + 1];
    members.retain(|&j| j != at && j < len);
    members.dedup();
    members
}

/// What a workspace rule sees: the workspace, each file's config, the language.
pub struct Context<'a> {
    pub workspace: &'a Workspace,
    pub configs: &'a [Arc<ResolvedConfig>],
    pub lang: Lang,
}

impl<'a> Context<'a> {
    pub fn config(&self, file: FileId) -> &'a Config {
        &self.configs[file].config
    }
}

/// What a file rule sees: one document, its settings, the language.
pub struct FileContext<'a> {
    pub doc: &'a Document,
    pub config: &'a Config,
    /// The rating scheme in effect: the config's, with the legend the
    /// plan's 計画 block writes (in whichever file it is) laid over it.
    pub rating: &'a crate::rating::RatingScheme,
    /// The plan's hierarchy (its levels and numbering), as its 計画 block declares it.
    pub hierarchy: std::borrow::Cow<'a, Hierarchy>,
    pub lang: Lang,
    /// The file of the findings: always 0, the document checked alone (the
    /// engine gives them the document's place in the workspace).
    pub file: FileId,
}

impl<'a> FileContext<'a> {
    /// `plan_rating`: the config's scheme with the plan's legend, when the
    /// plan writes one ([`RatingScheme::with_plan`](crate::rating::RatingScheme::with_plan)).
    pub fn new(doc: &'a Document, config: &'a Config, plan_rating: Option<&'a crate::rating::RatingScheme>, lang: Lang) -> Self {
        FileContext { doc, config, rating: plan_rating.unwrap_or(&config.rating), hierarchy: std::borrow::Cow::Owned(Hierarchy::default()), lang, file: 0 }
    }

    /// With the plan's hierarchy (the default is the spec's).
    pub fn with_hierarchy(mut self, hierarchy: &'a Hierarchy) -> Self {
        self.hierarchy = std::borrow::Cow::Borrowed(hierarchy);
        self
    }
}

/// Runs every enabled rule over the workspace; returns the diagnostics with
/// configured severities, suppressions applied, sorted by file and position.
/// `configs[i]` is the config of `workspace.docs[i]`.
pub fn check_workspace(workspace: &Workspace, configs: &[Arc<ResolvedConfig>], lang: Lang) -> Vec<Diagnostic> {
    check(workspace, configs, lang, None)
}

/// The findings of the [`Scope::File`] rules, per document: reused as long
/// as the document (the same `Arc`), its config and the language are the
/// same. The language server keeps one across changes, so a change re-runs
/// those rules on the edited file only.
#[derive(Default)]
pub struct FileFindings {
    entries: Vec<FileEntry>,
    /// How many documents the last check took from the cache.
    reused: usize,
}

impl FileFindings {
    /// How many documents' file-rule findings the last check reused
    /// instead of running the rules again.
    pub fn reused(&self) -> usize {
        self.reused
    }
}

struct FileEntry {
    doc: Arc<crate::model::Document>,
    config: Arc<ResolvedConfig>,
    /// The scheme with the plan's legend, when it writes one (a legend
    /// changed in another file changes this file's findings).
    rating: Option<Arc<crate::rating::RatingScheme>>,
    /// The plan's hierarchy (declared in another file, it changes this one's findings).
    hierarchy: Hierarchy,
    lang: Lang,
    /// With file ID 0 (the document checked alone).
    found: Vec<Diagnostic>,
}

/// [`check_workspace`], reusing and updating `cache`.
pub fn check_workspace_with(workspace: &Workspace, configs: &[Arc<ResolvedConfig>], lang: Lang, cache: &mut FileFindings) -> Vec<Diagnostic> {
    check(workspace, configs, lang, Some(cache))
}

/// Both of the above: without a cache, each document's file findings are
/// moved into the result instead of kept and copied (a check of a large
/// document holds one copy of its findings, not two).
fn check(workspace: &Workspace, configs: &[Arc<ResolvedConfig>], lang: Lang, mut cache: Option<&mut FileFindings>) -> Vec<Diagnostic> {
    assert_eq!(workspace.docs.len(), configs.len(), "one config per document");
    let ctx = Context { workspace, configs, lang };
    let enabled = |meta: &RuleMeta| configs.iter().any(|c| c.config.severity(meta).is_some());
    let mut all = Vec::new();
    // File rules, per document, from the cache when it has them.
    let mut entries = Vec::with_capacity(workspace.docs.len());
    // The previous entries by document (its `Arc`'s address), so that
    // finding a document's entry is one lookup, not a scan of the cache
    // (with thousands of files, a scan per file is quadratic per edit).
    let mut previous: std::collections::HashMap<usize, Vec<FileEntry>> = std::collections::HashMap::new();
    for entry in cache.as_deref_mut().map(|c| std::mem::take(&mut c.entries)).unwrap_or_default() {
        previous.entry(Arc::as_ptr(&entry.doc) as usize).or_default().push(entry);
    }
    let mut reused_count = 0;
    let ratings = plan_ratings(workspace, configs);
    let hierarchy = workspace.hierarchy();
    // The cached entries first (one lookup each), then the file rules of the
    // other documents on every core: each document's findings are its own.
    let mut reused: Vec<Option<FileEntry>> = workspace
        .docs
        .iter()
        .enumerate()
        .map(|(file, doc)| {
            let (config, rating) = (&configs[file], &ratings[file]);
            previous.get_mut(&(Arc::as_ptr(doc) as usize)).and_then(|candidates| {
                let i = candidates.iter().position(|e| Arc::ptr_eq(&e.doc, doc) && Arc::ptr_eq(&e.config, config) && e.lang == lang && e.rating == *rating && e.hierarchy == hierarchy)?;
                Some(candidates.swap_remove(i))
            })
        })
        .collect();
    reused_count += reused.iter().filter(|e| e.is_some()).count();
    let run_file_rules = |file: usize, reused: &mut Option<FileEntry>| {
        reused.take().unwrap_or_else(|| {
            let (doc, config, rating) = (&workspace.docs[file], &configs[file], &ratings[file]);
            let file_ctx = FileContext::new(doc, &config.config, rating.as_deref(), lang).with_hierarchy(&hierarchy);
            let mut found = Vec::new();
            for rule in RULES {
                if let Check::File(check) = rule.check
                    && config.config.severity(rule.meta).is_some()
                {
                    check(&file_ctx, &mut found);
                }
            }
            FileEntry { doc: doc.clone(), config: config.clone(), rating: rating.clone(), hierarchy: hierarchy.clone(), lang, found }
        })
    };
    // One document (a city's sheet, the editor's common case): no hand-off to
    // the thread pool, which would cost more than it gives.
    let computed: Vec<FileEntry> = if workspace.docs.len() > 1 {
        use rayon::prelude::*;
        reused.par_iter_mut().enumerate().map(|(file, reused)| run_file_rules(file, reused)).collect()
    } else {
        reused.iter_mut().enumerate().map(|(file, reused)| run_file_rules(file, reused)).collect()
    };
    for (file, entry) in computed.into_iter().enumerate() {
        if cache.is_some() {
            all.extend(entry.found.iter().cloned().map(|d| in_file(d, file)));
            entries.push(entry);
        } else {
            all.extend(entry.found.into_iter().map(|d| in_file(d, file)));
        }
    }
    // The comparable prose of every document, on every core, before the
    // workspace rules (which read it in one pass over the workspace).
    if workspace.docs.len() > 1 {
        use rayon::prelude::*;
        workspace.docs.par_iter().for_each(|doc| {
            doc.prose();
        });
    }
    if let Some(cache) = cache {
        cache.entries = entries;
        cache.reused = reused_count;
    }
    for rule in RULES {
        // A rule that is off everywhere is not run at all.
        if let Check::Workspace(check) = rule.check
            && enabled(rule.meta)
        {
            check(&ctx, &mut all);
        }
    }
    let suppressions: Vec<Suppressions> = workspace.docs.iter().map(|doc| Suppressions::of(doc)).collect();
    let mut kept: Vec<Diagnostic> = all
        .into_iter()
        .filter_map(|mut d| {
            d.severity = ctx.config(d.file).severity(d.rule)?;
            (!suppressions[d.file].covers(&d) && !in_guessed_structure(&workspace.docs[d.file], &d)).then(|| d.bounded())
        })
        .collect();
    kept.sort_by(|a, b| (a.file, a.span.start, a.span.end, a.rule.code).cmp(&(b.file, b.span.start, b.span.end, b.rule.code)));
    kept.dedup_by(|a, b| a.file == b.file && a.span == b.span && a.rule == b.rule && a.message == b.message);
    kept
}

/// The rules that judge what a block contains, or where it stands: they
/// say nothing where a missing `}` made the structure a guess
/// ([`Document::guessed`](crate::model::Document)).
const STRUCTURE_RULES: [&str; 10] = [
    "missing-field",
    "missing-department",
    "misplaced-field",
    "misplaced-block",
    "duplicate-field",
    "id-hierarchy-mismatch",
    "duplicate-id",
    "quantitative-summary-mismatch",
    "qualitative-summary-mismatch",
    "unknown-field",
];

fn in_guessed_structure(doc: &crate::model::Document, d: &Diagnostic) -> bool {
    STRUCTURE_RULES.contains(&d.rule.name) && doc.guessed.iter().any(|g| g.contains(d.span))
}

/// A document's suppression directives by rule: the rules its `allow-file`
/// names, and for each rule the places its `allow(...)` directives cover,
/// merged into disjoint sorted ranges. A finding is looked up by binary
/// search, so many directives and many findings cost `n log n`, not their
/// product.
#[derive(Default)]
struct Suppressions {
    whole_file: Vec<&'static str>,
    /// Rule name → disjoint `[start, end]` byte ranges, sorted.
    covered: std::collections::HashMap<&'static str, Vec<(usize, usize)>>,
}

impl Suppressions {
    fn of(doc: &crate::model::Document) -> Suppressions {
        let mut s = Suppressions::default();
        if doc.allows.is_empty() && doc.file_allows.is_empty() {
            return s;
        }
        // A directive names a rule by its name or its code (see `by_name`).
        for allow in &doc.file_allows {
            s.whole_file.extend(allow.rules.iter().filter_map(|r| by_name(&r.value)).map(|rule| rule.name));
        }
        for allow in &doc.allows {
            let Some(scope) = allow.scope else { continue };
            for rule in allow.rules.iter().filter_map(|r| by_name(&r.value)) {
                s.covered.entry(rule.name).or_default().push((scope.start, scope.end));
            }
        }
        for ranges in s.covered.values_mut() {
            ranges.sort_unstable();
            let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
            for &(start, end) in ranges.iter() {
                match merged.last_mut() {
                    Some(last) if start <= last.1 => last.1 = last.1.max(end),
                    _ => merged.push((start, end)),
                }
            }
            *ranges = merged;
        }
        s
    }

    /// Whether a directive covers the finding (the start of its span).
    fn covers(&self, d: &Diagnostic) -> bool {
        if self.whole_file.contains(&d.rule.name) {
            return true;
        }
        let Some(ranges) = self.covered.get(d.rule.name) else {
            return false;
        };
        let at = d.span.start;
        let before = ranges.partition_point(|&(start, _)| start <= at);
        before > 0 && ranges[before - 1].1 >= at
    }
}

#[cfg(test)]
mod suppression_tests {
    use super::*;

    /// The first implementation: every directive tried for every finding.
    fn suppressed_by_scan(doc: &crate::model::Document, d: &Diagnostic) -> bool {
        let names = |allow: &crate::model::Allow| allow.rules.iter().any(|r| r.value == d.rule.name || r.value.eq_ignore_ascii_case(d.rule.code));
        doc.file_allows.iter().any(names) || doc.allows.iter().any(|allow| allow.scope.is_some_and(|scope| scope.contains(crate::syntax::Span::new(d.span.start, d.span.start))) && names(allow))
    }

    #[test]
    fn merged_ranges_suppress_exactly_what_the_directives_cover() {
        let mut text = String::from("# plancheck: allow-file(pc104)\n");
        for n in 1..=40 {
            let (outer, inner) = match n % 4 {
                0 => ("# plancheck: allow(missing-field)\n", ""),
                1 => ("", "  # plancheck: allow(PC201, missing-department)\n"),
                2 => ("# plancheck: allow(rating-mismatch)\n# plancheck: allow(missing-field)\n", "  # plancheck: allow(rating-mismatch)\n"),
                _ => ("", ""),
            };
            text.push_str(&format!("{outer}施策 1-1-{n} x {{\n  全体評価: A\n{inner}  指標 y {{\n    実績: 5人\n    目標: 10人\n    定量評価: A\n  }}\n  定量評価: 高\n}}\n"));
        }
        let doc = Arc::new(crate::model::Document::parse("s.plan", text));
        let workspace = Workspace::from_shared(vec![doc.clone()]);
        let ctx_configs = [Arc::new(ResolvedConfig::default())];
        let ctx = Context { workspace: &workspace, configs: &ctx_configs, lang: Lang::En };
        let mut all = Vec::new();
        for rule in RULES {
            rule.run(&ctx, &mut all);
        }
        let suppressions = Suppressions::of(&doc);
        let mut hidden = 0;
        for d in &all {
            assert_eq!(suppressions.covers(d), suppressed_by_scan(&doc, d), "{} at {}", d.rule.name, d.span.start);
            hidden += usize::from(suppressions.covers(d));
        }
        assert!(hidden >= 10 && hidden < all.len(), "{hidden} of {}", all.len());
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;
    use crate::model::Document;

    #[test]
    fn cached_file_findings_equal_a_fresh_check() {
        let files = plancheck_generate::workspace(5, 3, 20_000);
        let docs: Vec<Arc<Document>> = files.iter().map(|(p, t)| Arc::new(Document::parse(p.as_str(), t.as_str()))).collect();
        let configs: Vec<Arc<ResolvedConfig>> = (0..docs.len()).map(|_| Arc::default()).collect();
        let mut cache = FileFindings::default();
        let workspace = Workspace::from_shared(docs.clone());
        let fresh = check_workspace(&workspace, &configs, Lang::Ja);
        assert!(fresh.len() > 10);
        assert_eq!(check_workspace_with(&workspace, &configs, Lang::Ja, &mut cache), fresh);
        assert_eq!(check_workspace_with(&workspace, &configs, Lang::Ja, &mut cache), fresh, "from the cache");
        // One file edited (a wrong grade, a missing 代表課): only it is re-checked,
        // and the result is a fresh check's.
        let edited = files[1].1.replacen("定量評価: A", "定量評価: D", 1).replacen("      代表課:", "      備考:", 1);
        let mut docs = docs;
        docs[1] = Arc::new(Document::parse(files[1].0.as_str(), edited));
        let workspace = Workspace::from_shared(docs);
        let fresh = check_workspace(&workspace, &configs, Lang::Ja);
        assert_eq!(check_workspace_with(&workspace, &configs, Lang::Ja, &mut cache), fresh);
        // The language is part of the key.
        assert_eq!(check_workspace_with(&workspace, &configs, Lang::En, &mut cache), check_workspace(&workspace, &configs, Lang::En));
    }
}
