//! The server's output: tower-lsp-server's frames and the server's own
//! `textDocument/publishDiagnostics`, each written whole to standard output.
//!
//! tower-lsp-server turns every message into a `serde_json::Value` before
//! writing it: for a document with 100,000 related places that tree is
//! several times the size of the JSON. So diagnostics are serialized
//! straight from their types here, and go out through the same writer as
//! tower-lsp-server's frames, which a reader takes from its output one
//! whole frame at a time (frames never interleave).

use serde::Serialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tower_lsp_server::ls_types::{Diagnostic, PublishDiagnosticsParams, Uri};

/// Where the server's own messages go (cheap to clone).
#[derive(Clone)]
pub(super) struct Output {
    frames: mpsc::Sender<Vec<u8>>,
}

#[derive(Serialize)]
struct Notification<'a, P> {
    jsonrpc: &'a str,
    method: &'a str,
    params: P,
}

/// A frame: the header and the body.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    frame
}

impl Output {
    /// Sends `textDocument/publishDiagnostics` (waits while the client is
    /// slow to read).
    pub(super) async fn publish_diagnostics(&self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        let notification = Notification { jsonrpc: "2.0", method: "textDocument/publishDiagnostics", params: PublishDiagnosticsParams { uri, diagnostics, version } };
        if let Ok(body) = serde_json::to_vec(&notification) {
            let _ = self.frames.send(frame(&body)).await;
        }
    }
}

/// The output's parts: the [`Output`], the writer to give tower-lsp-server,
/// and the task that writes everything to `stdout` (it ends, after writing
/// what was sent, when [`Output::finish`]'s future is awaited).
pub(super) struct Parts {
    pub output: Output,
    pub server_side: tokio::io::DuplexStream,
    pub done: Finish,
}

pub(super) struct Finish {
    reader: tokio::task::JoinHandle<()>,
    writer: tokio::task::JoinHandle<()>,
    frames: mpsc::Sender<Vec<u8>>,
}

impl Finish {
    /// Once tower-lsp-server has returned: writes what is left and stops
    /// (waiting at most 5 s for a client that does not read).
    pub(super) async fn finish(self) {
        let Finish { reader, writer, frames } = self;
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), async move {
            let _ = reader.await;
            // An empty frame is the end.
            let _ = frames.send(Vec::new()).await;
            let _ = writer.await;
        })
        .await;
    }
}

pub(super) fn start<W: AsyncWrite + Unpin + Send + 'static>(mut stdout: W) -> Parts {
    let (frames, mut queue) = mpsc::channel::<Vec<u8>>(64);
    let (server_side, mut ours) = tokio::io::duplex(1 << 20);
    let writer = tokio::spawn(async move {
        while let Some(frame) = queue.recv().await {
            if frame.is_empty() || stdout.write_all(&frame).await.is_err() || stdout.flush().await.is_err() {
                break;
            }
        }
    });
    let to_queue = frames.clone();
    let reader = tokio::spawn(async move {
        while let Ok(Some(frame)) = read_frame(&mut ours).await {
            if to_queue.send(frame).await.is_err() {
                break;
            }
        }
    });
    Parts { output: Output { frames: frames.clone() }, server_side, done: Finish { reader, writer, frames } }
}

/// One frame as tower-lsp-server writes it (`Content-Length: N\r\n\r\n`
/// and N bytes), whole; `None` at the end.
async fn read_frame<R: AsyncRead + Unpin>(input: &mut R) -> std::io::Result<Option<Vec<u8>>> {
    let mut header = Vec::new();
    let mut byte = [0u8; 1];
    while !header.ends_with(b"\r\n\r\n") {
        if input.read(&mut byte).await? == 0 {
            return Ok(None);
        }
        header.push(byte[0]);
        if header.len() > 1024 {
            return Err(std::io::Error::other("a frame header of tower-lsp-server longer than 1 KiB"));
        }
    }
    let text = String::from_utf8_lossy(&header);
    let length = text
        .lines()
        .find_map(|line| line.strip_prefix("Content-Length:"))
        .and_then(|n| n.trim().parse::<usize>().ok())
        .ok_or_else(|| std::io::Error::other("a frame of tower-lsp-server without a length"))?;
    let mut frame = header;
    let start = frame.len();
    frame.resize(start + length, 0);
    input.read_exact(&mut frame[start..]).await?;
    Ok(Some(frame))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn frames_from_both_sides_are_written_whole() {
        let (stdout, mut client) = tokio::io::duplex(1 << 16);
        let Parts { output, mut server_side, done } = start(stdout);
        let body = "x".repeat(100_000);
        let server = tokio::spawn(async move {
            for _ in 0..20 {
                server_side.write_all(&frame(format!(r#"{{"jsonrpc":"2.0","method":"m","params":"{body}"}}"#).as_bytes())).await.unwrap();
            }
        });
        let uri: Uri = "file:///a.plan".parse().unwrap();
        for _ in 0..20 {
            output.publish_diagnostics(uri.clone(), Vec::new(), Some(1)).await;
        }
        server.await.unwrap();
        let reading = tokio::spawn(async move {
            let mut frames = Vec::new();
            while let Ok(Some(frame)) = read_frame(&mut client).await {
                let start = frame.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                frames.push(serde_json::from_slice::<serde_json::Value>(&frame[start..]).unwrap());
            }
            frames
        });
        done.finish().await;
        drop(output);
        let frames = reading.await.unwrap();
        assert_eq!(frames.len(), 40);
        assert_eq!(frames.iter().filter(|f| f["method"] == "textDocument/publishDiagnostics").count(), 20);
    }
}
