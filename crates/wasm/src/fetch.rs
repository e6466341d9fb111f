//! Drives a [`Plan`] with real `fetch`: one `AbortController` for the call, linked to the
//! caller's `AbortSignal` and to the `timeoutMs` timer, so a timeout (`TIMEOUT`) and a caller
//! abort (`ABORTED`) both cancel the in-flight request and stay distinguishable.
//!
//! Every wait (the `fetch` promise, each chunk of the answer) is raced against that controller's
//! signal, so the call settles on time even when an injected `fetch` ignores the signal or never
//! settles. Answers are read as a stream, capped at `maxAnswerBytes` decoded bytes. Provider
//! requests never follow a redirect (`redirect: "manual"`); the 3xx goes to the plan.
//!
//! Retry policy lives in the core ([`Plan`]); the only decision made here is the one the core
//! cannot see: a timeout, an abort or a connection that breaks while the answer is being read
//! ends the call (the provider may have processed, and billed, the request).
//!
//! Every global and method is bound below with a typed `extern` (as gloo-net binds `fetch`);
//! each is `catch`: a runtime without it, or a hostile object, is a typed error, never a trap.

use js_sys::{Array, Function, Promise, Uint8Array};
use std::cell::Cell;
use std::rc::Rc;
use vehicle_doc_ocr_core::{ErrorCode, HttpRequest, OcrError, Plan, Recognized, Step};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `globalThis` of any runtime (page, Web Worker, Node, workerd).
    pub type Global;
    #[wasm_bindgen(method, getter, js_name = fetch)]
    fn fetch_fn(this: &Global) -> JsValue;
    #[wasm_bindgen(method, catch, js_name = setTimeout)]
    pub fn set_timeout(this: &Global, handler: &Function, ms: i32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = clearTimeout)]
    pub fn clear_timeout(this: &Global, id: &JsValue) -> Result<(), JsValue>;

    /// An `AbortSignal` (the caller's, duck-typed by the JS wrapper, or the call's own).
    #[derive(Clone)]
    pub type Signal;
    #[wasm_bindgen(method, getter, catch)]
    fn aborted(this: &Signal) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = addEventListener)]
    fn add_event_listener(this: &Signal, kind: &str, listener: &Function) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = removeEventListener)]
    fn remove_event_listener(this: &Signal, kind: &str, listener: &Function)
        -> Result<(), JsValue>;

    /// The `RequestInit` given to `fetch` (a plain object).
    #[wasm_bindgen(extends = js_sys::Object)]
    type Init;
    #[wasm_bindgen(method, setter = method)]
    fn set_method(this: &Init, value: &str);
    #[wasm_bindgen(method, setter = headers)]
    fn set_headers(this: &Init, value: &Array);
    #[wasm_bindgen(method, setter = body)]
    fn set_body(this: &Init, value: &Uint8Array);
    #[wasm_bindgen(method, setter = signal)]
    fn set_signal(this: &Init, value: &web_sys::AbortSignal);
    #[wasm_bindgen(method, setter = redirect)]
    fn set_redirect(this: &Init, value: &str);

    /// What `fetch` resolved to; checked to look like a `Response` before use.
    type Response;
    #[wasm_bindgen(method, getter, catch)]
    fn status(this: &Response) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch, js_name = type)]
    fn kind(this: &Response) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch)]
    fn body(this: &Response) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch, js_name = arrayBuffer)]
    fn array_buffer_fn(this: &Response) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = arrayBuffer)]
    fn array_buffer(this: &Response) -> Result<JsValue, JsValue>;

    /// `response.body` (a `ReadableStream`) and its reader.
    type Stream;
    #[wasm_bindgen(method, catch, js_name = getReader)]
    fn get_reader(this: &Stream) -> Result<Reader, JsValue>;
    type Reader;
    #[wasm_bindgen(method, catch)]
    fn read(this: &Reader) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn cancel(this: &Reader) -> Result<JsValue, JsValue>;
    /// `{ done, value }` from `reader.read()`.
    type Chunk;
    #[wasm_bindgen(method, getter, catch)]
    fn done(this: &Chunk) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch)]
    fn value(this: &Chunk) -> Result<JsValue, JsValue>;
}

