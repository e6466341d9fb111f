// <vehicle-doc-capture> in headless Chromium with a fake camera playing generated footage
// (tests/capture/frames.mjs): guidance without a capture on a defocused, dark camera; a capture
// by itself on a sharp, well-lit document; the file-input fallback; the camera stopped on removal.
// The element runs the real assessImage() of the package (the Rust quality report in wasm).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startStaticServer } from "../browser/server.mjs";
import { launchBrowser, withScreenshot } from "../e2e/support.mjs";
import { frame, writeMjpeg } from "./frames.mjs";

const dir = mkdtempSync(join(tmpdir(), "capture-"));
let server;
before(async () => {
  server = await startStaticServer();
});
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const PAGE = "/tests/capture/page.html";
const events = (page, type) => page.evaluate((type) => window.events.filter((e) => e.type === type), type);
/** Wait until the page recorded an event matching `fn` (a function source over `e`). */
const waitForEvent = (page, fn, timeout = 30_000) =>
  page.waitForFunction(`window.events.some((e) => (${fn})(e))`, null, { timeout, polling: 100 });

async function open(browser, query = "", { origin } = {}) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e?.message)));
  await page.goto(`${origin ?? server.url}${PAGE}${query}`);
  await page.waitForSelector("body[data-ready]");
  return { page, errors, close: () => context.close() };
}

describe("a defocused, dark camera", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser({ fakeCamera: await writeMjpeg(join(dir, "poor.mjpeg"), "poor") });
  });
  after(() => browser?.close());

  test("gives guidance in the element's language and never captures, even with auto", async () => {
    const { page, errors, close } = await open(browser, "?auto&lang=zh-CN");
    await withScreenshot(page, "capture-poor", async () => {
      await waitForEvent(page, (e) => e.type === "guidance" && e.reasons.length > 0);
      const [first] = await events(page, "guidance");
      assert.ok(first.reasons.some((r) => r === "dark" || r === "blurry"), `reasons: ${first.reasons}`);
      assert.match(first.message, /\p{Script=Han}/u, "a zh-CN message");
      // The live region shows (and announces) the message.
      const region = page.locator("vehicle-doc-capture [aria-live=polite]");
      assert.equal(await region.textContent(), (await events(page, "guidance")).at(-1).message);
      // Keep watching the camera for several seconds (over a dozen analysed frames): no capture.
      await page.waitForTimeout(4000);
      assert.deepEqual(await events(page, "capture"), [], "no capture from a poor camera");
      const guidance = await events(page, "guidance");
      assert.ok(guidance.every((g) => g.reasons.length > 0), "never an ok frame");
      // Not re-announced every frame: only changes are emitted (at most one per distinct message run).
      for (let i = 1; i < guidance.length; i++) assert.notEqual(guidance[i].message, guidance[i - 1].message);
      assert.equal(await page.locator("vehicle-doc-capture .shutter").isEnabled(), true, "the camera is still running");
      // 360 px wide (the viewport): nothing sticks out.
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), "no horizontal scroll at 360 px");
      assert.deepEqual(errors, []);
    });
    await close();
  });

  test("stops every camera track when removed from the page", async () => {
    const { page, close } = await open(browser);
    await page.waitForFunction(() => document.querySelector("vehicle-doc-capture").stream?.active);
    // The torch button only where the track offers one (Chromium's fake camera has none).
    const torch = await page.evaluate(() => {
      const el = document.querySelector("vehicle-doc-capture");
      return { offered: !!el.stream.getVideoTracks()[0].getCapabilities().torch, shown: !el.shadowRoot.querySelector(".torch").hidden };
    });
    assert.equal(torch.shown, torch.offered);
    const states = await page.evaluate(() => {
      const el = document.querySelector("vehicle-doc-capture");
      const tracks = el.stream.getTracks();
      const before = tracks.map((t) => t.readyState);
      el.remove();
      return { before, after: tracks.map((t) => t.readyState), stream: el.stream, src: el.shadowRoot.querySelector("video").srcObject };
    });
    assert.deepEqual(states.before, ["live"]);
    assert.deepEqual(states.after, ["ended"]);
    assert.equal(states.stream, null);
    assert.equal(states.src, null);
    await close();
  });
});

