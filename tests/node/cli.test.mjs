// The command-line entry: `vehicle-doc-ocr <image> --document ...` prints the typed result as JSON.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const cli = fileURLToPath(new URL("../../npm/bin/cli.mjs", import.meta.url));
const image = fileURLToPath(new URL("./fixtures/card-640x400.jpg", import.meta.url));
const env = { ...process.env, APIHZ_ID: "", APIHZ_KEY: "", JUHE_KEY: "" };

for (const document of ["vehicleLicenseFront", "vehicleLicenseBack", "registrationCertificate"]) {
  test(`prints the typed ${document} as JSON and says it used the simulator`, async () => {
    const { stdout, stderr } = await run(process.execPath, [cli, image, "--document", document], { env });
    const result = JSON.parse(stdout);
    assert.equal(result.document, document);
    assert.match(stderr, /SIMULATOR/);
  });
}

test("a bad image exits non-zero with a typed error on stderr", async () => {
  const err = await run(process.execPath, [cli, cli, "--document", "vehicleLicenseFront"], { env }).catch((e) => e);
  assert.equal(err.code, 1);
  assert.equal(JSON.parse(err.stderr.slice(err.stderr.indexOf("{"))).error.code, "INVALID_IMAGE");
});

test("missing arguments print the usage and exit 2", async () => {
  const err = await run(process.execPath, [cli], { env }).catch((e) => e);
  assert.equal(err.code, 2);
  assert.match(err.stderr, /usage: vehicle-doc-ocr/);
});