/// The call's limits (from the parsed options).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout_ms: u32,
    pub max_answer_bytes: u32,
}

/// The injected `fetch`, or the global one (bound as a global: works in pages, Web Workers,
/// Cloudflare Workers and Node — never `window.fetch`).
pub fn resolve_fetch(injected: &JsValue) -> Result<Function, OcrError> {
    if !injected.is_undefined() && !injected.is_null() {
        return injected
            .dyn_ref::<Function>()
            .cloned()
            .ok_or_else(|| OcrError::config("option `fetch` must be a function"));
    }
    js_sys::global()
        .unchecked_into::<Global>()
        .fetch_fn()
        .dyn_into::<Function>()
        .map_err(|_| OcrError::config("no global `fetch` in this runtime: pass the `fetch` option"))
}

fn is_aborted(signal: &Signal) -> bool {
    signal
        .aborted()
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

fn aborted_error() -> OcrError {
    OcrError::new(
        ErrorCode::Aborted,
        "the call was cancelled by the caller's AbortSignal",
    )
    .with_retryable(false)
}

fn timeout_error(timeout_ms: u32, sent: bool) -> OcrError {
    let tail = if sent {
        "; the provider may still have processed (and billed) the request"
    } else {
        ""
    };
    OcrError::new(
        ErrorCode::Timeout,
        format!("no answer within timeoutMs = {timeout_ms} ms{tail}"),
    )
}

fn broken_error() -> OcrError {
    OcrError::new(
        ErrorCode::Network,
        "the connection broke while the provider's answer was being read; the provider may have processed (and billed) the request",
    )
}

/// Cancels the timer and unhooks the caller's signal when the call ends, however it ends.
struct Guard {
    timer: JsValue,
    caller: Option<Signal>,
    on_abort: Closure<dyn FnMut()>,
    _on_timeout: Closure<dyn FnMut()>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let global = js_sys::global().unchecked_into::<Global>();
        let _ = global.clear_timeout(&self.timer);
        if let Some(caller) = &self.caller {
            let _ = caller.remove_event_listener("abort", self.on_abort.as_ref().unchecked_ref());
        }
    }
}

/// How the wait for a promise ended.
enum Wait {
    Settled(Result<JsValue, JsValue>),
    /// The call's signal fired first (timeout or caller abort).
    Cancelled,
}

/// The call's cancellation: the controller whose signal goes to `fetch`, and a promise that
/// rejects when that signal fires, raced against every wait.
struct Cancel {
    cancelled: Promise,
    timed_out: Rc<Cell<bool>>,
    caller: Option<Signal>,
    timeout_ms: u32,
}

impl Cancel {
    async fn wait(&self, op: &JsValue) -> Wait {
        let raced = Promise::race(&Array::of2(&Promise::resolve(op), &self.cancelled));
        let out = JsFuture::from(raced).await;
        // The signal fires only through the timer or the caller's abort, both seen here.
        if self.error(true).is_some() {
            Wait::Cancelled
        } else {
            Wait::Settled(out)
        }
    }

    /// The error of a cancelled call (an abort wins over a timeout), `None` while running.
    fn error(&self, sent: bool) -> Option<OcrError> {
        if self.caller.as_ref().is_some_and(is_aborted) {
            Some(aborted_error())
        } else if self.timed_out.get() {
            Some(timeout_error(self.timeout_ms, sent))
        } else {
            None
        }
    }
}

