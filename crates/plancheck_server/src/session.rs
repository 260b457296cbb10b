//! The session: what the server knows between messages (the open documents, the
//! workspace's files and their configs, the client's settings, the latest
//! analysis) and the small conversions between URIs, paths and shown names.

use super::*;

/// Test hook, compiled in but inert unless the variable is set (read once,
/// at startup): `PLANCHECK_TEST_PANIC=hover,didChange,analysis` (any of
/// them) makes that handler panic when the document it works on contains
/// [`TEST_PANIC_MARKER`]. No known input makes the server panic, and the
/// test suite needs one to check that panics are contained.
pub(crate) fn test_panic_points() -> &'static [String] {
    static POINTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    POINTS.get_or_init(|| std::env::var("PLANCHECK_TEST_PANIC").map(|v| v.split(',').map(|p| p.trim().to_string()).collect()).unwrap_or_default())
}

/// See [`test_panic_points`].
pub(crate) const TEST_PANIC_MARKER: &str = "plancheck-test-panic";

pub(crate) fn test_panic(point: &str, text: &str) {
    if test_panic_points().iter().any(|p| p == point) && text.contains(TEST_PANIC_MARKER) {
        panic!("test panic in {point} (PLANCHECK_TEST_PANIC)");
    }
}

pub(crate) struct State {
    pub(crate) encoding: Encoding,
    /// Whether the client accepts dynamic registration of file watching.
    pub(crate) can_watch: bool,
    /// Whether the client understands nested document symbols.
    pub(crate) hierarchical_symbols: bool,
    /// The client expands snippets in completion items.
    pub(crate) snippet_support: bool,
    /// The URI each open document was opened with (diagnostics go back under it).
    pub(crate) uris: HashMap<PathBuf, Uri>,
    pub(crate) lang: Lang,
    pub(crate) root: Option<PathBuf>,
    pub(crate) open: HashMap<PathBuf, OpenDocument>,
    /// Other workspace files, parsed once (re-read when saved or changed on disk).
    pub(crate) disk: BTreeMap<PathBuf, Arc<Document>>,
    pub(crate) resolver: ConfigResolver,
    /// Bumped on every change; an analysis publishes only if still current.
    pub(crate) generation: u64,
    /// Whether a check is running (see [`schedule`]).
    pub(crate) checking: bool,
    /// The latest analysis and the open documents' versions it saw.
    pub(crate) latest: Option<Arc<Snapshot>>,
    /// What each file got last time (to publish only changes, and to clear).
    /// Indexed like `published_for` (a file list), so that an edit looks
    /// up no paths.
    pub(crate) published: Vec<Option<Published>>,
    pub(crate) published_for: Option<Arc<FileList>>,
    /// `plancheck.toml` files shown with an error last time.
    pub(crate) config_errors: Vec<PathBuf>,
    /// The file list whose config errors were shown.
    pub(crate) config_errors_shown: Option<Arc<FileList>>,
    /// The workspace's files (see [`FileList`]); valid until a file comes or
    /// goes (`files_valid`) or configs change (`configs_valid`).
    pub(crate) files: Option<Arc<FileList>>,
    pub(crate) files_valid: bool,
    pub(crate) configs_valid: bool,
    /// The file rules' findings per document, reused across analyses (an
    /// edit re-runs them on the edited file only).
    pub(crate) file_findings: Arc<Mutex<crate::rules::FileFindings>>,
    /// Whether the user was told that a check stopped on an internal error
    /// (told once; each one is logged).
    pub(crate) told_check_panic: bool,
    /// Where diagnostics are published (`None`: through the client).
    pub(crate) output: Option<output::Output>,
}

/// The editor's settings for the server: in `initializationOptions`, and in
/// `workspace/didChangeConfiguration` as `{"settings": {"plancheck": ...}}`
/// (or the same object directly under `settings`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Settings {
    /// `ja` or `en`: the language of messages (unchanged when absent).
    pub(crate) lang: Option<String>,
    /// Rule name → `error`, `warning`, `info` or `off`, over plancheck.toml
    /// (unchanged when absent).
    pub(crate) rules: Option<BTreeMap<String, serde_json::Value>>,
}

