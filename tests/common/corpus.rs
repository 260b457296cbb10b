//! The grammar's corpus (`grammar/test/corpus/*.txt`, the format
//! `tree-sitter test` reads), for the tests that need its cases.
#![allow(dead_code)]

use std::path::Path;

pub struct Case {
    pub file: String,
    pub name: String,
    pub input: String,
    pub expected: String,
    pub skip: bool,
    pub expect_error: bool,
}

pub fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/test/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("grammar/test/corpus exists").map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut cases = Vec::new();
    for path in files.into_iter().filter(|p| p.extension().is_some_and(|e| e == "txt")) {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let is_rule = |line: &str, c: char| {
            let t = line.trim_end_matches(['\r', '\n']);
            t.len() >= 3 && t.chars().all(|x| x == c)
        };
        let mut i = 0;
        while i < lines.len() {
            if !is_rule(lines[i], '=') {
                i += 1;
                continue;
            }
            // header: === / name (and attributes) / ===
            let mut j = i + 1;
            let mut header = Vec::new();
            while j < lines.len() && !is_rule(lines[j], '=') {
                header.push(lines[j].trim_end());
                j += 1;
            }
            let name = header.first().copied().unwrap_or("").to_string();
            let skip = header.iter().any(|h| h.trim() == ":skip");
            let expect_error = header.iter().any(|h| h.trim() == ":error");
            j += 1;
            let body_start = j;
            while j < lines.len() && !is_rule(lines[j], '-') {
                j += 1;
            }
            let input = lines[body_start..j].concat();
            // As `tree-sitter test`: the line end before the `---` is not input.
            let input = input.strip_suffix('\n').unwrap_or(&input);
            let input = input.strip_suffix('\r').unwrap_or(input).to_string();
            j += 1;
            let tree_start = j;
            while j < lines.len() && !is_rule(lines[j], '=') {
                j += 1;
            }
            let expected = lines[tree_start..j].concat();
            cases.push(Case { file: file.clone(), name, input, expected, skip, expect_error });
            i = j;
        }
    }
    cases
}
