// In-page variants for bench/ab.mjs (a dev tool for interleaved A/B runs; not part of `npm run bench`).
// Each variant takes (file, caseName) and returns { ms, ...info }. `base` is prepareImage as of
// the git revision ab.mjs serves under /__base (AB_BASE, default HEAD), `cur` the working tree.
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
/** Upright size of each source (read once, outside the timings). */
const dimCache = new Map();
async function dims(f) {
  const b = await createImageBitmap(f, { imageOrientation: "from-image" });
  const d = [b.width, b.height];
  b.close();
  return d;
}
/** The quality prepareImage lands on for each bench source at the 1,000,000-char budget. */
const Q = { card12: 0.87, page12: 0.73, iphone12: 0.87, exif12: 0.87, prog12: 0.87, card48: 0.91, page48: 0.77 };

const prep = (mod) => async (f) => {
  const t = now();
  const p = await mod.prepareImage(f, { codec: "browser", target: "budget", maxBase64Chars: 1_000_000 });
  return { ms: now() - t, b64: p.base64Length, q: p.quality, enc: p.encodes, w: p.width, h: p.height };
};

function canvas(w, h) {
  const c = new OffscreenCanvas(w, h);
  const g = c.getContext("2d", { alpha: false });
  g.imageSmoothingEnabled = true;
  g.imageSmoothingQuality = "high";
  return [c, g];
}
/** One pixel a third into the picture: the routes' outputs compared at a glance. */
function sig(g, w, h) {
  const d = g.getImageData(Math.floor(w / 3), Math.floor(h / 3), 1, 1).data;
  return [d[0], d[1], d[2]].join(",");
}

export const variants = {
  base: prep(base),
  cur: prep(cur),
  bic: (f) => contestants.bic(f),
  native: (f, name) => contestants.native(f, dimCache.get(name)),
  /** prepareImage with phase marks: needs temporary `globalThis.__ph?.("name")` calls in the codec. */
  phases: async (f) => {
    const marks = [];
    const t = now();
    globalThis.__ph = (n) => marks.push([n, +(now() - t).toFixed(1)]);
    try {
      await cur.prepareImage(f, { codec: "browser", target: "budget", maxBase64Chars: 1_000_000 });
    } finally {
      globalThis.__ph = null;
    }
    return { ms: now() - t, marks: marks.map(([n, v]) => `${n}@${v}`).join(" ") };
  },
  /** Decode only, full size (createImageBitmap). */
  cibFull: async (f) => {
    const t = now();
    const b = await createImageBitmap(f, { imageOrientation: "from-image" });
    const r = { ms: now() - t, w: b.width, h: b.height };
    b.close();
    return r;
  },
  /** The former 1/2 route: full createImageBitmap decode, then one 2:1 draw. */
  cibBox: async (f, name) => {
    const [W, H] = dimCache.get(name);
    const t = now();
    const b = await createImageBitmap(f, { imageOrientation: "from-image" });
    const [c, g] = canvas(W / 2, H / 2);
    g.imageSmoothingQuality = "low";
    g.drawImage(b, 0, 0, W / 2, H / 2);
    b.close();
    return { ms: now() - t, s: sig(g, c.width, c.height) };
  },
  /** WebCodecs ImageDecoder at 1/s with the ways of getting its frame onto a canvas. */
  idec2none: (f, name) => idec(f, name, 2, "bytes", "none"),
  idec2draw: (f, name) => idec(f, name, 2, "bytes", "draw"),
  idec2bitmap: (f, name) => idec(f, name, 2, "bytes", "bitmap"),
  idec2copy: (f, name) => idec(f, name, 2, "bytes", "copy"),
  idec2stream: (f, name) => idec(f, name, 2, "stream", "bitmap"),
  idec4bitmap: (f, name) => idec(f, name, 4, "bytes", "bitmap"),
  idec4stream: (f, name) => idec(f, name, 4, "stream", "bitmap"),
  idec4transfer: (f, name) => idec(f, name, 4, "transfer", "bitmap"),
  idec8bitmap: (f, name) => idec(f, name, 8, "bytes", "bitmap"),
  /** <img> loaded (no decode()), drawn at 1/s: Chromium decodes at a DCT scale while drawing. */
  img2: (f, name) => img(f, name, 2),
  img4: (f, name) => img(f, name, 4),
  /** The final encode on a 2D canvas (drawn) against a bitmaprenderer canvas (taken over). */
  encode2d: (f, name) => encodeFrom(f, name, "2d"),
  encodeBitmaprenderer: (f, name) => encodeFrom(f, name, "bitmaprenderer"),
};

