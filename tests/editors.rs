//! The editors' files against the one grammar (`grammar/`), so that they
//! cannot drift:
//! - the committed parser's ABI is one every editor loads;
//! - every query file of every editor compiles against the grammar;
//! - Neovim's queries are the grammar's, byte for byte; Helix's are the
//!   grammar's with capture names Helix knows;
//! - the VS Code TextMate grammar is checked (by the extension's own tests)
//!   against `editors/vscode/test/fixtures/highlights.json`, which this test
//!   keeps equal to what the tree-sitter highlights give;
//! - (the snippets are the server's, `plancheck_ide::snippets`, and tested
//!   there: each expands to a valid block of the kind it says);
//! - every spelling of a grade, level, direction or `-` that the value
//!   parsers read is highlighted as a constant.
//!
//! Generated files are rewritten with `PLANCHECK_UPDATE_EDITORS=1 cargo test
//! --test editors`; otherwise a difference fails the test.

#[path = "common/corpus.rs"]
mod corpus;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use tree_sitter::{Query, QueryCursor, StreamingIterator};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn query(path: &Path) -> Query {
    Query::new(&plancheck::syntax::language(), &read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A generated file: equal to `expected`, or rewritten when asked to.
fn check_generated(path: &Path, expected: &str) {
    if std::env::var_os("PLANCHECK_UPDATE_EDITORS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(actual == expected, "{} is out of date with the grammar; run `PLANCHECK_UPDATE_EDITORS=1 cargo test --test editors` and commit it", path.display());
}

const QUERIES: [&str; 3] = ["highlights.scm", "folds.scm", "indents.scm"];

#[test]
fn the_committed_parser_has_an_abi_every_editor_loads() {
    // Neovim before 0.11 and older nvim-treesitter builds load ABI 14 at most.
    assert_eq!(plancheck::syntax::language().abi_version(), 14, "regenerate with `tree-sitter generate --abi 14` (grammar/README.md)");
}

#[test]
fn every_query_of_every_editor_compiles_against_the_grammar() {
    let mut files = Vec::new();
    for dir in ["grammar/queries", "editors/nvim/queries/plan", "editors/helix/queries/plan"] {
        let mut found: Vec<_> = std::fs::read_dir(root().join(dir)).unwrap_or_else(|e| panic!("{dir}: {e}")).map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "scm")).collect();
        assert!(!found.is_empty(), "{dir} has no queries");
        files.append(&mut found);
    }
    for file in files {
        query(&file);
    }
}

#[test]
fn neovim_queries_are_the_grammars() {
    for name in QUERIES {
        check_generated(&root().join("editors/nvim/queries/plan").join(name), &read(&root().join("grammar/queries").join(name)));
    }
}

/// Capture names of the grammar's highlights that Helix spells differently.
// Helix has no scope for an erroneous comment: a broken directive shows as a
// comment there (the language server still underlines it).
const HELIX_NAMES: [(&str, &str); 3] = [("number", "constant.numeric"), ("property", "variable.other.member"), ("comment.error", "comment")];

/// Helix's highlight scopes (docs.helix-editor.com/themes.html#scopes), the
/// ones a plan needs and their parents.
const HELIX_SCOPES: [&str; 14] = [
    "attribute",
    "comment",
    "constant",
    "constant.numeric",
    "string",
    "string.special",
    "variable.other.member",
    "punctuation",
    "punctuation.delimiter",
    "punctuation.bracket",
    "punctuation.special",
    "keyword",
    "keyword.directive",
    "special",
];

/// Helix's indent captures (book/src/guides/indent.md).
const HELIX_INDENT_CAPTURES: [&str; 8] = ["indent", "outdent", "indent.always", "outdent.always", "align", "anchor", "extend", "extend.prevent-once"];

fn helix_highlights(grammar: &str) -> String {
    let mut out = String::from(
        "; Generated from grammar/queries/highlights.scm by tests/editors.rs, with\n; Helix's scope names. Edit the grammar's file, then run\n; PLANCHECK_UPDATE_EDITORS=1 cargo test --test editors\n\n",
    );
    for line in grammar.lines() {
        let mut line = line.to_string();
        for (ours, helix) in HELIX_NAMES {
            line = rename_capture(&line, ours, helix);
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Renames `@from` (a whole capture name, not a prefix of a longer one).
fn rename_capture(line: &str, from: &str, to: &str) -> String {
    let pattern = format!("@{from}");
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(&pattern) {
        let after = &rest[at + pattern.len()..];
        let whole = !after.starts_with(|c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
        out.push_str(&rest[..at]);
        out.push('@');
        out.push_str(if whole { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}

#[test]
fn helix_queries_are_the_grammars_in_helix_names() {
    let dir = root().join("editors/helix/queries/plan");
    check_generated(&dir.join("highlights.scm"), &helix_highlights(&read(&root().join("grammar/queries/highlights.scm"))));
    let highlights = query(&dir.join("highlights.scm"));
    for name in highlights.capture_names() {
        assert!(name.starts_with('_') || HELIX_SCOPES.contains(name), "highlights: @{name} is not a Helix scope");
    }
    let indents = query(&dir.join("indents.scm"));
    for name in indents.capture_names() {
        assert!(HELIX_INDENT_CAPTURES.contains(name), "indents: @{name} is not a Helix indent capture");
    }
    assert_eq!(rename_capture("(id) @number (#match? @number \"x\") @number.float", "number", "constant.numeric"), "(id) @constant.numeric (#match? @constant.numeric \"x\") @number.float");
}

/// The innermost highlight capture of each character (a later pattern wins
/// over an earlier one on the same node), as runs of non-blank characters
/// with UTF-16 columns: what the TextMate grammar must agree with.
fn highlight_tokens(text: &str) -> Vec<serde_json::Value> {
    let tree = plancheck::syntax::parse(text);
    let highlights = query(&root().join("grammar/queries/highlights.scm"));
    let mut cursor = QueryCursor::new();
    let mut painted: Vec<(usize, usize, usize, &str)> = Vec::new(); // (start, end, pattern, name)
    let mut captures = cursor.captures(&highlights, tree.root_node(), text.as_bytes());
    while let Some((m, index)) = captures.next() {
        let capture = m.captures()[*index];
        let name = highlights.capture_names()[capture.index as usize];
        if name.starts_with('_') {
            continue; // names a node for a predicate only: not painted
        }
        painted.push((capture.node.start_byte(), capture.node.end_byte(), m.pattern_index, name));
    }
    // Larger nodes first, so that inner ones paint over them; on one node,
    // pattern order.
    painted.sort_by_key(|&(start, end, pattern, _)| (std::cmp::Reverse(end - start), pattern));
    let mut by_byte: Vec<Option<&str>> = vec![None; text.len()];
    for (start, end, _, name) in painted {
        by_byte[start..end].fill(Some(name));
    }
    let mut tokens = Vec::new();
    let mut line_start = 0;
    for (line_no, line) in text.split('\n').enumerate() {
        let mut column = 0; // UTF-16
        let mut current: Option<(usize, usize, &str)> = None; // (start column, end column, capture)
        for (offset, ch) in line.char_indices() {
            let capture = if matches!(ch, ' ' | '\t' | '\r' | '\u{3000}' | '\u{feff}') { None } else { by_byte[line_start + offset] };
            let width = ch.len_utf16();
            match (&mut current, capture) {
                (Some((_, end, name)), Some(c)) if *name == c && *end == column => *end += width,
                (_, c) => {
                    if let Some((start, end, name)) = current.take() {
                        tokens.push(serde_json::json!({"line": line_no, "start": start, "end": end, "capture": name}));
                    }
                    current = c.map(|c| (column, column + width, c));
                }
            }
            column += width;
        }
        if let Some((start, end, name)) = current {
            tokens.push(serde_json::json!({"line": line_no, "start": start, "end": end, "capture": name}));
        }
        line_start += line.len() + 1;
    }
    tokens
}

#[test]
fn the_textmate_reference_is_the_tree_sitter_highlighting() {
    let mut samples = Vec::new();
    for case in corpus::cases().into_iter().filter(|c| !c.skip && !c.expect_error && !plancheck::syntax::parse(&c.input).root_node().has_error()) {
        samples.push((format!("{}: {}", case.file, case.name), case.input));
    }
    // The grammar's highlight tests and edge cases (full-width forms,
    // directives, values that look like other values).
    for dir in ["grammar/test/highlight", "tests/fixtures/highlight"] {
        let mut files: Vec<_> = std::fs::read_dir(root().join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            let text = read(&file);
            if !plancheck::syntax::parse(&text).root_node().has_error() {
                samples.push((format!("{dir}/{}", file.file_name().unwrap().to_string_lossy()), text));
            }
        }
    }
    // A real 施策 from the seed document, as transcribed.
    let kenko = read(&root().join("examples/isesaki/1-kenko.plan"));
    let excerpt: String = kenko.split_inclusive('\n').take(80).collect();
    let excerpt = excerpt[..excerpt.rfind("\n}\n").map_or(excerpt.len(), |i| i + 3)].to_string();
    samples.push(("examples/isesaki/1-kenko.plan (first lines)".to_string(), excerpt));
    let reference: Vec<serde_json::Value> = samples
        .iter()
        .map(|(name, text)| serde_json::json!({"name": name, "text": text, "tokens": highlight_tokens(text)}))
        .filter(|sample| !sample["tokens"].as_array().unwrap().is_empty())
        .collect();
    let captures: BTreeSet<String> = reference.iter().flat_map(|s| s["tokens"].as_array().unwrap().iter().map(|t| t["capture"].as_str().unwrap().to_string())).collect();
    // Every highlight the grammar has is exercised by the reference.
    let all = query(&root().join("grammar/queries/highlights.scm"));
    for name in all.capture_names().iter().filter(|n| !n.starts_with('_')) {
        assert!(captures.contains(*name), "no sample shows @{name}");
    }
    let json = serde_json::to_string_pretty(&reference).unwrap() + "\n";
    check_generated(&root().join("editors/vscode/test/fixtures/highlights.json"), &json);
}

/// Every value of a grade or level field is highlighted as a constant,
/// whatever the symbol (the legend says which are valid: `S`, `B+`, `◎`,
/// `順調`, full-width `Ｂ`); elsewhere every spelling of "not obtainable"
/// and the directions are, and prose is not. The keys the highlights name
/// are the field table's grade and level fields.
#[test]
fn every_grade_token_and_every_spelling_the_value_parsers_read_is_highlighted_as_a_constant() {
    use plancheck::model::ValueKind;
    use plancheck::model::schema::FIELDS;
    use plancheck::model::value::{is_dash, nfkc, parse_direction};
    let grade_keys: BTreeSet<&str> = FIELDS.iter().filter(|d| matches!(d.value, ValueKind::Grade | ValueKind::IndicatorGrade | ValueKind::Level)).flat_map(|d| d.names.iter().copied()).collect();
    let highlights = read(&root().join("grammar/queries/highlights.scm"));
    let named = highlights.split("(#match? @_grade_key \"^(").nth(1).and_then(|rest| rest.split_once(")$\"")).map(|(list, _)| list.split('|').collect::<BTreeSet<&str>>());
    assert_eq!(named, Some(grade_keys.clone()), "highlights.scm names the grade keys");
    let at_value = |text: &str, line: u64, column: u64| {
        let tokens = highlight_tokens(text);
        tokens.iter().find(|t| t["line"] == line && t["start"].as_u64() == Some(column)).map(|t| t["capture"].as_str().unwrap().to_string())
    };
    for key in &grade_keys {
        for symbol in ["A", "Ｂ", "S", "B+", "a", "◎", "○", "順調", "概ね順調", "評価困難", "高", "-", "ー"] {
            let text = format!("施策 1-1-1 a {{\n  {key}: {symbol}\n}}\n");
            let column = 2 + key.chars().count() as u64 + 2;
            assert_eq!(at_value(&text, 1, column).as_deref(), Some("constant"), "{key}: {symbol}");
        }
    }
    let mut words: Vec<String> = (0..=0xFFFF_u32).filter_map(char::from_u32).map(|c| c.to_string()).filter(|w| !w.trim().is_empty() && is_dash(&nfkc(w))).collect();
    for (direction, _) in plancheck::model::value::DIRECTION_WORDS {
        assert!(parse_direction(direction).is_ok());
        words.push(direction.to_string());
    }
    assert!(words.len() >= 8, "{words:?}");
    for word in &words {
        let text = format!("施策 1-1-1 a {{\n  指標 b {{\n    実績: {word}\n  }}\n}}\n");
        assert_eq!(at_value(&text, 2, 8).as_deref(), Some("constant"), "{word:?} (U+{:04X}) is read as a value but not highlighted as one", word.chars().next().unwrap() as u32);
    }
    // Outside a grade field, a letter is prose and a number a quantity.
    assert_eq!(at_value("施策 1-1-1 a {\n  代表課: A\n}\n", 1, 7).as_deref(), Some("string"));
    assert_eq!(at_value("施策 1-1-1 a {\n  指標 b {\n    実績: 5,900人\n  }\n}\n", 2, 8).as_deref(), Some("number"));
}
