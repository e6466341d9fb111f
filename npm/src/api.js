// The public API, shared by every entry point (browser, node, workerd). Each entry only says
// how the wasm module is loaded. Orchestration only: every decision is made in Rust.
import {
  AbortedError, ConfigError, ImageTooLargeError, InvalidImageError, PoorImageError, ProviderError, UnsupportedFormatError,
  VehicleDocOcrError,
  errorClasses,
} from "./errors.js";
import { browserCodecAvailable, canvasAvailable, prepareBytesBrowser, prepareDrawable } from "./browser-codec.js";
import { toBytesOrUrl } from "./input.js";
import { assessInput } from "./quality.js";
import { MODULES, checkWasmLocations } from "./wasm.js";

const now = () => (globalThis.performance?.now ? performance.now() : Date.now());

/** Build the right subclass from the plain error object the wasm module throws. */
function fromWasm(e) {
  if (e instanceof VehicleDocOcrError) return e;
  if (e && typeof e === "object" && e.__vehicleDocOcr === true) {
    const cls = errorClasses[e.code] ?? ProviderError;
    return new cls(e.message, e);
  }
  // Anything else is a bug of ours or of the runtime: never leak it raw (it could hold a URL).
  return new ProviderError("internal error in vehicle-doc-ocr (please report it)", { retryable: false });
}

/** Wraps an exception thrown by the caller's own `onProgress`, so it is rethrown unchanged. */
class CallbackFailure {
  constructor(error) {
    this.error = error;
  }
}

/** Options handled in JS (live objects); everything else goes to the Rust option parser. */
function splitOptions(options) {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ConfigError("options must be an object with at least `document`");
  }
  const { signal, fetch, onProgress, ...rest } = options; // `local` is checked in Rust with the rest
  if (signal !== undefined && signal !== null && typeof signal.aborted !== "boolean") {
    throw new ConfigError("option `signal` must be an AbortSignal");
  }
  if (fetch !== undefined && fetch !== null && typeof fetch !== "function") {
    throw new ConfigError("option `fetch` must be a function");
  }
  if (onProgress !== undefined && onProgress !== null && typeof onProgress !== "function") {
    throw new ConfigError("option `onProgress` must be a function");
  }
  return { signal, fetch, onProgress, rest };
}

/** `signal` and `onProgress` of prepareImage() (same rules as recognize's). */
function checkLive(signal, onProgress) {
  if (signal !== undefined && signal !== null && (typeof signal.aborted !== "boolean" || typeof signal.addEventListener !== "function")) {
    throw new ConfigError("option `signal` must be an AbortSignal");
  }
  if (onProgress !== undefined && onProgress !== null && typeof onProgress !== "function") {
    throw new ConfigError("option `onProgress` must be a function");
  }
}

function callback(onProgress, event) {
  try {
    onProgress?.(event);
  } catch (e) {
    throw new CallbackFailure(e);
  }
}

/** Run `work`, rejecting as soon as `signal` fires (`step` throws the AbortedError); work stops at its next step. */
function untilAborted(signal, step, work) {
  if (!signal) return work();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      try {
        step();
      } catch (e) {
        reject(e);
      }
    };
    signal.addEventListener("abort", onAbort, { once: true });
    work().then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** A prepared image with a lazy `blob` (image/jpeg), for previews and uploads; not enumerable. */