const bytesOf = new Map();
async function idec(f, name, s, data, how) {
  const [W, H] = dimCache.get(name);
  if (!bytesOf.has(name)) bytesOf.set(name, new Uint8Array(await f.arrayBuffer()));
  const own = data === "transfer" ? bytesOf.get(name).slice() : null;
  const t = now();
  const dec = new ImageDecoder({
    data: data === "stream" ? f.stream() : own ?? bytesOf.get(name),
    ...(own ? { transfer: [own.buffer] } : {}),
    type: "image/jpeg",
    desiredWidth: Math.ceil(W / s),
    desiredHeight: Math.ceil(H / s),
  });
  const constructed = now() - t;
  const { image } = await dec.decode();
  const t1 = now();
  const w = image.displayWidth;
  const h = image.displayHeight;
  const r = { ctor: +constructed.toFixed(1), dec: +(t1 - t).toFixed(1), coded: `${image.codedWidth}×${image.codedHeight}`, rot: image.rotation, flip: image.flip };
  if (how !== "none") {
    const [c, g] = canvas(w, h);
    if (how === "draw") g.drawImage(image, 0, 0, w, h);
    else if (how === "bitmap") {
      const b = await createImageBitmap(image);
      g.drawImage(b, 0, 0);
      b.close();
    } else {
      const id = new ImageData(image.codedWidth, image.codedHeight);
      await image.copyTo(id.data, { format: "RGBA" });
      g.putImageData(id, 0, 0);
    }
    r.toCanvas = +(now() - t1).toFixed(1);
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
  await new Promise((ok, fail) => {
    el.onload = ok;
    el.onerror = fail;
    el.src = url;
  });
  const loaded = now() - t;
  const [c, g] = canvas(Math.ceil(W / s), Math.ceil(H / s));
  g.drawImage(el, 0, 0, c.width, c.height);
  const s2 = sig(g, c.width, c.height);
  URL.revokeObjectURL(url);
  el.src = "";
  return { ms: now() - t, load: +loaded.toFixed(1), s: s2 };
}

/** A decoded bitmap at the bench's DCT size, made once per case (outside the timings). */
const decoded = new Map();
async function dctBitmap(f, name) {
  if (!decoded.has(name)) {
    const s = name.endsWith("48") ? 4 : 2;
    const [W, H] = dimCache.get(name);
    const dec = new ImageDecoder({ data: new Uint8Array(await f.arrayBuffer()), type: "image/jpeg", desiredWidth: Math.ceil(W / s), desiredHeight: Math.ceil(H / s) });
    const { image } = await dec.decode();
    decoded.set(name, await createImageBitmap(image));
    image.close();
    dec.close();
  }
  return decoded.get(name);
}
async function encodeFrom(f, name, kind) {
  const bm = await createImageBitmap(await dctBitmap(f, name)); // a fresh bitmap, like a decode's
  const t = now();
  let c;
  if (kind === "2d") {
    let g;
    [c, g] = canvas(bm.width, bm.height);
    g.drawImage(bm, 0, 0);
    bm.close();
  } else {
    c = new OffscreenCanvas(bm.width, bm.height);
    c.getContext("bitmaprenderer").transferFromImageBitmap(bm);
  }
  const t1 = now();
  const blob = await c.convertToBlob({ type: "image/jpeg", quality: Q[name] });
  return { ms: now() - t, toCanvas: +(t1 - t).toFixed(1), encode: +(now() - t1).toFixed(1), size: blob.size };
}

export async function run(name, v) {
  const f = await file(name);
  if (!dimCache.has(name)) dimCache.set(name, await dims(f));
  globalThis.gc?.();
  return variants[v](f, name);
}

/** Target size under a 2048 long side (never upscaling). */
function target2048(W, H) {
  const s = Math.min(1, 2048 / Math.max(W, H));
  return [Math.max(1, Math.round(W * s)), Math.max(1, Math.round(H * s))];
}
/** Free-ratio sources: createImageBitmap with a high-quality resize (the route for sizes off the 1/2, 1/4, 1/8 snap). */
variants.cibResize = async (f, name) => {
  const [W, H] = dimCache.get(name);
  const [w, h] = target2048(W, H);
  const t = now();
  const b = await createImageBitmap(f, { imageOrientation: "from-image", resizeWidth: w, resizeHeight: h, resizeQuality: "high" });
  const [c, g] = canvas(w, h);
  g.drawImage(b, 0, 0);
  b.close();
  const s = sig(g, w, h);
  return { ms: now() - t, w, h, s };
};
/** The same through ImageDecoder at the smallest n/8 scale not under the target, then one high-quality draw. */
variants.idecResize = async (f, name) => {
  const [W, H] = dimCache.get(name);
  const [w, h] = target2048(W, H);
  if (!bytesOf.has(name)) bytesOf.set(name, new Uint8Array(await f.arrayBuffer()));
  const n = Math.max(1, Math.ceil((8 * Math.max(w, h)) / Math.max(W, H)));
  const t = now();
  const dec = new ImageDecoder({ data: bytesOf.get(name), type: "image/jpeg", desiredWidth: Math.ceil((W * n) / 8) + 1, desiredHeight: Math.ceil((H * n) / 8) + 1 });
  const { image } = await dec.decode();
  const t1 = now();
  const coded = `${image.codedWidth}×${image.codedHeight}`;
  const b = await createImageBitmap(image);
  image.close();
  dec.close();
  const [c, g] = canvas(w, h);
  g.drawImage(b, 0, 0, w, h);
  b.close();
  const s = sig(g, w, h);
  return { ms: now() - t, dec: +(t1 - t).toFixed(1), n, coded, w, h, s };
};

/** Read + 1/4 decode: the File read first then the bytes handed over, against a stream of big Blob slices. */
async function readDecode(f, name, chunk) {
  const [W, H] = dimCache.get(name);
  const s = name.endsWith("48") ? 4 : 2;
  const t = now();
  let data;
  if (!chunk) data = new Uint8Array(await f.arrayBuffer());
  else {
    let at = 0;
    data = new ReadableStream({
      async pull(c) {
        if (at >= f.size) return c.close();
        const end = Math.min(f.size, at + chunk);
        c.enqueue(new Uint8Array(await f.slice(at, end).arrayBuffer()));
        at = end;
      },
    });
  }
  const t1 = now();
  const dec = new ImageDecoder({ data, ...(chunk ? {} : { transfer: [data.buffer] }), type: "image/jpeg", desiredWidth: Math.ceil(W / s) + 1, desiredHeight: Math.ceil(H / s) + 1 });
  const { image } = await dec.decode({ completeFramesOnly: true });
  const r = { ms: now() - t, read: +(t1 - t).toFixed(1), coded: `${image.codedWidth}×${image.codedHeight}` };
  image.close();
  dec.close();
  return r;
}
variants.readThenDecode = (f, name) => readDecode(f, name, 0);
variants.stream4MB = (f, name) => readDecode(f, name, 4 << 20);
variants.stream1MB = (f, name) => readDecode(f, name, 1 << 20);
