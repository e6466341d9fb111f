// Tiny real images for tests (decodable by ordinary decoders), with optional simulator markers.
// Markers: "SIM:UNREADABLE" (provider says recognition failed), "SIM:DOC-EXAMPLE" (provider
// answers with the doc example verbatim). They go into a JPEG COM segment, so the image still decodes.

/** 16×16 red baseline JPEG (632 bytes). */
const JPEG_HEX =
  "ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318281a181616183123251d283a333d3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c656763ffdb0043011112121815182f1a1a2f634238426363636363636363636363636363636363636363636363636363636363636363636363636363636363636363636363636363ffc00011080010001003012200021101031101ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffc4001f0100030101010101010101010000000000000102030405060708090a0bffc400b51100020102040403040705040400010277000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a636465666768696a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9faffda000c03010002110311003f00c7a28a2b84fa83ffd9";
/** 1×1 black PNG. */
const PNG_HEX =
  "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154789c63606060000000040001f61738550000000049454e44ae426082";

export const MARKER_UNREADABLE = "SIM:UNREADABLE";
export const MARKER_DOC_EXAMPLE = "SIM:DOC-EXAMPLE";

/**
 * A copy of a JPEG with a COM segment holding `text` right after SOI: how every test puts a
 * simulator marker into a real photo (the image still decodes).
 */
export function withComment(jpeg, text) {
  const payload = Buffer.from(String(text), "latin1");
  const seg = Buffer.from([0xff, 0xfe, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]);
  const bytes = Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  return Buffer.concat([bytes.subarray(0, 2), seg, payload, bytes.subarray(2)]);
}

/**
 * A decodable JPEG. `marker`: ASCII text put into a COM segment right after SOI.
 * `totalBytes`: pad with zero bytes after EOI (decoders ignore trailing data) up to this size.
 */
export function sampleJpeg({ marker, totalBytes } = {}) {
  let jpeg = Buffer.from(JPEG_HEX, "hex");
  if (marker !== undefined) jpeg = withComment(jpeg, marker);
  if (totalBytes !== undefined) {
    if (totalBytes < jpeg.length) throw new RangeError("totalBytes smaller than the image");
    jpeg = Buffer.concat([jpeg, Buffer.alloc(totalBytes - jpeg.length)]);
  }
  return jpeg;
}

export function samplePng() {
  return Buffer.from(PNG_HEX, "hex");
}

/** Base64 of a decodable JPEG whose base64 text is exactly `chars` long (chars % 4 === 0). */
export function jpegBase64OfLength(chars, marker) {
  if (chars % 4 !== 0) throw new RangeError("chars must be a multiple of 4");
  const s = sampleJpeg({ marker, totalBytes: (chars / 4) * 3 }).toString("base64");
  if (s.length !== chars) throw new Error("internal: length mismatch");
  return s;
}
