// The public types in a project without the DOM lib (`lib: ["es2022"]`; a Node or Worker project):
// `tsc -p tests/types/tsconfig.nodom.json` (no @types at all) and tsconfig.node.json (@types/node,
// skipLibCheck as tsc's default). No browser class may be named, and nothing may collapse to `any`.
import { configureWasm, createClient, prepareImage, recognize, type ImageInput } from "vehicle-doc-ocr";

type IsAny<T> = 0 extends 1 & T ? true : false;
const assertType = <T extends true>(_: T) => {};
assertType<IsAny<ImageInput> extends false ? true : false>(true);

export async function noDom(bytes: Uint8Array, buffer: ArrayBuffer) {
  // @ts-expect-error: a number is not an image
  await prepareImage(123);
  // @ts-expect-error: nor is a plain object
  await prepareImage({ width: 1 });
  const p = await prepareImage(bytes, { maxLongSidePx: 1024, onProgress: (e) => void e.stage });
  const sent: Uint8Array = p.bytes;
  await recognize(buffer, { document: "vehicleLicenseBack", apihz: { id: "1", key: "k" }, prepare: { codec: "wasm" } });
  await recognize("https://example.com/a.jpg", { document: "vehicleLicenseFront", proxyUrl: "https://x.example" });

  configureWasm({ main: bytes, codec: "https://cdn.example/vehicle_doc_ocr_image_bg.wasm" });
  // @ts-expect-error: not a wasm location
  configureWasm({ main: 42 });

  const client = createClient({ proxyUrl: "https://x.example", timeoutMs: 15_000 });
  const back = await client.recognize(bytes, { document: "vehicleLicenseBack" });
  const seats: number | null = back.approvedPassengers;
  // @ts-expect-error: the document is chosen per call
  createClient({ document: "vehicleLicenseFront" });
  return [sent, seats];
}
