// Turn any accepted image input into bytes (Uint8Array), a remote URL ({ url }) or, in browsers,
// a drawable ({ drawable }: ImageBitmap, canvas, OffscreenCanvas, <img>, <video> frame, VideoFrame).
// DOM classes are only looked up through feature detection (this file also runs in Node/workerd).
import { drawableSource, rememberSourceBlob } from "./browser-codec.js";
import { InvalidImageError, VehicleDocOcrError } from "./errors.js";

const ACCEPTED =
  "image must be a Blob/File, ArrayBuffer, Uint8Array (or other typed array), a base64 string, a data URL, an http(s) URL, " +
  "or in a browser an ImageBitmap, canvas, OffscreenCanvas, loaded <img> or playing <video>";

/**
 * @returns {Promise<Uint8Array | { url: string } | { drawable: { source: object, width: number, height: number, kind: string } }>}
 */
export async function toBytesOrUrl(wasm, image) {
  if (typeof image === "string") return wasm.decodeTextImage(image);
  let out;
  try {
    out = readInput(image);
  } catch (e) {
    if (e instanceof VehicleDocOcrError) throw e;
    // A throwing Proxy or getter, a detached buffer: the input cannot be read.
    throw new InvalidImageError("the image could not be read (a detached or transferred buffer, or an object that throws)");
  }
  return out;
}

const DETACHED = "the image's ArrayBuffer was transferred or detached (e.g. postMessage with transfer): pass a copy";

/** Whether a buffer was transferred away (`detached` where the engine has it; Node 20 has not). */
function isDetached(buf) {
  if (typeof buf.detached === "boolean") return buf.detached;
  try {
    new Uint8Array(buf, 0, 0); // throws on a detached buffer, copies nothing
    return false;
  } catch {
    return true;
  }
}

/** Bytes, a drawable, or a Promise of the bytes of a Blob. Throws on anything else. */
function readInput(image) {
  const drawable = drawableSource(image);
  if (drawable) return { drawable };
  if (image instanceof ArrayBuffer) {
    if (isDetached(image)) throw new InvalidImageError(DETACHED);
    return new Uint8Array(image);
  }
  if (ArrayBuffer.isView(image)) {
    if (isDetached(image.buffer)) throw new InvalidImageError(DETACHED);
    return image instanceof Uint8Array ? image : new Uint8Array(image.buffer, image.byteOffset, image.byteLength);
  }
  if (image && typeof image === "object" && typeof image.arrayBuffer === "function") return readBlob(image);
  throw new InvalidImageError(ACCEPTED);
}

/** Blob / File (and Response-like objects). */
async function readBlob(image) {
  let buf;
  try {
    buf = await image.arrayBuffer();
  } catch {
    throw new InvalidImageError("the image file could not be read (was it removed or is it still downloading?)");
  }
  if (!buf || typeof buf !== "object" || isDetached(buf)) throw new InvalidImageError(DETACHED);
  const bytes = new Uint8Array(buf);
  // The browser codec decodes from the caller's Blob itself instead of copying the bytes back.
  if (typeof globalThis.Blob === "function" && image instanceof globalThis.Blob) rememberSourceBlob(bytes, image);
  return bytes;
}
