//! Latency from a `didChange` to its `publishDiagnostics`, over stdio with
//! the real binary, for a scripted typing session: on the bundled real plan
//! (its whole workspace) and on a generated 5 MB plan.
//!
//! `cargo bench --bench lsp_latency` prints the median and the 99th
//! percentile for each.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

struct Server {
    stdin: std::process::ChildStdin,
    messages: Receiver<Value>,
    child: std::process::Child,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plancheck")).arg("lsp").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = channel();
        std::thread::spawn(move || loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if line.trim().is_empty() {
                    break;
                }
                if let Some(n) = line.trim().strip_prefix("Content-Length: ") {
                    length = n.parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            if tx.send(serde_json::from_slice::<Value>(&body).unwrap()).is_err() {
                return;
            }
        });
        Server { stdin, messages: rx, child }
    }
    fn send(&mut self, v: Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }
    fn wait_version(&mut self, uri: &str, version: i64) {
        loop {
            let m = self.messages.recv_timeout(Duration::from_secs(120)).expect("diagnostics");
            if m.get("id").is_some() && m.get("method").is_some() {
                self.send(json!({"jsonrpc": "2.0", "id": m["id"], "result": null}));
            }
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri && m["params"]["version"] == version {
                return;
            }
        }
    }
}

fn uri(path: &std::path::Path) -> String {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// Types `edits` characters into a prose line, one didChange each, waiting
/// for each version's diagnostics; returns the latencies.
fn session(root: &std::path::Path, file: &std::path::Path, edits: usize) -> Vec<Duration> {
    let text = std::fs::read_to_string(file).unwrap();
    let mut server = Server::start();
    server.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "rootUri": uri(root), "capabilities": {}}}));
    server.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let u = uri(file);
    server.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": u, "languageId": "plan", "version": 1, "text": text}}}));
    server.wait_version(&u, 1);
    // Type at the end of the first prose line (`成果:` or `課題:` value).
    let line = text.lines().position(|l| l.trim_start().starts_with("課題:")).expect("a 課題 line") as u32;
    let column = text.lines().nth(line as usize).unwrap().encode_utf16().count() as u32;
    let mut latencies = Vec::new();
    for i in 0..edits {
        let version = 2 + i as i64;
        let at = json!({"line": line, "character": column + i as u32});
        let started = Instant::now();
        server.send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": u, "version": version}, "contentChanges": [{"range": {"start": at, "end": at}, "text": "あ"}]}}));
        server.wait_version(&u, version);
        latencies.push(started.elapsed());
    }
    server.send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}));
    server.send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    let _ = server.child.wait();
    latencies
}

fn report(name: &str, mut latencies: Vec<Duration>) {
    latencies.sort();
    let pick = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    println!("{name:<40} n={:<4} median {:>8.2?}  p99 {:>8.2?}  max {:>8.2?}", latencies.len(), pick(0.5), pick(0.99), latencies[latencies.len() - 1]);
}

fn main() {
    // `cargo bench` passes --bench; other arguments are ignored.
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let example_root = repo.join("examples/isesaki");
    report("example workspace (1-kenko.plan open)", session(&example_root, &example_root.join("1-kenko.plan"), 100));
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.plan");
    std::fs::write(&big, plancheck::generate::plan(11, 5_000_000)).unwrap();
    report("generated 5 MB plan", session(dir.path(), &big, 20));
}