function withBlob(prepared) {
  let blob;
  return Object.defineProperty(prepared, "blob", {
    get: () => (blob ??= typeof Blob === "function" ? new Blob([prepared.bytes], { type: prepared.mimeType }) : null),
  });
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * createClient(defaults): `{ recognize, prepareImage, crossCheck, assessImage }` with the app's options held
 * once; each call's options are merged over them (`apihz`, `juhe`, `prepare` one level deep).
 * prepareImage() takes the client's `prepare` settings and `maxBase64Chars`.
 */
export function clientOf({ recognize, prepareImage, crossCheck, assessImage }, defaults = {}) {
  if (!isObject(defaults)) throw new ConfigError("createClient() takes an options object");
  const base = { ...defaults };
  const merge = (a, b) => {
    if (!isObject(b)) return b; // recognize()/prepareImage() refuse it
    const o = { ...a, ...b };
    for (const k of ["apihz", "juhe", "prepare", "qualityThresholds"]) if (isObject(a[k]) && isObject(b[k])) o[k] = { ...a[k], ...b[k] };
    return o;
  };
  const prepareBase = {
    ...base.prepare,
    ...(base.maxBase64Chars === undefined ? {} : { maxBase64Chars: base.maxBase64Chars }),
    ...(base.document === undefined ? {} : { document: base.document }),
  };
  return Object.freeze({
    recognize: (image, options = {}) => recognize(image, merge(base, options)),
    prepareImage: (image, options = {}) => prepareImage(image, merge(prepareBase, options)),
    crossCheck,
    // The client's document and thresholds are the report's defaults.
    assessImage: (image, options = {}) =>
      assessImage(image, { ...(base.document === undefined ? {} : { document: base.document }), thresholds: base.qualityThresholds, ...options }),
  });
}

/** Memoize a module loader; a failed load is retried by the next call (e.g. a flaky network). */
function once(load, what) {
  let loading = null;
  return () => {
    loading ??= load().catch((e) => {
      loading = null;
      const why = e instanceof ConfigError ? `: ${e.message}` : "";
      throw new ConfigError(`could not load the vehicle-doc-ocr ${what} WebAssembly module${why}`, { cause: e });
    });
    return loading;
  };
}

/**
 * The image-codec module with its exports guarded. A WebAssembly trap leaves an instance in an
 * unknown state (its shadow stack pointer and any lock it held stay where the trap left them), and
 * the codec has no panics (lints, fuzzing): its one expected trap is the allocator failing when
 * memory cannot grow (a phone's tab, a Worker's 128 MB). So a trap re-instantiates the module
 * (wasm-bindgen's `__wbg_reset_state`, fresh memory; built with `--experimental-reset-state-function`)
 * and becomes an ImageTooLargeError; the next call starts clean.
 */
function guardTraps(mod) {
  const guarded = {};
  for (const [name, f] of Object.entries(mod)) {
    if (typeof f !== "function" || name === "default" || name === "initSync" || name.startsWith("__wbg")) continue;
    guarded[name] = (...args) => {
      try {
        return f(...args);
      } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError)) throw e;
        try {
          mod.__wbg_reset_state?.();
        } catch {
          // Could not re-instantiate: the next call reports its own failure.
        }
        throw new ImageTooLargeError(
          "the image codec ran out of memory on this image (it has been restarted); send a smaller image or use the browser codec",
          { cause: e },
        );
      }
    };
  }
  return guarded;
}

/**
 * @param {(location?: unknown) => Promise<object>} loadWasm resolves to the initialised main module
 * @param {(location?: unknown) => Promise<object>} loadCodec resolves to the initialised image-codec module
 * @param {(location?: unknown) => Promise<object>} loadQuality resolves to the initialised quality-report module
 * (`location`: what `configureWasm()` was given for that module, if anything)
 */
