//! The handlers of LSP requests and notifications: each finds the document,
//! calls the editor layer (`plancheck_ide`) or the linter, and converts the
//! answer (`to_proto`). Every one runs under the guard's `catch_unwind`
//! (`guard.rs`): a panic answers its request with an error and the session
//! goes on.

use super::*;

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
            state.snippet_support =
                params.capabilities.text_document.as_ref().and_then(|t| t.completion.as_ref()).and_then(|c| c.completion_item.as_ref()).and_then(|i| i.snippet_support).unwrap_or(false);
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
            let rating = effective_rating(state, path, &doc);
            let findings = current_findings(state, path, open).map(|(_, f)| f).unwrap_or_default();
            let config = snapshot_config(state, path);
            let value = plancheck_ide::hover(&doc, &findings, &rating, offset, &|rule| config.config.rule_url(rule), state.lang)?;
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
            let hints = plancheck_ide::inlay_hints(&doc, &effective_rating(state, path, &doc), state.lang);
            let hint = |h: plancheck_ide::InlayHint| InlayHint {
                position: open.position(h.offset, state.encoding),
                label: InlayHintLabel::String(h.label),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(h.tooltip)),
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
                let mut known = snapshot_config(state, path).config.departments.clone();
                if let Some(snapshot) = &state.latest {
                    // Gathered once per analysis, not per completion.
                    known.extend(snapshot.departments.get_or_init(|| plancheck_ide::departments_in(&snapshot.workspace.docs)).iter().cloned());
                }
                known
            };
            let rating = effective_rating(state, path, &doc);
            let hierarchy = effective_hierarchy(state, &doc);
            let options = plancheck_ide::CompletionOptions { snippets: state.snippet_support };
            let items = plancheck_ide::completion(&doc, offset, &rating.legend, &hierarchy, departments, options, state.lang);
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

/// The index of `path` in the latest snapshot and its findings there, if
/// that snapshot is of the text open now (its findings' places are then
/// places in that text).
pub(crate) fn current_findings<'a>(state: &'a State, path: &Path, open: &OpenDocument) -> Option<(usize, Vec<&'a Finding>)> {
    let snapshot = state.latest.as_ref()?;
    let file = *snapshot.files.index.get(path)?;
    (snapshot.workspace.docs[file].text == open.text).then(|| (file, snapshot.diagnostics.iter().filter(|d| d.file == file).collect()))
}

/// The rating scheme in effect for `path`: its config's, with the legend
/// of the plan's 計画 block laid over it (the open document's own block, or
/// the latest snapshot's), as the rules compute it.
pub(crate) fn effective_rating(state: &State, path: &Path, doc: &plancheck_core::model::Document) -> plancheck_linter::rating::RatingScheme {
    let config = snapshot_config(state, path);
    let own = doc.blocks_of(plancheck_core::model::BlockKind::Plan).next().map(|(_, b)| b);
    let plan = own.or_else(|| state.latest.as_ref().and_then(|s| s.workspace.plan_header()).map(|(_, b)| b));
    config.config.rating.with_plan(plan).unwrap_or_else(|| config.config.rating.clone())
}

/// The plan's hierarchy as the document sees it: its own 計画 block's, or
/// the workspace's.
pub(crate) fn effective_hierarchy(state: &State, doc: &plancheck_core::model::Document) -> plancheck_core::model::Hierarchy {
    let own = doc.blocks_of(plancheck_core::model::BlockKind::Plan).next().map(|(_, b)| b);
    plancheck_core::model::Hierarchy::of(own.or_else(|| state.latest.as_ref().and_then(|s| s.workspace.plan_header()).map(|(_, b)| b)))
}

/// The config of `path` in the latest snapshot (shared, not copied per
/// request), or the defaults.
pub(crate) fn snapshot_config(state: &State, path: &Path) -> Arc<ResolvedConfig> {
    if let Some(snapshot) = &state.latest
        && let Some(&file) = snapshot.files.index.get(path)
    {
        return snapshot.files.configs[file].clone();
    }
    Arc::default()
}
