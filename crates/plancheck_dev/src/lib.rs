//! The bodies of the fuzz targets: `fuzz/` runs them under AFL++ (`cargo
//! afl fuzz`), and `tests/fuzz_regressions.rs` replays every input saved in
//! `tests/fuzz/<target>/` through them, so a crash found once stays fixed.
//! Each function panics when an invariant fails; any other panic inside
//! plancheck is a crash too.
//!
//! [`docs`] generates the rule pages of `docs/rules/` (`tests/docs.rs`).

pub mod docs;

use plancheck_core::i18n::Lang;
use plancheck_core::model::Document;
use plancheck_core::syntax::{LineCol, LineIndex};
use plancheck_core::{load, model};
use plancheck_linter::{check_text, diagnostics, fix, format, output};
use plancheck_server::document::{Encoding, OpenDocument};
use plancheck_tables::import;
use std::path::Path;

/// A fuzz target's body.
pub type Target = fn(&[u8]);

/// Every target, by name (the folder names under `tests/fuzz/`).
pub const TARGETS: &[(&str, Target)] = &[("check", check), ("format", format), ("import", import), ("positions", positions)];

/// Bytes → decode → parse → model → every rule → fixes → every output
/// format. Spans stay inside the text on character boundaries; applying the
/// fixes gives text that checks again.
pub fn check(data: &[u8]) {
    let Ok(text) = load::decode(Path::new("fuzz.plan"), data.to_vec()) else { return };
    let analysis = check_text("fuzz.plan", &text, Lang::Ja);
    for d in &analysis.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{}: span {:?} outside the text", d.rule.name, d.span);
        assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end), "{}: span {:?} inside a character", d.rule.name, d.span);
        for related in &d.related {
            assert!(related.span.end <= text.len() && text.is_char_boundary(related.span.start) && text.is_char_boundary(related.span.end));
        }
    }
    for format in output::OutputFormat::ALL {
        for lang in [Lang::Ja, Lang::En] {
            let _ = format.render(&analysis, &output::EmitOptions { lang, color: lang == Lang::En });
        }
    }
    let (fixed, applied) = fix::apply_with(&text, 0, &analysis.diagnostics, diagnostics::Applicability::Unsafe);
    if applied > 0 {
        let _ = check_text("fuzz.plan", &fixed, Lang::Ja);
    }
}

/// The formatter: when it formats, formatting again changes nothing, and
/// every prose character (every non-blank character outside the layout)
/// is kept; its own losslessness check never refuses.
pub fn format(data: &[u8]) {
    // What `plancheck fmt` reads: UTF-8 without NUL bytes.
    let Ok(text) = load::decode(Path::new("fuzz.plan"), data.to_vec()) else { return };
    let doc = Document::parse("fuzz.plan", text.as_str());
    match format::format(&doc) {
        Ok(once) => {
            let again = format::format(&Document::parse("fuzz.plan", once.as_str())).expect("formatted text formats again");
            assert_eq!(once, again, "formatting is idempotent");
        }
        Err(format::FormatError::Syntax(_)) => {}
        Err(format::FormatError::NotLossless(why)) => panic!("the formatter would lose text: {why}"),
    }
}

/// The importer on CSV (the first byte chooses CSV or TSV): it never
/// panics; what it writes parses without syntax errors; every non-empty
/// cell is placed exactly once.
pub fn import(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let grid = if first % 2 == 0 {
        match import::grid::Grid::from_delimited(text, b',') {
            Ok(grid) => grid,
            Err(_) => return,
        }
    } else {
        import::grid::Grid::from_tsv(text)
    };
    let Ok(imported) = import::import(&grid, "fuzz.csv") else { return };
    let doc = Document::parse("imported.plan", imported.text.as_str());
    assert!(doc.syntax_errors.is_empty(), "the import does not parse: {:?}\n{}", doc.syntax_errors.first(), imported.text);
    let mut placed: Vec<(usize, usize)> = imported.placements[0].iter().map(|(at, _)| *at).collect();
    placed.sort();
    assert_eq!(placed, grid.non_empty_cells(), "every non-empty cell placed exactly once");
}

/// Position conversions of the language server over any text (CJK, emoji,
/// CRLF, lone CR): the bytes after the first 8 are the text; the first 8
/// pick positions. Every character boundary survives offset → position →
/// offset in both encodings, the rope and the line index agree, and
/// arbitrary positions clamp to a boundary.
pub fn positions(data: &[u8]) {
    if data.len() < 8 {
        return;
    }
    let (seed, rest) = data.split_at(8);
    let text = String::from_utf8_lossy(rest).into_owned();
    let doc = OpenDocument::new(text.clone(), 1);
    let index = LineIndex::new(&text);
    for (offset, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
            continue; // inside a CRLF: no position there
        }
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            let position = doc.position(offset, encoding);
            assert_eq!(doc.offset(position, encoding), offset, "{encoding:?} round trip of byte {offset}");
        }
        let utf16 = index.utf16_position(&text, offset);
        let lsp = doc.position(offset, Encoding::Utf16);
        // The line index counts LF line ends only; the rope counts CR too,
        // so they agree wherever there is no lone CR.
        if !text.replace("\r\n", "").contains('\r') {
            assert_eq!((utf16.line as u32, utf16.col as u32), (lsp.line, lsp.character), "line index and rope at byte {offset}");
            assert_eq!(index.offset_of_utf16_position(&text, utf16), offset);
        }
    }
    let lines = text.lines().count() as u32 + 2;
    for pair in seed.chunks(2) {
        let line = pair[0] as u32 % lines;
        let character = pair.get(1).copied().unwrap_or(0) as u32;
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            let offset = doc.offset(tower_lsp_server::ls_types::Position { line, character }, encoding);
            assert!(offset <= text.len() && text.is_char_boundary(offset), "({line}, {character}) {encoding:?} → {offset}");
        }
        let offset = index.offset_of_utf16_position(&text, LineCol { line: line as usize, col: character as usize });
        assert!(offset <= text.len() && text.is_char_boundary(offset));
    }
    // An edit at arbitrary positions keeps the rope, the text and the tree
    // in step (the tree is re-parsed incrementally).
    let mut edited = doc;
    let at = tower_lsp_server::ls_types::Position { line: seed[0] as u32 % lines, character: seed[1] as u32 };
    let to = tower_lsp_server::ls_types::Position { line: at.line + seed[2] as u32 % 3, character: seed[3] as u32 };
    edited.apply(Some(tower_lsp_server::ls_types::Range { start: at, end: to }), "施策😀\r\n", Encoding::Utf16);
    assert_eq!(edited.rope.to_string(), edited.text, "rope and text after an edit");
    assert_eq!(edited.tree.root_node().end_byte(), edited.text.len(), "the tree covers the edited text");
    // Typing on one line, the model built before each keystroke (as the
    // server does): wherever the model is patched, it equals a whole build.
    let _ = edited.model("fuzz.plan").prose();
    for (i, c) in ['あ', ':', '}', ' ', '|'].into_iter().enumerate() {
        let at = tower_lsp_server::ls_types::Position { line: seed[(4 + i) % seed.len()] as u32 % lines, character: seed[(5 + i) % seed.len()] as u32 % 64 };
        edited.apply(Some(tower_lsp_server::ls_types::Range { start: at, end: at }), c.encode_utf8(&mut [0; 4]), Encoding::Utf16);
        let model = edited.model("fuzz.plan");
        let whole = model::Document::parse("fuzz.plan", edited.text.clone());
        assert_eq!(model.dump(), whole.dump(), "the model after typing {c:?} at {at:?}");
    }
}
