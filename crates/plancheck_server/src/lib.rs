//! `plancheck lsp`: the language server, over stdio, on tower-lsp-server.
//!
//! A front end only: it keeps open documents (text, rope, incrementally
//! parsed tree) and the workspace's other `.plan` files, and asks the same
//! library functions as the CLI for the findings (`rules::check_workspace`
//! with configs from `ConfigResolver::for_file`). Requests are handled one
//! at a time (concurrency 1), so document changes apply in order; analysis
//! runs in a background task, one check at a time (changes made during a
//! check are checked together right after it), and is published only for
//! the document versions it was computed from. An edit inside a value
//! patches the edited document's model instead of rebuilding it
//! (`model::Document::patched`).

pub mod document;
mod guard;
mod output;
mod transport;

// The lower layers' modules under their own names.
use plancheck_core::{load, model, syntax};
use plancheck_linter::{config, diagnostics, fix, format, rating, rules};

use crate::config::{ConfigResolver, ResolvedConfig};
use crate::diagnostics::{Diagnostic as Finding, Lang, Severity};
use crate::model::{Document, Workspace};
use document::{Encoding, OpenDocument};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

/// Runs the server on standard input and output until `exit` (or the end
/// of input). Exits the process with status 1 when the session ended
/// without a `shutdown` request (the protocol's rule for `exit`).
pub fn run() -> std::io::Result<()> {
    test_panic_points(); // the test hook is read once, at startup
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let shut_down = runtime.block_on(async {
        let mut parts = None;
        let (service, socket) = LspService::new(|client| {
            let backend = Backend::new(client.clone());
            parts = Some((client, backend.state.clone()));
            backend
        });
        let (client, state) = parts.expect("LspService::new builds the backend");
        // Standard output takes tower-lsp-server's frames and the server's
        // diagnostics (serialized without tower-lsp-server's Value tree).
        let output = output::start(tokio::io::stdout());
        lock(&state).output = Some(output.output.clone());
        // Every handler runs inside the guard (panics contained, stale
        // cancellations dropped, the transport's refusals answered).
        let service = guard::Guard::new(service, client, state);
        let shut_down = service.shut_down.clone();
        // The transport ends the session at the first undecodable message;
        // a sanitising reader in front of it checks every frame.
        let (reader, mut writer) = tokio::io::duplex(1 << 20);
        tokio::spawn(async move {
            let _ = transport::sanitize(tokio::io::stdin(), &mut writer).await;
        });
        Server::new(reader, output.server_side, socket).concurrency_level(1).serve(service).await;
        output.done.finish().await;
        shut_down.load(std::sync::atomic::Ordering::SeqCst)
    });
    // After `exit` (or the client going away), do not wait for a check in
    // progress: the process ends now.
    runtime.shutdown_background();
    if !shut_down {
        use std::io::Write;
        let _ = std::io::stdout().flush();
        std::process::exit(1);
    }
    Ok(())
}

/// Test hook, compiled in but inert unless the variable is set (read once,
/// at startup): `PLANCHECK_TEST_PANIC=hover,didChange,analysis` (any of
/// them) makes that handler panic when the document it works on contains
/// [`TEST_PANIC_MARKER`]. No known input makes the server panic, and the
/// test suite needs one to check that panics are contained.
fn test_panic_points() -> &'static [String] {
    static POINTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    POINTS.get_or_init(|| std::env::var("PLANCHECK_TEST_PANIC").map(|v| v.split(',').map(|p| p.trim().to_string()).collect()).unwrap_or_default())
}

/// See [`test_panic_points`].
const TEST_PANIC_MARKER: &str = "plancheck-test-panic";

fn test_panic(point: &str, text: &str) {
    if test_panic_points().iter().any(|p| p == point) && text.contains(TEST_PANIC_MARKER) {
        panic!("test panic in {point} (PLANCHECK_TEST_PANIC)");
    }
}

struct State {
    encoding: Encoding,
    /// Whether the client accepts dynamic registration of file watching.
    can_watch: bool,
    /// Whether the client understands nested document symbols.
    hierarchical_symbols: bool,
    /// The URI each open document was opened with (diagnostics go back under it).
    uris: HashMap<PathBuf, Uri>,
    lang: Lang,
    root: Option<PathBuf>,
    open: HashMap<PathBuf, OpenDocument>,
    /// Other workspace files, parsed once (re-read when saved or changed on disk).
    disk: BTreeMap<PathBuf, Arc<Document>>,
    resolver: ConfigResolver,
    /// Bumped on every change; an analysis publishes only if still current.
    generation: u64,
    /// Whether a check is running (see [`schedule`]).
    checking: bool,
    /// The latest analysis and the open documents' versions it saw.
    latest: Option<Arc<Snapshot>>,
    /// What each file got last time (to publish only changes, and to clear).
    /// Indexed like `published_for` (a file list), so that an edit looks
    /// up no paths.
    published: Vec<Option<Published>>,
    published_for: Option<Arc<FileList>>,
    /// `plancheck.toml` files shown with an error last time.
    config_errors: Vec<PathBuf>,
    /// The file list whose config errors were shown.
    config_errors_shown: Option<Arc<FileList>>,
    /// The workspace's files (see [`FileList`]); valid until a file comes or
    /// goes (`files_valid`) or configs change (`configs_valid`).
    files: Option<Arc<FileList>>,
    files_valid: bool,
    configs_valid: bool,
    /// The file rules' findings per document, reused across analyses (an
    /// edit re-runs them on the edited file only).
    file_findings: Arc<Mutex<crate::rules::FileFindings>>,
    /// Whether the user was told that a check stopped on an internal error
    /// (told once; each one is logged).
    told_check_panic: bool,
    /// Where diagnostics are published (`None`: through the client).
    output: Option<output::Output>,
}

/// The editor's settings for the server: in `initializationOptions`, and in
/// `workspace/didChangeConfiguration` as `{"settings": {"plancheck": ...}}`
/// (or the same object directly under `settings`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Settings {
    /// `ja` or `en`: the language of messages (unchanged when absent).
    lang: Option<String>,
    /// Rule name → `error`, `warning`, `info` or `off`, over plancheck.toml
    /// (unchanged when absent).
    rules: Option<BTreeMap<String, serde_json::Value>>,
}

impl Settings {
    /// The settings in `value`; `None` when it holds none of ours (a client
    /// that sends its empty settings changes nothing).
    fn from_json(value: Option<&serde_json::Value>) -> Option<Result<Settings, String>> {
        let value = value?;
        let ours = value.get("plancheck").or_else(|| (value.get("lang").is_some() || value.get("rules").is_some()).then_some(value))?;
        Some(serde_json::from_value(ours.clone()).map_err(|e| format!("plancheck: {e}")))
    }

    /// Applies what `from_json` found; returns what was refused.
    fn apply_json(value: Option<&serde_json::Value>, state: &mut State) -> Vec<String> {
        match Settings::from_json(value) {
            None => Vec::new(),
            Some(Ok(settings)) => settings.apply(state),
            Some(Err(e)) => vec![e],
        }
    }

    /// Applies the settings; returns what was refused, to be told to the user.
    fn apply(self, state: &mut State) -> Vec<String> {
        let mut refused = Vec::new();
        match self.lang.as_deref() {
            Some("en") => state.lang = Lang::En,
            Some("ja") => state.lang = Lang::Ja,
            None => {}
            Some(other) => refused.push(format!("lang: `{other}` (ja or en)")),
        }
        let Some(rules) = self.rules else {
            return refused;
        };
        let mut levels = BTreeMap::new();
        for (name, level) in rules {
            match serde_json::from_value::<crate::config::RuleLevel>(level.clone()) {
                Ok(level) => {
                    levels.insert(name, level);
                }
                Err(_) => refused.push(format!("rules.{name}: {level} (error, warning, info or off)")),
            }
        }
        state.configs_valid = false;
        for name in state.resolver.set_overrides(levels) {
            let hint = crate::rules::closest_name(&name).map(|n| format!(" (`{n}`?)")).unwrap_or_default();
            refused.push(format!("rules.{name}: unknown rule{hint}"));
        }
        refused
    }
}

