// Turn any accepted image input into bytes (Uint8Array), a remote URL ({ url }) or, in browsers,
// a drawable ({ drawable }: ImageBitmap, canvas, OffscreenCanvas, <img>, <video> frame, VideoFrame).
// DOM classes are only looked up through feature detection (this file also runs in Node/workerd).
import { drawableSource, rememberSourceBlob } from "./browser-codec.js";
import { InvalidImageError } from "./errors.js";

const ACCEPTED =
  "image must be a Blob/File, ArrayBuffer, Uint8Array (or other typed array), a base64 string, a data URL, an http(s) URL, " +
  "or in a browser an ImageBitmap, canvas, OffscreenCanvas, loaded <img> or playing <video>";

/**
 * @returns {Promise<Uint8Array | { url: string } | { drawable: { source: object, width: number, height: number, kind: string } }>}
 */
export async function toBytesOrUrl(wasm, image) {
  if (typeof image === "string") return wasm.decodeTextImage(image);
  const drawable = drawableSource(image);
  if (drawable) return { drawable };
  if (image instanceof Uint8Array) return image;
  if (image instanceof ArrayBuffer) return new Uint8Array(image);
  if (ArrayBuffer.isView(image)) return new Uint8Array(image.buffer, image.byteOffset, image.byteLength);
  if (image && typeof image === "object" && typeof image.arrayBuffer === "function") {
    // Blob / File (and Response-like objects).
    let buf;
    try {
      buf = await image.arrayBuffer();
    } catch {
      throw new InvalidImageError("the image file could not be read (was it removed or is it still downloading?)");
    }
    const bytes = new Uint8Array(buf);
    // The browser codec decodes from the caller's Blob itself instead of copying the bytes back.
    if (typeof globalThis.Blob === "function" && image instanceof globalThis.Blob) rememberSourceBlob(bytes, image);
    return bytes;
  }
  throw new InvalidImageError(ACCEPTED);
}
