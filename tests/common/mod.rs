//! Helpers shared by the integration tests.
#![allow(dead_code)]

use plancheck::Analysis;
use plancheck::config::ConfigResolver;
use plancheck::diagnostics::Lang;
use plancheck::output::range_of;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The `.plan` files of a fixture (a file, or a folder of them), with paths
/// relative to the crate root so snapshots are stable.
pub fn fixture_files(path: &Path) -> Vec<(String, String)> {
    let files: Vec<PathBuf> = plancheck::load::collect_plan_files(&[path.to_path_buf()]).expect("fixture exists");
    files
        .into_iter()
        .map(|p| {
            let text = plancheck::load::read_plan(&p).unwrap();
            (p.to_string_lossy().replace('\\', "/"), text)
        })
        .collect()
}

pub fn analyze_path(path: &Path, lang: Lang) -> Analysis {
    let files = fixture_files(path);
    plancheck::analyze(files, &mut ConfigResolver::new(), lang).expect("fixture config is valid")
}

/// One line per finding (and its related places and fix), for snapshots.
pub fn render(analysis: &Analysis) -> String {
    let mut out = String::new();
    for d in &analysis.diagnostics {
        let doc = &analysis.workspace.docs[d.file];
        let r = range_of(doc, d.span);
        let name = Path::new(&doc.path).file_name().unwrap().to_string_lossy();
        let _ = writeln!(out, "{name}:{}:{}-{}:{} {} {}({}): {}", r.start.line, r.start.column, r.end.line, r.end.column, d.severity.as_str(), d.rule.name, d.rule.code, d.message);
        let covered: String = doc.text[d.span.start..d.span.end].chars().take(30).collect();
        let _ = writeln!(out, "    at: {:?}", covered);
        for rel in &d.related {
            let rdoc = &analysis.workspace.docs[rel.file];
            let rr = range_of(rdoc, rel.span);
            let rname = Path::new(&rdoc.path).file_name().unwrap().to_string_lossy();
            let _ = writeln!(out, "    related {rname}:{}:{}: {}", rr.start.line, rr.start.column, rel.message);
        }
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                let er = range_of(doc, e.span);
                let _ = writeln!(
                    out,
                    "    {}fix ({}): {}:{}-{}:{} -> {:?}",
                    if fix.applicability == plancheck::diagnostics::Applicability::Unsafe { "unsafe " } else { "" },
                    fix.message,
                    er.start.line,
                    er.start.column,
                    er.end.line,
                    er.end.column,
                    e.replacement
                );
            }
        }
    }
    out
}
