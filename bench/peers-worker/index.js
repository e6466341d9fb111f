// The Worker that bench/peers.mjs runs in workerd: one contestant per request, the photo as the
// body; answers the output's size. Timed from outside (workerd's clocks do not advance during
// compute). Bundled by `wrangler deploy --dry-run` (wrangler.toml next to this file).
import { PhotonImage, SamplingFilter, resize as photonResize } from "@cf-wasm/photon/workerd";
import decode, { init as initDecode } from "@jsquash/jpeg/decode.js";
import encode, { init as initEncode } from "@jsquash/jpeg/encode.js";
import squooshResize, { initResize } from "@jsquash/resize";
import decWasm from "../../node_modules/@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm";
import encWasm from "../../node_modules/@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm";
import resizeWasm from "../../node_modules/@jsquash/resize/lib/resize/pkg/squoosh_resize_bg.wasm";
import { prepareImage } from "vehicle-doc-ocr";

globalThis.ImageData ??= class ImageData {
  constructor(data, width, height) {
    Object.assign(this, { data, width, height });
  }
};
let jsquashReady = null;

const CONTESTANTS = {
  ours: async (bytes) => {
    const p = await prepareImage(bytes, { codec: "wasm" });
    return { bytes: p.bytes.length, width: p.width, height: p.height, quality: p.quality };
  },
  photon: async (bytes, { width, height, quality }) => {
    const img = PhotonImage.new_from_byteslice(bytes);
    const small = photonResize(img, width, height, SamplingFilter.CatmullRom);
    img.free();
    const out = small.get_bytes_jpeg(quality);
    small.free();
    return { bytes: out.length, width, height, quality };
  },
  jsquash: async (bytes, { width, height, quality }) => {
    jsquashReady ??= Promise.all([initDecode(decWasm), initEncode(encWasm), initResize(resizeWasm)]);
    await jsquashReady;
    const small = await squooshResize(await decode(bytes), { width, height, method: "catrom", fitMethod: "stretch" });
    return { bytes: (await encode(small, { quality })).byteLength, width, height, quality };
  },
};

export default {
  async fetch(request) {
    const u = new URL(request.url);
    const run = CONTESTANTS[u.searchParams.get("c")];
    if (!run) return new Response("unknown contestant", { status: 404 });
    const n = (k) => Number(u.searchParams.get(k));
    try {
      const out = await run(new Uint8Array(await request.arrayBuffer()), { width: n("w"), height: n("h"), quality: n("q") });
      return Response.json(out);
    } catch (e) {
      return new Response(String(e?.message ?? e), { status: 500 });
    }
  },
};
