// Turn any accepted image input into bytes (Uint8Array) or a remote URL ({ url }).
import { InvalidImageError } from "./errors.js";

const ACCEPTED =
  "image must be a Blob/File, ArrayBuffer, Uint8Array (or other typed array), a base64 string, a data URL or an http(s) URL";

/** @returns {Promise<Uint8Array | { url: string }>} */
export async function toBytesOrUrl(wasm, image) {
  if (typeof image === "string") return wasm.decodeTextImage(image);
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
    return new Uint8Array(buf);
  }
  throw new InvalidImageError(ACCEPTED);
}
