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
mod handlers;
mod output;
mod scheduler;
mod session;
mod to_proto;
mod transport;

// The lower layers' modules under their own names.
use plancheck_core::{load, model, syntax};
use plancheck_linter::{config, diagnostics, format, rules};

use crate::config::{ConfigResolver, ResolvedConfig};
use crate::diagnostics::{Diagnostic as Finding, Lang, Severity};
use crate::model::{Document, Workspace};
use document::{Encoding, OpenDocument};
use scheduler::*;
use session::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use to_proto::*;
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
                snippet_support: false,
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