pub async fn drive(
    mut plan: Plan,
    fetch: &Function,
    caller: &JsValue,
    limits: Limits,
) -> Result<Recognized, OcrError> {
    let caller: Option<Signal> =
        (!caller.is_undefined() && !caller.is_null()).then(|| caller.clone().unchecked_into());
    if caller.as_ref().is_some_and(is_aborted) {
        return Err(aborted_error());
    }
    let controller = web_sys::AbortController::new()
        .map_err(|_| OcrError::config("this runtime has no AbortController"))?;
    let signal = controller.signal();
    let timed_out = Rc::new(Cell::new(false));

    let on_timeout = {
        let controller = controller.clone();
        let timed_out = timed_out.clone();
        Closure::<dyn FnMut()>::new(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    // `timeout_ms` is at most options::MAX_TIMEOUT_MS: within a JS timer's signed 32-bit range.
    let delay = i32::try_from(limits.timeout_ms)
        .map_err(|_| OcrError::config("option `timeoutMs` is out of range"))?;
    let global = js_sys::global().unchecked_into::<Global>();
    let timer = global
        .set_timeout(on_timeout.as_ref().unchecked_ref(), delay)
        .map_err(|_| OcrError::config("this runtime has no working setTimeout"))?;
    let on_abort = {
        let controller = controller.clone();
        Closure::<dyn FnMut()>::new(move || controller.abort())
    };
    if let Some(c) = &caller {
        // A signal without addEventListener is still checked before each send and after each wait.
        let _ = c.add_event_listener("abort", on_abort.as_ref().unchecked_ref());
    }
    let _guard = Guard {
        timer,
        caller: caller.clone(),
        on_abort,
        _on_timeout: on_timeout,
    };
    let cancelled = {
        let ours: &Signal = signal.unchecked_ref();
        Promise::new(&mut |_resolve, reject| {
            let _ = ours.add_event_listener("abort", &reject);
        })
    };
    let cancel = Cancel {
        cancelled,
        timed_out,
        caller,
        timeout_ms: limits.timeout_ms,
    };

    let mut sent = false;
    let mut step = plan.start();
    loop {
        let req = match step {
            Step::Done(result) => return result,
            Step::Send(req) => req,
        };
        // Checked right before the request leaves: an abort during preparation (or between two
        // endpoints) sends nothing.
        if let Some(e) = cancel.error(sent) {
            return Err(e);
        }
        let init = request_init(&req, &signal);
        let promise = fetch
            .call2(&JsValue::UNDEFINED, &JsValue::from_str(&req.url), &init)
            .map_err(|_| {
                OcrError::config("the `fetch` option threw instead of returning a Promise")
            })?;
        sent = true;
        let response = match cancel.wait(&promise).await {
            Wait::Cancelled => return Err(cancel.error(true).unwrap_or_else(broken_error)),
            Wait::Settled(Ok(r)) => r,
            Wait::Settled(Err(_)) => {
                step = plan.on_network_error();
                continue;
            }
        };
        let response = as_response(response)?;
        let status = status_of(&response);
        match read_capped(&response, limits.max_answer_bytes, &cancel).await {
            Ok(body) => step = plan.on_response(status, &body),
            Err(Read::TooLarge) => {
                return Err(OcrError::new(
                    ErrorCode::ProviderError,
                    format!(
                        "the answer is larger than maxAnswerBytes = {} bytes (decoded); it was cut off unread",
                        limits.max_answer_bytes
                    ),
                )
                .with_retryable(false)
                .with_provider(plan.provider()));
            }
            Err(Read::Broken) => return Err(cancel.error(true).unwrap_or_else(broken_error)),
        }
    }
}

fn request_init(req: &HttpRequest, signal: &web_sys::AbortSignal) -> Init {
    let init: Init = js_sys::Object::new().unchecked_into();
    init.set_method(req.method);
    let headers: Array = req
        .headers
        .iter()
        .map(|(name, value)| Array::of2(&JsValue::from_str(name), &JsValue::from_str(value)))
        .collect();
    init.set_headers(&headers);
    init.set_body(&Uint8Array::from(req.body.as_slice()));
    init.set_signal(signal);
    // Never follow a provider's redirect: it would re-send the key and the image elsewhere.
    init.set_redirect("manual");
    init
}

/// What `fetch` resolved to, if it looks like a `Response` (a numeric `status` and a body
/// stream or an `arrayBuffer()` method); anything else is the caller's `fetch` misbehaving.
fn as_response(value: JsValue) -> Result<Response, OcrError> {
    let r: Response = value.unchecked_into();
    let status_ok = r.status().ok().is_some_and(|s| s.as_f64().is_some());
    let readable = r.body().ok().is_some_and(|b| b.is_object())
        || r.array_buffer_fn().ok().is_some_and(|f| f.is_function());
    if status_ok && readable {
        Ok(r)
    } else {
        Err(OcrError::config(
            "the `fetch` option returned something that is not a Response",
        ))
    }
}

/// The HTTP status to feed the plan. A browser answers a `redirect: "manual"` request that got a
/// 3xx with an opaque response (`type: "opaqueredirect"`, status 0): it is fed as status 300 so
/// the plan sees a redirect (final, never followed), not a connection failure to fail over from.
fn status_of(r: &Response) -> u16 {
    if r.kind().ok().and_then(|k| k.as_string()).as_deref() == Some("opaqueredirect") {
        return 300;
    }
    let status = r.status().ok().and_then(|s| s.as_f64()).unwrap_or(0.0);
    if (0.0..=999.0).contains(&status) {
        status as u16
    } else {
        0
    }
}

/// Cancel the answer's stream; its promise rejects on an errored stream, so it is awaited (an
/// unhandled rejection would end a Node process).
fn cancel_quietly(reader: &Reader) {
    if let Ok(p) = reader.cancel() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(Promise::resolve(&p)).await;
        });
    }
}

