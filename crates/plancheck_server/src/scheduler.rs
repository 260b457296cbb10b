//! The scheduler: one check at a time in the background, the changes of a
//! burst checked together, published only for the versions it was computed
//! from and only for the files whose findings changed.

use super::*;

/// Checks the workspace now, or, when a check is running, once more right
/// after it. One check runs at a time, so the changes of a burst are
/// checked together, without a debounce delay on a single keystroke; a
/// check overtaken by a change is not published.
pub(crate) fn schedule(state: &Arc<Mutex<State>>, client: &Client) {
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
pub(crate) async fn check_panicked(state: &Arc<Mutex<State>>, client: &Client, panic: String) {
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

pub(crate) type Publication = Vec<(Uri, Vec<Diagnostic>, Option<i32>)>;

/// A document for the analysis: a model at hand, or one to build.
pub(crate) enum ModelJob {
    Ready(Arc<Document>),
    Build(Box<dyn FnOnce() -> Arc<Document> + Send>),
}

impl ModelJob {
    pub(crate) fn run(self) -> Arc<Document> {
        match self {
            ModelJob::Ready(doc) => doc,
            ModelJob::Build(build) => build(),
        }
    }
}

/// What was last published for a file: to publish again only what changed.
pub(crate) struct Published {
    pub(crate) uri: Uri,
    pub(crate) version: Option<i32>,
    /// A digest of the findings (and of the documents they are in).
    pub(crate) digest: u64,
    /// Those documents, kept so that their addresses in the digest stay theirs.
    pub(crate) _docs: Vec<Arc<Document>>,
}

/// A digest of one file's findings and of the documents their places are
/// in (by address: [`Published`] keeps them).
pub(crate) fn digest(snapshot: &Snapshot, file: usize, findings: &[&Finding]) -> u64 {
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
pub(crate) fn documents_of(snapshot: &Snapshot, file: usize, findings: &[&Finding]) -> Vec<Arc<Document>> {
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
pub(crate) fn analyze(state: &Arc<Mutex<State>>, generation: u64) -> Option<Publication> {
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
pub(crate) struct Trace(pub(crate) Option<std::cell::Cell<std::time::Instant>>);

impl Trace {
    pub(crate) fn start() -> Trace {
        static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        Trace(ON.get_or_init(|| std::env::var_os("PLANCHECK_TRACE").is_some()).then(|| std::cell::Cell::new(std::time::Instant::now())))
    }
    pub(crate) fn lap(&self, stage: &str) {
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
