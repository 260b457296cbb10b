//! Runs every case of the grammar's corpus (`grammar/test/corpus/*.txt`, the
//! format `tree-sitter test` reads) through the parser compiled into the
//! crate, and compares the trees. `cargo test` needs no tree-sitter CLI.

#[path = "common/corpus.rs"]
mod corpus;

use corpus::cases;

/// Whitespace-insensitive s-expression comparison, as `tree-sitter test`.
fn normalize(sexp: &str) -> String {
    let no_comments: String = sexp.lines().map(|l| l.split(';').next().unwrap_or("")).collect::<Vec<_>>().join(" ");
    let spaced = no_comments.replace('(', " ( ").replace(')', " ) ");
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_corpus_case_parses_to_its_expected_tree() {
    let cases = cases();
    assert!(cases.len() >= 50, "the corpus should cover every construct; found {} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases.iter().filter(|c| !c.skip) {
        // tree-sitter test strips the input's final newline; trailing blank
        // lines do not change the tree of a line-oriented grammar.
        let tree = plancheck::syntax::parse(&case.input);
        let root = tree.root_node();
        if case.expect_error {
            if !root.has_error() {
                failures.push(format!("{} / {}: expected an error", case.file, case.name));
            }
            continue;
        }
        let actual = normalize(&root.to_sexp());
        let expected = normalize(&case.expected);
        if actual != expected {
            failures.push(format!("{} / {}:\n  expected: {expected}\n  actual:   {actual}", case.file, case.name));
        }
    }
    assert!(failures.is_empty(), "{} of {} corpus cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