enum Read {
    TooLarge,
    Broken,
}

/// The whole answer, at most `cap` decoded bytes, each wait raced against the call's signal.
async fn read_capped(r: &Response, cap: u32, cancel: &Cancel) -> Result<Vec<u8>, Read> {
    let cap = cap as usize;
    let stream = r.body().ok().filter(|b| b.is_object());
    let reader = stream.and_then(|b| b.unchecked_into::<Stream>().get_reader().ok());
    let Some(reader) = reader else {
        // No stream (a minimal Response from an injected fetch): read whole, checked after.
        let promise = r.array_buffer().map_err(|_| Read::Broken)?;
        let buf = match cancel.wait(&promise).await {
            Wait::Settled(Ok(buf)) => buf,
            _ => return Err(Read::Broken),
        };
        let bytes = Uint8Array::new(&buf);
        if bytes.length() as usize > cap {
            return Err(Read::TooLarge);
        }
        return Ok(bytes.to_vec());
    };
    let mut out = Vec::new();
    loop {
        let promise = match reader.read() {
            Ok(p) => p,
            Err(_) => return Err(Read::Broken),
        };
        let chunk = match cancel.wait(&promise).await {
            Wait::Settled(Ok(c)) => c.unchecked_into::<Chunk>(),
            _ => {
                cancel_quietly(&reader);
                return Err(Read::Broken);
            }
        };
        match chunk.done().ok().and_then(|d| d.as_bool()) {
            Some(true) => return Ok(out),
            Some(false) => {}
            None => {
                cancel_quietly(&reader);
                return Err(Read::Broken);
            }
        }
        let value = chunk.value().ok().and_then(|v| v.dyn_into::<Uint8Array>().ok());
        let Some(value) = value else {
            cancel_quietly(&reader);
            return Err(Read::Broken);
        };
        if out.len().saturating_add(value.length() as usize) > cap {
            // Cancelling the stream stops the download and the decompression.
            cancel_quietly(&reader);
            return Err(Read::TooLarge);
        }
        out.extend_from_slice(&value.to_vec());
    }
}
