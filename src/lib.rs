//! plancheck: a linter and language server for Japanese municipal plan
//! evaluation sheets (総合計画の成果・課題一覧), written as `.plan` files.
//!
//! This package is the `plancheck` binary. Its library is a façade over the
//! layer crates (see ARCHITECTURE.md), so that the integration tests and
//! benches name everything as `plancheck::…`, plus the parts only the
//! command line has: [`init`], [`baseline`] and the [`allocator`].
//!
//! `plancheck_core` (syntax, model, load) → `plancheck_linter` (settings,
//! rating, rules, config, fix, format, output) → `plancheck_tables` (sheet,
//! import, export, report, diff) and `plancheck_server` (the LSP) → this
//! binary. Cargo enforces the order: a crate cannot name one above it.

pub mod allocator;
pub mod baseline;
pub mod init;

pub use plancheck_core::{i18n, load, model, syntax};
pub use plancheck_linter::{Analysis, analyze, check_text};
pub use plancheck_linter::{config, diagnostics, explain, fix, format, legend, output, output_path, presets, rating, rules, series, settings};
pub use plancheck_server as lsp;
pub use plancheck_tables::{annotate, diff, export, import, report, sheet, table};
