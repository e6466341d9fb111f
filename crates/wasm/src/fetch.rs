//! Drives a [`Plan`] with real `fetch`: one `AbortController` for the call, linked to the
//! caller's `AbortSignal` and to the `timeoutMs` timer, so a timeout (`TIMEOUT`) and a caller
//! abort (`ABORTED`) both cancel the in-flight request and stay distinguishable.
//!
//! Retry policy lives in the core ([`Plan`]); the only decision made here is the one the core
//! cannot see: a timeout, an abort or a connection that breaks while the answer is being read
//! ends the call (the provider may have processed, and billed, the request).

use crate::convert::get;
use std::cell::Cell;
use std::rc::Rc;
use vehicle_doc_ocr_core::{ErrorCode, HttpRequest, OcrError, Plan, Recognized, Step};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The injected `fetch`, or the global one (bound as a global: works in pages, Web Workers,
/// Cloudflare Workers and Node — never `window.fetch`).
pub fn resolve_fetch(injected: &JsValue) -> Result<js_sys::Function, OcrError> {
    if !injected.is_undefined() && !injected.is_null() {
        return injected
            .dyn_ref::<js_sys::Function>()
            .cloned()
            .ok_or_else(|| OcrError::config("option `fetch` must be a function"));
    }
    get(&js_sys::global(), "fetch")
        .dyn_into::<js_sys::Function>()
        .map_err(|_| OcrError::config("no global `fetch` in this runtime: pass the `fetch` option"))
}

fn aborted(signal: &JsValue) -> bool {
    get(signal, "aborted").as_bool().unwrap_or(false)
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

/// Cancels the timer and unhooks the caller's signal when the call ends, however it ends.
struct Guard {
    timer: JsValue,
    caller: JsValue,
    on_abort: Option<Closure<dyn FnMut()>>,
    _on_timeout: Closure<dyn FnMut()>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let global = js_sys::global();
        if let Ok(clear) = get(&global, "clearTimeout").dyn_into::<js_sys::Function>() {
            let _ = clear.call1(&JsValue::UNDEFINED, &self.timer);
        }
        if let Some(cb) = &self.on_abort {
            if let Ok(remove) =
                get(&self.caller, "removeEventListener").dyn_into::<js_sys::Function>()
            {
                let _ = remove.call2(&self.caller, &JsValue::from_str("abort"), cb.as_ref());
            }
        }
    }
}

pub async fn drive(
    mut plan: Plan,
    fetch: &js_sys::Function,
    caller: &JsValue,
    timeout_ms: u32,
) -> Result<Recognized, OcrError> {
    let has_caller = !caller.is_undefined() && !caller.is_null();
    if has_caller && aborted(caller) {
        return Err(aborted_error());
    }
    let controller = web_sys::AbortController::new()
        .map_err(|_| OcrError::config("this runtime has no AbortController"))?;
    let timed_out = Rc::new(Cell::new(false));

    let on_timeout = {
        let controller = controller.clone();
        let timed_out = timed_out.clone();
        Closure::<dyn FnMut()>::new(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let set_timeout = get(&js_sys::global(), "setTimeout")
        .dyn_into::<js_sys::Function>()
        .map_err(|_| OcrError::config("this runtime has no setTimeout"))?;
    let timer = set_timeout
        .call2(
            &JsValue::UNDEFINED,
            on_timeout.as_ref(),
            &JsValue::from(timeout_ms),
        )
        .map_err(|_| OcrError::config("setTimeout failed"))?;

    let on_abort = if has_caller {
        let controller = controller.clone();
        let cb = Closure::<dyn FnMut()>::new(move || controller.abort());
        if let Ok(add) = get(caller, "addEventListener").dyn_into::<js_sys::Function>() {
            let _ = add.call2(caller, &JsValue::from_str("abort"), cb.as_ref());
        }
        Some(cb)
    } else {
        None
    };
    let _guard = Guard {
        timer,
        caller: caller.clone(),
        on_abort,
        _on_timeout: on_timeout,
    };
    let signal: JsValue = controller.signal().into();

    let mut step = plan.start();
    loop {
        let req = match step {
            Step::Done(result) => return result,
            Step::Send(req) => req,
        };
        let sent = call(fetch, &req, &signal).await;
        // An abort or a timeout wins over whatever the fetch reported.
        let cancelled = || -> Option<OcrError> {
            if has_caller && aborted(caller) {
                Some(aborted_error())
            } else if timed_out.get() {
                Some(timeout_error(timeout_ms, true))
            } else {
                None
            }
        };
        let response = match sent {
            Ok(r) => r,
            Err(_) => {
                if let Some(e) = cancelled() {
                    return Err(e);
                }
                step = plan.on_network_error();
                continue;
            }
        };
        let status = get(&response, "status").as_f64().unwrap_or(0.0);
        let status = if (0.0..=999.0).contains(&status) {
            status as u16
        } else {
            0
        };
        match read_body(&response).await {
            Ok(body) => step = plan.on_response(status, &body),
            Err(_) => {
                if let Some(e) = cancelled() {
                    return Err(e);
                }
                return Err(OcrError::new(
                    ErrorCode::Network,
                    "the connection broke while the provider's answer was being read; the provider may have processed (and billed) the request",
                ));
            }
        }
    }
}

async fn call(
    fetch: &js_sys::Function,
    req: &HttpRequest,
    signal: &JsValue,
) -> Result<JsValue, JsValue> {
    let init = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| crate::convert::set(&init, k, v);
    set("method", &JsValue::from_str(req.method));
    let headers = js_sys::Object::new();
    for (name, value) in &req.headers {
        crate::convert::set(&headers, name, &JsValue::from_str(value));
    }
    set("headers", &headers);
    set("body", &js_sys::Uint8Array::from(req.body.as_slice()));
    set("signal", signal);
    let promise = fetch.call2(&JsValue::UNDEFINED, &JsValue::from_str(&req.url), &init)?;
    JsFuture::from(js_sys::Promise::resolve(&promise)).await
}

async fn read_body(response: &JsValue) -> Result<Vec<u8>, JsValue> {
    let array_buffer = get(response, "arrayBuffer").dyn_into::<js_sys::Function>()?;
    let promise = array_buffer.call0(response)?;
    let buf = JsFuture::from(js_sys::Promise::resolve(&promise)).await?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}
