//! The formatter: snapshots of its output on the real document and the rule
//! fixtures, and over every fixture and generated plan: idempotent, and
//! lossless (the multiset of prose characters and comments unchanged).

mod common;

use assert_cmd::Command;
use plancheck::format::{FormatError, format};
use plancheck::model::Document;
use predicates::prelude::*;
use std::path::Path;

fn all_fixture_files() -> Vec<(String, String)> {
    let mut files = common::fixture_files(Path::new("examples"));
    files.extend(common::fixture_files(Path::new("tests/fixtures")));
    files
}

/// Non-blank characters of prose and comments: lines other than structure.
fn prose_and_comment_chars(text: &str) -> Vec<char> {
    let mut chars: Vec<char> = text
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace()))
        .flat_map(|l| {
            let body = l.trim_start_matches(['|', '｜']);
            let body = if l.starts_with('#') { l } else { body.split_once([':', '：']).map_or(body, |(_, v)| v) };
            plancheck::format::fold_width(body).chars().filter(|c| !c.is_whitespace()).collect::<Vec<_>>()
        })
        .collect();
    chars.sort_unstable();
    chars
}

#[test]
fn idempotent_and_lossless_on_every_fixture_and_generated_plan() {
    let mut files = all_fixture_files();
    for seed in 0..5 {
        files.push((format!("generated-{seed}.plan"), plancheck_generate::plan(seed, 40_000)));
    }
    let mut formatted = 0;
    for (path, text) in files {
        let doc = Document::parse(path.clone(), text.clone());
        match format(&doc) {
            Ok(once) => {
                formatted += 1;
                let twice = format(&Document::parse(path.clone(), once.clone())).expect("formatted text parses");
                assert_eq!(once, twice, "{path}: not idempotent");
                assert_eq!(prose_and_comment_chars(&text), prose_and_comment_chars(&once), "{path}: prose or comments changed");
                // The same findings before and after, position aside.
                let before: Vec<_> = plancheck::check_text(&path, &text, plancheck::diagnostics::Lang::En).diagnostics.iter().map(|d| (d.rule.name, d.message.clone())).collect();
                let after: Vec<_> = plancheck::check_text(&path, &once, plancheck::diagnostics::Lang::En).diagnostics.iter().map(|d| (d.rule.name, d.message.clone())).collect();
                assert_eq!(before, after, "{path}: formatting changed the findings");
            }
            Err(FormatError::Syntax(_)) => assert!(!doc.syntax_errors.is_empty(), "{path}: refused without a syntax error"),
            Err(e) => panic!("{path}: {e:?}"),
        }
    }
    assert!(formatted >= 20, "only {formatted} files formatted");
}

#[test]
fn formatted_real_document() {
    for (path, text) in common::fixture_files(Path::new("examples/isesaki")) {
        let out = format(&Document::parse(path.clone(), text)).expect("the real document has no syntax errors");
        let name = Path::new(&path).file_stem().unwrap().to_string_lossy().to_string();
        insta::assert_snapshot!(format!("fmt-{name}"), out);
    }
}

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

const MESSY: &str = "施策 １－１－１ a {\n全体評価：Ａ\n}\n";
const TIDY: &str = "施策 1-1-1 a {\n  全体評価: A\n}\n";

#[test]
fn cli_check_lists_and_exits_1_without_writing() {
    let dir = dir_with(&[("a.plan", MESSY), ("b.plan", TIDY)]);
    Command::cargo_bin("plancheck")
        .unwrap()
        .current_dir(dir.path())
        .args(["fmt", "--check", ".", "--lang", "en"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("would reformat: a.plan").and(predicate::str::contains("b.plan").not()));
    // The default language is Japanese, the summary included.
    Command::cargo_bin("plancheck")
        .unwrap()
        .current_dir(dir.path())
        .args(["fmt", "--check", "."])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("整形が必要: a.plan (1 行目から)"))
        .stderr(predicate::str::contains("整形が必要なファイル 1、1 ファイルは変更なし").and(predicate::str::contains("reformatted").not()));
    assert_eq!(std::fs::read_to_string(dir.path().join("a.plan")).unwrap(), MESSY);
}

#[test]
fn cli_formats_in_place_keeping_a_bom() {
    let dir = dir_with(&[("a.plan", &format!("\u{feff}{MESSY}"))]);
    Command::cargo_bin("plancheck").unwrap().current_dir(dir.path()).args(["fmt", "a.plan"]).assert().code(0).stderr(predicate::str::contains("1 ファイルを整形、0 ファイルは変更なし"));
    assert_eq!(std::fs::read_to_string(dir.path().join("a.plan")).unwrap(), format!("\u{feff}{TIDY}"));
    Command::cargo_bin("plancheck").unwrap().current_dir(dir.path()).args(["fmt", "--check", "a.plan"]).assert().code(0);
}

#[test]
fn cli_refuses_syntax_errors_and_leaves_the_file() {
    let broken = "施策 1-1-1 a {\n  全体評価 A\n}\n";
    let dir = dir_with(&[("a.plan", broken)]);
    Command::cargo_bin("plancheck")
        .unwrap()
        .current_dir(dir.path())
        .args(["fmt", "a.plan"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a.plan:2:3:").and(predicate::str::contains("構文エラーのため整形しなかったファイル 1")));
    assert_eq!(std::fs::read_to_string(dir.path().join("a.plan")).unwrap(), broken);
}

#[test]
fn cli_formats_stdin_to_stdout() {
    Command::cargo_bin("plancheck").unwrap().args(["fmt", "-"]).write_stdin(MESSY).assert().code(0).stdout(TIDY);
}
