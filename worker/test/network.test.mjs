// The Worker in workerd against hostile provider answers (issue 11): a redirect is never
// followed (nothing re-posted to the Location host), a gzip answer that expands without end is
// cut off at maxAnswerBytes. The client is the package in Node (proxyUrl mode).
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import * as ocr from "../../npm/src/node.js";
import { rejection as rejectionOf, startSink } from "../../tests/node/helpers.mjs";
import { CARD_JPEG, leaks, useStack } from "../support/harness.mjs";

const stack = useStack();
/** A second host (an attacker's): records every request it gets. */
let elsewhere;
before(async () => {
  elsewhere = await startSink();
});
after(() => elsewhere.close());
beforeEach(() => {
  elsewhere.hits.length = 0;
});

const rejection = (promise, cls) =>
  rejectionOf(promise, cls, (err) => {
    assert.deepEqual(leaks(`${err.message} ${err.providerMessage} ${JSON.stringify(err)}`), []);
  });
const endpoint = (fault, query = "") => `${stack.sim.url}/__fault/${fault}/api/ai/xingshizheng.php${query}`;

describe("the Worker never follows a provider redirect", () => {
  for (const status of [301, 307, 308]) {
    test(`${status} to another host: ProviderError, the key and image re-posted nowhere`, async () => {
      const to = encodeURIComponent(`${elsewhere.url}/steal`);
      const w = await stack.worker({ APIHZ_ENDPOINTS: endpoint(`redirect-${status}`, `?to=${to}`) });
      await rejection(ocr.recognize(CARD_JPEG, { document: "vehicleLicenseFront", proxyUrl: w.url }), ocr.ProviderError);
      assert.deepEqual(elsewhere.hits, [], "the redirect target saw no request");
      assert.deepEqual(stack.sim.calls().map((c) => c.outcome), [`fault-redirect-${status}`], "posted once, never re-posted");
      await stack.close(w);
    });
  }
});

test("a gzip answer expanding to 200 MB: the Worker cuts it off (ProviderError), it does not run out of memory", async () => {
  const w = await stack.worker({ APIHZ_ENDPOINTS: endpoint("gzip-bomb") });
  const err = await rejection(ocr.recognize(CARD_JPEG, { document: "vehicleLicenseFront", proxyUrl: w.url }), ocr.ProviderError);
  assert.equal(err.provider, "apihz");
  // The Worker still answers afterwards.
  const ok = await ocr.recognize(CARD_JPEG, { document: "vehicleLicenseFront", proxyUrl: (await stack.worker()).url });
  assert.equal(ok.document, "vehicleLicenseFront");
});
