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
mod to_proto;
mod transport;

// The lower layers' modules under their own names.
use plancheck_core::{load, model, syntax};
use plancheck_linter::{config, diagnostics, format, rules};

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
        code_description: finding.rule.url().parse::<Uri>().ok().map(|href| CodeDescription { href }),
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
        Ok(self.with_open(&params.text_document.uri, |state, path, open| {
            let doc = open.model(&display(path, state.root.as_deref()));
            // Syntax errors: no edit.
            let formatted = crate::format::format(&doc).ok()?;
            Some(plancheck_ide::line_edits(&open.text, &formatted).into_iter().map(|e| text_edit(open, &e, state.encoding)).collect())
        }))
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> RpcResult<Option<DocumentSymbolResponse>> {
        let uri = &params.text_document.uri;
        Ok(self.with_open(uri, |state, path, open| {
            let doc = open.model(&display(path, state.root.as_deref()));
            let tree = plancheck_ide::document_symbols(&doc, state.lang);
            // Every block's place, converted in one sweep.
            let places = open.positions(doc.blocks.iter().flat_map(|b| [&b.span, &b.header]), state.encoding);
            let symbols = to_proto::document_symbols(tree, &places);
            if state.hierarchical_symbols {
                return Some(DocumentSymbolResponse::Nested(symbols));
            }
            // Clients without hierarchical support get a flat list with containers.
            Some(DocumentSymbolResponse::Flat(to_proto::flat_symbols(symbols, uri)))
        }))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> RpcResult<Option<Vec<FoldingRange>>> {
        Ok(self.with_open(&params.text_document.uri, |state, path, open| {
            let doc = open.model(&display(path, state.root.as_deref()));
            let spans = plancheck_ide::folding_ranges(&doc);
            let places = open.positions(&spans, state.encoding);
            let lines = spans.iter().map(|&span| places.range(span)).filter(|r| r.end.line > r.start.line);
            Some(lines.map(|r| FoldingRange { start_line: r.start.line, end_line: r.end.line, kind: Some(FoldingRangeKind::Region), ..Default::default() }).collect())
        }))
    }

    async fn hover(&self, params: HoverParams) -> RpcResult<Option<Hover>> {
        let at = params.text_document_position_params;
        Ok(self.with_open(&at.text_document.uri, |state, path, open| {
            test_panic("hover", &open.text);
            let offset = open.offset(at.position, state.encoding);
            let doc = open.model(&display(path, state.root.as_deref()));
            let config = snapshot_config(state, path);
            let findings = current_findings(state, path, open).map(|(_, f)| f).unwrap_or_default();
            let value = plancheck_ide::hover(&doc, &findings, &config.rating, offset, state.lang)?;
            Some(Hover { contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }), range: None })
        }))
    }

    async fn code_action(&self, params: CodeActionParams) -> RpcResult<Option<CodeActionResponse>> {
        let uri = &params.text_document.uri;
        Ok(self.with_open(uri, |state, path, open| {
            // Fixes computed from an older text would edit the wrong place.
            let (file, findings) = current_findings(state, path, open)?;
            let snapshot = state.latest.as_ref()?;
            let encoding = state.encoding;
            let range = crate::syntax::Span::new(open.offset(params.range.start, encoding), open.offset(params.range.end, encoding));
            let doc = &snapshot.workspace.docs[file];
            let actions = plancheck_ide::assists(doc, &findings, range, state.lang).into_iter().map(|assist| {
                let mut changes = HashMap::new();
                changes.insert(uri.clone(), assist.edits.iter().map(|e| text_edit(open, e, encoding)).collect());
                CodeActionOrCommand::CodeAction(CodeAction {
                    title: assist.title,
                    kind: Some(match assist.kind {
                        plancheck_ide::AssistKind::QuickFix => CodeActionKind::QUICKFIX,
                        plancheck_ide::AssistKind::Source => CodeActionKind::SOURCE,
                    }),
                    diagnostics: assist.finding.map(|i| vec![to_lsp(snapshot, findings[i], |file, span| lsp_range(snapshot, file, span, encoding))]),
                    edit: Some(WorkspaceEdit { changes: Some(changes), ..Default::default() }),
                    is_preferred: assist.preferred,
                    ..Default::default()
                })
            });
            Some(actions.collect())
        }))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> RpcResult<Option<Vec<InlayHint>>> {
        Ok(self.with_open(&params.text_document.uri, |state, path, open| {
            let doc = open.model(&display(path, state.root.as_deref()));
            let hints = plancheck_ide::inlay_hints(&doc, &snapshot_config(state, path).rating, state.lang);
            let hint = |h: plancheck_ide::InlayHint| InlayHint {
                position: open.position(h.offset, state.encoding),
                label: InlayHintLabel::String(h.label),
                kind: None,
                text_edits: None,
                tooltip: None,
                padding_left: Some(true),
                padding_right: None,
                data: None,
            };
            Some(hints.into_iter().map(hint).collect())
        }))
    }

    async fn completion(&self, params: CompletionParams) -> RpcResult<Option<CompletionResponse>> {
        let at = params.text_document_position;
        Ok(self.with_open(&at.text_document.uri, |state, path, open| {
            let offset = open.offset(at.position, state.encoding);
            let doc = open.model(&display(path, state.root.as_deref()));
            let departments = || {
                let mut known = snapshot_config(state, path).departments;
                if let Some(snapshot) = &state.latest {
                    // Gathered once per analysis, not per completion.
                    known.extend(snapshot.departments.get_or_init(|| plancheck_ide::departments_in(&snapshot.workspace.docs)).iter().cloned());
                }
                known
            };
            let items = plancheck_ide::completion(&doc, offset, departments, state.lang);
            Some(CompletionResponse::Array(items.into_iter().map(to_proto::completion_item).collect()))
        }))
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
        let docs = snapshot.workspace.docs.iter().enumerate().filter(|(file, _)| snapshot.files.uris[*file].is_some()).map(|(file, doc)| (file, &**doc));
        let symbols = plancheck_ide::workspace_symbols(docs, &params.query, state.lang).into_iter().filter_map(|symbol| {
            let uri = snapshot.files.uris[symbol.file].clone()?;
            #[allow(deprecated)]
            Some(SymbolInformation {
                name: symbol.name,
                kind: to_proto::symbol_kind(symbol.kind),
                tags: None,
                deprecated: None,
                location: Location { uri, range: lsp_range(snapshot, symbol.file, symbol.header, state.encoding) },
                container_name: None,
            })
        });
        Ok(Some(WorkspaceSymbolResponse::Flat(symbols.collect())))
    }
}

