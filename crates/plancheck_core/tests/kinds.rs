//! `src/syntax/kinds.rs` is generated from the grammar's
//! `grammar/src/node-types.json` by [`render`]; these tests keep the
//! committed file equal to it and to the compiled parser.
//!
//! After regenerating the grammar, rewrite kinds.rs with
//! `PLANCHECK_UPDATE_KINDS=1 cargo test -p plancheck_core --test kinds`;
//! otherwise a difference fails the test.

use plancheck_core::syntax::{self, Kind, field};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn core() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The command that rewrites kinds.rs.
const UPDATE: &str = "PLANCHECK_UPDATE_KINDS=1 cargo test -p plancheck_core --test kinds";

/// The Rust name of an anonymous token: ASCII punctuation by name, a
/// full-width form (U+FF01..U+FF5E) as `Fullwidth` and its ASCII's name.
fn token_name(token: &str) -> String {
    let ascii = |c: char| match c {
        '(' => Some("LParen"),
        ')' => Some("RParen"),
        ',' => Some("Comma"),
        ':' => Some("Colon"),
        '{' => Some("LBrace"),
        '}' => Some("RBrace"),
        '|' => Some("Pipe"),
        _ => None,
    };
    let mut chars = token.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else { panic!("the anonymous token {token:?} has no name: give it one in token_name (crates/plancheck_core/tests/kinds.rs)") };
    let name = match c {
        '、' => Some("IdeographicComma".to_string()),
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).and_then(ascii).map(|n| format!("Fullwidth{n}")),
        _ => ascii(c).map(str::to_string),
    };
    name.unwrap_or_else(|| panic!("the anonymous token {token:?} has no name: give it one in token_name (crates/plancheck_core/tests/kinds.rs)"))
}

/// `text_line` → `TextLine`.
fn camel(name: &str) -> String {
    name.split('_').map(|part| part[..1].to_uppercase() + &part[1..]).collect()
}