struct Snapshot {
    ropes: Vec<std::sync::OnceLock<ropey::Rope>>,
    files: Arc<FileList>,
    workspace: Workspace,
    diagnostics: Vec<Finding>,
    /// The departments written in the workspace (for completion), gathered when first asked.
    departments: std::sync::OnceLock<Vec<String>>,
}

pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
}

impl Backend {
    fn new(client: Client) -> Self {
        Backend {
            client,
            state: Arc::new(Mutex::new(State {
                encoding: Encoding::Utf16,
                can_watch: false,
                hierarchical_symbols: true,
                uris: HashMap::new(),
                lang: Lang::Ja,
                root: None,
                open: HashMap::new(),
                disk: BTreeMap::new(),
                resolver: ConfigResolver::new(),
                generation: 0,
                checking: false,
                latest: None,
                published: Vec::new(),
                published_for: None,
                config_errors: Vec::new(),
                config_errors_shown: None,
                files: None,
                files_valid: false,
                configs_valid: false,
                file_findings: Arc::default(),
                told_check_panic: false,
                output: None,
            })),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock must not take the server down.
        lock(&self.state)
    }

    /// Schedules a check of the workspace (see [`schedule`]).
    fn schedule(&self) {
        schedule(&self.state, &self.client);
    }

    /// Reads every plan under the root folder, off the request loop, and
    /// checks the workspace again when they are in. A document the client
    /// has open meanwhile keeps the client's text.
    fn scan_workspace(&self) {
        let state = self.state.clone();
        let client = self.client.clone();
        let Some(root) = self.state().root.clone() else {
            return;
        };
        tokio::spawn(async move {
            let scan = tokio::task::spawn_blocking(move || {
                let files = crate::load::collect_plan_files(std::slice::from_ref(&root)).unwrap_or_default();
                files
                    .into_iter()
                    .filter_map(|file| {
                        let text = crate::load::read_plan(&file).ok()?;
                        let doc = Document::parse(display(&file, Some(&root)), text);
                        Some((std::fs::canonicalize(&file).unwrap_or(file), Arc::new(doc)))
                    })
                    .collect::<Vec<_>>()
            });
            let docs = match scan.await {
                Ok(docs) => docs,
                Err(e) => {
                    if e.is_panic() {
                        let panic = guard::panic_text(&*e.into_panic());
                        let message = lock(&state).lang.pick(
                            format!("plancheck: ワークスペースのファイルの読み込みが内部エラーで止まりました ({panic})。開いている文書だけを検査します"),
                            format!("plancheck: reading the workspace's files stopped on an internal error ({panic}); only open documents are checked"),
                        );
                        eprintln!("{message}");
                        client.log_message(MessageType::ERROR, &message).await;
                        client.show_message(MessageType::ERROR, message).await;
                    }
                    return;
                }
            };
            {
                let mut s = lock(&state);
                for (path, doc) in docs {
                    // A save or a watched change may already have brought a newer copy.
                    s.disk.entry(path).or_insert(doc);
                    s.files_valid = false;
                }
            }
            schedule(&state, &client);
        });
    }
}

/// A `plancheck.toml` error as a diagnostic on that file, at the line and
/// column the TOML reader gave (the whole first line when it gave none).
fn config_diagnostic(error: &crate::config::ConfigError, encoding: Encoding, lang: Lang) -> Diagnostic {
    // Through the regular-file reader: a plancheck.toml that is a FIFO is
    // an error to show, never a read that waits for ever.
    let text = crate::load::read_plan(&error.path).unwrap_or_default();
    let (line, col) = error.location.map_or((0, 0), |(line, col)| (line.saturating_sub(1), col.saturating_sub(1)));
    let content = text.lines().nth(line).unwrap_or("");
    let units = |chars: usize| -> u32 {
        let prefix = content.chars().take(chars);
        (match encoding {
            Encoding::Utf16 => prefix.map(char::len_utf16).sum::<usize>(),
            Encoding::Utf8 => prefix.map(char::len_utf8).sum::<usize>(),
        }) as u32
    };
    let start = Position { line: line as u32, character: units(col) };
    let end = Position { line: line as u32, character: units(usize::MAX) };
    Diagnostic {
        range: Range { start, end },
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("config-error".into())),
        source: Some("plancheck".into()),
        message: lang
            .pick(format!("plancheck.toml を読めないため既定の設定で検査しています: {}", error.message), format!("plancheck.toml cannot be read, so the defaults are used: {}", error.message)),
        ..Default::default()
    }
}

fn settings_message(refused: &[String], lang: Lang) -> String {
    lang.pick(format!("plancheck: 設定の一部を使いませんでした: {}", refused.join("; ")), format!("plancheck: some settings were ignored: {}", refused.join("; ")))
}