impl Settings {
    /// The settings in `value`; `None` when it holds none of ours (a client
    /// that sends its empty settings changes nothing).
    pub(crate) fn from_json(value: Option<&serde_json::Value>) -> Option<Result<Settings, String>> {
        let value = value?;
        let ours = value.get("plancheck").or_else(|| (value.get("lang").is_some() || value.get("rules").is_some()).then_some(value))?;
        Some(serde_json::from_value(ours.clone()).map_err(|e| format!("plancheck: {e}")))
    }

    /// Applies what `from_json` found; returns what was refused.
    pub(crate) fn apply_json(value: Option<&serde_json::Value>, state: &mut State) -> Vec<String> {
        match Settings::from_json(value) {
            None => Vec::new(),
            Some(Ok(settings)) => settings.apply(state),
            Some(Err(e)) => vec![e],
        }
    }

    /// Applies the settings; returns what was refused, to be told to the user.
    pub(crate) fn apply(self, state: &mut State) -> Vec<String> {
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

pub(crate) struct Snapshot {
    pub(crate) ropes: Vec<std::sync::OnceLock<ropey::Rope>>,
    pub(crate) files: Arc<FileList>,
    pub(crate) workspace: Workspace,
    pub(crate) diagnostics: Vec<Finding>,
    /// The departments written in the workspace (for completion), gathered when first asked.
    pub(crate) departments: std::sync::OnceLock<Vec<String>>,
}

pub(crate) fn settings_message(refused: &[String], lang: Lang) -> String {
    lang.pick(format!("plancheck: 設定の一部を使いませんでした: {}", refused.join("; ")), format!("plancheck: some settings were ignored: {}", refused.join("; ")))
}

/// The server's state. A panic while holding the lock must not take the
/// server down: the state is still usable (each mutation is one step).
pub(crate) fn lock<T>(state: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The workspace's files in a fixed order, with what an analysis needs of
/// each that changes only when files come or go, or configs change: kept
/// across analyses (an edit does not resolve 100,000 configs or URIs again)
/// and rebuilt then, reusing what it can.
pub(crate) struct FileList {
    pub(crate) paths: Vec<PathBuf>,
    /// Each document's URI: the one the client opened it with, else its path's.
    pub(crate) uris: Vec<Option<Uri>>,
    /// Whether the URI is the client's (an open document's).
    pub(crate) client_uris: Vec<bool>,
    pub(crate) configs: Vec<Arc<ResolvedConfig>>,
    pub(crate) index: HashMap<PathBuf, usize>,
    /// For each `State::disk` entry, in its order, its index here.
    pub(crate) disk_slots: Vec<usize>,
    /// Broken `plancheck.toml` files (their files are checked with the defaults).
    pub(crate) config_errors: BTreeMap<PathBuf, crate::config::ConfigError>,
}

/// The file list for the state as it is (see [`FileList`]).
pub(crate) fn file_list(s: &mut State) -> Arc<FileList> {
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

pub(crate) fn display(path: &Path, root: Option<&Path>) -> String {
    root.and_then(|r| path.strip_prefix(r).ok()).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

pub(crate) fn path_of(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

/// The key of a document: its real path (links resolved), so that one file
/// reached by two spellings is one document. A document that is not a file
/// (an unsaved `untitled:` buffer) is keyed by its URI, which no file path
/// can equal (it is relative and starts with `<`).
pub(crate) fn key_of(uri: &Uri) -> Option<PathBuf> {
    match path_of(uri) {
        Some(path) => Some(std::fs::canonicalize(&path).unwrap_or(path)),
        None => Some(PathBuf::from(format!("<{}>", uri.as_str()))),
    }
}
