//! Latency from a `didChange` to its `publishDiagnostics`, over stdio with
//! the real binary, for a scripted typing session: on the bundled real plan
//! (its whole workspace), on a generated 200 KB and 5 MB plan, and in a
//! workspace of 100,000 small files (one open): an edit's cost must follow
//! what changed, not the number of files.
//!
//! `cargo bench --bench lsp_latency` prints the median and the 99th
//! percentile for each.

#[path = "../tests/common/lsp_client.rs"]
mod lsp_client;

use lsp_client::{Client, uri};
use serde_json::json;
use std::time::{Duration, Instant};

/// Types `edits` characters into a prose line, one didChange each, waiting
/// for each version's diagnostics; returns the latencies and the server's
/// resident memory after the first analysis.
/// With `scanned` > 0, first waits until that many files of the workspace
/// have been published (the scan is over), so that every edit is checked
/// with the whole workspace.
fn session(root: &std::path::Path, file: &std::path::Path, edits: usize, scanned: usize) -> (Vec<Duration>, Option<u64>) {
    let text = std::fs::read_to_string(file).unwrap();
    let mut server = Client::start(env!("CARGO_BIN_EXE_plancheck"));
    server.request("initialize", json!({"processId": null, "rootUri": uri(root), "capabilities": {}, "workspaceFolders": [{"uri": uri(root), "name": "w"}]}));
    server.notify("initialized", json!({}));
    if scanned > 0 {
        let mut seen = std::collections::HashSet::new();
        while seen.len() < scanned {
            for m in server.collect_until(|m| m["method"] == "textDocument/publishDiagnostics") {
                if m["method"] == "textDocument/publishDiagnostics" {
                    seen.insert(m["params"]["uri"].as_str().unwrap_or_default().to_string());
                }
            }
        }
    }
    let u = uri(file);
    server.notify("textDocument/didOpen", json!({"textDocument": {"uri": u, "languageId": "plan", "version": 1, "text": text}}));
    server.diagnostics(&u, |p| p["version"] == 1);
    let resident = server.resident_bytes();
    // Type at the end of the first prose line (`成果:` or `課題:` value).
    let line = text.lines().position(|l| l.trim_start().starts_with("課題:")).expect("a 課題 line") as u32;
    let column = text.lines().nth(line as usize).unwrap().encode_utf16().count() as u32;
    let mut latencies = Vec::new();
    for i in 0..edits {
        let version = 2 + i as i64;
        let at = json!({"line": line, "character": column + i as u32});
        let started = Instant::now();
        server.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": version}, "contentChanges": [{"range": {"start": at, "end": at}, "text": "あ"}]}));
        server.diagnostics(&u, |p| p["version"] == version);
        latencies.push(started.elapsed());
    }
    server.shutdown();
    (latencies, resident)
}

fn report(name: &str, bytes: usize, (mut latencies, resident): (Vec<Duration>, Option<u64>)) {
    latencies.sort();
    let pick = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    let memory = resident.map_or(String::new(), |r| format!("  RSS {:.0} MB ({:.1} MB per MB of plan)", r as f64 / 1e6, r as f64 / bytes as f64));
    println!("{name:<44} n={:<4} median {:>8.2?}  p99 {:>8.2?}  max {:>8.2?}{memory}", latencies.len(), pick(0.5), pick(0.99), latencies[latencies.len() - 1]);
}

fn size_of(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).unwrap().filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "plan")).map(|e| e.metadata().unwrap().len() as usize).sum()
}

fn main() {
    // `cargo bench` passes --bench; other arguments are ignored.
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let example_root = repo.join("examples/isesaki");
    report("example workspace (1-kenko.plan open)", size_of(&example_root), session(&example_root, &example_root.join("1-kenko.plan"), 200, 0));
    for (label, bytes, edits) in [("generated 200 KB plan", 200_000, 200), ("generated 5 MB plan", 5_000_000, 100)] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.plan");
        let text = plancheck_generate::plan(11, bytes);
        std::fs::write(&path, &text).unwrap();
        report(label, text.len(), session(dir.path(), &path, edits, 0));
    }
    // 100,000 small files, each its own 施策 (IDs 1-1-1 to 10-100-100) with
    // one finding of its own (no 代表課), so that each is published once
    // the scan is over; the open one has a 課題 to type in.
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = 0;
    for i in 0..100_000 {
        let id = format!("{}-{}-{}", i / 10_000 + 1, i / 100 % 100 + 1, i % 100 + 1);
        let prose = if i == 0 { "  課題: 地域の担い手の確保が引き続き必要である。\n" } else { "" };
        let text = format!("施策 {id} 施策{i} {{\n  全体評価: A\n{prose}}}\n");
        bytes += text.len();
        std::fs::write(dir.path().join(format!("f{i:06}.plan")), text).unwrap();
    }
    report("100,000 small files (one open)", bytes, session(dir.path(), &dir.path().join("f000000.plan"), 20, 100_000));
}