describe("a sharp, well-lit document", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser({ fakeCamera: await writeMjpeg(join(dir, "sharp.mjpeg"), "sharp") });
  });
  after(() => browser?.close());

  test("with auto, captures by itself: a JPEG File whose quality is ok, then the camera stops", async () => {
    const { page, errors, close } = await open(browser, "?auto&lang=en");
    await withScreenshot(page, "capture-sharp", async () => {
      await waitForEvent(page, (e) => e.type === "capture" || e.type === "error");
      const [capture] = await events(page, "capture");
      assert.ok(capture, JSON.stringify(await page.evaluate(() => window.events)));
      assert.equal(capture.file.isFile, true);
      assert.equal(capture.file.type, "image/jpeg");
      assert.ok(capture.file.size > 10_000, `a real photo, not ${capture.file.size} bytes`);
      assert.equal(capture.quality.verdict, "ok", JSON.stringify(capture.quality));
      assert.equal(capture.quality.document?.found, true);
      // The camera's full resolution (the generated footage is 1280×720).
      const size = await page.evaluate(async () => {
        const bitmap = await createImageBitmap(window.lastFile);
        return [bitmap.width, bitmap.height];
      });
      assert.deepEqual(size, [1280, 720]);
      assert.equal(await page.evaluate(() => document.querySelector("vehicle-doc-capture").stream), null);
      assert.equal((await events(page, "capture")).length, 1, "one capture");
      assert.deepEqual(errors, []);
    });
    await close();
  });

  test("without auto, it only guides; the shutter captures", async () => {
    const { page, close } = await open(browser, "?lang=en");
    await waitForEvent(page, (e) => e.type === "guidance" && e.message === "Ready: take the photo");
    assert.deepEqual(await events(page, "capture"), []);
    await page.locator("vehicle-doc-capture .shutter").click();
    await waitForEvent(page, (e) => e.type === "capture");
    const [capture] = await events(page, "capture");
    assert.equal(capture.file.type, "image/jpeg");
    assert.equal(capture.quality.verdict, "ok");
    await close();
  });
});

describe("where no camera can be used, the file input", () => {
  let browser;
  before(async () => {
    // No fake camera and no one to grant the permission; `capture.test` is an http origin that is
    // not loopback, hence not a secure context.
    browser = await launchBrowser({ args: ["--host-resolver-rules=MAP capture.test 127.0.0.1"] });
  });
  after(() => browser?.close());

  for (const [name, host] of [
    ["no camera or permission denied", null],
    ["not a secure context (in-app browsers over http)", "capture.test"],
  ]) {
    test(`${name}: the fallback appears and a chosen file is assessed and emitted`, async () => {
      const origin = host && server.url.replace("127.0.0.1", host);
      const { page, errors, close } = await open(browser, "?lang=zh-CN", { origin });
      if (host) assert.equal(await page.evaluate(() => window.isSecureContext), false);
      const input = page.locator('vehicle-doc-capture input[type="file"][accept="image/*"][capture="environment"]');
      await input.waitFor({ state: "attached" });
      await page.locator("vehicle-doc-capture .fallback").waitFor({ state: "visible" });
      assert.equal(await page.locator("vehicle-doc-capture video").isVisible(), false);
      await input.setInputFiles({ name: "card.jpg", mimeType: "image/jpeg", buffer: await frame("sharp") });
      await waitForEvent(page, (e) => e.type === "capture" || e.type === "error");
      const [capture] = await events(page, "capture");
      assert.ok(capture, JSON.stringify(await page.evaluate(() => window.events)));
      assert.equal(capture.file.name, "card.jpg");
      assert.equal(capture.quality.verdict, "ok");
      assert.deepEqual(errors, []);
      await close();
    });
  }
});
