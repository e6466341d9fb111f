// Launch Debian's headless Chromium with playwright-core and open a blank page served from the
// repository root, so pages can import /npm/src/browser.js. Shared by the suites and the bench.
import { chromium } from "playwright-core";
import { startStaticServer } from "./server.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--no-first-run",
];

const BLANK = `<!doctype html><meta charset="utf-8"><title>vehicle-doc-ocr browser</title><body></body>`;

/** `{ browser, page, server, close }` with the page at `${server.url}/__blank.html`. */
export async function openPage() {
  const server = await startStaticServer((p) => (p === "/__blank.html" ? { type: "text/html", body: BLANK } : null));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${server.url}/__blank.html`);
  return {
    browser, page, server, errors,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
