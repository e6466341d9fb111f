// `vehicle-doc-ocr/worker`: the entry of the Cloudflare Worker shim (worker/src/index.js is the
// reference Worker; docs/SHIM.md describes the HTTP API). Every decision is made in Rust
// (crates/shim) in a wasm module of its own that no browser loads.
import type { DocumentKind, RecognizeOptions } from "./index.js";

export { ready } from "./index.js";
/** `recognize()` of the workerd entry, re-encoding when needed unless `prepare.codec` says otherwise (the shim's options say "none" unless `PREPARE_IN_WORKER=1`). */
export { recognize } from "./index.js";

/** What the shim decides on: the request's method, URL and header values as received (or null). */
export interface ShimRequest {
  method: string;
  /** The full request URL. */
  url: string;
  origin: string | null;
  authorization: string | null;
  contentType: string | null;
  contentLength: string | null;
  /** `CF-Connecting-IP`: the rate-limit key. */
  clientIp: string | null;
}

/** JSON data (the body of an answer, the `recognize()` options). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A complete HTTP answer: send `JSON.stringify(body)` (no body when null). */
export interface ShimAnswer {
  status: number;
  headers: Array<[string, string]>;
  body: JsonValue | null;
  /** Read and discard up to this many bytes of the unread request body before answering (0: don't). */
  drainBytes: number;
}

export type ShimDecision =
  | ({ action: "respond" } & ShimAnswer)
  | {
      action: "forward";
      document: DocumentKind;
      /** Read at most this many body bytes; more is `reject(req, "tooLarge")`. */
      capBytes: number;
      /** Whether `recognize()` may re-encode the image in the Worker (`PREPARE_IN_WORKER=1`). */
      prepareInWorker: boolean;
      /** Key for `env.RATE_LIMITER.limit({ key })`. */
      rateLimitKey: string;
      /** Headers of the success answer (CORS included). */
      headers: Array<[string, string]>;
      /** The `recognize()` options, keys included: never log them. */
      options: RecognizeOptions;
    };

/** The shim configured from one `env` (see {@link shimFor}). */
export interface Shim {
  /** The configuration problems by variable name (never values), or null when valid. */
  configProblems(): string | null;
  /** What to do with a request before its body is read. */
  decide(req: ShimRequest): ShimDecision;
  /** After reading the body: null if it may be sent, else the answer (its magic bytes and whole structure are checked). */
  checkBody(req: ShimRequest, body: Uint8Array): ShimAnswer | null;
  /** The answer to a refusal the Worker detected itself. */
  reject(req: ShimRequest, reason: "rateLimited" | "tooLarge"): ShimAnswer;
  /** The answer for whatever `recognize()` rejected with (unknown errors: a generic 502). */
  errorResponse(req: ShimRequest, error: unknown): ShimAnswer;
}

/**
 * The shim configured from the Worker's `env` (its string variables: docs/SHIM.md), built once per
 * `env` object, i.e. once per isolate. A bad configuration does not throw: every request is then
 * refused with `500 CONFIG` and `configProblems()` says which variable.
 */
export function shimFor(env: object): Shim;
