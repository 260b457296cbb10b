//! Compiles the committed tree-sitter parser (`grammar/src/parser.c`), so that
//! `cargo build` needs no tree-sitter CLI.
fn main() {
    let src = std::path::Path::new("../../grammar/src");
    let mut build = cc::Build::new();
    build.std("c11").include(src).file(src.join("parser.c")).warnings(false);
    println!("cargo:rerun-if-changed=../../grammar/src/parser.c");
    let scanner = src.join("scanner.c");
    if scanner.exists() {
        build.file(&scanner);
        println!("cargo:rerun-if-changed=../../grammar/src/scanner.c");
    }
    build.compile("tree-sitter-plan");
}