impl Backend {
    /// Runs `f` on the open document at `uri` (`None` when it is not open):
    /// the preamble of every request about one document.
    fn with_open<T>(&self, uri: &Uri, f: impl FnOnce(&State, &Path, &OpenDocument) -> Option<T>) -> Option<T> {
        let path = key_of(uri)?;
        let state = self.state();
        let open = state.open.get(&path)?;
        f(&state, &path, open)
    }

    /// The places related to the finding under the cursor (the other copies
    /// of a duplicated text, the other blocks with an ID), and the finding's
    /// own place when `include_self`.
    fn related_at(&self, uri: &Uri, position: Position, include_self: bool) -> Vec<Location> {
        self.with_open(uri, |state, path, open| {
            // Only from an analysis of this text: offsets in an older one are elsewhere.
            let (file, _) = current_findings(state, path, open)?;
            let snapshot = state.latest.as_ref()?;
            let offset = open.offset(position, state.encoding);
            let places = plancheck_ide::related(&snapshot.diagnostics, file, offset, include_self);
            Some(places.into_iter().filter_map(|(f, span)| Some(Location { uri: snapshot.files.uris[f].clone()?, range: lsp_range(snapshot, f, span, state.encoding) })).collect())
        })
        .unwrap_or_default()
    }
}

/// An edit of the open document, in the client's positions.
fn text_edit(open: &OpenDocument, edit: &crate::diagnostics::Edit, encoding: Encoding) -> TextEdit {
    TextEdit { range: open.range(edit.span, encoding), new_text: edit.replacement.clone() }
}

/// The index of `path` in the latest snapshot and its findings there, if
/// that snapshot is of the text open now (its findings' places are then
/// places in that text).
fn current_findings<'a>(state: &'a State, path: &Path, open: &OpenDocument) -> Option<(usize, Vec<&'a Finding>)> {
    let snapshot = state.latest.as_ref()?;
    let file = *snapshot.files.index.get(path)?;
    (snapshot.workspace.docs[file].text == open.text).then(|| (file, snapshot.diagnostics.iter().filter(|d| d.file == file).collect()))
}

fn snapshot_config(state: &State, path: &Path) -> crate::config::Config {
    if let Some(snapshot) = &state.latest
        && let Some(&file) = snapshot.files.index.get(path)
    {
        return snapshot.files.configs[file].config.clone();
    }
    crate::config::Config::default()
}
