//! The linter: everything `plancheck check` needs, with no LSP, no
//! command line and no spreadsheets.
//!
//! [`settings`] (what the rules read) → [`rating`] (the legend, exact
//! arithmetic) → [`direction`] (which way an indicator is better, when the
//! plan may have it wrong) → [`rules`] (pure functions from the model to
//! [`diagnostics`]) → [`config`] (reading `plancheck.toml`, which needs the
//! rule names) → [`fix`], [`output`] (human, JSON, SARIF, GitHub). The
//! formatter ([`format`]) uses the model only. [`analyze`] is the pipeline
//! every front end calls.

/// A message in the language asked for: `msg!(lang, ja, en)` evaluates (and
/// formats) only the text of that language.
macro_rules! msg {
    ($lang:expr, $ja:expr, $en:expr $(,)?) => {
        match $lang {
            $crate::diagnostics::Lang::Ja => String::from($ja),
            $crate::diagnostics::Lang::En => String::from($en),
        }
    };
}

pub mod config;
pub mod diagnostics;
pub mod direction;
pub mod explain;
pub mod fix;
pub mod format;
pub mod legend;
pub mod output;
pub mod output_path;
pub mod presets;
pub mod rating;
pub mod rules;
pub mod series;
pub mod settings;

// The core's modules under their own names, so that `crate::model::…`
// reads the same in every layer.
use plancheck_core::{load, model, syntax};

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
    // A check reads only the model: each tree is dropped as soon as its model
    // is built (about 4 bytes per byte of plan; the formatter parses again).
    let docs: Vec<Document> = files
        .into_par_iter()
        .map(|(path, text)| {
            let mut doc = Document::parse(path, text);
            doc.drop_tree();
            doc
        })
        .collect();
    let workspace = Workspace::new(docs);
    let diagnostics = rules::check_workspace(&workspace, &configs, lang);
    Ok(Analysis { workspace, configs, diagnostics })
}

impl Analysis {
    /// The rating scheme in effect for each document: its config's, with
    /// the legend of the plan's 計画 block laid over it (as the rules use).
    pub fn schemes(&self) -> Vec<std::borrow::Cow<'_, rating::RatingScheme>> {
        let plan = self.workspace.plan_header().map(|(_, b)| b);
        self.configs.iter().map(|c| c.config.rating.with_plan(plan).map_or(std::borrow::Cow::Borrowed(&c.config.rating), std::borrow::Cow::Owned)).collect()
    }
}

/// Checks one text with the default config (tests, quick use).
pub fn check_text(path: &str, text: &str, lang: Lang) -> Analysis {
    let workspace = Workspace::new(vec![Document::parse(path, text)]);
    let configs = vec![Arc::new(ResolvedConfig::default())];
    let diagnostics = rules::check_workspace(&workspace, &configs, lang);
    Analysis { workspace, configs, diagnostics }
}