/// kinds.rs from node-types.json: every named node type (sorted), every
/// anonymous token (in the file's order), tree-sitter's `ERROR`, and every
/// field name (sorted).
fn render(node_types: &str) -> String {
    let types: Vec<serde_json::Value> = serde_json::from_str(node_types).expect("node-types.json is a JSON array");
    let mut named = BTreeSet::new();
    let mut tokens = Vec::new();
    let mut fields = BTreeSet::new();
    for t in &types {
        let name = t["type"].as_str().expect("every node type has a name");
        if t["named"].as_bool().expect("every node type says whether it is named") {
            named.insert(name.to_string());
        } else {
            tokens.push(name.to_string());
        }
        if let Some(f) = t.get("fields").and_then(|f| f.as_object()) {
            fields.extend(f.keys().cloned());
        }
    }
    // (Rust name, grammar name, named, doc)
    let mut kinds: Vec<(String, String, bool, String)> = named.iter().map(|n| (camel(n), n.clone(), true, format!("`{n}`"))).collect();
    kinds.extend(tokens.iter().map(|t| (token_name(t), t.clone(), false, format!("`{t}` (anonymous)"))));
    kinds.push(("Error".into(), "ERROR".into(), true, "`ERROR`: tree-sitter's node for a region the parser gave up on".into()));
    let distinct: BTreeSet<&String> = kinds.iter().map(|k| &k.0).collect();
    assert_eq!(distinct.len(), kinds.len(), "two node types have the same Rust name");

    let mut out = String::new();
    out.push_str("//! The grammar's node kinds and field names.\n//!\n");
    out.push_str("//! GENERATED from `grammar/src/node-types.json` by `crates/plancheck_core/tests/kinds.rs`;\n");
    out.push_str(&format!("//! do not edit. After regenerating the grammar, run\n//! `{UPDATE}`.\n\n"));
    out.push_str("/// A node kind: a named node type, an anonymous token, or tree-sitter's\n/// `ERROR`. [`Kind::of`] gives a node's.\n");
    out.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum Kind {\n");
    for (rust, _, _, doc) in &kinds {
        out.push_str(&format!("    /// {doc}\n    {rust},\n"));
    }
    out.push_str("}\n\nimpl Kind {\n    /// Every kind.\n");
    out.push_str(&format!("    pub const ALL: [Kind; {}] = [\n", kinds.len()));
    for (rust, _, _, _) in &kinds {
        out.push_str(&format!("        Kind::{rust},\n"));
    }
    out.push_str("    ];\n\n");
    out.push_str("    /// The kind's name in the grammar (what `Node::kind` returns).\n    pub const fn name(self) -> &'static str {\n        match self {\n");
    for (rust, name, _, _) in &kinds {
        out.push_str(&format!("            Kind::{rust} => {name:?},\n"));
    }
    out.push_str("        }\n    }\n\n    /// Whether nodes of this kind are named (`Node::is_named`).\n    pub const fn is_named(self) -> bool {\n        match self {\n");
    for (rust, _, named, _) in &kinds {
        out.push_str(&format!("            Kind::{rust} => {named},\n"));
    }
    out.push_str("        }\n    }\n}\n\n");
    out.push_str("/// The grammar's field names (`Node::child_by_field_name`).\npub mod field {\n");
    for f in &fields {
        out.push_str(&format!("    /// `{f}`\n    pub const {}: &str = {f:?};\n", f.to_uppercase()));
    }
    out.push_str(&format!("\n    /// Every field name.\n    pub const ALL: [&str; {}] = [{}];\n}}\n", fields.len(), fields.iter().map(|f| f.to_uppercase()).collect::<Vec<_>>().join(", ")));
    out
}

#[test]
fn kinds_rs_is_generated_from_node_types_json() {
    let node_types = std::fs::read_to_string(core().join("../../grammar/src/node-types.json")).expect("grammar/src/node-types.json");
    let expected = render(&node_types);
    let path = core().join("src/syntax/kinds.rs");
    if std::env::var_os("PLANCHECK_UPDATE_KINDS").is_some() {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(actual == expected, "{} is out of date with grammar/src/node-types.json; run `{UPDATE}` and commit it", path.display());
}

#[test]
fn the_generator_names_every_token_and_refuses_an_unknown_one() {
    assert_eq!(token_name("："), "FullwidthColon");
    assert_eq!(token_name("｛"), "FullwidthLBrace");
    assert_eq!(token_name("、"), "IdeographicComma");
    assert!(std::panic::catch_unwind(|| token_name("=")).is_err());
    assert!(std::panic::catch_unwind(|| token_name("::")).is_err());
    let rendered = render(r#"[{"type": "a_b", "named": true, "fields": {"x": {}}}, {"type": "{", "named": false}]"#);
    assert!(rendered.contains("    /// `a_b`\n    AB,\n") && rendered.contains("Kind::LBrace => \"{\",") && rendered.contains("pub const X: &str = \"x\";"), "{rendered}");
}

#[test]
fn every_kind_and_field_is_known_to_the_compiled_parser() {
    let language = syntax::language();
    for kind in Kind::ALL {
        assert_ne!(language.id_for_node_kind(kind.name(), kind.is_named()), 0, "the compiled parser has no {kind:?} ({:?})", kind.name());
    }
    for name in field::ALL {
        assert!(language.field_id_for_name(name).is_some(), "the compiled parser has no field {name:?}");
    }
}

/// Every node of a tree has the kind its name says (`Kind::of` agrees
/// with `Node::kind`), and the sample has every kind.
#[test]
fn kind_of_a_node_is_its_named_kind() {
    let text = "\
計画 {\n  実績年度: 2024\n}\n基本政策 1 健康 {\n  # note\n  # plancheck: allow(rule-a, rule-b)\n  施策 1-1-1 名前 {\n    成果:\n      | 一行目\n      ｜\n    代表課：課\n  }\n}\n\
# plancheck: allow-file（rule-c，rule-d、rule-e）\n指標 {\n  値 1 {\n";
    let tree = syntax::parse(text);
    let mut seen = BTreeSet::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        let kind = Kind::of(node);
        if let Some(kind) = kind {
            seen.insert(kind.name());
        }
        assert_eq!(kind.map(Kind::name), Some(node.kind()), "{node:?}");
        assert_eq!(kind.map(Kind::is_named), Some(node.is_named()), "{node:?}");
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    let missing: Vec<_> = Kind::ALL.iter().map(|k| k.name()).filter(|n| !seen.contains(n)).collect();
    assert!(missing.is_empty(), "the sample has no {missing:?}:\n{}", tree.root_node().to_sexp());
}
