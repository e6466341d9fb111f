// Language switch, the 360 px phone layout, and the README screenshot (docs/demo-phone.png,
// rewritten when UPDATE_DEMO_SCREENSHOT=1; always kept in test-artifacts/).
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  ARTIFACTS, CARD_JPEG, ROOT, SIM_FRONT, fieldValue, generatedPhoto, recognizeIn, useDemo, withScreenshot,
} from "./support.mjs";

const demo = useDemo();
const { log } = demo;

/**
 * What sticks out of a phone-wide viewport: a horizontal scroll, or any rendered element whose
 * box goes past the left or right edge (clipped content is as bad as a scroll bar).
 */
const overflows = (page) =>
  page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const out = [];
    if (document.documentElement.scrollWidth > vw) out.push(`scrollWidth ${document.documentElement.scrollWidth} > ${vw}`);
    for (const el of document.querySelectorAll("body *")) {
      if (el.closest(".visually-hidden")) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right > vw + 0.5 || r.left < -0.5) out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${el.className}: ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    return out;
  });

describe("layout and language", { timeout: 300_000 }, () => {
  test("Chinese by default; the switch turns the page, the result and the errors into English and back", async () => {
    const page = await demo.open();
    await withScreenshot(page, "language", async () => {
      assert.equal(await page.evaluate(() => document.documentElement.lang), "zh-CN");
      assert.equal(await page.locator("h1").textContent(), "行驶证 · 登记证书识别");
      await recognizeIn(page, "vehicleLicenseFront", { name: "a.jpg", mimeType: "image/jpeg", buffer: CARD_JPEG });
      assert.equal(await fieldValue(page, "plateNumber"), "粤B2177C");

      await page.locator("#lang").click();
      assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
      assert.equal(await page.locator("h1").textContent(), "Vehicle document OCR");
      assert.match(await page.locator("#sim-notice").textContent(), /local provider simulator/);
      const row = page.locator('#rows tr[data-field="registerDate"]');
      assert.equal((await row.locator(".label").textContent()).trim(), "Registration date");
      assert.equal((await row.locator(".label-alt").textContent()).trim(), "注册日期");
      assert.equal(await fieldValue(page, "registerDate"), SIM_FRONT.RegisterDate);
      assert.match(await page.locator("#summary").textContent(), /All fields passed/);
      assert.equal(await page.locator('label:has(input[value="registrationCertificate"])').textContent(), "Registration certificate");

      // The choice survives a reload; errors follow the language.
      await page.reload();
      await page.waitForSelector("body[data-ready]");
      assert.equal(await page.locator("h1").textContent(), "Vehicle document OCR");
      await recognizeIn(page, "vehicleLicenseFront", { name: "n.jpg", mimeType: "image/jpeg", buffer: Buffer.from("not an image at all") });
      assert.match(await page.locator("#error-text").textContent(), /not a usable photo.*Take the photo again/);

      await page.locator("#lang").click();
      assert.equal(await page.locator("h1").textContent(), "行驶证 · 登记证书识别");
      assert.match(await page.locator("#error-text").textContent(), /请重新拍照/);
    });
    await page.context().close();
  });

  test("360 px wide: no horizontal scroll, with the longest result and with an error", async () => {
    const page = await demo.open({ width: 360, height: 780 });
    await withScreenshot(page, "phone-360-certificate", async () => {
      assert.deepEqual(await overflows(page), [], "start page");
      await recognizeIn(page, "registrationCertificate", { name: "c.jpg", mimeType: "image/jpeg", buffer: CARD_JPEG });
      assert.equal(await page.locator("#result").isVisible(), true);
      // Open every raw-text toggle: the widest state of the table.
      for (const d of await page.locator("details.raw").all()) await d.evaluate((el) => (el.open = true));
      assert.deepEqual(await overflows(page), [], "certificate result with raw texts");
      await page.locator("#lang").click();
      assert.deepEqual(await overflows(page), [], "the same in English");
      await recognizeIn(page, "vehicleLicenseFront", { name: "x.jpg", mimeType: "image/jpeg", buffer: CARD_JPEG.subarray(0, 5000) });
      assert.equal(await page.locator("#error").isVisible(), true);
      assert.deepEqual(await overflows(page), [], "error");
      // Touch targets of the main actions stay usable on a phone.
      for (const sel of ['label:has(#shoot)', "#open-camera", 'label:has(#pick)', "#lang"]) {
        const box = await page.locator(sel).boundingBox();
        assert.ok(box && box.height >= 36 && box.x >= 0 && box.x + box.width <= 360, `${sel}: ${JSON.stringify(box)}`);
      }
    });
    await page.context().close();
  });

  test("the README screenshot: a phone-sized page with a recognized licence", async () => {
    const page = await demo.open({ width: 390, height: 844, deviceScaleFactor: 2 });
    const photo = await generatedPhoto(page, { w: 4000, h: 3000 });
    await recognizeIn(page, "vehicleLicenseFront", photo);
    assert.equal(await page.locator("#result").isVisible(), true);
    await page.locator('#rows tr[data-field="plateNumber"] details.raw').evaluate((el) => (el.open = true));
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => document.fonts.ready);
    // The whole page once (artifact), and for the README the top down to the sixth field row.
    await page.screenshot({ path: join(ARTIFACTS, "demo-phone-full.png"), fullPage: true, animations: "disabled" });
    const bottom = await page.locator("#rows tr:nth-child(6)").evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY + 8);
    const out = join(ARTIFACTS, "demo-phone.png");
    await page.screenshot({ path: out, fullPage: true, animations: "disabled", clip: { x: 0, y: 0, width: 390, height: Math.ceil(bottom) } });
    if (process.env.UPDATE_DEMO_SCREENSHOT === "1") copyFileSync(out, join(ROOT, "docs/demo-phone.png"));
    await page.context().close();
  });

  test("no uncaught error on the page", () => {
    assert.deepEqual(log.pageErrors, []);
  });
});
