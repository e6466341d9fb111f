// The user-facing scenario in Chromium, the same for every way of loading the package (Vite,
// webpack, native ES modules, esbuild): lazy .wasm fetches, both codecs, recognize() through an
// endpoint answering like the Worker shim, typed errors.
import assert from "node:assert/strict";
import { deadUrl, fetched, openApp } from "./support.mjs";

const FRONT_VIN = "LSVCY6C49MN027789"; // fixtures/providers/sim-apihz-front.json

/** The user-facing scenario, the same for every way of loading the package. */
export async function scenario(pageUrl, { outputs, shimUrl, shimCalls }) {
  assert.equal(outputs.main.length >= 1, true, "the main .wasm is in the output");
  assert.equal(outputs.codec.length >= 1, true, "the image-codec .wasm is in the output");
  assert.deepEqual(outputs.other, [], "no other (altered) .wasm in the output");
  const dead = await deadUrl();
  const b = await openApp(pageUrl);
  try {
    const { page, wasmRequests } = b;
    assert.deepEqual(wasmRequests, [], "no .wasm is fetched before the first call");

    // A generated PNG: the browser codec (auto) re-encodes it as JPEG.
    await page.evaluate(async () => {
      const c = new OffscreenCanvas(1200, 900);
      const g = c.getContext("2d");
      const grad = g.createLinearGradient(0, 0, 1200, 900);
      grad.addColorStop(0, "#2a6"); grad.addColorStop(1, "#fc3");
      g.fillStyle = grad; g.fillRect(0, 0, 1200, 900);
      g.fillStyle = "#123"; g.fillRect(100, 100, 400, 120); g.fillRect(600, 500, 300, 200);
      window.png = await c.convertToBlob({ type: "image/png" });
    });
    const auto = await page.evaluate(async () => {
      const p = await window.vdo.prepareImage(window.png);
      // The Blob a page previews or uploads: an <img> shows it at the prepared size.
      const img = new Image();
      img.src = URL.createObjectURL(p.blob);
      await img.decode();
      URL.revokeObjectURL(img.src);
      return { codec: p.codec, mimeType: p.mimeType, width: p.width, height: p.height, sourceFormat: p.sourceFormat,
        jpeg: p.bytes[0] === 0xff && p.bytes[1] === 0xd8, base64Length: p.base64Length,
        blob: { isBlob: p.blob instanceof Blob, type: p.blob.type, sameSize: p.blob.size === p.byteLength, shown: [img.naturalWidth, img.naturalHeight] } };
    });
    assert.deepEqual(
      { ...auto, base64Length: auto.base64Length > 0 },
      { codec: "browser", mimeType: "image/jpeg", width: 1200, height: 900, sourceFormat: "png", jpeg: true, base64Length: true,
        blob: { isBlob: true, type: "image/jpeg", sameSize: true, shown: [1200, 900] } },
    );
    assert.equal(fetched(wasmRequests, outputs.main), 1, "the main .wasm is fetched once, on first use");
    assert.equal(fetched(wasmRequests, outputs.codec), 0, "the codec .wasm is not fetched for the browser codec");

    const result = await page.evaluate(async (proxyUrl) => {
      const r = await window.vdo.recognize(window.png, { document: "vehicleLicenseFront", proxyUrl });
      return { document: r.document, provider: r.provider, vin: r.vin, registerDate: r.registerDate, valid: r.valid };
    }, `${shimUrl}/shim`);
    assert.deepEqual(result, {
      document: "vehicleLicenseFront", provider: "apihz", vin: FRONT_VIN, registerDate: "2021-06-18", valid: true,
    });
    assert.equal(shimCalls.length, 1);
    assert.equal(shimCalls[0].document, "vehicleLicenseFront");
    assert.equal(shimCalls[0].contentType, "image/jpeg");
    assert.deepEqual([...shimCalls[0].body.subarray(0, 2)], [0xff, 0xd8], "the prepared JPEG is sent, not the PNG");

    const errors = await page.evaluate(async ({ proxyUrl, dead }) => {
      const { vdo } = window;
      const describe = async (p) => {
        try {
          await p;
          return "resolved";
        } catch (e) {
          return { config: e instanceof vdo.ConfigError, network: e instanceof vdo.NetworkError,
            base: e instanceof vdo.VehicleDocOcrError && e instanceof Error, code: e.code, message: e.message };
        }
      };
      return {
        unknownOption: await describe(vdo.recognize(window.png, { document: "vehicleLicenseFront", proxyUrl, colour: "red" })),
        badDocument: await describe(vdo.recognize(window.png, { document: "passport", proxyUrl })),
        badCodec: await describe(vdo.prepareImage(window.png, { codec: "gif" })),
        unreachable: await describe(vdo.recognize(window.png, { document: "vehicleLicenseFront", proxyUrl: dead })),
      };
    }, { proxyUrl: `${shimUrl}/shim`, dead });
    for (const k of ["unknownOption", "badDocument", "badCodec"]) {
      assert.equal(errors[k].config, true, `${k}: ConfigError (${JSON.stringify(errors[k])})`);
      assert.equal(errors[k].base, true, k);
      assert.equal(errors[k].code, "CONFIG", k);
    }
    assert.match(errors.unknownOption.message, /colour/);
    assert.equal(errors.unreachable.network, true, `unreachable proxy: NetworkError (${JSON.stringify(errors.unreachable)})`);
    assert.equal(errors.unreachable.code, "NETWORK");
    assert.equal(shimCalls.length, 1, "no request for a ConfigError");
    assert.equal(fetched(wasmRequests, outputs.codec), 0, "still no codec .wasm");

    // codec "wasm" forces the second, lazily loaded module.
    const forced = await page.evaluate(async () => {
      const p = await window.vdo.prepareImage(window.png, { codec: "wasm" });
      return { codec: p.codec, width: p.width, height: p.height, jpeg: p.bytes[0] === 0xff && p.bytes[1] === 0xd8 };
    });
    assert.deepEqual(forced, { codec: "wasm", width: 1200, height: 900, jpeg: true });
    assert.equal(fetched(wasmRequests, outputs.codec), 1, "the codec .wasm is fetched once codec \"wasm\" is used");
    assert.equal(fetched(wasmRequests, outputs.main), 1, "the main .wasm is fetched once in all");
    // recognize()'s quality gate ("warn" by default) loads the quality report's module once.
    assert.equal(fetched(wasmRequests, outputs.quality), 1, "the quality .wasm is fetched once");
    assert.equal(wasmRequests.length, 3, `only the three page modules: ${wasmRequests.join(", ")}`);
    assert.deepEqual(b.errors, [], "no uncaught page error");
  } finally {
    await b.close();
  }
}
