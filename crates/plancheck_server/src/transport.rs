//! The front of the transport: frames read from the client, checked, and
//! passed on re-framed to tower-lsp-server, which ends the session at the
//! first message it cannot decode (its reader stops after one error).
//!
//! So every frame passed on is one it decodes: a JSON-RPC 2.0 object with
//! `"jsonrpc": "2.0"`, an `id` that is absent, `null`, an integer (`i64`)
//! or a string, a string `method` (or, for a response, a `result` or a
//! well-formed `error`), no field twice, nested at most [`MAX_DEPTH`]
//! levels. Anything else is never passed on:
//! - an invalid request with a usable `id` is answered with a JSON-RPC error
//!   (`-32600` Invalid Request; `-32700` Parse error for a body that is not
//!   UTF-8), through a [`INVALID_MESSAGE`] request that `guard` answers, so
//!   the reply goes out through tower-lsp-server's own writer, between
//!   whole frames;
//! - the rest is skipped, with a line in the log (a [`INVALID_MESSAGE`]
//!   notification, logged by `guard` on standard error and in the client's
//!   log).
//!
//! A batch (a JSON array) is not split: the Language Server Protocol has
//! no batches, so each request in it with a usable `id` is answered with
//! Invalid Request, and each notification in it is logged as skipped.
//!
//! Reading is bounded and resynchronises: a header line is read up to
//! [`MAX_HEADER_LINE`] bytes (a longer one is skipped without being kept,
//! up to its end or to a `Content-Length` inside it); a header without a
//! valid `Content-Length`, or garbage where a header should be, is skipped
//! up to the next `Content-Length`; a body that is not JSON is searched for
//! a `Content-Length` where the next frame may begin (a `Content-Length`
//! that was too short); a body whose JSON value ends before its declared
//! length, followed by something else, is taken as the message and the
//! rest read as the next frame (a `Content-Length` that was too long), as
//! is one after which nothing comes for [`SHORT_BODY_WAIT`].

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The method of the messages the transport passes on instead of invalid
/// ones (see the module's documentation); `guard` answers or logs them.
pub(super) const INVALID_MESSAGE: &str = "$/plancheck/invalidMessage";
/// Longer header lines are skipped (a header line is about 30 bytes).
pub(super) const MAX_HEADER_LINE: usize = 8 << 10;
/// Larger bodies are refused (and skipped).
pub(super) const MAX_BODY: usize = 256 << 20;
/// Deeper JSON is refused (tower-lsp-server's reader stops at 128 levels;
/// LSP messages have fewer than 10).
pub(super) const MAX_DEPTH: usize = 100;
/// How long a complete JSON value shorter than its `Content-Length` waits
/// for the rest (only whitespace could legitimately follow it).
const SHORT_BODY_WAIT: Duration = Duration::from_millis(300);
const CHUNK: usize = 64 << 10;
const HEADER_NAME: &[u8] = b"content-length";

/// Copies LSP messages from `input` to `output`, checked and re-framed (see
/// the module's documentation); returns at the end of `input`.
pub(super) async fn sanitize<R, W>(input: R, output: &mut W) -> std::io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = Input { reader: input, buf: Vec::new(), pos: 0 };
    let mut notes = Vec::new();
    loop {
        let header = input.header(&mut notes).await?;
        for note in notes.drain(..) {
            write_frame(output, &log_frame(&note)).await?;
        }
        let Some(length) = header else {
            return Ok(()); // end of input
        };
        let Some(n) = length else {
            continue; // no valid length: skipped up to the next header
        };
        if n > MAX_BODY {
            write_frame(output, &log_frame(&format!("skipped a message of {n} bytes (more than {MAX_BODY})"))).await?;
            if !input.skip(n).await? {
                return Ok(());
            }
            continue;
        }
        let Some(body) = input.body(n).await? else {
            return Ok(());
        };
        let bytes = &input.buf[input.pos..input.pos + body.len];
        if body.len < n {
            write_frame(output, &log_frame(&format!("a message of {} bytes declared a Content-Length of {n}; the rest is read as the next message", body.len))).await?;
        }
        match classify(bytes, body.depth) {
            Ok(outs) => {
                for out in outs {
                    match out {
                        Out::Forward => write_frame(output, bytes).await?,
                        Out::Reply { id, code, message } => {
                            let reply = json!({"jsonrpc": "2.0", "id": id, "method": INVALID_MESSAGE, "params": {"code": code, "message": message}});
                            write_frame(output, reply.to_string().as_bytes()).await?;
                        }
                        Out::Log(message) => write_frame(output, &log_frame(&message)).await?,
                    }
                }
                input.pos += body.len;
                input.release();
            }
            Err(reason) => {
                // A Content-Length too short, and this is the start of a
                // message: the next frame may begin inside what was read.
                if let Some(p) = bytes.get(1..).and_then(find_header).map(|p| p + 1) {
                    write_frame(output, &log_frame(&format!("skipped {p} bytes that are not a message ({reason}); reading on from a Content-Length inside them"))).await?;
                    input.pos += p;
                } else {
                    write_frame(output, &log_frame(&format!("skipped a message of {n} bytes that is not JSON ({reason})"))).await?;
                    input.pos += body.len;
                }
            }
        }
    }
}

