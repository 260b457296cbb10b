//! plancheck: a linter and language server for Japanese municipal plan
//! evaluation sheets (総合計画の成果・課題一覧), written as `.plan` files.
//!
//! The layers, each depending only on those before it (see ARCHITECTURE.md):
//! [`syntax`] (tree-sitter CST, spans) → [`model`] (typed hierarchy, values)
//! → [`rating`] and [`rules`] (pure functions over the model) →
//! [`diagnostics`] → front ends ([`output`], the CLI in `main.rs`).

pub mod allocator;
pub mod baseline;
pub mod config;
pub mod diagnostics;
pub mod diff;
pub mod export;
pub mod fix;
pub mod format;
#[doc(hidden)]
pub mod fuzz_targets;
pub mod generate;
pub mod import;
pub mod init;
pub mod load;
pub mod lsp;
pub mod model;
pub mod output;
pub mod rating;
pub mod report;
pub mod rules;
pub mod sheet;
pub mod syntax;
pub mod table;

use config::{ConfigError, ConfigResolver, ResolvedConfig};
use diagnostics::{Diagnostic, Lang};
use model::{Document, Workspace};
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

/// A checked workspace: the documents, the config of each, the findings.
pub struct Analysis {
    pub workspace: Workspace,
    pub configs: Vec<Arc<ResolvedConfig>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses, models and checks files given as (path, text). Configs are
/// resolved for each path with `resolver` (the same function the language
/// server uses). Files are parsed in parallel.
pub fn analyze(files: Vec<(String, String)>, resolver: &mut ConfigResolver, lang: Lang) -> Result<Analysis, ConfigError> {
    let configs = files.iter().map(|(path, _)| resolver.for_file(Path::new(path))).collect::<Result<Vec<_>, _>>()?;
    let docs: Vec<Document> = files.into_par_iter().map(|(path, text)| Document::parse(path, text)).collect();
    let workspace = Workspace::new(docs);
    let diagnostics = rules::check_workspace(&workspace, &configs, lang);
    Ok(Analysis { workspace, configs, diagnostics })
}

/// Checks one text with the default config (tests, quick use).
pub fn check_text(path: &str, text: &str, lang: Lang) -> Analysis {
    let workspace = Workspace::new(vec![Document::parse(path, text)]);
    let configs = vec![Arc::new(ResolvedConfig::default())];
    let diagnostics = rules::check_workspace(&workspace, &configs, lang);
    Analysis { workspace, configs, diagnostics }
}
