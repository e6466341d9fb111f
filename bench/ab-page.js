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
  idecBuf4: (f, name) => idecX(f, name, 4, "buf", "cib"),
  idecStream4: (f, name) => idecX(f, name, 4, "stream", "cib"),
  idecBlobStream4: (f, name) => idecX(f, name, 4, "blobstream", "cib"),
  idecTransfer4: (f, name) => idecX(f, name, 4, "transfer", "cib"),
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
  const tbuf = src === "transfer" ? bufs.get(name).slice() : null;
  const t = now();
  const dec = new ImageDecoder({
    data: src === "buf" ? bufs.get(name) : src === "transfer" ? tbuf : src === "blobstream" ? new Blob([bufs.get(name)]).stream() : f.stream(), type: "image/jpeg", desiredWidth: Math.ceil(W / s), desiredHeight: Math.ceil(H / s),
    ...(src === "transfer" ? { transfer: [tbuf.buffer] } : {}),
  });
  const tc = now() - t;
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
  const r = { ctor: +tc.toFixed(1), dec: +(t1 - t).toFixed(1), draw: +(t2 - t1).toFixed(1) };
  if (how !== "none") r.s = sig(g, w, h);
  return { ms: now() - t, ...r };
}

/** phase timings via the temporary globalThis.__ph hook */
variants.phases = async (f) => {
  const marks = [];
  const t = now();
  globalThis.__ph = (n) => marks.push([n, +(now() - t).toFixed(1)]);
  await cur.prepareImage(f, { codec: "browser", maxBase64Chars: 1_000_000 });
  const ms = now() - t;
  globalThis.__ph = null;
  return { ms, marks: marks.map(([n, v]) => `${n}@${v}`).join(" ") };
};

/** post-decode pieces on a decoded bitmap at the DCT size */
const bitmaps = new Map();
async function dctBitmap(f, name, s) {
  const key = name + s;
  if (!bitmaps.has(key)) {
    const [W, H] = dimCache.get(name);
    const dec = new ImageDecoder({ data: new Uint8Array(await f.arrayBuffer()), type: "image/jpeg", desiredWidth: Math.ceil(W / s), desiredHeight: Math.ceil(H / s) });
    const { image } = await dec.decode();
    bitmaps.set(key, await createImageBitmap(image));
    image.close();
    dec.close();
  }
  return bitmaps.get(key);
}
const Q = { page48: 0.77, card48: 0.91, card12: 0.87, page12: 0.73 };
variants.post2d = async (f, name) => {
  const src = await dctBitmap(f, name, name.endsWith("48") ? 4 : 2);
  const bm = await createImageBitmap(src); // fresh copy like a decode result
  const t = now();
  const [c, g] = canvas(bm.width, bm.height);
  g.drawImage(bm, 0, 0);
  bm.close();
  const t1 = now();
  const blob = await c.convertToBlob({ type: "image/jpeg", quality: Q[name] });
  const t2 = now();
  await blob.arrayBuffer();
  return { ms: now() - t, draw: +(t1 - t).toFixed(1), enc: +(t2 - t1).toFixed(1), size: blob.size };
};
variants.postBr = async (f, name) => {
  const src = await dctBitmap(f, name, name.endsWith("48") ? 4 : 2);
  const bm = await createImageBitmap(src);
  const t = now();
  const c = new OffscreenCanvas(bm.width, bm.height);
  c.getContext("bitmaprenderer").transferFromImageBitmap(bm);
  const t1 = now();
  const blob = await c.convertToBlob({ type: "image/jpeg", quality: Q[name] });
  const t2 = now();
  await blob.arrayBuffer();
  return { ms: now() - t, draw: +(t1 - t).toFixed(1), enc: +(t2 - t1).toFixed(1), size: blob.size };
};
variants.postEl = async (f, name) => {
  const src = await dctBitmap(f, name, name.endsWith("48") ? 4 : 2);
  const bm = await createImageBitmap(src);
  const t = now();
  const c = document.createElement("canvas");
  c.width = bm.width; c.height = bm.height;
  const g = c.getContext("2d", { alpha: false });
  g.drawImage(bm, 0, 0);
  bm.close();
  const t1 = now();
  const blob = await new Promise((ok) => c.toBlob(ok, "image/jpeg", Q[name]));
  const t2 = now();
  await blob.arrayBuffer();
  return { ms: now() - t, draw: +(t1 - t).toFixed(1), enc: +(t2 - t1).toFixed(1), size: blob.size };
};

