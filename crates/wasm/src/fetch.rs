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
    /// No `catch`: the JS wrapper has read it already (a `signal` whose `aborted` is not a boolean
    /// is refused there), and the call's own signal is a real one.
    #[wasm_bindgen(method, getter)]
    fn aborted(this: &Signal) -> JsValue;
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
    fn set_headers(this: &Init, value: &Headers);

    /// The request's headers: a plain object, as callers' `fetch` wrappers expect
    /// (`{ ...init.headers, authorization }`).
    #[wasm_bindgen(extends = js_sys::Object)]
    type Headers;
    #[wasm_bindgen(method, indexing_setter)]
    fn set(this: &Headers, name: &str, value: &str);
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
    signal.aborted().is_truthy()
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

/// The call's cancellation: the controller whose signal goes to `fetch`, and a promise that
/// rejects when that signal fires, raced against every wait.
struct Cancel {
    controller: web_sys::AbortController,
    cancelled: Promise,
    timed_out: Rc<Cell<bool>>,
    caller: Option<Signal>,
    timeout_ms: u32,
}

impl Cancel {
    /// `op` raced against the call's signal; check [`Self::error`] after awaiting it.
    fn race(&self, op: &JsValue) -> JsFuture {
        JsFuture::from(Promise::race(&Array::of2(op, &self.cancelled)))
    }

    /// The error of a cancelled call (an abort wins over a timeout), `None` while running. The
    /// signal fires only through the timer or the caller's abort, both seen here.
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
    let global = js_sys::global().unchecked_into::<Global>();
    let timer = global
        .set_timeout(
            on_timeout.as_ref().unchecked_ref(),
            limits.timeout_ms as i32,
        )
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
        controller,
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
        let promise = fetch
            .call2(
                &JsValue::UNDEFINED,
                &JsValue::from_str(&req.url),
                &request_init(&req, &signal),
            )
            .map_err(|_| {
                OcrError::config("the `fetch` option threw instead of returning a Promise")
            })?;
        sent = true;
        let outcome = cancel.race(&promise).await;
        if let Some(e) = cancel.error(true) {
            return Err(e);
        }
        let Ok(response) = outcome else {
            step = plan.on_network_error();
            continue;
        };
        let mut answer = Answer::new(response.unchecked_into())?;
        // The whole answer, at most `max_answer_bytes` decoded bytes, each read raced.
        loop {
            let Some(next) = answer.next() else {
                return Err(broken_error());
            };
            let chunk = cancel.race(&next).await;
            if let Some(e) = cancel.error(true) {
                return Err(e);
            }
            match answer.take(chunk, limits.max_answer_bytes as usize) {
                Ok(false) => {}
                Ok(true) => break,
                Err(too_large) => {
                    // Stops the download and the decompression (the stream errors quietly).
                    cancel.controller.abort();
                    if !too_large {
                        return Err(broken_error());
                    }
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
            }
        }
        step = plan.on_response(answer.status, &answer.bytes);
    }
}

fn request_init(req: &HttpRequest, signal: &web_sys::AbortSignal) -> Init {
    let init: Init = js_sys::Object::new().unchecked_into();
    init.set_method(req.method);
    let headers: Headers = js_sys::Object::new().unchecked_into();
    for (name, value) in &req.headers {
        headers.set(name, value);
    }
    init.set_headers(&headers);
    init.set_body(&Uint8Array::from(req.body.as_slice()));
    init.set_signal(signal);
    // Never follow a provider's redirect: it would re-send the key and the image elsewhere.
    init.set_redirect("manual");
    init
}

/// Reading one answer: its body stream when it has one, else `arrayBuffer()` (a minimal
/// `Response` from an injected `fetch`), checked after.
struct Answer {
    response: Response,
    /// The HTTP status to feed the plan. A browser answers a `redirect: "manual"` request that
    /// got a 3xx with an opaque response (`type: "opaqueredirect"`, status 0): it is fed as
    /// status 300 so the plan sees a redirect (final, never followed), not a connection failure
    /// to fail over from.
    status: u16,
    reader: Option<Reader>,
    bytes: Vec<u8>,
    whole_read: bool,
}

impl Answer {
    /// What `fetch` resolved to, if it looks like a `Response` (a numeric `status` and a body
    /// stream or an `arrayBuffer()` method); anything else is the caller's `fetch` misbehaving.
    fn new(response: Response) -> Result<Answer, OcrError> {
        let status = response.status().ok().and_then(|s| s.as_f64());
        let reader = response
            .body()
            .ok()
            .filter(|b| b.is_object())
            .and_then(|b| b.unchecked_into::<Stream>().get_reader().ok());
        let readable = reader.is_some()
            || response
                .array_buffer_fn()
                .ok()
                .is_some_and(|f| f.is_function());
        let (Some(status), true) = (status, readable) else {
            return Err(OcrError::config(
                "the `fetch` option returned something that is not a Response",
            ));
        };
        let opaque = response.kind().ok() == Some(JsValue::from_str("opaqueredirect"));
        let status = match status {
            _ if opaque => 300,
            s if (0.0..=999.0).contains(&s) => s as u16,
            _ => 0,
        };
        Ok(Answer {
            response,
            status,
            reader,
            bytes: Vec::new(),
            whole_read: false,
        })
    }

    /// The promise of the next part: a `{ done, value }` chunk, or the whole `ArrayBuffer`.
    fn next(&mut self) -> Option<JsValue> {
        match &self.reader {
            Some(reader) => reader.read().ok(),
            None if !self.whole_read => {
                self.whole_read = true;
                self.response.array_buffer().ok()
            }
            None => None,
        }
    }

    /// Take a settled part: `Ok(true)` when the answer is complete, `Err(true)` past `cap`,
    /// `Err(false)` when it broke.
    fn take(&mut self, part: Result<JsValue, JsValue>, cap: usize) -> Result<bool, bool> {
        let part = part.map_err(|_| false)?;
        let value = if self.reader.is_some() {
            let chunk: Chunk = part.unchecked_into();
            match chunk.done().ok().and_then(|d| d.as_bool()) {
                Some(true) => return Ok(true),
                Some(false) => {}
                None => return Err(false),
            }
            chunk
                .value()
                .ok()
                .and_then(|v| v.dyn_into::<Uint8Array>().ok())
                .ok_or(false)?
        } else {
            Uint8Array::new(&part)
        };
        if self.bytes.len().saturating_add(value.length() as usize) > cap {
            return Err(true);
        }
        self.bytes.extend_from_slice(&value.to_vec());
        Ok(self.reader.is_none())
    }
}
