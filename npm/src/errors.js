// Error classes of vehicle-doc-ocr. Every rejection of the package is one of these.
// The codes and class names are mirrored from crates/core/src/error.rs (ErrorCode::as_str /
// class_name); tests/node/errors.test.mjs checks the two lists agree.

export class VehicleDocOcrError extends Error {
  /**
   * @param {string} message
   * @param {{ code?: string, retryable?: boolean, provider?: string|null,
   *           providerCode?: string|null, providerMessage?: string|null, cause?: unknown }} [fields]
   */
  constructor(message, fields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = new.target.name;
    /** @type {string} */
    this.code = fields.code ?? new.target.code ?? "PROVIDER_ERROR";
    /** @type {boolean} */
    this.retryable = fields.retryable ?? false;
    /** @type {string|null} */
    this.provider = fields.provider ?? null;
    /** @type {string|null} */
    this.providerCode = fields.providerCode ?? null;
    /** @type {string|null} */
    this.providerMessage = fields.providerMessage ?? null;
  }
}

const define = (name, code, parent = VehicleDocOcrError) => {
  const cls = { [name]: class extends parent {} }[name];
  if (code !== undefined) Object.defineProperty(cls, "code", { value: code });
  return cls;
};

// The tree (as openai-node's APIConnectionError ⊃ APIConnectionTimeoutError): `instanceof` reads
// naturally; `code` stays the contract.
export const ConfigError = define("ConfigError", "CONFIG");
export const InvalidImageError = define("InvalidImageError", "INVALID_IMAGE");
export const UnsupportedFormatError = define("UnsupportedFormatError", "UNSUPPORTED_FORMAT");
export const ImageTooLargeError = define("ImageTooLargeError", "IMAGE_TOO_LARGE");
/** The photo's quality report says to retake it (`qualityGate: "block"`); nothing was sent. `reasons`, `quality`: the report. */
export class PoorImageError extends VehicleDocOcrError {
  static code = "POOR_IMAGE";
  constructor(message, fields = {}) {
    super(message, { retryable: false, ...fields });
    /** @type {string[]} */
    this.reasons = fields.quality?.reasons ?? fields.reasons ?? [];
    /** @type {object|null} */
    this.quality = fields.quality ?? null;
  }
}
/** The provider answered and refused this call (key, balance, rate, unreadable document). No code of its own. */
export const ProviderRefusedError = define("ProviderRefusedError");
export const AuthError = define("AuthError", "AUTH", ProviderRefusedError);
export const QuotaError = define("QuotaError", "QUOTA", ProviderRefusedError);
export const RateLimitedError = define("RateLimitedError", "RATE_LIMITED", ProviderRefusedError);
export const RecognitionFailedError = define("RecognitionFailedError", "RECOGNITION_FAILED", ProviderRefusedError);
export const ProviderError = define("ProviderError", "PROVIDER_ERROR");
export const NetworkError = define("NetworkError", "NETWORK");
/** `timeoutMs` elapsed: a NetworkError (no answer in time). */
export const TimeoutError = define("TimeoutError", "TIMEOUT", NetworkError);
export const AbortedError = define("AbortedError", "ABORTED");

/** code -> class */
export const errorClasses = Object.freeze(
  Object.fromEntries(
    [
      ConfigError, InvalidImageError, UnsupportedFormatError, ImageTooLargeError, PoorImageError, AuthError, QuotaError,
      RateLimitedError, RecognitionFailedError, ProviderError, NetworkError, TimeoutError, AbortedError,
    ].map((c) => [c.code, c]),
  ),
);
