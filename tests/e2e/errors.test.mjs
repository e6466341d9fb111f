// Service-side failures as a user meets them, through the real Worker in workerd: the shim set up
// as with real keys (`npm run demo` with APIHZ_ID/APIHZ_KEY/JUHE_KEY) but pointed at the provider
// simulator, with a wrong apihz key and a juhe endpoint that answers 503. The page must drop the
// simulator notice, and tell the user to check the configuration / try later, in plain words.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { startSimulator } from "../../sim/server.mjs";
import { CARD_JPEG, recognizeIn, secretForms, useDemo, withScreenshot } from "./support.mjs";

// Started at import, before useDemo()'s hook reads its URLs (with a `before` hook here, useDemo's
// hook was seen to run first and read an undefined URL).
const sim = await startSimulator({ port: 0 });
const WRONG_KEY = "not+the/apihz=key-4711";
const demo = useDemo(() => ({
  env: {
    APIHZ_ID: "10000000",
    APIHZ_KEY: WRONG_KEY,
    APIHZ_ENDPOINTS: sim.apihzUrl,
    JUHE_KEY: "sim-juhe-key",
    JUHE_BASE_URL: `${sim.url}/__fault/503`,
  },
}));
const { log } = demo;
after(async () => {
  await sim?.close();
});

const photo = { name: "a.jpg", mimeType: "image/jpeg", buffer: CARD_JPEG };

describe("errors from the service", { timeout: 300_000 }, () => {
  test("real-provider mode: no simulator notice, a billing notice instead", async () => {
    const page = await demo.open();
    await page.locator("#real-notice").waitFor({ state: "visible" });
    assert.equal(await page.locator("#sim-notice").isHidden(), true);
    assert.match(await page.locator("#real-notice").textContent(), /计费/);
    await page.context().close();
  });

  test("a provider key refused by the provider: check the configuration (not the photo)", async () => {
    const page = await demo.open();
    await withScreenshot(page, "error-auth", async () => {
      await recognizeIn(page, "vehicleLicenseFront", photo);
      assert.equal(await page.locator("#error").getAttribute("data-code"), "AUTH");
      assert.match(await page.locator("#error-text").textContent(), /请联系管理员检查配置/);
      assert.equal(await page.locator("#retry").isVisible(), false, "retrying cannot fix a configuration");
      await page.locator("#lang").click();
      assert.match(await page.locator("#error-text").textContent(), /check the configuration/);
    });
    await page.context().close();
  });

  test("the provider is down: try again later", async () => {
    const page = await demo.open();
    await withScreenshot(page, "error-provider-down", async () => {
      await recognizeIn(page, "registrationCertificate", photo);
      assert.equal(await page.locator("#error").getAttribute("data-code"), "PROVIDER_ERROR");
      assert.match(await page.locator("#error-text").textContent(), /请稍后再试/);
      assert.equal(await page.locator("#retry").isVisible(), true);
    });
    await page.context().close();
  });

  test("the Worker cannot be reached: check the network", async () => {
    const page = await demo.open();
    await withScreenshot(page, "error-network", async () => {
      await page.route("**/v1/recognize**", (route) => route.abort("connectionrefused"));
      await recognizeIn(page, "vehicleLicenseFront", photo);
      assert.equal(await page.locator("#error").getAttribute("data-code"), "NETWORK");
      assert.match(await page.locator("#error-text").textContent(), /检查网络/);
    });
    await page.context().close();
  });

  test("the page cannot load its WebAssembly: says so at once, and the photo gets a plain error", async () => {
    const page = await demo.open({
      beforeLoad: (p) => p.route("**/pkg/wasm/*.wasm", (route) => route.fulfill({ status: 404, body: "not found" })),
    });
    await withScreenshot(page, "error-wasm", async () => {
      await page.locator("#service-notice").waitFor({ state: "visible" });
      assert.match(await page.locator("#service-notice").textContent(), /WebAssembly.*刷新页面/);
      await recognizeIn(page, "vehicleLicenseFront", photo);
      assert.equal(await page.locator("#error").getAttribute("data-code"), "CONFIG");
      assert.match(await page.locator("#error-text").textContent(), /检查配置/);
      assert.doesNotMatch(await page.locator("#error").textContent(), /Error|at |\.js|undefined|wasm/);
    });
    await page.context().close();
  });

  test("the wrong key never reaches the page", async () => {
    const requests = await Promise.all(log.requests);
    assert.ok(requests.length > 0);
    const forms = secretForms([WRONG_KEY]);
    for (const r of requests) {
      const text = [r.url, JSON.stringify(r.headers), r.body ? r.body.toString("latin1") : ""].join("\n");
      assert.deepEqual(forms.filter((f) => text.includes(f)), []);
    }
    assert.deepEqual(log.pageErrors, []);
  });
});
