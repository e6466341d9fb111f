// The demo page in headless Chromium against the real stack: provider simulator, Worker shim in
// workerd, the served page. What a user sees: the fields of each document, the numbers of the
// image sent, clear errors, cancel, and no key anywhere in what the page sends.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  ARTIFACTS, CARD_JPEG, SIM_BACK, SIM_CERT, SIM_FRONT, certText, fieldValue, generatedPhoto, launchBrowser, openPage, recognizeIn,
  secretForms, useDemo, withComment, withScreenshot,
} from "./support.mjs";

const demo = useDemo();
const { log } = demo;

const plate = (s) => s.replace(/[\s·•.-]/g, "");
const int = (s) => String(Number.parseInt(s, 10));

describe("the demo page", { timeout: 300_000 }, () => {
  test("行驶证正页: a 12 MP phone photo is downscaled under the budget and its fields are shown", async () => {
    const page = await demo.open();
    await withScreenshot(page, "front-12mp", async () => {
      assert.match(await page.locator("#sim-notice").textContent(), /本地模拟服务/);
      const photo = await generatedPhoto(page, { w: 4000, h: 3000 });
      await recognizeIn(page, "vehicleLicenseFront", photo);
      assert.equal(await page.locator("#error").isHidden(), true, await page.locator("#error").textContent());

      assert.equal(await fieldValue(page, "plateNumber"), plate(SIM_FRONT.PlateNo));
      assert.equal(await fieldValue(page, "vin"), SIM_FRONT.Vin);
      assert.equal(await fieldValue(page, "owner"), SIM_FRONT.Owner);
      assert.equal(await fieldValue(page, "registerDate"), SIM_FRONT.RegisterDate);
      assert.equal(await fieldValue(page, "issueDate"), SIM_FRONT.IssueDate);
      assert.equal(await fieldValue(page, "issuingAuthority"), SIM_FRONT.Seal);
      assert.match(await page.locator("#summary").textContent(), /所有字段校验通过/);

      // Both labels, and the provider's own text on demand.
      const row = page.locator('#rows tr[data-field="plateNumber"]');
      assert.equal((await row.locator(".label").textContent()).trim(), "号牌号码");
      assert.equal((await row.locator(".label-alt").textContent()).trim(), "Plate number");
      assert.equal(await row.locator("details.raw code").isVisible(), false);
      await row.locator("details.raw summary").click();
      assert.equal((await row.locator("details.raw code").textContent()).trim(), SIM_FRONT.PlateNo);

      // The numbers of the image that was sent: 4000×3000 in, downscaled, re-encoded, under budget.
      const n = (k) => page.locator(`#numbers dd[data-k="${k}"]`).textContent();
      assert.match(await n("source"), /4000 × 3000 px/);
      const sent = /(\d+) × (\d+) px/.exec(await n("sent"));
      assert.ok(sent && Number(sent[1]) < 4000 && Number(sent[1]) / Number(sent[2]) > 1.3, `sent: ${await n("sent")}`);
      assert.match(await n("quality"), /^\d+$/);
      const b64 = /^([\d,]+) \/ 1,000,000/.exec(await n("budget"));
      assert.ok(b64 && Number(b64[1].replaceAll(",", "")) <= 1_000_000, `budget: ${await n("budget")}`);
      assert.match(await n("time"), /^\d+ ms$/);
      assert.match(await n("codec"), /浏览器|WebAssembly/);
      assert.ok(await page.locator("#preview").evaluate((img) => img.complete && img.naturalWidth > 0));
    });
    await page.context().close();
  });

  test("行驶证副页: numbers and dimensions normalized", async () => {
    const page = await demo.open();
    await withScreenshot(page, "back", async () => {
      await recognizeIn(page, "vehicleLicenseBack", { name: "back.jpg", mimeType: "image/jpeg", buffer: CARD_JPEG });
      assert.equal(await fieldValue(page, "plateNumber"), plate(SIM_BACK.PlateNo));
      assert.equal(await fieldValue(page, "approvedPassengers"), int(SIM_BACK.AllowNum));
      assert.equal(await fieldValue(page, "totalMassKg"), int(SIM_BACK.TotalMass));
      assert.equal(await fieldValue(page, "curbWeightKg"), int(SIM_BACK.CurbWeight));
      const [l, w, h] = SIM_BACK.ExternalSize.match(/\d+/g);
      assert.equal(await fieldValue(page, "dimensionsMm"), `${l} × ${w} × ${h}`);
      assert.equal(await fieldValue(page, "inspectionValidUntil"), "2027-11");
      // "--" is an empty marker: shown as not read, not as "--".
      assert.equal(SIM_BACK.LoadQuality, "--");
      assert.equal(await fieldValue(page, "approvedLoadKg"), "未识别");
      // A JPEG that already fits is sent as it is.
      assert.match(await page.locator('#numbers dd[data-k="quality"]').textContent(), /原图直接发送/);
    });
    await page.context().close();
  });

  test("机动车登记证书: composite owner split, numbers, ISO dates (from a PNG photo)", async () => {
    const page = await demo.open();
    await withScreenshot(page, "certificate", async () => {
      const photo = await generatedPhoto(page, { w: 1400, h: 2000, type: "image/png", name: "certificate.png" });
      await recognizeIn(page, "registrationCertificate", photo);
      const [name, idType, idNumber] = certText("机动车所有人V身份证名称V号码").split("V");
      assert.equal(await fieldValue(page, "owner.name"), name);
      assert.equal(await fieldValue(page, "owner.idType"), idType);
      assert.equal(await fieldValue(page, "owner.idNumber"), idNumber);
      assert.equal(await fieldValue(page, "plateNumber"), plate(certText("机动车登记编号")));
      assert.equal(await fieldValue(page, "registrationDate"), certText("登记日期"));
      assert.equal(await fieldValue(page, "vin"), certText("车辆识别代号V车架号"));
      const [ml, kw] = certText("排量V功率").split("/");
      assert.equal(await fieldValue(page, "displacementMl"), ml);
      assert.equal(await fieldValue(page, "powerKw"), kw);
      assert.equal(await fieldValue(page, "wheelbaseMm"), int(certText("轴距")));
      assert.match(await page.locator("#meta").textContent(), new RegExp(SIM_CERT.result.orderid ? "JH\\d{24}" : "."));
      assert.match(await page.locator('#numbers dd[data-k="source"]').textContent(), /1400 × 2000 px .*PNG/);
    });
    await page.context().close();
  });

  test("field issues are highlighted on their rows", async () => {
    const page = await demo.open();
    await withScreenshot(page, "issues", async () => {
      // The provider document's own example: a VIN whose check digit does not match.
      await recognizeIn(page, "vehicleLicenseFront", { name: "a.jpg", mimeType: "image/jpeg", buffer: withComment(CARD_JPEG, "SIM:DOC-EXAMPLE") });
      const vin = page.locator('#rows tr[data-field="vin"]');
      assert.match(await vin.getAttribute("class"), /has-error/);
      assert.match(await vin.locator(".issue").textContent(), /校验位不符/);
      assert.equal(await page.locator("#rows tr.has-error, #rows tr.has-warning").count(), 1);
      assert.match(await page.locator("#summary").textContent(), /1 项需要核对/);
    });
    await page.context().close();
  });

  test("a file that is not an image: a clear error, nothing sent", async () => {
    const page = await demo.open();
    await withScreenshot(page, "error-not-image", async () => {
      const before = (await Promise.all(log.requests)).length;
      await recognizeIn(page, "vehicleLicenseFront", { name: "photo.jpg", mimeType: "image/jpeg", buffer: Buffer.from("Meeting notes, not a photo.\n".repeat(20)) });
      assert.equal(await page.locator("#error").getAttribute("data-code"), "INVALID_IMAGE");
      assert.match(await page.locator("#error-text").textContent(), /不是一张可用的照片.*请重新拍照/);
      assert.equal(await page.locator("#result").isHidden(), true);
      const sent = (await Promise.all(log.requests)).slice(before).filter((r) => r.url.includes("/v1/recognize"));
      assert.deepEqual(sent, [], "a non-image must not be sent to the paid service");
    });
    await page.context().close();
  });

  test("a truncated JPEG: a clear error, nothing sent", async () => {
    const page = await demo.open();
    await withScreenshot(page, "error-truncated", async () => {
      const before = (await Promise.all(log.requests)).length;
      const truncated = CARD_JPEG.subarray(0, Math.floor(CARD_JPEG.length * 0.6));
      await recognizeIn(page, "vehicleLicenseBack", { name: "cut.jpg", mimeType: "image/jpeg", buffer: truncated });
      assert.equal(await page.locator("#error").getAttribute("data-code"), "INVALID_IMAGE");
      assert.match(await page.locator("#error-text").textContent(), /不完整.*请重新拍照/);
      // Plain words only: no exception text, no stack.
      assert.doesNotMatch(await page.locator("#error").textContent(), /Error|at |\.js|undefined/);
      const sent = (await Promise.all(log.requests)).slice(before).filter((r) => r.url.includes("/v1/recognize"));
      assert.deepEqual(sent, [], "a truncated photo must not be sent to the paid service");
    });
    await page.context().close();
  });

  test("an iPhone HEIC photo where the browser cannot decode it: says what to do", async () => {
    const page = await demo.open();
    await withScreenshot(page, "error-heic", async () => {
      // An ISO-BMFF `ftyp` box with the `heic` brand: what an iPhone sends by default.
      const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypheic\0\0\0\0mif1heic", "latin1"), Buffer.alloc(2000, 7)]);
      await recognizeIn(page, "vehicleLicenseFront", { name: "IMG_0001.HEIC", mimeType: "image/heic", buffer: heic });
      assert.equal(await page.locator("#error").getAttribute("data-code"), "UNSUPPORTED_FORMAT");
      assert.match(await page.locator("#error-text").textContent(), /HEIC.*兼容性最佳/);
    });
    await page.context().close();
  });

  test("drag and drop (desktop) recognizes the dropped file", async () => {
    const page = await demo.open({ width: 1280, height: 900 });
    await withScreenshot(page, "drop", async () => {
      await page.locator('input[name="document"][value="vehicleLicenseBack"]').check();
      const dt = await page.evaluateHandle((b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const d = new DataTransfer();
        d.items.add(new File([bytes], "dropped.jpg", { type: "image/jpeg" }));
        return d;
      }, CARD_JPEG.toString("base64"));
      await page.dispatchEvent("body", "dragenter", { dataTransfer: dt });
      assert.equal(await page.locator("#drop").isVisible(), true, "the drop target shows");
      await page.dispatchEvent("body", "drop", { dataTransfer: dt });
      await page.locator("#result:not([hidden]), #error:not([hidden])").first().waitFor({ timeout: 60_000 });
      assert.equal(await page.locator("#drop").isHidden(), true);
      assert.equal(await fieldValue(page, "totalMassKg"), int(SIM_BACK.TotalMass));
    });
    await page.context().close();
  });

  test("an unreadable document: tells the user to retake the photo", async () => {
    const page = await demo.open();
    await withScreenshot(page, "error-unreadable", async () => {
      await recognizeIn(page, "vehicleLicenseFront", { name: "blurry.jpg", mimeType: "image/jpeg", buffer: withComment(CARD_JPEG, "SIM:UNREADABLE") });
      assert.equal(await page.locator("#error").getAttribute("data-code"), "RECOGNITION_FAILED");
      assert.match(await page.locator("#error-text").textContent(), /重新拍照/);
      assert.equal(await page.locator("#retry").isVisible(), true);
    });
    await page.context().close();
  });

  test("cancel while waiting for the service", async () => {
    const page = await demo.open();
    await withScreenshot(page, "cancel", async () => {
      let release;
      const held = new Promise((r) => (release = r));
      await page.route("**/v1/recognize**", async (route) => {
        await held;
        await route.continue().catch(() => {});
      });
      await page.locator("#pick").setInputFiles({ name: "a.jpg", mimeType: "image/jpeg", buffer: CARD_JPEG });
      await page.locator('#progress[data-stage="waiting"]').waitFor();
      assert.match(await page.locator("#progress-text").textContent(), /正在识别/);
      // Cancelling aborts the request in flight (the page stops waiting for it at once).
      const aborted = page.waitForEvent("requestfailed", { predicate: (r) => r.url().includes("/v1/recognize"), timeout: 15_000 });
      await page.locator("#cancel").click();
      await page.locator("#error[data-code=ABORTED]").waitFor();
      assert.match(await page.locator("#error-text").textContent(), /已取消/);
      assert.equal(await page.locator("#progress").isHidden(), true);
      await aborted;
      release();
      await page.unroute("**/v1/recognize**");
      assert.equal(await page.locator("#result").isHidden(), true);
    });
    await page.context().close();
  });

  test("live camera: the capture element's rear-camera view, its shutter sends the frame", async () => {
    const camBrowser = await launchBrowser({ fakeCamera: true });
    try {
      const page = await openPage(camBrowser, demo.stack, log);
      await withScreenshot(page, "camera", async () => {
        await page.locator('input[name="document"][value="vehicleLicenseBack"]').check();
        await page.evaluate(() => {
          window.guidance = [];
          document.addEventListener("guidance", (e) => window.guidance.push(e.detail));
        });
        await page.locator("#open-camera").click();
        await page.locator("#camera").waitFor({ state: "visible" });
        const live = page.locator("#camera vehicle-doc-capture");
        assert.equal(await live.getAttribute("document"), "vehicleLicenseBack");
        await page.waitForFunction(() => document.querySelector("vehicle-doc-capture")?.shadowRoot.querySelector("video").videoWidth > 0);
        // Guidance from the quality report in the page's language (Chromium's synthetic camera shows no document).
        await page.waitForFunction(() => window.guidance.length > 0);
        const guidance = await page.evaluate(() => window.guidance.at(-1));
        assert.match(guidance.message, /\p{Script=Han}/u);
        assert.equal(await live.locator("[aria-live=polite]").textContent(), guidance.message);
        await page.screenshot({ path: join(ARTIFACTS, "camera-view.png") });
        await page.evaluate(() => (window.cameraTracks = document.querySelector("vehicle-doc-capture").stream.getTracks()));
        await live.locator(".shutter").click();
        await page.locator("#result:not([hidden]), #error:not([hidden])").first().waitFor({ timeout: 60_000 });
        assert.equal(await page.locator("#camera").isHidden(), true, "the camera closes after the shot");
        // The camera is stopped (no camera left running in the background).
        assert.deepEqual(await page.evaluate(() => window.cameraTracks.map((t) => t.readyState)), ["ended"]);
        assert.equal(await page.locator("vehicle-doc-capture").count(), 0);
        assert.equal(await fieldValue(page, "approvedPassengers"), int(SIM_BACK.AllowNum));
        assert.match(await page.locator('#numbers dd[data-k="source"]').textContent(), /相机画面 · \d+ × \d+ px/);
      });
      await page.context().close();
    } finally {
      await camBrowser.close();
    }
  });

  test("read on this phone: a settled licence shows every field as read on the phone, nothing sent; a certificate asks the service", async () => {
    const page = await demo.open();
    const fixtures = new URL("../../crates/ocr/tests/fixtures/", import.meta.url).pathname;
    const truth = JSON.parse(readFileSync(join(fixtures, "fixtures.json"), "utf8")).photos.find((p) => p.file === "licence-0080.jpg");
    const sentBefore = (await Promise.all(log.requests)).filter((r) => r.url.includes("/v1/recognize")).length;
    await withScreenshot(page, "local", async () => {
      assert.equal(await page.locator("#local-note").isHidden(), true);
      await page.locator('input[name="reader"][value="local"]').check();
      assert.equal(await page.locator("#local-note").isVisible(), true);
      await page.locator('input[name="document"][value="vehicleLicenseFront"]').check();
      await page.locator("#pick").setInputFiles(join(fixtures, "licence-0080.jpg"));
      await page.locator("#result:not([hidden]), #error:not([hidden])").first().waitFor({ timeout: 240_000 });
      assert.equal(await page.locator("#error").isHidden(), true, await page.locator("#error").textContent());
      assert.match(await page.locator("#meta").textContent(), /local/);
      assert.equal(await fieldValue(page, "vin"), truth.values.vin);
      assert.equal(await fieldValue(page, "owner"), truth.values.owner);
      const origins = await page.locator("#rows tr[data-origin]").evaluateAll((trs) => trs.map((tr) => tr.dataset.origin));
      assert.ok(origins.length > 5 && origins.every((o) => o === "local"), JSON.stringify(origins));
      assert.equal((await page.locator('#rows tr[data-field="vin"] .origin').textContent()).trim(), "本机");
    });
    const sentAfter = (await Promise.all(log.requests)).filter((r) => r.url.includes("/v1/recognize")).length;
    assert.equal(sentAfter, sentBefore, "a licence settled on the phone is not sent");

    // A certificate the phone cannot settle: the service is asked; each field says where it came from.
    await page.locator('input[name="document"][value="registrationCertificate"]').check();
    await page.locator("#pick").setInputFiles(join(fixtures, "certificate-0000.jpg"));
    await page.locator("#result").waitFor({ state: "hidden" }); // the new run cleared the last result
    await page.locator("#result:not([hidden]), #error:not([hidden])").first().waitFor({ timeout: 240_000 });
    assert.equal(await page.locator("#error").isHidden(), true, await page.locator("#error").textContent());
    const origins = await page.locator("#rows tr[data-origin]").evaluateAll((trs) => trs.map((tr) => tr.dataset.origin));
    assert.ok(origins.length > 5 && origins.includes("provider") && origins.every((o) => o === "local" || o === "provider"), JSON.stringify(origins));
    const sentLast = (await Promise.all(log.requests)).filter((r) => r.url.includes("/v1/recognize") && r.method === "POST").length;
    assert.ok(sentLast > sentBefore, "the certificate went to the service");
    await page.context().close();
  });

  test("no request from the page carries a key, and nothing goes to the providers directly", async () => {
    const requests = await Promise.all(log.requests);
    const posts = requests.filter((r) => r.url.includes("/v1/recognize") && r.method === "POST");
    assert.ok(posts.length >= 5, "the suite sent recognitions");
    assert.ok(posts.every((r) => r.body && r.body.length > 1000), "the photos sent were recorded (the scan covers them)");
    const forms = secretForms(demo.stack.secrets);
    assert.ok(forms.length >= 3);
    for (const r of requests) {
      const text = [r.url, JSON.stringify(r.headers), r.body ? r.body.toString("latin1") : ""].join("\n");
      const leaked = forms.filter((f) => text.includes(f));
      assert.deepEqual(leaked, [], `a key in ${r.method} ${new URL(r.url).pathname}`);
      const origin = new URL(r.url).origin;
      assert.ok(
        origin === new URL(demo.stack.pageUrl()).origin || origin === demo.stack.workerUrl || r.url.startsWith("blob:") || r.url.startsWith("data:"),
        `unexpected destination ${origin}`,
      );
    }
    // What the page is given to configure itself holds no key either.
    const config = await (await fetch(`${demo.stack.pageUrl()}config.json`)).text();
    assert.deepEqual(forms.filter((f) => config.includes(f)), []);
  });

  test("nothing recognized or uncaught reaches the console", () => {
    assert.deepEqual(log.pageErrors, []);
    const personal = [SIM_FRONT.Owner, SIM_FRONT.Vin, plate(SIM_FRONT.PlateNo), SIM_FRONT.Address, certText("机动车所有人V身份证名称V号码").split("V")[2]];
    for (const line of log.console) {
      for (const p of personal) assert.ok(!line.includes(p), "a recognized field was printed to the console");
    }
  });
});
