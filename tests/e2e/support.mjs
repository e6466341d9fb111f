// Shared set-up of the browser suites: the real demo stack (provider simulator + Worker shim in
// workerd + the served page, www/demo-server.mjs) on free ports, Debian's Chromium through
// playwright-core, and a recorder of everything the page sends and prints.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startDemo } from "../../www/demo-server.mjs";
export { withComment } from "../../sim/images.mjs";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const ARTIFACTS = join(ROOT, "test-artifacts");
mkdirSync(ARTIFACTS, { recursive: true });

export const CARD_JPEG = readFileSync(join(ROOT, "tests/node/fixtures/card-640x400.jpg"));
const fixture = (name) => JSON.parse(readFileSync(join(ROOT, "fixtures/providers", name), "utf8"));
export const SIM_FRONT = fixture("sim-apihz-front.json");
export const SIM_BACK = fixture("sim-apihz-back.json");
export const SIM_CERT = fixture("sim-juhe-certificate.json");
/** The certificate fixture's `content` for a `desc`. */
export const certText = (desc) => SIM_CERT.result.res.find((e) => e.desc === desc)?.content;


/**
 * The demo stack. Default: the simulator. `env`: provider settings as `npm run demo` would read
 * them from the environment (never worker/.dev.vars in tests: no real, billed call).
 */
export async function startStack({ env } = {}) {
  const pkgDir = process.env.E2E_PKG_DIR || join(ROOT, "npm");
  if (env) return startDemo({ simulator: false, env, devVars: false, rateLimit: 1000, pkgDir });
  return startDemo({ simulator: true, rateLimit: 1000, pkgDir });
}

/**
 * A suite's demo stack and browser, with its node:test hooks registered: both started before the
 * suite (`options`: startStack's, or a function giving them once earlier hooks ran) and closed
 * after it. `demo.open(opts)` opens a page recorded into `demo.log` (see openPage).
 */
export function useDemo(options = {}) {
  const demo = {
    stack: null,
    browser: null,
    log: newLog(),
    open: (opts) => openPage(demo.browser, demo.stack, demo.log, opts),
  };
  before(async () => {
    demo.stack = await startStack(typeof options === "function" ? options() : options);
    demo.browser = await launchBrowser();
  });
  after(async () => {
    await demo.browser?.close();
    await demo.stack?.close();
  });
  return demo;
}

/**
 * Debian's Chromium. `fakeCamera`: Chromium's synthetic camera, permission granted; a path to an
 * .mjpeg file (concatenated JPEG frames) makes the camera play that file instead, looping.
 * `args`: more Chromium switches.
 */
export async function launchBrowser({ fakeCamera = false, args = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run",
      ...(fakeCamera ? ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"] : []),
      ...(typeof fakeCamera === "string" ? [`--use-file-for-fake-video-capture=${fakeCamera}`] : []),
      ...args,
    ],
  });
}

/**
 * A fresh page (own context: no saved language) on the demo, with every request it sends, every
 * console line and every uncaught error recorded into `log`.
 */
export async function openPage(browser, stack, log, { width = 390, height = 844, deviceScaleFactor = 1, lang, beforeLoad } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.on("request", (req) => {
    log.requests.push(
      (async () => ({
        url: req.url(),
        method: req.method(),
        headers: await req.allHeaders().catch(() => req.headers()),
        body: req.postDataBuffer(),
      }))(),
    );
  });
  page.on("console", (m) => log.console.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => log.pageErrors.push(String(e && e.message)));
  if (beforeLoad) await beforeLoad(page);
  await page.goto(stack.pageUrl() + (lang ? `?lang=${lang}` : ""));
  await page.waitForSelector("body[data-ready]");
  if (stack.simulator) await page.locator("#sim-notice").waitFor({ state: "visible" });
  return page;
}

export const newLog = () => ({ requests: [], console: [], pageErrors: [] });

/** Choose the document, hand a file to the "pick image" input, wait for the result or the error. */
export async function recognizeIn(page, documentKind, file) {
  await page.locator(`input[name="document"][value="${documentKind}"]`).check();
  await page.locator("#pick").setInputFiles(file);
  await page.locator("#result:not([hidden]), #error:not([hidden])").first().waitFor({ timeout: 60_000 });
}

/** The rendered value of a field row (`tr[data-field=...] .value`). */
export async function fieldValue(page, path) {
  return (await page.locator(`#rows tr[data-field="${path}"] .value`).textContent())?.trim();
}

/**
 * A photo made in the page: a card-like document with text strokes and sensor noise, `w`×`h`,
 * encoded by the browser as `type` (image/jpeg or image/png). Returns `{ name, mimeType, buffer }`.
 */
export async function generatedPhoto(page, { w, h, type = "image/jpeg", name = "photo.jpg" }) {
  const base64 = await page.evaluate(
    async ({ w, h, type }) => {
      const c = new OffscreenCanvas(w, h);
      const g = c.getContext("2d");
      g.fillStyle = "#6d7a6a"; // table top
      g.fillRect(0, 0, w, h);
      const mx = w * 0.08;
      const my = h * 0.1;
      g.fillStyle = "#f1ecdf"; // the document
      g.fillRect(mx, my, w - 2 * mx, h - 2 * my);
      g.fillStyle = "#1f1f1f";
      const line = h / 16;
      g.font = `${Math.round(line * 0.55)}px sans-serif`;
      for (let y = my + line; y < h - my - line / 2; y += line) {
        let x = mx + line / 2;
        while (x < w - mx - line) {
          const len = line * (0.6 + ((x * 7 + y * 13) % 5) * 0.5);
          g.fillText("行驶证 ABC123", x, y, len);
          x += len + line / 3;
        }
      }
      const img = g.getImageData(0, 0, w, h);
      let seed = 42;
      for (let i = 0; i < img.data.length; i += 4) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const n = ((seed >>> 16) % 25) - 12;
        img.data[i] += n;
        img.data[i + 1] += n;
        img.data[i + 2] += n;
      }
      g.putImageData(img, 0, 0);
      const blob = await c.convertToBlob({ type, quality: 0.92 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = "";
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    },
    { w, h, type },
  );
  return { name, mimeType: type, buffer: Buffer.from(base64, "base64") };
}

/** Every form in which a secret could travel (raw, percent-encoded, form-encoded). */
export function secretForms(secrets) {
  return secrets.flatMap((k) => [k, encodeURIComponent(k), new URLSearchParams({ k }).toString().slice(2)]);
}

/** Fail with a screenshot in test-artifacts/ when `fn` throws. */
export async function withScreenshot(page, name, fn) {
  try {
    await fn();
  } finally {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true }).catch(() => {});
  }
}