/// The server's state. A panic while holding the lock must not take the
/// server down: the state is still usable (each mutation is one step).
fn lock<T>(state: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Checks the workspace now, or, when a check is running, once more right
/// after it. One check runs at a time, so the changes of a burst are
/// checked together, without a debounce delay on a single keystroke; a
/// check overtaken by a change is not published.
fn schedule(state: &Arc<Mutex<State>>, client: &Client) {
    let start = {
        let mut s = lock(state);
        s.generation += 1;
        !std::mem::replace(&mut s.checking, true)
    };
    if !start {
        return; // the running check's loop takes this change
    }
    let state = state.clone();
    let client = client.clone();
    tokio::spawn(async move {
        loop {
            let generation = lock(&state).generation;
            let job_state = state.clone();
            match tokio::task::spawn_blocking(move || analyze(&job_state, generation)).await {
                Ok(Some(publish)) => {
                    let output = lock(&state).output.clone();
                    for (uri, diagnostics, version) in publish {
                        match &output {
                            Some(output) => output.publish_diagnostics(uri, diagnostics, version).await,
                            None => client.publish_diagnostics(uri, diagnostics, version).await,
                        }
                    }
                }
                Ok(None) => {}
                Err(e) if e.is_panic() => {
                    let panic = guard::panic_text(&*e.into_panic());
                    check_panicked(&state, &client, panic).await;
                }
                Err(_) => {}
            }
            let mut s = lock(&state);
            if s.generation == generation {
                s.checking = false;
                break;
            }
        }
    });
}

/// A check that panicked: logged, the user told (once), the findings cache
/// dropped (it may be half updated); the next change checks again.
async fn check_panicked(state: &Arc<Mutex<State>>, client: &Client, panic: String) {
    let (lang, first) = {
        let mut s = lock(state);
        s.file_findings = Arc::default();
        (s.lang, !std::mem::replace(&mut s.told_check_panic, true))
    };
    let message = lang.pick(
        format!("plancheck の検査が内部エラーで止まりました ({panic})。次の編集でもう一度検査します。表示中の診断は古いかもしれません"),
        format!("plancheck: a check stopped on an internal error ({panic}); it runs again at the next edit, and the diagnostics shown may be out of date"),
    );
    eprintln!("{message}");
    client.log_message(MessageType::ERROR, &message).await;
    if first {
        client.show_message(MessageType::ERROR, message).await;
    }
}

type Publication = Vec<(Uri, Vec<Diagnostic>, Option<i32>)>;

/// A document for the analysis: a model at hand, or one to build.
enum ModelJob {
    Ready(Arc<Document>),
    Build(Box<dyn FnOnce() -> Arc<Document> + Send>),
}

impl ModelJob {
    fn run(self) -> Arc<Document> {
        match self {
            ModelJob::Ready(doc) => doc,
            ModelJob::Build(build) => build(),
        }
    }
}

/// The workspace's files in a fixed order, with what an analysis needs of
/// each that changes only when files come or go, or configs change: kept
/// across analyses (an edit does not resolve 100,000 configs or URIs again)
/// and rebuilt then, reusing what it can.
struct FileList {
    paths: Vec<PathBuf>,
    /// Each document's URI: the one the client opened it with, else its path's.
    uris: Vec<Option<Uri>>,
    /// Whether the URI is the client's (an open document's).
    client_uris: Vec<bool>,
    configs: Vec<Arc<ResolvedConfig>>,
    index: HashMap<PathBuf, usize>,
    /// For each `State::disk` entry, in its order, its index here.
    disk_slots: Vec<usize>,
    /// Broken `plancheck.toml` files (their files are checked with the defaults).
    config_errors: BTreeMap<PathBuf, crate::config::ConfigError>,
}

/// The file list for the state as it is (see [`FileList`]).
fn file_list(s: &mut State) -> Arc<FileList> {
    if let Some(list) = &s.files
        && s.files_valid
        && s.configs_valid
        && list.disk_slots.len() == s.disk.len()
        && list.paths.len() == s.disk.len() + s.open.keys().filter(|p| !s.disk.contains_key(*p)).count()
        && s.open.keys().all(|p| list.index.contains_key(p))
    {
        return list.clone();
    }
    let previous = if s.configs_valid { s.files.take() } else { None };
    let mut paths: Vec<PathBuf> = s.disk.keys().chain(s.open.keys().filter(|p| !s.disk.contains_key(*p))).cloned().collect();
    paths.sort();
    let index: HashMap<PathBuf, usize> = paths.iter().enumerate().map(|(i, p)| (p.clone(), i)).collect();
    let disk_slots = s.disk.keys().map(|p| index[p]).collect();
    let mut uris = Vec::with_capacity(paths.len());
    let mut client_uris = Vec::with_capacity(paths.len());
    let mut configs = Vec::with_capacity(paths.len());
    let mut config_errors = BTreeMap::new();
    for path in &paths {
        let before = previous.as_ref().and_then(|list| list.index.get(path).map(|&i| (list, i)));
        let client = s.uris.get(path);
        client_uris.push(client.is_some());
        uris.push(match (client, before) {
            (Some(uri), _) => Some(uri.clone()),
            (None, Some((list, i))) if !list.client_uris[i] => list.uris[i].clone(),
            (None, _) => Uri::from_file_path(path),
        });
        if let Some((list, i)) = before {
            configs.push(list.configs[i].clone());
            continue;
        }
        // A broken plancheck.toml: the defaults meanwhile, and the error
        // is shown on the file itself.
        // An unsaved buffer takes the config of the workspace folder.
        let config_path = if path.is_relative() { s.root.as_ref().map_or(path.clone(), |r| r.join("untitled.plan")) } else { path.clone() };
        configs.push(s.resolver.for_file(&config_path).unwrap_or_else(|e| {
            config_errors.insert(e.path.clone(), e);
            Arc::default()
        }));
    }
    if let Some(previous) = &previous {
        for (path, error) in &previous.config_errors {
            config_errors.entry(path.clone()).or_insert_with(|| error.clone());
        }
    }
    let list = Arc::new(FileList { paths, uris, client_uris, configs, index, disk_slots, config_errors });
    s.files = Some(list.clone());
    s.files_valid = true;
    s.configs_valid = true;
    list
}

/// What was last published for a file: to publish again only what changed.
struct Published {
    uri: Uri,
    version: Option<i32>,
    /// A digest of the findings (and of the documents they are in).
    digest: u64,
    /// Those documents, kept so that their addresses in the digest stay theirs.
    _docs: Vec<Arc<Document>>,
}

/// A digest of one file's findings and of the documents their places are
/// in (by address: [`Published`] keeps them).
fn digest(snapshot: &Snapshot, file: usize, findings: &[&Finding]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    let docs = &snapshot.workspace.docs;
    (Arc::as_ptr(&docs[file]) as usize).hash(&mut hasher);
    for finding in findings {
        (finding.rule.name, finding.severity as u8, finding.span.start, finding.span.end, &finding.message).hash(&mut hasher);
        for related in &finding.related {
            (Arc::as_ptr(&docs[related.file]) as usize, related.span.start, related.span.end, &related.message).hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// The documents a file's findings are in (see [`digest`]).
fn documents_of(snapshot: &Snapshot, file: usize, findings: &[&Finding]) -> Vec<Arc<Document>> {
    let docs = &snapshot.workspace.docs;
    let mut kept = vec![docs[file].clone()];
    for related in findings.iter().flat_map(|f| &f.related) {
        if !kept.iter().any(|d| Arc::ptr_eq(d, &docs[related.file])) {
            kept.push(docs[related.file].clone());
        }
    }
    kept
}

/// Checks the workspace as it is now; `None` if a newer change arrived.
fn analyze(state: &Arc<Mutex<State>>, generation: u64) -> Option<Publication> {
    // Take what is needed under the lock; check outside it.
    let (files, docs, lang, versions, file_findings, ropes) = {
        let mut s = lock(state);
        if s.generation != generation {
            return None;
        }
        let files = file_list(&mut s);
        let mut jobs: Vec<Option<ModelJob>> = Vec::with_capacity(files.paths.len());
        jobs.resize_with(files.paths.len(), || None);
        for (&slot, doc) in files.disk_slots.iter().zip(s.disk.values()) {
            jobs[slot] = Some(ModelJob::Ready(doc.clone()));
        }
        // Open documents' versions, by index in the list.
        let mut versions: HashMap<usize, i32> = HashMap::new();
        let mut ropes: Vec<std::sync::OnceLock<ropey::Rope>> = Vec::with_capacity(files.paths.len());
        ropes.resize_with(files.paths.len(), Default::default);
        for (path, open) in &s.open {
            let slot = files.index[path];
            versions.insert(slot, open.version);
            // An open document's rope is the text being modelled (a cheap copy).
            ropes[slot] = std::sync::OnceLock::from(open.rope.clone());
            jobs[slot] = Some(ModelJob::Build(Box::new(open.model_job(display(path, s.root.as_deref())))));
        }
        // Every slot is filled: the list was built from these maps.
        let docs: Vec<ModelJob> = jobs.into_iter().flatten().collect();
        (files, docs, s.lang, versions, s.file_findings.clone(), ropes)
    };
    // Open documents are modelled here, outside the lock (or taken from
    // their cache when a request already built them).
    let trace = Trace::start();
    let docs: Vec<Arc<Document>> = docs.into_iter().map(ModelJob::run).collect();
    trace.lap("model");
    if !test_panic_points().is_empty() {
        docs.iter().for_each(|doc| test_panic("analysis", &doc.text));
    }
    let workspace = Workspace::from_shared(docs);
    let diagnostics = crate::rules::check_workspace_with(&workspace, &files.configs, lang, &mut lock(&file_findings));
    trace.lap("rules");
    let snapshot = Arc::new(Snapshot { ropes, files: files.clone(), workspace, diagnostics, departments: Default::default() });
    let mut s = lock(state);
    if s.generation != generation {
        return None;
    }
    let encoding = s.encoding;
    // The findings by file (one sort, no map of 100,000 lists).
    let mut sorted: Vec<&Finding> = snapshot.diagnostics.iter().collect();
    sorted.sort_by_key(|f| f.file);
    let groups: Vec<&[&Finding]> = sorted.chunk_by(|a, b| a.file == b.file).collect();
    let findings_of = |file: usize| groups.binary_search_by_key(&file, |g| g[0].file).map_or(&[][..], |i| groups[i]);
    let mut publication = Publication::new();
    let mut published = std::mem::take(&mut s.published);
    if !s.published_for.as_ref().is_some_and(|list| Arc::ptr_eq(list, &files)) {
        // The files changed: what was published moves to the new indices;
        // files gone (deleted, an unsaved buffer closed) are cleared under
        // the URI they were published with.
        let mut moved: Vec<Option<Published>> = std::iter::repeat_with(|| None).take(files.paths.len()).collect();
        if let Some(before) = &s.published_for {
            for (i, last) in published.into_iter().enumerate() {
                let Some(last) = last else { continue };
                match files.index.get(&before.paths[i]) {
                    Some(&j) => moved[j] = Some(last),
                    None => publication.push((last.uri, Vec::new(), None)),
                }
            }
        }
        published = moved;
        s.published_for = Some(files.clone());
    }
    // Only files whose findings (or version, for open documents) changed
    // are published again: an edit costs what it changed, not the workspace.
    let mut candidates: Vec<usize> = groups.iter().map(|g| g[0].file).collect();
    candidates.extend(published.iter().enumerate().filter(|(_, p)| p.is_some()).map(|(i, _)| i).chain(versions.keys().copied()).filter(|&f| findings_of(f).is_empty()));
    candidates.sort_unstable();
    candidates.dedup();
    for file in candidates {
        let findings = findings_of(file);
        let version = versions.get(&file).copied();
        let Some(uri) = &files.uris[file] else {
            continue;
        };
        let digest = digest(&snapshot, file, findings);
        let last = &mut published[file];
        if last.as_ref().is_some_and(|last| last.digest == digest && last.version == version && last.uri == *uri) {
            continue;
        }
        if last.is_none() && findings.is_empty() && version.is_none() {
            continue;
        }
        let uri = uri.clone();
        // Every place of this file's findings, converted in one sweep per document.
        let positions = Positions::of(&snapshot, findings, encoding);
        let diagnostics = findings.iter().map(|f| to_lsp(&snapshot, f, |file, span| positions.range(file, span))).collect::<Vec<_>>();
        // Published under another URI before (opened by the client under its own spelling): cleared there.
        if let Some(before) = last.as_ref().filter(|last| last.uri != uri) {
            publication.push((before.uri.clone(), Vec::new(), None));
        }
        *last = (!diagnostics.is_empty() || version.is_some()).then(|| Published { uri: uri.clone(), version, digest, _docs: documents_of(&snapshot, file, findings) });
        publication.push((uri, diagnostics, version));
    }
    s.published = published;
    // Broken configs: shown when the list (and so the configs) was rebuilt.
    if !s.config_errors_shown.as_ref().is_some_and(|shown| Arc::ptr_eq(shown, &files)) {
        for (path, error) in &files.config_errors {
            if let Some(uri) = Uri::from_file_path(path) {
                publication.push((uri, vec![config_diagnostic(error, encoding, s.lang)], None));
            }
        }
        for path in s.config_errors.iter().filter(|p| !files.config_errors.contains_key(*p)) {
            if let Some(uri) = Uri::from_file_path(path) {
                publication.push((uri, Vec::new(), None));
            }
        }
        s.config_errors = files.config_errors.keys().cloned().collect();
        s.config_errors_shown = Some(files.clone());
    }
    trace.lap("diagnostics");
    // The previous snapshot (a whole workspace's models) is freed away
    // from the edit's path.
    let previous = s.latest.replace(snapshot);
    drop(s);
    if let (Some(previous), Ok(runtime)) = (previous, tokio::runtime::Handle::try_current()) {
        runtime.spawn_blocking(move || drop(previous));
    }
    Some(publication)
}

/// `PLANCHECK_TRACE=1`: each check's stages and their times on standard
/// error (for profiling the server in an editor, or under the benchmark).
struct Trace(Option<std::cell::Cell<std::time::Instant>>);

impl Trace {
    fn start() -> Trace {
        static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        Trace(ON.get_or_init(|| std::env::var_os("PLANCHECK_TRACE").is_some()).then(|| std::cell::Cell::new(std::time::Instant::now())))
    }
    fn lap(&self, stage: &str) {
        if let Some(started) = &self.0 {
            let now = std::time::Instant::now();
            // Resident memory too, where the system tells it (Linux).
            let resident = std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
                .map(|pages| format!(", {} MiB resident", (pages * 4096) >> 20))
                .unwrap_or_default();
            eprintln!("plancheck: {stage} {:.2} ms{resident}", (now - started.get()).as_secs_f64() * 1e3);
            started.set(now);
        }
    }
}

fn display(path: &Path, root: Option<&Path>) -> String {
    root.and_then(|r| path.strip_prefix(r).ok()).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// Positions of a span in a workspace document, in the client's encoding.
/// Each document's rope is built once per snapshot, when first needed.
fn lsp_range(snapshot: &Snapshot, file: usize, span: crate::syntax::Span, encoding: Encoding) -> Range {
    let doc = &snapshot.workspace.docs[file];
    let rope = rope_of(snapshot, file);
    Range { start: document::position_of(&doc.text, rope, span.start, encoding), end: document::position_of(&doc.text, rope, span.end, encoding) }
}

/// The rope of a snapshot's document, built once per snapshot when first needed.
fn rope_of(snapshot: &Snapshot, file: usize) -> &ropey::Rope {
    snapshot.ropes[file].get_or_init(|| ropey::Rope::from_str(&snapshot.workspace.docs[file].text))
}

/// The LSP positions of every place some findings name, computed per
/// document in one ordered sweep (`document::positions_of`) instead of a
/// rope search per place: a document with a million findings costs about
/// one pass over its text.
struct Positions {
    by_file: HashMap<usize, document::PositionMap>,
}

impl Positions {
    fn of(snapshot: &Snapshot, findings: &[&Finding], encoding: Encoding) -> Positions {
        let mut offsets: HashMap<usize, Vec<usize>> = HashMap::new();
        for finding in findings {
            offsets.entry(finding.file).or_default().extend([finding.span.start, finding.span.end]);
            for related in &finding.related {
                offsets.entry(related.file).or_default().extend([related.span.start, related.span.end]);
            }
        }
        let by_file = offsets.into_iter().map(|(file, offsets)| (file, document::PositionMap::new(&snapshot.workspace.docs[file].text, rope_of(snapshot, file), offsets, encoding))).collect();
        Positions { by_file }
    }

    fn range(&self, file: usize, span: crate::syntax::Span) -> Range {
        self.by_file.get(&file).map_or_else(Range::default, |map| map.range(span))
    }
}

/// A finding as an LSP diagnostic, with `range` giving the LSP range of a
/// place in a document.
fn to_lsp(snapshot: &Snapshot, finding: &Finding, range: impl Fn(usize, crate::syntax::Span) -> Range) -> Diagnostic {
    let related = finding
        .related
        .iter()
        .filter_map(|r| {
            let uri = snapshot.files.uris[r.file].clone()?;
            Some(DiagnosticRelatedInformation { location: Location { uri, range: range(r.file, r.span) }, message: r.message.clone() })
        })
        .collect::<Vec<_>>();
    Diagnostic {
        range: range(finding.file, finding.span),
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(finding.rule.name.to_string())),
        // The rule's page under the file's `docs-url`.
        code_description: snapshot.files.configs[finding.file].config.rule_url(finding.rule).parse::<Uri>().ok().map(|href| CodeDescription { href }),
        source: Some("plancheck".into()),
        message: finding.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

fn path_of(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

/// The key of a document: its real path (links resolved), so that one file
/// reached by two spellings is one document. A document that is not a file
/// (an unsaved `untitled:` buffer) is keyed by its URI, which no file path
/// can equal (it is relative and starts with `<`).
fn key_of(uri: &Uri) -> Option<PathBuf> {
    match path_of(uri) {
        Some(path) => Some(std::fs::canonicalize(&path).unwrap_or(path)),
        None => Some(PathBuf::from(format!("<{}>", uri.as_str()))),
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> RpcResult<InitializeResult> {
        let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.clone()).unwrap_or_default();
        let encoding = if offered.contains(&PositionEncodingKind::UTF8) { Encoding::Utf8 } else { Encoding::Utf16 };
        let root = params.workspace_folders.as_ref().and_then(|f| f.first()).and_then(|f| path_of(&f.uri)).or_else(|| {
            #[allow(deprecated)]
            params.root_uri.as_ref().and_then(path_of)
        });
        let can_watch = params.capabilities.workspace.as_ref().and_then(|w| w.did_change_watched_files.as_ref()).and_then(|d| d.dynamic_registration).unwrap_or(false);
        {
            let mut state = self.state();
            state.encoding = encoding;
            let refused = Settings::apply_json(params.initialization_options.as_ref(), &mut state);
            if !refused.is_empty() {
                let client = self.client.clone();
                let message = settings_message(&refused, state.lang);
                tokio::spawn(async move { client.show_message(MessageType::WARNING, message).await });
            }
            state.can_watch = can_watch;
            state.hierarchical_symbols = params.capabilities.text_document.as_ref().and_then(|t| t.document_symbol.as_ref()).and_then(|d| d.hierarchical_document_symbol_support).unwrap_or(false);
            // The workspace's files are read after `initialized`, in the
            // background: the first open document is checked at once.
            state.root = root.map(|r| std::fs::canonicalize(&r).unwrap_or(r));
        }
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(match encoding {
                    Encoding::Utf8 => PositionEncodingKind::UTF8,
                    Encoding::Utf16 => PositionEncodingKind::UTF16,
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                })),
                document_formatting_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
                inlay_hint_provider: Some(OneOf::Left(true)),
                completion_provider: Some(CompletionOptions { trigger_characters: Some(vec![":".into(), "：".into(), " ".into()]), ..Default::default() }),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                ..Default::default()
            },
            server_info: Some(ServerInfo { name: "plancheck".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            ..Default::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.scan_workspace();
        if !self.state().can_watch {
            self.schedule();
            return;
        }
        // Hear about plans and configs that change on disk (other editors, git).
        let watchers = ["**/*.plan", "**/plancheck.toml"].map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.into()), kind: None }).to_vec();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration { id: "plancheck-watch".into(), method: "workspace/didChangeWatchedFiles".into(), register_options: serde_json::to_value(options).ok() };
        // Not awaited here: requests are handled one at a time, and a client
        // slow to answer must not hold up the rest. Clients without dynamic
        // registration refuse; saving still updates the workspace then.
        let client = self.client.clone();
        tokio::spawn(async move {
            let _ = client.register_capability(vec![registration]).await;
        });
        self.schedule();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        {
            let mut state = self.state();
            for change in params.changes {
                let Some(path) = path_of(&change.uri) else {
                    continue;
                };
                if path.file_name().is_some_and(|n| n == crate::config::FILE_NAME) {
                    state.resolver.clear();
                    state.configs_valid = false;
                    continue;
                }
                state.files_valid = false;
                let path = std::fs::canonicalize(&path).unwrap_or(path);
                if change.typ == FileChangeType::DELETED || !path.exists() {
                    state.disk.remove(&path);
                } else if let Ok(text) = crate::load::read_plan(&path) {
                    let shown = display(&path, state.root.as_deref());
                    state.disk.insert(path, Arc::new(Document::parse(shown, text)));
                }
            }
        }
        self.schedule();
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let (refused, lang) = {
            let mut state = self.state();
            (Settings::apply_json(Some(&params.settings), &mut state), state.lang)
        };
        if !refused.is_empty() {
            self.client.show_message(MessageType::WARNING, settings_message(&refused, lang)).await;
        }
        self.schedule();
    }

    async fn shutdown(&self) -> RpcResult<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let Some(path) = key_of(&params.text_document.uri) else {
            return;
        };
        let trace = Trace::start();
        let mut state = self.state();
        state.files_valid = false;
        state.uris.insert(path.clone(), params.text_document.uri.clone());
        state.open.insert(path, OpenDocument::new(params.text_document.text, params.text_document.version));
        drop(state);
        trace.lap("open (text, rope, parse)");
        self.schedule();
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let Some(path) = key_of(&params.text_document.uri) else {
            return;
        };
        {
            let mut state = self.state();
            let encoding = state.encoding;
            let Some(doc) = state.open.get_mut(&path) else {
                return;
            }; // not opened: ignored
            let trace = Trace::start();
            for change in params.content_changes {
                doc.apply(change.range, &change.text, encoding);
            }
            doc.version = params.text_document.version;
            trace.lap("edit (text, rope, incremental parse)");
            test_panic("didChange", &doc.text);
        }
        self.schedule();
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        if let Some(path) = key_of(&params.text_document.uri) {
            let mut state = self.state();
            state.files_valid = false;
            if path.file_name().is_some_and(|n| n == crate::config::FILE_NAME) {
                state.resolver.clear();
                state.configs_valid = false;
            } else if let Ok(text) = crate::load::read_plan(&path) {
                let shown = display(&path, state.root.as_deref());
                state.disk.insert(path, Arc::new(Document::parse(shown, text)));
            }
        }
        self.schedule();
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        if let Some(path) = key_of(&params.text_document.uri) {
            let mut state = self.state();
            state.files_valid = false;
            state.open.remove(&path);
            state.uris.remove(&path);
            // A file outside the workspace folder (or gone from disk) leaves
            // with its editor: saving it had brought it into `disk`.
            let in_workspace = state.root.as_ref().is_some_and(|root| path.starts_with(root));
            if !in_workspace || !path.exists() {
                state.disk.remove(&path);
            }
        }
        self.schedule();
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> RpcResult<Option<Vec<TextEdit>>> {
        let Some(path) = key_of(&params.text_document.uri) else {
            return Ok(None);
        };
        let state = self.state();
        let Some(open) = state.open.get(&path) else {
            return Ok(None);
        };
        let doc = open.model(&display(&path, state.root.as_deref()));
        let Ok(formatted) = crate::format::format(&doc) else {
            return Ok(None);
        }; // syntax errors: no edit
        if formatted == open.text {
            return Ok(Some(Vec::new()));
        }
        Ok(Some(minimal_edits(open, &formatted, state.encoding)))
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> RpcResult<Option<DocumentSymbolResponse>> {
        let Some(path) = key_of(&params.text_document.uri) else {
            return Ok(None);
        };
        let state = self.state();
        let Some(open) = state.open.get(&path) else {
            return Ok(None);
        };
        let doc = open.model(&display(&path, state.root.as_deref()));
        // Every block's place, converted in one sweep.
        let places = open.positions(doc.blocks.iter().flat_map(|b| [&b.span, &b.header]), state.encoding);
        fn symbol(doc: &Document, places: &document::PositionMap, id: usize, lang: Lang) -> DocumentSymbol {
            let block = &doc.blocks[id];
            let kind = match block.kind {
                Some(crate::model::BlockKind::BasicPolicy | crate::model::BlockKind::Policy) => SymbolKind::NAMESPACE,
                Some(crate::model::BlockKind::Measure) => SymbolKind::CLASS,
                Some(crate::model::BlockKind::Indicator) => SymbolKind::NUMBER,
                Some(crate::model::BlockKind::Development) => SymbolKind::METHOD,
                _ => SymbolKind::OBJECT,
            };
            let name = symbol_name(block, lang);
            #[allow(deprecated)]
            DocumentSymbol {
                name,
                detail: None,
                kind,
                tags: None,
                deprecated: None,
                range: places.range(block.span),
                selection_range: places.range(block.header),
                children: Some(block.children.iter().map(|&c| symbol(doc, places, c, lang)).collect()),
            }
        }
        let symbols: Vec<DocumentSymbol> = doc.roots.iter().map(|&r| symbol(&doc, &places, r, state.lang)).collect();
        if state.hierarchical_symbols {
            return Ok(Some(DocumentSymbolResponse::Nested(symbols)));
        }
        // Clients without hierarchical support get a flat list with containers.
        fn flatten(symbols: Vec<DocumentSymbol>, container: Option<&str>, uri: &Uri, out: &mut Vec<SymbolInformation>) {
            for s in symbols {
                #[allow(deprecated)]
                out.push(SymbolInformation {
                    name: s.name.clone(),
                    kind: s.kind,
                    tags: None,
                    deprecated: None,
                    location: Location { uri: uri.clone(), range: s.range },
                    container_name: container.map(str::to_string),
                });
                flatten(s.children.unwrap_or_default(), Some(&s.name), uri, out);
            }
        }
        let mut flat = Vec::new();
        flatten(symbols, None, &params.text_document.uri, &mut flat);
        Ok(Some(DocumentSymbolResponse::Flat(flat)))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> RpcResult<Option<Vec<FoldingRange>>> {
        let Some(path) = key_of(&params.text_document.uri) else {
            return Ok(None);
        };
        let state = self.state();
        let Some(open) = state.open.get(&path) else {
            return Ok(None);
        };
        let doc = open.model(&display(&path, state.root.as_deref()));
        let places = open.positions(doc.blocks.iter().map(|b| &b.span).chain(doc.all_fields().filter(|(_, f)| f.text_lines.len() > 1).map(|(_, f)| &f.span)), state.encoding);
        let mut ranges = Vec::new();
        for block in &doc.blocks {
            let range = places.range(block.span);
            if range.end.line > range.start.line {
                ranges.push(FoldingRange { start_line: range.start.line, end_line: range.end.line, kind: Some(FoldingRangeKind::Region), ..Default::default() });
            }
        }
        for (_, field) in doc.all_fields() {
            if field.text_lines.len() > 1 {
                let range = places.range(field.span);
                ranges.push(FoldingRange { start_line: range.start.line, end_line: range.end.line, kind: Some(FoldingRangeKind::Region), ..Default::default() });
            }
        }
        Ok(Some(ranges))
    }

    async fn hover(&self, params: HoverParams) -> RpcResult<Option<Hover>> {
        let position = params.text_document_position_params.position;
        let Some(path) = key_of(&params.text_document_position_params.text_document.uri) else {
            return Ok(None);
        };
        let state = self.state();
        let Some(open) = state.open.get(&path) else {
            return Ok(None);
        };
        test_panic("hover", &open.text);
        let offset = open.offset(position, state.encoding);
        let lang = state.lang;
        let mut parts = Vec::new();
        // Findings under the cursor: the rule's explanation.
        // (Only from an analysis of this text: offsets in an older one are elsewhere.)
        if let Some(snapshot) = &state.latest
            && let Some(file) = current_file(&state, &path, open)
        {
            for finding in snapshot.diagnostics.iter().filter(|d| d.file == file && d.span.start <= offset && offset <= d.span.end) {
                parts.push(format!("**{}** ({}): {}\n\n{}", finding.rule.name, finding.rule.code, finding.message, finding.rule.doc(lang)));
            }
        }
        // An indicator: its ratio and computed grade.
        let doc = open.model(&display(&path, state.root.as_deref()));
        let config = snapshot_config(&state, &path);
        if let Some((_, block)) = doc.blocks.iter().enumerate().rfind(|(_, b)| b.span.start <= offset && offset <= b.span.end && b.kind == Some(crate::model::BlockKind::Indicator))
            && let Some(rating) = crate::rating::rate_indicator_block(&config.rating, block)
        {
            let text = match &rating {
                crate::rating::IndicatorRating::Graded { grade, lower, upper, .. } => {
                    let ratio = crate::rating::ratio_text(block, &rating, lang).unwrap_or_default();
                    let band = crate::rating::band_text(*lower, *upper, lang);
                    lang.pick(format!("計算した評価: **{grade}** ({ratio}、{band})"), format!("computed grade: **{grade}** ({ratio}, {band})"))
                }
                crate::rating::IndicatorRating::NotObtainable => {
                    lang.pick("計算した評価: **-** (取得できない値があります)".to_string(), "computed grade: **-** (a value is not obtainable)".to_string())
                }
                crate::rating::IndicatorRating::UnitMismatch { .. } => lang.pick("単位が比べられないため評価を計算できません".to_string(), "units cannot be compared: no grade".to_string()),
                crate::rating::IndicatorRating::Undefined { .. } => lang.pick("評価を計算できません".to_string(), "no grade can be computed".to_string()),
            };
            parts.push(text);
        }
        // A 施策's header: its computed summaries.
        if let Some((id, block)) = doc.blocks_of(crate::model::BlockKind::Measure).find(|(_, b)| b.header.start <= offset && offset <= b.header.end) {
            use crate::model::FieldKey;
            let grades = doc.stated_indicator_grades(id);
            let levels = doc.stated_development_levels(id);
            let stated = |key| block.level(key).map_or("-".to_string(), |(l, _)| l.to_string());
            if let Some(summary) = crate::rating::quantitative_summary(&config.rating, grades) {
                let reason = crate::rating::summary_reason(&config.rating.quantitative, &summary, lang);
                parts.push(lang.pick(
                    format!("定量評価 (指標 {} 件から): **{}** ({reason})、記載: {}", summary.count, summary.level, stated(FieldKey::QuantitativeLevel)),
                    format!("定量評価 from {} indicators: **{}** ({reason}); stated: {}", summary.count, summary.level, stated(FieldKey::QuantitativeLevel)),
                ));
            }
            if let Some(summary) = crate::rating::qualitative_summary(&config.rating, levels) {
                let reason = crate::rating::summary_reason(&config.rating.qualitative, &summary, lang);
                parts.push(lang.pick(
                    format!("定性評価 (展開 {} 件から): **{}** ({reason})、記載: {}", summary.count, summary.level, stated(FieldKey::QualitativeLevel)),
                    format!("定性評価 from {} 展開: **{}** ({reason}); stated: {}", summary.count, summary.level, stated(FieldKey::QualitativeLevel)),
                ));
            }
        }
        if parts.is_empty() {
            return Ok(None);
        }
        Ok(Some(Hover { contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: parts.join("\n\n---\n\n") }), range: None }))
    }

    async fn code_action(&self, params: CodeActionParams) -> RpcResult<Option<CodeActionResponse>> {
        let Some(path) = key_of(&params.text_document.uri) else {
            return Ok(None);
        };
        let state = self.state();
        let (Some(open), Some(snapshot)) = (state.open.get(&path), &state.latest) else {
            return Ok(None);
        };
        // Fixes computed from an older text would edit the wrong place.
        let Some(file) = current_file(&state, &path, open) else {
            return Ok(None);
        };
        let start = open.offset(params.range.start, state.encoding);
        let end = open.offset(params.range.end, state.encoding);
        let encoding = state.encoding;
        let uri = &params.text_document.uri;
        let workspace_edit = |edits: Vec<TextEdit>| {
            let mut changes = HashMap::new();
            changes.insert(uri.clone(), edits);
            WorkspaceEdit { changes: Some(changes), ..Default::default() }
        };
        let lang = state.lang;
        let doc = &snapshot.workspace.docs[file];
        // Inserted lines end like the document's lines.
        let newline = if open.text.contains("\r\n") { "\r\n" } else { "\n" };
        let mut actions = Vec::new();
        let here: Vec<&Finding> = snapshot.diagnostics.iter().filter(|d| d.file == file && d.span.start <= end && start <= d.span.end).collect();
        for finding in &here {
            let diagnostics = Some(vec![to_lsp(snapshot, finding, |file, span| lsp_range(snapshot, file, span, encoding))]);
            // The finding's own fix.
            if let Some(fix) = &finding.fix {
                let edits = fix.edits.iter().map(|e| TextEdit { range: open.range(e.span, encoding), new_text: e.replacement.clone() }).collect();
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.message.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: diagnostics.clone(),
                    edit: Some(workspace_edit(edits)),
                    // A guess (the closest name) is offered, never preferred:
                    // an editor applies a preferred fix without asking.
                    is_preferred: Some(fix.applicability == crate::diagnostics::Applicability::Safe),
                    ..Default::default()
                }));
                // Every fix of this rule in the file.
                let (all, count) = crate::fix::compatible_edits(&open.text, snapshot.diagnostics.iter().filter(|d| d.file == file && d.rule == finding.rule));
                if count > 1 {
                    let edits = all.iter().map(|e| TextEdit { range: open.range(e.span, encoding), new_text: e.replacement.clone() }).collect();
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: lang.pick(format!("このファイルの {} をすべて修正 ({count} 件)", finding.rule.name), format!("fix all {} in this file ({count})", finding.rule.name)),
                        kind: Some(CodeActionKind::QUICKFIX),
                        edit: Some(workspace_edit(edits)),
                        ..Default::default()
                    }));
                }
            }
            // A 施策 without 代表課: add the line for the user to fill.
            if finding.rule.name == "missing-department"
                && let Some((_, measure)) = doc.blocks_of(crate::model::BlockKind::Measure).find(|(_, b)| b.header.contains(finding.span))
                && measure.closed
            {
                let close = measure.span.end - 1; // the `}`
                let line_start = open.text[..close].rfind('\n').map_or(0, |i| i + 1);
                let indent: String = open.text[line_start..close].chars().take_while(|c| crate::syntax::is_blank(*c)).collect();
                let at = open.position(line_start, encoding);
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: lang.pick("`代表課:` を追加".to_string(), "add a `代表課:` line".to_string()),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: diagnostics.clone(),
                    edit: Some(workspace_edit(vec![TextEdit { range: Range { start: at, end: at }, new_text: format!("{indent}  代表課: {newline}") }])),
                    ..Default::default()
                }));
            }
            // Suppress it here: a directive above the element the finding is in.
            if let Some(element) = element_start(doc, finding.span.start) {
                let line_start = open.text[..element].rfind('\n').map_or(0, |i| i + 1);
                let indent: String = open.text[line_start..].chars().take_while(|c| crate::syntax::is_blank(*c)).collect();
                let at = open.position(line_start, encoding);
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: lang.pick(format!("ここでは {} を抑制する", finding.rule.name), format!("allow {} here", finding.rule.name)),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics,
                    edit: Some(workspace_edit(vec![TextEdit { range: Range { start: at, end: at }, new_text: format!("{indent}# plancheck: allow({}){newline}", finding.rule.name) }])),
                    ..Default::default()
                }));
            }
        }
        // Full-width grades, numbers and IDs to ASCII, in the whole file.
        let mut width_edits = Vec::new();
        for (_, field) in doc.all_fields() {
            if field.def().is_some_and(|d| d.value != crate::model::ValueKind::Text) && field.text_lines.is_empty() {
                let written = &open.text[field.value_span.start..field.value_span.end];
                let folded = crate::format::fold_width(written);
                if folded != written {
                    width_edits.push(TextEdit { range: open.range(field.value_span, encoding), new_text: folded });
                }
            }
        }
        for block in &doc.blocks {
            if let Some(id) = &block.id
                && open.text[id.span.start..id.span.end] != id.value
            {
                width_edits.push(TextEdit { range: open.range(id.span, encoding), new_text: id.value.clone() });
            }
        }
        if !width_edits.is_empty() {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: lang.pick("全角の評価・数値・ID を半角にする".to_string(), "write full-width grades, numbers and IDs in ASCII".to_string()),
                kind: Some(CodeActionKind::SOURCE),
                edit: Some(workspace_edit(width_edits)),
                ..Default::default()
            }));
        }
        Ok(Some(actions))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> RpcResult<Option<Vec<InlayHint>>> {
        use crate::model::{BlockKind, FieldKey};
        let Some(path) = key_of(&params.text_document.uri) else {
            return Ok(None);
        };
        let state = self.state();
        let Some(open) = state.open.get(&path) else {
            return Ok(None);
        };
        let doc = open.model(&display(&path, state.root.as_deref()));
        let scheme = snapshot_config(&state, &path).rating;
        let average = state.lang.pick("平均", "average");
        let mut hints = Vec::new();
        let mut hint = |field: &crate::model::Field, label: String| {
            hints.push(InlayHint {
                position: open.position(field.value_span.end, state.encoding),
                label: InlayHintLabel::String(label),
                kind: None,
                text_edits: None,
                tooltip: None,
                padding_left: Some(true),
                padding_right: None,
                data: None,
            });
        };
        for (id, block) in doc.blocks.iter().enumerate() {
            match block.kind {
                Some(BlockKind::Indicator) => {
                    let (Some((_, field)), Some(rating)) = (block.indicator_grade(), crate::rating::rate_indicator_block(&scheme, block)) else {
                        continue;
                    };
                    let label = match &rating {
                        crate::rating::IndicatorRating::Graded { grade, percent, by_zero: false, .. } => format!("→ {grade} ({percent}%)"),
                        crate::rating::IndicatorRating::Graded { grade, .. } => {
                            format!("→ {grade}")
                        }
                        crate::rating::IndicatorRating::NotObtainable => "→ -".to_string(),
                        _ => continue,
                    };
                    hint(field, label);
                }
                Some(BlockKind::Measure) => {
                    if let Some((_, field)) = block.level(FieldKey::QuantitativeLevel) {
                        let grades = doc.stated_indicator_grades(id);
                        if let Some(summary) = crate::rating::quantitative_summary(&scheme, grades) {
                            hint(field, format!("→ {} ({} {})", summary.level, average, summary.average));
                        }
                    }
                    if let Some((_, field)) = block.level(FieldKey::QualitativeLevel) {
                        let levels = doc.stated_development_levels(id);
                        if let Some(summary) = crate::rating::qualitative_summary(&scheme, levels) {
                            hint(field, format!("→ {} ({} {})", summary.level, average, summary.average));
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(Some(hints))
    }

    async fn completion(&self, params: CompletionParams) -> RpcResult<Option<CompletionResponse>> {
        use crate::model::schema;
        let position = params.text_document_position.position;
        let Some(path) = key_of(&params.text_document_position.text_document.uri) else {
            return Ok(None);
        };
        let state = self.state();
        let Some(open) = state.open.get(&path) else {
            return Ok(None);
        };
        let offset = open.offset(position, state.encoding);
        let line_start = open.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let before = &open.text[line_start..offset];
        let doc = open.model(&display(&path, state.root.as_deref()));
        // The innermost block around the cursor.
        let block = doc.blocks.iter().filter(|b| b.span.start < line_start && offset <= b.span.end.max(b.header.end)).max_by_key(|b| b.span.start);
        let kind = block.and_then(|b| b.kind);
        let lang = state.lang;
        let item = |label: &str, detail: &str, kind: CompletionItemKind| CompletionItem { label: label.to_string(), detail: Some(detail.to_string()), kind: Some(kind), ..Default::default() };
        let mut items = Vec::new();
        if let Some(colon) = before.find([':', '：']) {
            // A value: by the key before the colon.
            let key = before[..colon].trim_matches(crate::syntax::is_blank);
            let def = kind.and_then(|k| match schema::resolve_key(Some(k), key) {
                schema::KeyResolution::Known(def) => Some(def),
                _ => None,
            });
            match def.map(|d| (d.key, d.value)) {
                Some((_, schema::ValueKind::Grade)) => items.extend(["A", "B", "C", "D"].map(|g| item(g, lang.pick("評価", "grade"), CompletionItemKind::ENUM_MEMBER))),
                Some((_, schema::ValueKind::IndicatorGrade)) => items.extend(["A", "B", "C", "D", "-"].map(|g| item(g, lang.pick("評価", "grade"), CompletionItemKind::ENUM_MEMBER))),
                Some((_, schema::ValueKind::Level)) => items.extend(["高", "中", "低"].map(|l| item(l, lang.pick("水準", "level"), CompletionItemKind::ENUM_MEMBER))),
                Some((_, schema::ValueKind::Direction)) => items.extend(
                    [("増加", lang.pick("大きいほど良い", "higher is better")), ("減少", lang.pick("小さいほど良い", "lower is better"))].map(|(d, why)| item(d, why, CompletionItemKind::ENUM_MEMBER)),
                ),
                Some((crate::model::FieldKey::Department, _)) => {
                    let mut known: Vec<String> = snapshot_config(&state, &path).departments;
                    if let Some(snapshot) = &state.latest {
                        // Gathered once per analysis, not per completion.
                        known.extend(
                            snapshot
                                .departments
                                .get_or_init(|| {
                                    let mut found = Vec::new();
                                    for doc in &snapshot.workspace.docs {
                                        for (_, m) in doc.blocks_of(crate::model::BlockKind::Measure) {
                                            if let Some(f) = m.field(crate::model::FieldKey::Department).filter(|f| !f.is_empty()) {
                                                found.push(f.text.trim().to_string());
                                            }
                                        }
                                    }
                                    found.sort();
                                    found.dedup();
                                    found
                                })
                                .iter()
                                .cloned(),
                        );
                    }
                    known.sort();
                    known.dedup();
                    items.extend(known.iter().map(|d| item(d, lang.pick("代表課", "department"), CompletionItemKind::VALUE)));
                }
                _ => {}
            }
        } else if before.trim_matches(crate::syntax::is_blank).chars().all(|c| !c.is_whitespace()) {
            // A key or a block keyword valid here.
            if let Some(kind) = kind {
                for def in schema::FIELDS.iter().filter(|d| d.allowed_in(kind)) {
                    let mut it = item(def.name(), lang.pick("フィールド", "field"), CompletionItemKind::FIELD);
                    it.insert_text = Some(format!("{}: ", def.name()));
                    items.push(it);
                }
            }
            for child in
                [crate::model::BlockKind::BasicPolicy, crate::model::BlockKind::Policy, crate::model::BlockKind::Measure, crate::model::BlockKind::Indicator, crate::model::BlockKind::Development]
            {
                if child.allowed_parents().contains(&kind) {
                    items.push(item(child.keyword(), lang.pick("ブロック", "block"), CompletionItemKind::KEYWORD));
                }
            }
        }
        Ok(Some(CompletionResponse::Array(items)))
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> RpcResult<Option<GotoDefinitionResponse>> {
        let locations = self.related_at(&params.text_document_position_params.text_document.uri, params.text_document_position_params.position, false);
        Ok(locations.into_iter().next().map(GotoDefinitionResponse::Scalar))
    }

    async fn references(&self, params: ReferenceParams) -> RpcResult<Option<Vec<Location>>> {
        let locations = self.related_at(&params.text_document_position.text_document.uri, params.text_document_position.position, params.context.include_declaration);
        Ok(Some(locations))
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> RpcResult<Option<WorkspaceSymbolResponse>> {
        let state = self.state();
        let Some(snapshot) = &state.latest else {
            return Ok(None);
        };
        let query = crate::model::value::nfkc(&params.query);
        let mut symbols = Vec::new();
        for (file, doc) in snapshot.workspace.docs.iter().enumerate() {
            let Some(uri) = snapshot.files.uris[file].clone() else {
                continue;
            };
            for block in doc.blocks.iter().filter(|b| matches!(b.kind, Some(crate::model::BlockKind::BasicPolicy | crate::model::BlockKind::Policy | crate::model::BlockKind::Measure))) {
                let label = symbol_name(block, state.lang);
                if !query.is_empty() && !crate::model::value::nfkc(&label).contains(&query) {
                    continue;
                }
                #[allow(deprecated)]
                symbols.push(SymbolInformation {
                    name: label,
                    kind: if block.kind == Some(crate::model::BlockKind::Measure) { SymbolKind::CLASS } else { SymbolKind::NAMESPACE },
                    tags: None,
                    deprecated: None,
                    location: Location { uri: uri.clone(), range: lsp_range(snapshot, file, block.header, state.encoding) },
                    container_name: None,
                });
            }
        }
        Ok(Some(WorkspaceSymbolResponse::Flat(symbols)))
    }
}

impl Backend {
    /// The places related to the finding under the cursor (the other copies
    /// of a duplicated text, the other blocks with an ID), and the finding's
    /// own place when `include_self`.
    fn related_at(&self, uri: &Uri, position: Position, include_self: bool) -> Vec<Location> {
        let Some(path) = key_of(uri) else {
            return Vec::new();
        };
        let state = self.state();
        let (Some(open), Some(snapshot)) = (state.open.get(&path), &state.latest) else {
            return Vec::new();
        };
        // Only from an analysis of this text: offsets in an older one are elsewhere.
        let Some(file) = current_file(&state, &path, open) else {
            return Vec::new();
        };
        let offset = open.offset(position, state.encoding);
        let contains = |f: usize, span: crate::syntax::Span| f == file && span.start <= offset && offset <= span.end;
        // A finding with related places (the copies of a paragraph, the
        // blocks sharing an ID) links all of them, from whichever the
        // cursor is on: the first copy as well as the later ones.
        let mut places: Vec<(usize, crate::syntax::Span)> = Vec::new();
        for finding in snapshot.diagnostics.iter().filter(|d| !d.related.is_empty()) {
            let group: Vec<_> = std::iter::once((finding.file, finding.span)).chain(finding.related.iter().map(|r| (r.file, r.span))).collect();
            if group.iter().any(|&(f, span)| contains(f, span)) {
                places.extend(group.into_iter().filter(|&(f, span)| include_self || !contains(f, span)));
            }
        }
        places.sort_by_key(|&(f, span)| (f, span.start, span.end));
        places.dedup();
        let mut locations = Vec::new();
        for (f, span) in places {
            if let Some(uri) = snapshot.files.uris[f].clone() {
                locations.push(Location { uri, range: lsp_range(snapshot, f, span, state.encoding) });
            }
        }
        locations
    }
}

/// The edits that turn the document into `formatted`, line by line, so that
/// editors keep marks, folds and the cursor on lines that did not change.
fn minimal_edits(open: &OpenDocument, formatted: &str, encoding: Encoding) -> Vec<TextEdit> {
    let old_lines: Vec<&str> = open.text.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = formatted.split_inclusive('\n').collect();
    let mut line_offsets = Vec::with_capacity(old_lines.len() + 1);
    let mut at = 0;
    for line in &old_lines {
        line_offsets.push(at);
        at += line.len();
    }
    line_offsets.push(at);
    let diff = similar::capture_diff_slices(similar::Algorithm::Myers, &old_lines, &new_lines);
    diff.iter()
        .filter(|op| !matches!(op, similar::DiffOp::Equal { .. }))
        .map(|op| {
            let (old_range, new_range) = (op.old_range(), op.new_range());
            let span = crate::syntax::Span::new(line_offsets[old_range.start], line_offsets[old_range.end]);
            TextEdit { range: open.range(span, encoding), new_text: new_lines[new_range].concat() }
        })
        .collect()
}

/// Where the element (field or block) containing `offset` starts: the
/// place a `# plancheck: allow(...)` line goes.
fn element_start(doc: &Document, offset: usize) -> Option<usize> {
    let field = doc.all_fields().map(|(_, f)| f.span).filter(|s| s.start <= offset && offset <= s.end).max_by_key(|s| s.start);
    let block = doc.blocks.iter().map(|b| b.header).filter(|h| h.start <= offset && offset <= h.end).max_by_key(|h| h.start);
    match (field, block) {
        (Some(f), Some(b)) => Some(f.start.max(b.start)),
        (f, b) => f.or(b).map(|s| s.start),
    }
}

/// A block's name in the outline; a block without a keyword, ID or title
/// still needs one.
fn symbol_name(block: &crate::model::Block, lang: Lang) -> String {
    let name = block.label();
    if name.trim().is_empty() { lang.pick("(無題)", "(untitled)").to_string() } else { name }
}

/// The index of `path` in the latest snapshot, if that snapshot is of the
/// text open now (its findings' places are then places in that text).
fn current_file(state: &State, path: &Path, open: &OpenDocument) -> Option<usize> {
    let snapshot = state.latest.as_ref()?;
    let file = *snapshot.files.index.get(path)?;
    (snapshot.workspace.docs[file].text == open.text).then_some(file)
}

fn snapshot_config(state: &State, path: &Path) -> crate::config::Config {
    if let Some(snapshot) = &state.latest
        && let Some(&file) = snapshot.files.index.get(path)
    {
        return snapshot.files.configs[file].config.clone();
    }
    crate::config::Config::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_without_a_name_is_untitled_in_the_outline_in_the_session_language() {
        // (The model makes one when the grammar recovers a block with its name missing.)
        let at = crate::syntax::Span::new(0, 0);
        let block = crate::model::Block {
            kind: None,
            keyword: crate::model::Spanned { value: String::new(), span: at },
            id: None,
            title: None,
            header: at,
            span: at,
            parent: None,
            children: Vec::new(),
            fields: Vec::new(),
            closed: false,
        };
        assert_eq!(symbol_name(&block, Lang::En), "(untitled)");
        assert_eq!(symbol_name(&block, Lang::Ja), "(無題)");
    }
}
