//! ARCHITECTURE.md's dependency tables, checked against the code: the crate
//! table is each crate's `Cargo.toml` (so the map cannot drift from what
//! Cargo enforces), and inside a crate no module uses another that its
//! table does not allow (Cargo cannot see those edges).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn architecture() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("ARCHITECTURE.md")).unwrap()
}

/// The backticked names of a table cell (`—` is none).
fn names(cell: &str) -> BTreeSet<String> {
    cell.split('`').skip(1).step_by(2).map(|s| s.to_string()).collect()
}

/// The rows (first cell → second cell's names) of the first table after `heading`.
fn table_after(doc: &str, heading: &str) -> BTreeMap<String, BTreeSet<String>> {
    let start = doc.find(heading).unwrap_or_else(|| panic!("ARCHITECTURE.md has no heading {heading:?}"));
    let mut rows = BTreeMap::new();
    let mut in_table = false;
    for line in doc[start + heading.len()..].lines() {
        let line = line.trim();
        if !line.starts_with('|') {
            if in_table {
                break;
            }
            if line.starts_with('#') {
                break;
            }
            continue;
        }
        in_table = true;
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() < 2 || cells[0].starts_with("---") || !cells[0].starts_with('`') {
            continue;
        }
        let name = names(cells[0]).into_iter().next().unwrap();
        rows.insert(name, names(cells[1]));
    }
    assert!(!rows.is_empty(), "no table after {heading:?}");
    rows
}

/// The `plancheck_*` crates a manifest depends on (not dev-dependencies).
fn crate_dependencies(manifest: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let value: toml::Table = toml::from_str(&text).unwrap();
    let mut found = BTreeSet::new();
    let mut tables = vec![value.get("dependencies")];
    if let Some(targets) = value.get("target").and_then(|t| t.as_table()) {
        tables.extend(targets.values().map(|t| t.get("dependencies")));
    }
    for deps in tables.into_iter().flatten().filter_map(|d| d.as_table()) {
        found.extend(deps.keys().filter(|k| k.starts_with("plancheck")).cloned());
    }
    found
}

#[test]
fn the_crate_table_is_the_manifests() {
    let table = table_after(&architecture(), "## Crates");
    let mut actual = BTreeMap::new();
    actual.insert("plancheck".to_string(), crate_dependencies(&Path::new(ROOT).join("Cargo.toml")));
    for entry in std::fs::read_dir(Path::new(ROOT).join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        actual.insert(name, crate_dependencies(&dir.join("Cargo.toml")));
    }
    assert_eq!(table, actual, "ARCHITECTURE.md's crate table (left) against the crates' Cargo.toml (right)");
}

/// A crate's own top-level modules (`mod x;` / `pub mod x;` in lib.rs).
fn modules_of(src: &Path) -> BTreeSet<String> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    lib.lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("pub ").or_else(|| l.strip_prefix("pub(crate) ")).unwrap_or(l);
            l.strip_prefix("mod ").and_then(|m| m.strip_suffix(';')).map(str::to_string)
        })
        .collect()
}

/// The code of a file without its unit-test modules (`#[cfg(test)] mod x
/// { … }` up to its closing brace at the start of a line) and comments.
fn code_of(text: &str) -> String {
    let mut code = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]\nmod ") {
        code.push_str(&rest[..at]);
        rest = &rest[at..];
        rest = match rest.find("\n}") {
            Some(end) => &rest[end + 2..],
            None => "",
        };
    }
    code.push_str(rest);
    code.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// Module → the crate's other modules its code names as `crate::x`.
fn module_edges(src: &Path, modules: &BTreeSet<String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = modules.iter().map(|m| (m.clone(), BTreeSet::new())).collect();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(src).unwrap();
            let top = rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
            if !modules.contains(&top) {
                continue; // lib.rs
            }
            let code = code_of(&std::fs::read_to_string(&path).unwrap());
            for (i, _) in code.match_indices("crate::") {
                let used: String = code[i + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if used != top && modules.contains(&used) {
                    edges.get_mut(&top).unwrap().insert(used);
                }
            }
            // `use crate::{a, b::c}` groups.
            for (i, _) in code.match_indices("crate::{") {
                let group: String = code[i + 8..].chars().take_while(|&c| c != '}').collect();
                for part in group.split(',') {
                    let used: String = part.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                    if used != top && modules.contains(&used) {
                        edges.get_mut(&top).unwrap().insert(used);
                    }
                }
            }
        }
    }
    edges
}

fn check_modules(krate: &str) {
    let src = Path::new(ROOT).join("crates").join(krate).join("src");
    let modules = modules_of(&src);
    let allowed = table_after(&architecture(), &format!("### Inside `{krate}`"));
    assert_eq!(allowed.keys().cloned().collect::<BTreeSet<_>>(), modules, "ARCHITECTURE.md's table for {krate} lists exactly its modules");
    let mut wrong = Vec::new();
    for (module, uses) in module_edges(&src, &modules) {
        for used in uses.difference(&allowed[&module]) {
            wrong.push(format!("{krate}::{module} uses {used}"));
        }
    }
    assert!(wrong.is_empty(), "edges ARCHITECTURE.md does not allow (change the code, or the table if the design changed):\n{}", wrong.join("\n"));
}

#[test]
fn the_core_s_modules_keep_their_order() {
    check_modules("plancheck_core");
}

#[test]
fn the_linter_s_modules_keep_their_order() {
    check_modules("plancheck_linter");
}

#[test]
fn the_tables_modules_keep_their_order() {
    check_modules("plancheck_tables");
}

#[test]
fn the_check_finds_an_edge_the_table_does_not_allow() {
    // The checker itself: a file naming a module it may not use is caught.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lib.rs"), "pub mod low;\npub mod high;\nmod other;\n").unwrap();
    std::fs::write(dir.path().join("other.rs"), "").unwrap();
    std::fs::write(dir.path().join("low.rs"), "use crate::high::Thing;\n// crate::high in a comment is not an edge\n").unwrap();
    std::fs::write(dir.path().join("high.rs"), "use crate::{low, low::Other};\n#[cfg(test)]\nmod some_tests {\n    use crate::other;\n}\nfn after() { crate::low::f() }\n").unwrap();
    std::fs::write(dir.path().join("low.rs"), "use crate::high::Thing;\n// crate::high in a comment is not an edge\n#[cfg(test)]\nmod tests {\n    use crate::high;\n}\n").unwrap();
    let modules = modules_of(dir.path());
    let edges = module_edges(dir.path(), &modules);
    assert_eq!(edges["low"], BTreeSet::from(["high".to_string()]));
    assert_eq!(edges["high"], BTreeSet::from(["low".to_string()]), "a test module's uses are not edges; code after it is read");
}
