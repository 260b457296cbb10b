//! A scripted LSP client over stdio for tests and benchmarks: starts
//! `plancheck lsp`, frames JSON-RPC, answers the server's requests, and
//! waits for responses and diagnostics with bounded timeouts.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

pub struct Client {
    child: Child,
    pub stdin: ChildStdin,
    pub messages: Receiver<Value>,
    next_id: i64,
    backlog: Vec<Value>,
    pub registrations: usize,
}

impl Client {
    /// The server's resident memory in bytes (Linux; `None` elsewhere).
    #[allow(dead_code)]
    pub fn resident_bytes(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let kb: u64 = status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kb * 1024)
    }

    /// The server's peak resident memory so far in bytes (Linux; `None` elsewhere).
    pub fn peak_resident_bytes(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let kb: u64 = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kb * 1024)
    }

    pub fn start(binary: &str) -> Client {
        Client::start_with(binary, &["lsp"])
    }

    pub fn start_with(binary: &str, args: &[&str]) -> Client {
        Client::start_with_env(binary, args, &[])
    }

    /// Starts the server with extra environment variables.
    pub fn start_with_env(binary: &str, args: &[&str], env: &[(&str, &str)]) -> Client {
        let mut child = Command::new(binary)
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("PLANCHECK_TRACE").is_some() { Stdio::inherit() } else { Stdio::null() })
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client { child, stdin, messages: rx, next_id: 1, backlog: Vec::new(), registrations: 0 }
    }

    pub fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let message = self.messages.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("a response");
            self.answer_server_request(&message);
            if message["id"] == json!(id) && message.get("method").is_none() {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
            self.backlog.push(message);
        }
    }

    /// Sends raw bytes (hostile frames).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends a request and returns the whole response message (a result or an error).
    pub fn request_message(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(json!(id))
    }

    /// The response with this id (a result or an error); other messages are kept.
    pub fn response(&mut self, id: Value) -> Value {
        let mut seen = self.collect_until(|m| m["id"] == id && m.get("method").is_none());
        let response = seen.pop().unwrap();
        seen.append(&mut self.backlog);
        self.backlog = seen;
        response
    }

    /// Every message (kept ones first) up to and including the first that
    /// satisfies `accept`; the messages after it are kept.
    pub fn collect_until(&mut self, accept: impl Fn(&Value) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut pending = std::mem::take(&mut self.backlog).into_iter();
        let mut seen = Vec::new();
        loop {
            let message = match pending.next() {
                Some(m) => m,
                None => self.messages.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("the awaited message"),
            };
            self.answer_server_request(&message);
            let done = accept(&message);
            seen.push(message);
            if done {
                self.backlog.extend(pending);
                return seen;
            }
        }
    }

    /// Waits for the server to exit (after `exit`, or the end of its input).
    pub fn wait_exit(mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The next publishDiagnostics for `uri` that satisfies `accept`.
    pub fn diagnostics(&mut self, uri: &str, accept: impl Fn(&Value) -> bool) -> Value {
        self.notification("textDocument/publishDiagnostics", |p| p["uri"] == uri && accept(p))
    }

    /// The params of the next notification `method` that satisfies `accept`
    /// (others on the way are passed over).
    pub fn notification(&mut self, method: &str, accept: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut pending = std::mem::take(&mut self.backlog).into_iter();
        loop {
            let message = match pending.next() {
                Some(m) => m,
                None => self.messages.recv_timeout(deadline.saturating_duration_since(Instant::now())).unwrap_or_else(|_| panic!("no {method} came")),
            };
            self.answer_server_request(&message);
            if message["method"] == method && accept(&message["params"]) {
                self.backlog.extend(pending);
                return message["params"].clone();
            }
        }
    }

    /// Waits until the server has asked to register `count` capabilities
    /// (it asks without waiting for the answer, so other messages may come
    /// first; they are kept). Requests already read were counted then.
    #[allow(dead_code)] // not every test binary uses it
    pub fn wait_for_registrations(&mut self, count: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.registrations < count {
            let message = self.messages.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("a registration");
            self.answer_server_request(&message);
            if message["method"] != "client/registerCapability" {
                self.backlog.push(message);
            }
        }
    }

    /// Requests from the server (registerCapability): answered as a client would.
    pub fn answer_server_request(&mut self, message: &Value) {
        if message.get("id").is_some() && message.get("method").is_some() {
            if message["method"] == "client/registerCapability" {
                self.registrations += 1;
            }
            self.send(json!({"jsonrpc": "2.0", "id": message["id"], "result": null}));
        }
    }

    pub fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status}");
                return;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

pub fn uri(path: &std::path::Path) -> String {
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