variants.probeParts = async (f, name) => {
  const src = await dctBitmap(f, name, name.endsWith("48") ? 4 : 2);
  const { width, height } = src;
  const t = now();
  const bands = Math.floor(height / 16);
  const segW = Math.ceil((width / 8) / 16) * 16;
  const [sample, ctx] = canvas(segW, bands * 16);
  ctx.imageSmoothingEnabled = false;
  for (let i = 0; i < bands; i++) {
    const x = Math.floor(((i * 0.6180339887498949) % 1) * width);
    const y = i * 16;
    const first = Math.min(segW, width - x);
    ctx.drawImage(src, x, y, first, 16, 0, y, first, 16);
    if (first < segW) ctx.drawImage(src, 0, y, segW - first, 16, first, y, segW - first, 16);
  }
  const t1 = now();
  const b1 = await sample.convertToBlob({ type: "image/jpeg", quality: 0.87 });
  const t2 = now();
  const b2 = await sample.convertToBlob({ type: "image/jpeg", quality: 0.80 });
  const t3 = now();
  return { ms: t3 - t, draw: +(t1 - t).toFixed(1), e1: +(t2 - t1).toFixed(1), e2: +(t3 - t2).toFixed(1), sizes: [b1.size, b2.size] };
};
variants.curT = async (f) => {
  globalThis.__transfer = true;
  try {
    return await prep(cur)(f);
  } finally {
    globalThis.__transfer = false;
  }
};

/** sample-probe accuracy at several sample fractions (1 = full) for a few qualities */
variants.sampleAcc = async (f, name) => {
  const src = await dctBitmap(f, name, name.endsWith("48") ? 4 : 2);
  const [full, g0] = canvas(src.width, src.height);
  g0.drawImage(src, 0, 0);
  const { width, height } = full;
  const out = {};
  for (const q of [70, 78, 86, 92]) {
    const actual = (await full.convertToBlob({ type: "image/jpeg", quality: q / 100 })).size;
    const row = [];
    for (const frac of [1 / 8, 1 / 12, 1 / 16, 1 / 24]) {
      const bands = Math.floor(height / 16);
      const segW = Math.min(width, Math.max(64, Math.ceil((width * frac) / 16) * 16));
      const [sample, ctx] = canvas(segW, bands * 16);
      ctx.imageSmoothingEnabled = false;
      for (let i = 0; i < bands; i++) {
        const x = Math.floor(((i * 0.6180339887498949) % 1) * width);
        const y = i * 16;
        const first = Math.min(segW, width - x);
        ctx.drawImage(full, x, y, first, 16, 0, y, first, 16);
        if (first < segW) ctx.drawImage(full, 0, y, segW - first, 16, first, y, segW - first, 16);
      }
      const ratio = (width * height) / (segW * bands * 16);
      const t = now();
      const s = (await sample.convertToBlob({ type: "image/jpeg", quality: q / 100 })).size * ratio;
      row.push(`${((s / actual - 1) * 100).toFixed(1)}%/${(now() - t).toFixed(1)}ms`);
    }
    out[q] = row.join(" ");
  }
  return { ms: 0, ...out };
};
variants.oracle = async (f, name) => {
  globalThis.__oracleQ = Math.round(Q[name] * 100);
  try {
    return await prep(cur)(f);
  } finally {
    globalThis.__oracleQ = 0;
  }
};
const withFlags = (flags, fn) => async (f, name) => {
  Object.assign(globalThis, flags);
  globalThis.__oracleQ = Math.round(Q[name] * 100);
  try {
    return await fn(f, name);
  } finally {
    for (const k of Object.keys(flags)) globalThis[k] = false;
    globalThis.__oracleQ = 0;
  }
};
variants.oT = withFlags({ __transfer: true }, prep(cur));
variants.oTnoscan = withFlags({ __transfer: true, __noscan: true }, prep(cur));
variants.encBusy = async (f, name) => {
  const src = await dctBitmap(f, name, name.endsWith("48") ? 4 : 2);
  const bm = await createImageBitmap(src);
  const c = new OffscreenCanvas(bm.width, bm.height);
  c.getContext("bitmaprenderer").transferFromImageBitmap(bm);
  const t = now();
  const p = c.convertToBlob({ type: "image/jpeg", quality: Q[name] });
  const t0 = now();
  let x = 0;
  while (now() - t0 < 15) x++;
  const t1 = now();
  const blob = await p;
  return { ms: now() - t, busy: +(t1 - t).toFixed(1), size: blob.size };
};
variants.encIdle = async (f, name) => {
  const src = await dctBitmap(f, name, name.endsWith("48") ? 4 : 2);
  const bm = await createImageBitmap(src);
  const c = new OffscreenCanvas(bm.width, bm.height);
  c.getContext("bitmaprenderer").transferFromImageBitmap(bm);
  const t = now();
  const blob = await c.convertToBlob({ type: "image/jpeg", quality: Q[name] });
  return { ms: now() - t, size: blob.size };
};
variants.oScanFirst = withFlags({ __scanFirst: true }, prep(cur));
