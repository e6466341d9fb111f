// In-page variants for bench/ab.mjs (dev tool). Each returns { ms, ...info }.
import * as cur from "/npm/src/browser.js";
import * as base from "/__base/npm/src/browser.js";
import { contestants } from "/bench/page.js";

const now = () => performance.now();
const files = new Map();
async function file(name) {
  if (!files.has(name)) {
    const buf = await (await fetch(`/__src/${name}`)).arrayBuffer();
    files.set(name, new File([buf], `${name}.jpg`, { type: "image/jpeg" }));
  }
  return files.get(name);
}
const UPRIGHT = { exif12: [3000, 4000] };
async function dims(f) {
  const b = await createImageBitmap(f, { imageOrientation: "from-image" });
  const d = [b.width, b.height];
  b.close();
  return d;
}
const dimCache = new Map();

const prep = (mod) => async (f) => {
  const t = now();
  const p = await mod.prepareImage(f, { codec: "browser", maxBase64Chars: 1_000_000 });
  return { ms: now() - t, b64: p.base64Length, q: p.quality, enc: p.encodes, w: p.width, h: p.height };
};

function canvas(w, h) {
  const c = new OffscreenCanvas(w, h);
  const g = c.getContext("2d", { alpha: false });
  g.imageSmoothingEnabled = true;
  g.imageSmoothingQuality = "high";
  return [c, g];
}
function sig(g, w, h) {
  // a tiny pixel signature to compare outputs across routes
  const d = g.getImageData(Math.floor(w / 3), Math.floor(h / 3), 1, 1).data;
  return [d[0], d[1], d[2]].join(",");
}

export const variants = {
  base: prep(base),
  cur: prep(cur),
  bic: (f) => contestants.bic(f),
  native: async (f, name) => contestants.native(f, dimCache.get(name)),
  /** decode only, full size */
  cibFull: async (f) => {
    const t = now();
    const b = await createImageBitmap(f, { imageOrientation: "from-image" });
    const ms = now() - t;
    const r = { ms, w: b.width, h: b.height };
    b.close();
    return r;
  },
  /** the current 1/2 route: full decode, one 2:1 low-quality draw */
  cibBox: async (f, name) => {
    const [W, H] = dimCache.get(name);
    const t = now();
    const b = await createImageBitmap(f, { imageOrientation: "from-image" });
    const [c, g] = canvas(W / 2, H / 2);
    g.imageSmoothingQuality = "low";
    g.drawImage(b, 0, 0, W / 2, H / 2);
    b.close();
    const s = sig(g, W / 2, H / 2);
    return { ms: now() - t, w: c.width, h: c.height, s };
  },
  /** WebCodecs ImageDecoder at the DCT size */
  idec2: (f, name) => idec(f, name, 2),
  idec4: (f, name) => idec(f, name, 4),
  idec1: (f, name) => idec(f, name, 1),
  idec2draw: (f, name) => idec(f, name, 2, true),
  idec4draw: (f, name) => idec(f, name, 4, true),
  img2: (f, name) => img(f, name, 2),
  idecBuf: (f, name) => idecX(f, name, 2, "buf", "draw"),
  idecStream: (f, name) => idecX(f, name, 2, "stream", "draw"),
  idecCib: (f, name) => idecX(f, name, 2, "stream", "cib"),
  idecCopy: (f, name) => idecX(f, name, 2, "stream", "copy"),
  idecNone: (f, name) => idecX(f, name, 2, "stream", "none"),
  img4: (f, name) => img(f, name, 4),
};
async function idec(f, name, s, draw = false) {
  const [W, H] = dimCache.get(name);
  const t = now();
  const dec = new ImageDecoder({
    data: f.stream(), type: "image/jpeg", desiredWidth: Math.ceil(W / s), desiredHeight: Math.ceil(H / s),
    colorSpaceConversion: "default", preferAnimation: false,
  });
  const { image } = await dec.decode({ frameIndex: 0, completeFramesOnly: true });
  const t1 = now();
  const r = { dec: +(t1 - t).toFixed(1), cw: image.codedWidth, ch: image.codedHeight, dw: image.displayWidth, dh: image.displayHeight, fmt: image.format };
  if (draw) {
    const [c, g] = canvas(Math.ceil(W / s), Math.ceil(H / s));
    g.drawImage(image, 0, 0, c.width, c.height);
    r.s = sig(g, c.width, c.height);
  }
  image.close();
  dec.close();
  return { ms: now() - t, ...r };
}
async function img(f, name, s) {
  const [W, H] = dimCache.get(name);
  const t = now();
  const url = URL.createObjectURL(f);
  const el = new Image();
  el.decoding = "async";
  await new Promise((ok, fail) => { el.onload = ok; el.onerror = fail; el.src = url; });
  const t1 = now();
  const [c, g] = canvas(Math.ceil(W / s), Math.ceil(H / s));
  g.drawImage(el, 0, 0, c.width, c.height);
  const sg = sig(g, c.width, c.height);
  URL.revokeObjectURL(url);
  el.src = "";
  return { ms: now() - t, load: +(t1 - t).toFixed(1), s: sg };
}

export async function run(name, v) {
  const f = await file(name);
  if (!dimCache.has(name)) dimCache.set(name, await dims(f));
  globalThis.gc?.();
  return variants[v](f, name);
}

const bufs = new Map();
async function idecX(f, name, s, src, how) {
  const [W, H] = dimCache.get(name);
  if (!bufs.has(name)) bufs.set(name, new Uint8Array(await f.arrayBuffer()));
  const t = now();
  const dec = new ImageDecoder({
    data: src === "buf" ? bufs.get(name) : f.stream(), type: "image/jpeg", desiredWidth: Math.ceil(W / s), desiredHeight: Math.ceil(H / s),
  });
  const { image } = await dec.decode();
  const t1 = now();
  const w = image.displayWidth, h = image.displayHeight;
  const [c, g] = canvas(w, h);
  if (how === "draw") g.drawImage(image, 0, 0, w, h);
  else if (how === "cib") {
    const b = await createImageBitmap(image);
    g.drawImage(b, 0, 0);
    b.close();
  } else if (how === "copy") {
    const id = new ImageData(image.codedWidth, image.codedHeight);
    await image.copyTo(id.data, { format: "RGBA" });
    g.putImageData(id, 0, 0);
  }
  const t2 = now();
  image.close();
  dec.close();
  const r = { dec: +(t1 - t).toFixed(1), draw: +(t2 - t1).toFixed(1) };
  if (how !== "none") r.s = sig(g, w, h);
  return { ms: now() - t, ...r };
}
