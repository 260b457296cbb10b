//! [`Guard`]: the service every message goes through before
//! tower-lsp-server's, so that what holds for one handler holds for all:
//! - **panics are contained**: a handler that panics (request or
//!   notification, while called or while polled) is caught; a request is
//!   answered with an InternalError (-32603) saying so, the panic is logged
//!   (standard error and `window/logMessage`), and the session goes on
//!   (tower-lsp-server polls handlers without `catch_unwind`, so a panic
//!   would otherwise end the process);
//! - **cancellation applies to requests in flight only**: `$/cancelRequest`
//!   aborts the request with that id if it has not been answered yet (it is
//!   answered with RequestCancelled, -32800); one for an id not in flight is
//!   dropped (tower-lsp-server runs cancellations in turn with the requests,
//!   so it would cancel the next request that reuses the id);
//! - **the transport's refusals** ([`INVALID_MESSAGE`], see `transport`)
//!   are answered with their error, or logged;
//! - whether `shutdown` was answered, for the exit status.

use super::transport::INVALID_MESSAGE;
use super::{Backend, State, lock};
use crate::diagnostics::Lang;
use futures::FutureExt;
use futures::future::{AbortHandle, BoxFuture, abortable};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_lsp_server::ls_types::MessageType;
use tower_lsp_server::{Client, ExitedError, LspService};
use tower_service::Service;

pub(super) struct Guard {
    inner: LspService<Backend>,
    client: Client,
    state: Arc<Mutex<State>>,
    /// Requests called and not answered yet: a number for each call (ids
    /// may be reused) and the handle that aborts it.
    in_flight: Arc<Mutex<HashMap<Id, (u64, AbortHandle)>>>,
    calls: u64,
    /// Requests that ended here (panicked, cancelled) and that
    /// tower-lsp-server still counts as pending: released at the next call.
    stale: Arc<Mutex<Vec<Id>>>,
    /// Set when a `shutdown` request has been answered.
    pub(super) shut_down: Arc<AtomicBool>,
}

impl Guard {
    pub(super) fn new(inner: LspService<Backend>, client: Client, state: Arc<Mutex<State>>) -> Guard {
        Guard { inner, client, state, in_flight: Arc::default(), calls: 0, stale: Arc::default(), shut_down: Arc::default() }
    }

    /// tower-lsp-server forgets a pending request when its handler ends;
    /// for one that ended here, a cancellation makes it forget (or an id
    /// used again would be refused as a duplicate).
    fn release_stale(&mut self) {
        let stale = std::mem::take(&mut *lock(&self.stale));
        for id in stale {
            let cancel = Request::build("$/cancelRequest").params(json!({ "id": id })).finish();
            // The cancellation is done when its future first runs.
            let _ = std::panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(cancel).now_or_never()));
        }
    }

    fn cancel(&self, params: Option<&Value>) {
        let Some(id) = params.and_then(|p| p.get("id")).and_then(|id| serde_json::from_value::<Id>(id.clone()).ok()) else {
            return;
        };
        if let Some((_, handle)) = lock(&self.in_flight).get(&id) {
            handle.abort();
        }
        // Not in flight: answered already, or not seen yet. Dropped.
    }

    /// The transport's stand-in for a message it refused.
    fn refused(&self, id: Option<Id>, params: Option<&Value>) -> Option<Response> {
        let text = |key: &str| params.and_then(|p| p.get(key)).and_then(Value::as_str).unwrap_or_default().to_string();
        let message = text("message");
        log(&self.client, MessageType::WARNING, format!("plancheck: {message}"));
        let code = params.and_then(|p| p.get("code")).and_then(Value::as_i64).unwrap_or(-32600);
        id.map(|id| Response::from_error(id, Error { code: ErrorCode::from(code), message: message.into(), data: None }))
    }
}

/// Logs on standard error and in the client's log (in the background: the
/// client may be slow to read).
fn log(client: &Client, typ: MessageType, message: String) {
    eprintln!("{message}");
    let client = client.clone();
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move { client.log_message(typ, message).await });
    }
}

/// The text of a panic's payload.
pub(super) fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| payload.downcast_ref::<String>().cloned()).unwrap_or_else(|| "a panic without a message".into())
}

fn internal_error(lang: Lang, method: &str, panic: &str) -> String {
    lang.pick(
        format!("plancheck の内部エラー ({method} の処理中: {panic})。この要求には答えられませんでしたが、サーバーは動き続けます"),
        format!("plancheck internal error while handling {method} ({panic}); this request failed, the server goes on"),
    )
}

impl Service<Request> for Guard {
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = BoxFuture<'static, Result<Option<Response>, ExitedError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ExitedError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        self.release_stale();
        let method = request.method().to_string();
        let id = request.id().cloned();
        match method.as_str() {
            "$/cancelRequest" => {
                self.cancel(request.params());
                return futures::future::ready(Ok(None)).boxed();
            }
            INVALID_MESSAGE => return futures::future::ready(Ok(self.refused(id, request.params()))).boxed(),
            _ => {}
        }
        let is_shutdown = method == "shutdown";
        let (client, state) = (self.client.clone(), self.state.clone());
        let on_panic = move |payload: Box<dyn std::any::Any + Send>| {
            let lang = lock(&state).lang;
            let message = internal_error(lang, &method, &panic_text(&*payload));
            log(&client, MessageType::ERROR, message.clone());
            message
        };
        let handler = match std::panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(handler) => AssertUnwindSafe(handler).catch_unwind(),
            Err(payload) => {
                let message = on_panic(payload);
                return futures::future::ready(Ok(id.map(|id| Response::from_error(id, Error { code: ErrorCode::InternalError, message: message.into(), data: None })))).boxed();
            }
        };
        let Some(id) = id else {
            // A notification: nothing to answer.
            return async move {
                match handler.await {
                    Ok(result) => result,
                    Err(payload) => {
                        on_panic(payload);
                        Ok(None)
                    }
                }
            }
            .boxed();
        };
        let (handler, abort) = abortable(handler);
        self.calls += 1;
        let call = self.calls;
        lock(&self.in_flight).entry(id.clone()).or_insert((call, abort));
        let (in_flight, stale, shut_down) = (self.in_flight.clone(), self.stale.clone(), self.shut_down.clone());
        async move {
            let outcome = handler.await;
            {
                let mut in_flight = lock(&in_flight);
                if in_flight.get(&id).is_some_and(|(c, _)| *c == call) {
                    in_flight.remove(&id);
                }
            }
            match outcome {
                Ok(Ok(result)) => {
                    if let Ok(Some(response)) = &result
                        && response.is_ok()
                        && is_shutdown
                    {
                        shut_down.store(true, Ordering::SeqCst);
                    }
                    result
                }
                Ok(Err(payload)) => {
                    lock(&stale).push(id.clone());
                    let message = on_panic(payload);
                    Ok(Some(Response::from_error(id, Error { code: ErrorCode::InternalError, message: message.into(), data: None })))
                }
                Err(_aborted) => {
                    lock(&stale).push(id.clone());
                    Ok(Some(Response::from_error(id, Error::request_cancelled())))
                }
            }
        }
        .boxed()
    }
}
