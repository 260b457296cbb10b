//! Tables: a plan as a sheet of rows, and the ways in and out of
//! spreadsheets and print.
//!
//! [`sheet`] (a plan as rows, with the linter's computed ratings) →
//! [`table`] (the official columns) → [`import`] (workbooks, CSV, the text
//! of a published PDF → `.plan`), [`export`] (CSV, xlsx, JSON), [`report`]
//! (the HTML report for the council), [`diff`] (two editions compared),
//! [`annotate`] (findings written into a copy of the workbook).

pub mod annotate;
pub mod diff;
pub mod export;
pub mod import;
pub mod report;
pub mod sheet;
pub mod table;

use plancheck_core::{load, model, syntax};
use plancheck_linter::{Analysis, diagnostics, direction, format, legend, rating, series, settings};