export function createApi(loadWasm, loadCodec, loadQuality, readLocally = null) {
  let locations = {};
  const begun = { main: false, codec: false, quality: false }; // loading or loaded (a failed load may be configured again)
  const track = (k, load) => () => {
    begun[k] = true;
    return load(locations[k]).catch((e) => {
      begun[k] = false;
      throw e;
    });
  };
  const wasm = once(track("main", loadWasm), "main");
  const codecWasm = once(track("codec", (l) => loadCodec(l).then(guardTraps)), "image-codec");
  const qualityWasm = once(track("quality", (l) => loadQuality(l).then(guardTraps)), "quality-report");

  /** Say where the .wasm files are (before the first call that needs them). */
  function configureWasm(given) {
    const next = checkWasmLocations(given);
    for (const k of MODULES) {
      if (next[k] !== undefined && begun[k]) {
        throw new ConfigError(`configureWasm(): the ${k} module is already loaded; call configureWasm() before the first call`);
      }
    }
    locations = { ...locations, ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) };
  }

  /**
   * Prepare bytes (or, in browsers, a drawable) with the codec the settings ask for: `auto` takes
   * the browser's decoder and canvas where they exist (browser-codec.js), else the pure-Rust
   * codec. `settings` comes from `w.prepareSettings` or `w.checkOptions` (computed once per call). Returns the public
   * PreparedImage.
   */
  async function prepareBytes(w, input, settings, sizing = null) {
    const started = now();
    const browser = browserCodecAvailable();
    if (settings.codec === "browser" && !browser) {
      throw new UnsupportedFormatError(
        "the browser image codec (createImageBitmap and a canvas that encodes JPEG) is not available in this runtime (use codec \"auto\" or \"wasm\")",
      );
    }
    const useBrowser = settings.codec === "browser" || (settings.codec !== "wasm" && browser);
    let p;
    if (sizing && useBrowser && settings.codec !== "none" && input instanceof Uint8Array) {
      // The browser codec measures the text on the picture it decoded anyway (no second decode).
      const measure = (picture) => textHeight(w, { drawable: { ...picture, kind: "canvas" } }, settings, sizing.document);
      p = await prepareBytesBrowser(w, codecWasm, input, settings, measure);
    } else if (input instanceof Uint8Array) {
      if (sizing) settings = withTextHeight(settings, await textHeight(w, input, settings, sizing.document));
      // codec "none": the bytes back as they are once the image crate checked their structure.
      p = settings.codec === "none" ? { ...w.prepareAsIs(input, settings), codec: "none" } : useBrowser
        ? await prepareBytesBrowser(w, codecWasm, input, settings)
        : { ...(await codecWasm()).prepareWasm(input, settings), codec: "wasm" };
    } else {
      // A drawable (ImageBitmap, canvas, <img>, <video>): drawn by the canvas, encoded by the
      // canvas (browser) or by the Rust encoder from the canvas pixels (wasm).
      if (!canvasAvailable()) {
        throw new UnsupportedFormatError(`a ${input.drawable.kind} input needs a canvas; pass the image bytes instead`);
      }
      if (sizing) settings = withTextHeight(settings, await textHeight(w, input, settings, sizing.document));
      p = await prepareDrawable(w, codecWasm, input.drawable, settings, !useBrowser);
    }
    return withBlob({
      bytes: p.bytes,
      base64: p.base64,
      mimeType: p.mimeType ?? "image/jpeg",
      width: p.width,
      height: p.height,
      byteLength: p.bytes.length,
      base64Length: p.base64.length,
      quality: p.quality,
      sourceWidth: p.sourceWidth,
      sourceHeight: p.sourceHeight,
      sourceFormat: p.sourceFormat,
      orientationApplied: p.orientationApplied,
      passthrough: p.passthrough,
      codec: p.codec,
      encodes: p.encodes,
      elapsedMs: Math.round((now() - started) * 10) / 10,
    });
  }

  /**
   * "legible" sends the picture just large enough for its text; Rust decides the size from the
   * quality report's `textHeightPx` (`PrepareOptions::long_side_cap`, docs/IMAGE_POLICY.md "Text
   * height"). `withTextHeight`: the settings with that height (as they are under "budget", for
   * codec "none", or with no estimate: no outline found). `textHeight`: the height measured here,
   * on the layout of `document`; null when the report cannot
   * read the picture (the prepare then gives its typed error). A bad `document` is a ConfigError.
   */
  function withTextHeight(settings, height) {
    return settings.target === "legible" && settings.codec !== "none" && height > 0 ? { ...settings, textHeightPx: height } : settings;
  }
  async function textHeight(w, input, settings, document) {
    if (settings.target !== "legible" || settings.codec === "none") return null;
    try {
      return (await assessInput(await qualityWasm(), input, { document }, settings, w.checkImage)).textHeightPx;
    } catch (e) {
      if (e?.code === "CONFIG") throw e; // a bad `document` (named by the quality module)
      return null;
    }
  }

  /** `signal` stops the work between steps (and rejects at once); `onProgress` sees `preparing`, then `done`. */
  async function prepareImage(image, options = {}) {
    try {
      if (options === null || typeof options !== "object" || Array.isArray(options)) {
        throw new ConfigError("prepareImage options must be an object");
      }
      // `document` (as recognize's) tells the "legible" size rule which layout to measure text on.
      // Without it nothing is measured (1600 px): measured as the densest layout, a 登记证书 page, a
      // photo came out at 1506-1600 px, not worth the second decode the Rust codec needs for it
      // (+50 % of its time in Node and Workers; BENCHMARKS.md "Codec peers").
      const { signal, onProgress, document, ...rest } = options;
      checkLive(signal, onProgress);
      const step = () => {
        if (signal?.aborted) throw new AbortedError("prepareImage was cancelled by the caller's AbortSignal");
      };
      return await untilAborted(signal, step, async () => {
        step();
        const w = await wasm();
        const settings = w.prepareSettings(rest); // CONFIG errors before reading the image
        const input = await toBytesOrUrl(w, image);
        if (!(input instanceof Uint8Array) && !input.drawable) {
          throw new InvalidImageError("prepareImage needs the image itself (bytes, Blob, base64), not a URL");
        }
        step();
        callback(onProgress, { stage: "preparing" });
        const prepared = await prepareBytes(w, input, settings, document === undefined ? null : { document });
        step();
        callback(onProgress, { stage: "done", image: prepared });
        return prepared;
      });
    } catch (e) {
      if (e instanceof CallbackFailure) throw e.error;
      throw fromWasm(e);
    }
  }


  /** The photo quality report (issue 12): `{ verdict, reasons, messages, sharpness, …, elapsedMs }`. */
  async function assessImage(image, options = {}) {
    try {
      const started = now();
      const w = await wasm();
      const input = await toBytesOrUrl(w, image);
      if (!(input instanceof Uint8Array) && !input.drawable) {
        throw new InvalidImageError("assessImage needs the image itself (bytes, Blob, base64, a canvas or <video>), not a URL");
      }
      const report = await assessInput(await qualityWasm(), input, options, w.prepareSettings({}), w.checkImage);
      return { ...report, elapsedMs: Math.round((now() - started) * 10) / 10 };
    } catch (e) {
      throw fromWasm(e);
    }
  }

  /**
   * The quality gate of recognize(): null when off or for a URL; else the report, and for
   * "block" a PoorImageError when it says to retake the photo (before anything is sent).
   */
  async function gate(input, rest, settings) {
    if (settings.qualityGate === "off" || !(input instanceof Uint8Array || input.drawable)) return null;
    const started = now();
    const report = await assessInput(await qualityWasm(), input, { document: rest.document, thresholds: rest.qualityThresholds }, settings, (await wasm()).checkImage);
    const quality = { ...report, elapsedMs: Math.round((now() - started) * 10) / 10 };
    if (settings.qualityGate === "block" && quality.verdict === "retake") {
      throw new PoorImageError(`the photo should be retaken before it is sent: ${quality.messages.en.join("; ")} (reasons: ${quality.reasons.join(", ")}); nothing was sent`, { quality });
    }
    return quality;
  }

  /**
   * `recognize(image, { local })` (issue 14): the reading on the device, before any provider.
   * Returns `{ reading, elapsedMs }` (`reading`: `{ result, settled, fields }` from the local
   * module). The options were checked once, in Rust (`checked.local`, `checked.hasProvider`).
   */
  async function readOnDevice(input, local, document, signal) {
    if (!(input instanceof Uint8Array)) throw new InvalidImageError("local reading needs the image bytes (a Uint8Array, Blob or base64), not a URL or pixels");
    const started = now();
    begun.local = true; // configureWasm({ local }) is too late from here on
    // In a worker (Node: worker_threads; browsers: a module Web Worker): the event loop runs on.
    const reading = await readLocally(local, input, document, { signal, wasm: locations.local });
    return { reading, elapsedMs: Math.round(now() - started) };
  }

  /** `result.local` gets the reading's time (the rest of it was made in Rust). */
  const timed = (result, elapsedMs) => ({ ...result, local: { ...result.local, elapsedMs } });

  async function recognize(image, options) {
    let checked = null; // the parsed options, freed here unless recognizePrepared took them
    try {
      const { signal, fetch, onProgress, rest } = splitOptions(options);
      const progress = (event) => {
        try {
          onProgress?.(event);
        } catch (e) {
          throw new CallbackFailure(e);
        }
      };
      const w = await wasm();
      // Parsed once: `checked` goes on to recognizePrepared, which consumes it.
      checked = w.checkOptions(rest);
      const local = checked.local; // `{ models? }` or undefined
      if (local !== undefined && !readLocally) {
        throw new ConfigError("local reading (option `local`) runs in Node and in browsers (a Web Worker), not in this runtime");
      }
      const settings = checked.settings; // the `prepare` settings under the call's maxBase64Chars
      const { codec } = settings;
      const abortedNow = () => {
        if (signal?.aborted) throw new AbortedError("the call was cancelled by the caller's AbortSignal");
      };
      abortedNow();
      const input = await toBytesOrUrl(w, image);
      // The cascade: read on the device; pay the provider only when Rust says a key field is
      // not settled (and a provider is configured). The merge is made in Rust either way.
      let onDevice;
      if (local !== undefined) {
        onDevice = await readOnDevice(input, local, rest.document, signal);
        abortedNow(); // cancelled while reading on the device: nothing more is done, nothing paid
        // Rust decides on the call's key fields (`local.keyFields`) and marks the reading.
        if (checked.settle(onDevice.reading) || !checked.hasProvider) {
          return timed(w.localResult(onDevice.reading), onDevice.elapsedMs);
        }
      }
      let payload = input;
      let prepared = null;
      if (input.drawable && codec === "none") {
        throw new ConfigError("prepare.codec \"none\" sends bytes as they are, but this image is pixels (canvas, <img>, <video>…): use \"auto\"");
      }
      const quality = await gate(input, rest, settings);
      if (signal?.aborted) throw new AbortedError("the call was cancelled by the caller's AbortSignal");
      if ((input instanceof Uint8Array && codec !== "none") || input.drawable) {
        progress({ stage: "preparing" });
        // The gate's report sizes "legible" (qualityGate "off": no analysis, no estimate).
        prepared = await prepareBytes(w, input, withTextHeight(settings, quality?.textHeightPx));
        payload = prepared.bytes;
      }
      abortedNow(); // an abort during preparation sends nothing (the glue checks again before each send)
      progress({ stage: "recognizing", image: prepared });
      abortedNow();
      const handed = checked;
      checked = null; // recognizePrepared consumes it
      let result = await w.recognizePrepared(payload.url ?? payload, prepared?.base64, handed, signal, fetch, onDevice?.reading);
      if (onDevice) result = timed(result, onDevice.elapsedMs);
      return quality ? { ...result, quality } : result;
    } catch (e) {
      // The caller's own callback failed: that is their error, not a library error to reclassify.
      if (e instanceof CallbackFailure) throw e.error;
      throw fromWasm(e);
    } finally {
      checked?.free();
    }
  }

  async function crossCheck(documents) {
    try {
      return (await wasm()).crossCheck(documents);
    } catch (e) {
      throw fromWasm(e);
    }
  }

  const createClient = (defaults) => clientOf({ recognize, prepareImage, crossCheck, assessImage }, defaults);
  return { recognize, prepareImage, crossCheck, assessImage, configureWasm, createClient, ready: () => wasm().then(() => undefined) };
}
