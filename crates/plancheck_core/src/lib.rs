//! The core of plancheck: the `.plan` syntax and what it means, with no
//! settings, no rules and no front end.
//!
//! [`syntax`] (the tree-sitter grammar, spans, line index) → [`model`] (the
//! typed hierarchy 基本政策 > 政策 > 施策, values, prose, the incremental
//! patch). [`load`] reads and writes files (decoding, the folder walk,
//! atomic replacement); [`i18n`] is the language of messages.
//!
//! This crate has no JSON, LSP or command-line dependency: everything
//! above it (the linter, the tables, the server, the binary) builds on it.

pub mod i18n;
pub mod load;
pub mod model;
pub mod syntax;