async fn write_frame<W: AsyncWrite + Unpin>(output: &mut W, body: &[u8]) -> std::io::Result<()> {
    output.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes()).await?;
    output.write_all(body).await?;
    output.flush().await
}

fn log_frame(message: &str) -> Vec<u8> {
    json!({"jsonrpc": "2.0", "method": INVALID_MESSAGE, "params": {"message": message}}).to_string().into_bytes()
}

/// Where a `Content-Length` header name starts in `bytes` (any case).
fn find_header(bytes: &[u8]) -> Option<usize> {
    bytes.windows(HEADER_NAME.len()).position(|w| w.eq_ignore_ascii_case(HEADER_NAME))
}

struct Input<R> {
    reader: R,
    /// Bytes read; those before `pos` are consumed.
    buf: Vec<u8>,
    pos: usize,
}

/// A body read: its length (less than declared when its JSON value ended
/// early) and how deeply it nests.
struct Body {
    len: usize,
    depth: usize,
}

impl<R: AsyncRead + Unpin> Input<R> {
    fn available(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// After a large body: its memory is given back (the buffer would
    /// otherwise keep the largest message's size for the whole session).
    fn release(&mut self) {
        if self.buf.capacity() > 4 * CHUNK && self.available().len() <= CHUNK {
            let rest = self.available().to_vec();
            self.buf = rest;
            self.pos = 0;
        }
    }

    /// Reads more input (waiting at most `wait`): `Some(false)` at its end,
    /// `None` when the wait ran out.
    async fn more(&mut self, wait: Option<Duration>) -> std::io::Result<Option<bool>> {
        if self.pos > 0 && self.pos * 2 >= self.buf.len() {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let start = self.buf.len();
        self.buf.resize(start + CHUNK, 0);
        let read = self.reader.read(&mut self.buf[start..]);
        let result = match wait {
            None => Some(read.await),
            Some(wait) => tokio::time::timeout(wait, read).await.ok(),
        };
        match result {
            None => {
                self.buf.truncate(start);
                Ok(None)
            }
            Some(Err(e)) => {
                self.buf.truncate(start);
                Err(e)
            }
            Some(Ok(n)) => {
                self.buf.truncate(start + n);
                Ok(Some(n > 0))
            }
        }
    }

    async fn more_or_end(&mut self) -> std::io::Result<bool> {
        Ok(self.more(None).await? == Some(true))
    }

    /// Reads up to the end of the next header: `None` at the end of input,
    /// `Some(None)` for a header without a valid `Content-Length` (noted in
    /// `notes`; the caller reads on from the next header), else the length.
    async fn header(&mut self, notes: &mut Vec<String>) -> std::io::Result<Option<Option<usize>>> {
        // Bytes that are not a header, told once (not once per line).
        let mut junk = 0;
        let header = self.header_counting(notes, &mut junk).await;
        if junk > 0 {
            notes.push(format!("skipped {junk} bytes that are not a message header"));
        }
        header
    }

    async fn header_counting(&mut self, notes: &mut Vec<String>, junk: &mut usize) -> std::io::Result<Option<Option<usize>>> {
        let mut length: Option<Result<usize, String>> = None;
        let mut in_header = false;
        // Inside a line longer than the limit: skipped up to its end or to a
        // `Content-Length` in it.
        let mut skipping = false;
        let mut skipped = 0usize;
        loop {
            let available = self.available();
            if skipping {
                let newline = memchr(b'\n', available);
                let header = find_header(available);
                match (newline, header) {
                    (_, Some(h)) if newline.is_none_or(|n| h < n) => {
                        self.pos += h;
                        skipped += h;
                        skipping = false;
                        notes.push(format!("skipped a header line of more than {MAX_HEADER_LINE} bytes ({skipped} bytes), up to a Content-Length inside it"));
                        length = None;
                        in_header = false;
                    }
                    (Some(n), _) => {
                        self.pos += n + 1;
                        skipped += n + 1;
                        skipping = false;
                        notes.push(format!("skipped a header line of {skipped} bytes (more than {MAX_HEADER_LINE})"));
                        length = Some(Err("a header line was too long".into()));
                        in_header = true;
                    }
                    _ => {
                        // Keep a tail in which a header name may begin.
                        let keep = available.len().min(HEADER_NAME.len() - 1);
                        let drop = available.len() - keep;
                        self.pos += drop;
                        skipped += drop;
                        if !self.more_or_end().await? {
                            return Ok(None);
                        }
                    }
                }
                continue;
            }
            let Some(end) = memchr(b'\n', &available[..available.len().min(MAX_HEADER_LINE + 1)]) else {
                if available.len() > MAX_HEADER_LINE {
                    skipping = true;
                    skipped = 0;
                } else if !self.more_or_end().await? {
                    return Ok(None);
                }
                continue;
            };
            let line = available[..end].strip_suffix(b"\r").unwrap_or(&available[..end]);
            let line = line.trim_ascii();
            if line.is_empty() {
                self.pos += end + 1;
                if !in_header {
                    continue; // blank lines between messages
                }
                return Ok(Some(match length {
                    Some(Ok(n)) => Some(n),
                    Some(Err(reason)) => {
                        notes.push(format!("skipped a message whose header is not valid ({reason})"));
                        None
                    }
                    None => {
                        notes.push("skipped a message without a Content-Length header".into());
                        None
                    }
                }));
            }
            match find_header(line) {
                Some(0) => {
                    let value = line[HEADER_NAME.len()..].trim_ascii_start();
                    length = Some(match value.strip_prefix(b":").map(<[u8]>::trim_ascii) {
                        Some(digits) if !digits.is_empty() && digits.len() <= 12 && digits.iter().all(u8::is_ascii_digit) => {
                            Ok(std::str::from_utf8(digits).ok().and_then(|d| d.parse().ok()).unwrap_or(usize::MAX))
                        }
                        _ => Err(format!("Content-Length `{}`", String::from_utf8_lossy(&value[..value.len().min(40)]))),
                    });
                    in_header = true;
                    self.pos += end + 1;
                }
                Some(p) => {
                    // Garbage, then a header: a frame starts there.
                    let p = p + (line.as_ptr() as usize - available.as_ptr() as usize);
                    *junk += p;
                    self.pos += p;
                    length = None;
                    in_header = false;
                }
                None => {
                    if is_header_line(line) {
                        in_header = true; // another header (Content-Type): not needed
                    } else {
                        *junk += end + 1;
                    }
                    self.pos += end + 1;
                }
            }
        }
    }

    /// Skips `n` bytes; false at the end of input.
    async fn skip(&mut self, mut n: usize) -> std::io::Result<bool> {
        loop {
            let take = self.available().len().min(n);
            self.pos += take;
            n -= take;
            if n == 0 {
                return Ok(true);
            }
            if !self.more_or_end().await? {
                return Ok(false);
            }
        }
    }

    /// Reads a body of `n` bytes (left in the buffer at `pos`); `None` at
    /// the end of input. A JSON object or array that ends before `n` bytes
    /// and is followed by something other than whitespace, or by nothing
    /// for [`SHORT_BODY_WAIT`], is the body alone.
    async fn body(&mut self, n: usize) -> std::io::Result<Option<Body>> {
        let mut tracker = Tracker::default();
        let mut scanned = 0;
        loop {
            let available = &self.buf[self.pos..];
            let have = available.len().min(n);
            if tracker.end.is_none() {
                for (i, &b) in available[scanned..have].iter().enumerate() {
                    if tracker.feed(b) {
                        tracker.end = Some(scanned + i + 1);
                        break;
                    }
                }
                scanned = have;
            }
            let mut wait = None;
            if let Some(end) = tracker.end
                && end < n
            {
                if available[end..have].iter().any(|b| !b.is_ascii_whitespace()) {
                    return Ok(Some(Body { len: end, depth: tracker.max_depth }));
                }
                wait = Some(SHORT_BODY_WAIT);
            }
            if have == n {
                return Ok(Some(Body { len: n, depth: tracker.max_depth }));
            }
            match self.more(wait).await? {
                Some(true) => {}
                // The end of input, or nothing more for a while: a
                // complete value is the message.
                Some(false) => return Ok(tracker.end.map(|len| Body { len, depth: tracker.max_depth })),
                None => return Ok(Some(Body { len: tracker.end.unwrap_or(have), depth: tracker.max_depth })),
            }
        }
    }
}

fn memchr(byte: u8, bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == byte)
}

/// `Name: value`, with a name of header characters.
fn is_header_line(line: &[u8]) -> bool {
    let Some(colon) = memchr(b':', line) else {
        return false;
    };
    colon > 0 && line[..colon].iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Follows a JSON object or array byte by byte: where it ends, and how
/// deeply it nests (a scalar or invalid start is not followed).
#[derive(Default)]
struct Tracker {
    depth: usize,
    max_depth: usize,
    in_string: bool,
    escape: bool,
    started: bool,
    untracked: bool,
    end: Option<usize>,
}

impl Tracker {
    /// Takes the next byte; true when it closes the value.
    fn feed(&mut self, b: u8) -> bool {
        if self.untracked {
            return false;
        }
        if self.in_string {
            if self.escape {
                self.escape = false;
            } else if b == b'\\' {
                self.escape = true;
            } else if b == b'"' {
                self.in_string = false;
            }
            return false;
        }
        match b {
            b'{' | b'[' => {
                self.started = true;
                self.depth += 1;
                self.max_depth = self.max_depth.max(self.depth);
            }
            b'}' | b']' if self.depth > 0 => {
                self.depth -= 1;
                return self.depth == 0;
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            b'"' if self.started => self.in_string = true,
            _ if !self.started => self.untracked = true,
            _ => {}
        }
        false
    }
}

/// What to pass on for a body.
#[derive(Debug, PartialEq)]
enum Out {
    /// The body itself: a message tower-lsp-server decodes.
    Forward,
    /// An error answer to the request with this id.
    Reply { id: Value, code: i64, message: String },
    /// A line for the log: what was skipped.
    Log(String),
}

/// The JSON-RPC fields, each deserialized only if present (so that a field
/// given twice is an error, as it is for tower-lsp-server).
#[derive(Deserialize)]
struct Envelope {
    #[serde(default, deserialize_with = "present")]
    jsonrpc: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    id: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    method: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    #[allow(dead_code)] // checked for being there once
    params: Option<IgnoredAny>,
    #[serde(default, deserialize_with = "present")]
    result: Option<IgnoredAny>,
    #[serde(default, deserialize_with = "present")]
    error: Option<Value>,
}

fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// An id tower-lsp-server takes (and a reply can carry).
fn usable(id: &Value) -> bool {
    id.is_null() || id.is_string() || id.as_i64().is_some()
}

fn describe(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 { format!("{}…", text.chars().take(40).collect::<String>()) } else { text }
}

const INVALID_REQUEST: i64 = -32600;
const PARSE_ERROR: i64 = -32700;

/// What to pass on for `body` (nested `depth` levels), or why it is not JSON.
fn classify(body: &[u8], depth: usize) -> Result<Vec<Out>, String> {
    // Checked first: serde_json does not check the strings it skips.
    if let Err(e) = std::str::from_utf8(body) {
        // When only its encoding is wrong, its id can still be read.
        if let Ok(envelope) = serde_json::from_slice::<Envelope>(String::from_utf8_lossy(body).as_bytes())
            && let Some(id) = envelope.id.filter(usable)
            && envelope.method.is_some()
        {
            return Ok(vec![Out::Reply { id, code: PARSE_ERROR, message: "the message is not valid UTF-8".into() }]);
        }
        return Err(e.to_string());
    }
    if body.trim_ascii_start().first() != Some(&b'{') {
        // Not an object (serde would read an array into a struct by position).
        return match serde_json::from_slice::<Value>(body) {
            Ok(Value::Array(items)) if !items.is_empty() => {
                let mut outs: Vec<Out> = items
                    .iter()
                    .filter_map(|item| {
                        let id = item.get("id").filter(|id| usable(id))?;
                        item.get("method")?;
                        Some(Out::Reply {
                            id: id.clone(),
                            code: INVALID_REQUEST,
                            message: "batches are not supported (the Language Server Protocol has none): send each message in its own frame".into(),
                        })
                    })
                    .collect();
                let unanswered = items.len() - outs.len();
                if unanswered > 0 {
                    outs.push(Out::Log(format!("skipped {unanswered} messages of a batch (batches are not supported), the first: {}", describe(&items[0]))));
                }
                Ok(outs)
            }
            Ok(other) => Ok(vec![Out::Log(format!("skipped a message that is JSON but not a JSON-RPC object: {}", describe(&other)))]),
            Err(e) => Err(e.to_string()),
        };
    }
    match serde_json::from_slice::<Envelope>(body) {
        Ok(envelope) => Ok(vec![check(envelope, depth)]),
        Err(e) if e.is_data() => {
            // JSON, but not a JSON-RPC object (or a field given twice).
            Ok(match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(object)) => match object.get("id").filter(|id| usable(id)) {
                    Some(id) => vec![Out::Reply { id: id.clone(), code: INVALID_REQUEST, message: format!("not a valid JSON-RPC 2.0 message: {e}") }],
                    None => vec![Out::Log(format!("skipped a message that is not valid JSON-RPC 2.0: {e}"))],
                },
                Ok(other) => vec![Out::Log(format!("skipped a message that is JSON but not a JSON-RPC object: {}", describe(&other)))],
                Err(e) => vec![Out::Log(format!("skipped a message that is not valid JSON-RPC 2.0: {e}"))],
            })
        }
        Err(e) => Err(e.to_string()),
    }
}

fn check(envelope: Envelope, depth: usize) -> Out {
    let id = envelope.id;
    let refuse = |message: String| match id.as_ref().filter(|id| usable(id)) {
        Some(id) if envelope.method.is_some() => Out::Reply { id: id.clone(), code: INVALID_REQUEST, message },
        _ => Out::Log(format!("skipped a message: {message}")),
    };
    if envelope.jsonrpc.as_ref().and_then(Value::as_str) != Some("2.0") {
        let given = envelope.jsonrpc.as_ref().map_or("nothing".to_string(), describe);
        return refuse(format!("`jsonrpc` must be \"2.0\" (it is {given})"));
    }
    if let Some(given) = id.as_ref().filter(|id| !usable(id)) {
        return Out::Log(format!("skipped a message whose `id` is not an integer, a string or null: {}", describe(given)));
    }
    if depth > MAX_DEPTH {
        return refuse(format!("the message is nested more than {MAX_DEPTH} levels deep"));
    }
    match &envelope.method {
        Some(Value::String(_)) => Out::Forward,
        Some(other) => refuse(format!("`method` must be a string (it is {})", describe(other))),
        None if id.is_some() && envelope.result.is_some() => Out::Forward,
        None if id.is_some() && envelope.error.is_some() => {
            let error = envelope.error.as_ref().unwrap_or(&Value::Null);
            if error.get("code").and_then(Value::as_i64).is_some() && error.get("message").is_some_and(Value::is_string) {
                Out::Forward
            } else {
                Out::Log(format!("skipped a response whose `error` is not valid: {}", describe(error)))
            }
        }
        None => Out::Log("skipped a message with neither a `method` nor a `result` or `error`".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::jsonrpc::{Request, Response};

    /// What tower-lsp-server's reader accepts: a response, else a request.
    fn decodes(body: &[u8]) -> bool {
        serde_json::from_slice::<Response>(body).is_ok() || serde_json::from_slice::<Request>(body).is_ok()
    }

    fn depth_of(body: &[u8]) -> usize {
        let mut tracker = Tracker::default();
        body.iter().any(|&b| tracker.feed(b));
        tracker.max_depth
    }

    #[test]
    fn only_messages_the_transport_decodes_are_passed_on() {
        let deep = format!(r#"{{"jsonrpc":"2.0","id":7,"method":"x","params":{}1{}}}"#, "[".repeat(150), "]".repeat(150));
        let bodies: Vec<Vec<u8>> = [
            "{}",
            "[]",
            "123",
            "null",
            r#""text""#,
            r#"[{"jsonrpc":"2.0","id":1,"method":"shutdown"},{"jsonrpc":"2.0","method":"initialized"}]"#,
            r#"{"jsonrpc":"1.0","id":2,"method":"shutdown"}"#,
            r#"{"jsonrpc":2,"id":2,"method":"shutdown"}"#,
            r#"{"id":2,"method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","id":{"a":1},"method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","id":9223372036854775808,"method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","id":-3,"method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","id":"s","method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","id":null,"method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","id":3,"method":5}"#,
            r#"{"jsonrpc":"2.0","id":3}"#,
            r#"{"jsonrpc":"2.0"}"#,
            r#"{"jsonrpc":"2.0","id":3,"id":4,"method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","method":"x","params":1,"params":2}"#,
            r#"{"jsonrpc":"2.0","id":3,"result":null}"#,
            r#"{"jsonrpc":"2.0","id":3,"error":{"code":1,"message":"m"}}"#,
            r#"{"jsonrpc":"2.0","id":3,"error":"bad"}"#,
            r#"{"jsonrpc":"2.0","id":3,"error":{"code":1.5,"message":"m"}}"#,
            r#"{"jsonrpc":"2.0","result":1}"#,
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
            &deep,
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .chain([b"{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"x\",\"params\":\"\xff\xfe\"}".to_vec(), b"[".repeat(100_000)])
        .collect();
        for body in &bodies {
            let shown = String::from_utf8_lossy(&body[..body.len().min(80)]).into_owned();
            match classify(body, depth_of(body)) {
                Ok(outs) => {
                    assert!(!outs.is_empty(), "{shown}");
                    for out in outs {
                        match out {
                            Out::Forward => assert!(decodes(body), "passed on but not decodable: {shown}"),
                            Out::Reply { id, .. } => {
                                let reply = json!({"jsonrpc": "2.0", "id": id, "method": INVALID_MESSAGE, "params": {}}).to_string();
                                assert!(decodes(reply.as_bytes()), "{shown}");
                            }
                            Out::Log(_) => {}
                        }
                    }
                }
                Err(_) => assert!(!decodes(body), "refused but decodable: {shown}"),
            }
        }
        let reply = |body: &str| classify(body.as_bytes(), depth_of(body.as_bytes())).unwrap();
        assert!(matches!(&reply(r#"{"jsonrpc":"1.0","id":2,"method":"shutdown"}"#)[..], [Out::Reply { code: -32600, .. }]));
        assert!(matches!(&reply(&deep)[..], [Out::Reply { code: -32600, .. }]));
        assert!(matches!(&reply(r#"{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}"#)[..], [Out::Log(_)]));
        let batch = reply(r#"[{"jsonrpc":"2.0","id":1,"method":"shutdown"},{"jsonrpc":"2.0","method":"initialized"}]"#);
        assert!(matches!(&batch[..], [Out::Reply { .. }, Out::Log(_)]), "{batch:?}");
        let bad_utf8 = b"{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"x\",\"params\":\"\xff\"}";
        assert!(matches!(&classify(bad_utf8, 1).unwrap()[..], [Out::Reply { code: -32700, .. }]));
    }

    async fn run(input: &[u8]) -> Vec<Value> {
        let mut output = Vec::new();
        sanitize(input, &mut output).await.unwrap();
        let mut frames = Vec::new();
        let mut rest = &output[..];
        while !rest.is_empty() {
            let header_end = rest.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
            let n: usize = std::str::from_utf8(&rest[16..header_end]).unwrap().parse().unwrap();
            let body = &rest[header_end + 4..header_end + 4 + n];
            assert!(decodes(body));
            frames.push(serde_json::from_slice(body).unwrap());
            rest = &rest[header_end + 4 + n..];
        }
        frames
    }

    #[tokio::test]
    async fn a_large_body_does_not_keep_its_memory() {
        let big = format!(r#"{{"jsonrpc":"2.0","method":"x","params":"{}"}}"#, "a".repeat(4 << 20));
        let input = format!("{}{}", frame(&big), frame(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#));
        let mut input = Input { reader: input.as_bytes(), buf: Vec::new(), pos: 0 };
        let n = input.header(&mut Vec::new()).await.unwrap().unwrap().unwrap();
        let body = input.body(n).await.unwrap().unwrap();
        assert_eq!(body.len, big.len());
        input.pos += body.len;
        input.release();
        assert!(input.buf.capacity() <= 2 * CHUNK, "{}", input.buf.capacity());
        let n = input.header(&mut Vec::new()).await.unwrap().unwrap().unwrap();
        assert_eq!(input.body(n).await.unwrap().unwrap().len, n);
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[tokio::test]
    async fn bad_headers_and_wrong_lengths_resynchronise() {
        let ok = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let forwarded = |frames: &[Value]| frames.iter().filter(|f| f["method"] == "shutdown").count();
        // A header without a valid length, its body glued to the next header.
        let input = format!("Content-Length: abc\r\n\r\n{ok}{}", frame(ok));
        assert_eq!(forwarded(&run(input.as_bytes()).await), 1);
        let input = format!("Content-Type: x\r\n\r\n{ok}{}", frame(ok));
        assert_eq!(forwarded(&run(input.as_bytes()).await), 1);
        // A length larger than the body: the body alone, then the next frame.
        let input = format!("Content-Length: {}\r\n\r\n{ok}{}", ok.len() + 40, frame(ok));
        assert_eq!(forwarded(&run(input.as_bytes()).await), 2);
        // ... and when nothing follows it.
        let input = format!("Content-Length: {}\r\n\r\n{ok}", ok.len() + 40);
        assert_eq!(forwarded(&run(input.as_bytes()).await), 1);
        // A length too short: the rest is skipped up to the next frame.
        let input = format!("Content-Length: 10\r\n\r\n{ok}{}", frame(ok));
        assert_eq!(forwarded(&run(input.as_bytes()).await), 1);
        // A body that is not JSON, with the next frame inside its length.
        let input = format!("Content-Length: {}\r\n\r\n123{}", 3 + frame(ok).len(), frame(ok));
        assert_eq!(forwarded(&run(input.as_bytes()).await), 1);
        // A header line of 1 MiB, with or without a line end, then a frame.
        let long = "x".repeat(1 << 20);
        assert_eq!(forwarded(&run(format!("{long}\r\n\r\n{}", frame(ok)).as_bytes()).await), 1);
        assert_eq!(forwarded(&run(format!("{long}{}", frame(ok)).as_bytes()).await), 1);
        // Many lines of garbage: one line in the log.
        let input = format!("{}{}", "garbage\r\n".repeat(10_000), frame(ok));
        let frames = run(input.as_bytes()).await;
        assert_eq!(forwarded(&frames), 1);
        assert_eq!(frames.len(), 2, "one log line and the message");
        // Invalid UTF-8 in a header.
        let mut input = b"Content-Length: \xff\xfe\r\n\r\n".to_vec();
        input.extend(frame(ok).as_bytes());
        assert_eq!(forwarded(&run(&input).await), 1);
    }
}
