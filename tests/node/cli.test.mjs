// The command-line entry: `vehicle-doc-ocr <image> --document ...` prints the typed result as JSON.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { CREDS, startSim } from "./helpers.mjs";
import { installPacked, run } from "./packed.mjs";

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

test("--version prints the package's version", async () => {
  const { version } = JSON.parse(readFileSync(new URL("../../npm/package.json", import.meta.url), "utf8"));
  const { stdout } = await run(process.execPath, [cli, "--version"], { env });
  assert.equal(stdout, `${version}\n`);
});

test("a usage problem is plain text naming the problem, not a JSON string", async () => {
  const err = await run(process.execPath, [cli, image], { env }).catch((e) => e);
  assert.equal(err.code, 2);
  assert.match(err.stderr, /^vehicle-doc-ocr: missing --document\n\nusage: vehicle-doc-ocr <image-file/);
  assert.ok(!err.stderr.includes("\\n"), "no escaped newlines");
  const bad = await run(process.execPath, [cli, image, "--colour", "red"], { env }).catch((e) => e);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^vehicle-doc-ocr: Unknown option '--colour'[\s\S]*\nusage: /);
});

test("an unreadable image file is named in the error", async () => {
  const missing = join(tmpdir(), "no-such-dir-vdo", "licence photo.jpg");
  const err = await run(process.execPath, [cli, missing, "--document", "vehicleLicenseFront"], { env }).catch((e) => e);
  assert.equal(err.code, 2);
  const { error } = JSON.parse(err.stderr.slice(err.stderr.indexOf("{")));
  assert.equal(error.code, "INVALID_IMAGE");
  assert.ok(error.message.includes(JSON.stringify(missing)), error.message);
  assert.match(error.message, /ENOENT/);
});

test("keys with local endpoints: no \"REAL providers, billed\" banner", async (t) => {
  const sim = await startSim();
  t.after(() => sim.close());
  const local = { ...env, APIHZ_ID: CREDS.apihz.id, APIHZ_KEY: CREDS.apihz.key, APIHZ_ENDPOINTS: sim.apihzUrl };
  const { stdout, stderr } = await run(process.execPath, [cli, image, "--document", "vehicleLicenseFront"], { env: local });
  assert.equal(JSON.parse(stdout).document, "vehicleLicenseFront");
  assert.doesNotMatch(stderr, /REAL|billed/);
  assert.match(stderr, /local endpoints for apihz/);
  assert.ok(!stderr.includes(CREDS.apihz.key));
  // The default (real) endpoints do get the banner (the image, not an image, is refused before any request).
  const remote = { ...local, APIHZ_ENDPOINTS: "" };
  const err = await run(process.execPath, [cli, cli, "--document", "vehicleLicenseFront"], { env: remote }).catch((e) => e);
  assert.match(err.stderr, /REAL providers \(apihz\): each call is billed/);
  assert.equal(JSON.parse(err.stderr.slice(err.stderr.indexOf("{"))).error.code, "INVALID_IMAGE");
});

describe("installed from the tarball (outside a checkout)", () => {
  let dir;
  let remove;
  before(async () => {
    ({ dir, remove } = await installPacked());
  });
  after(() => remove());

  test("without keys it says what to do, and never runs a planted node_modules/sim/server.mjs", async () => {
    // What `../../sim/server.mjs` from node_modules/vehicle-doc-ocr/bin/ reaches, with a workspace
    // package.json next to it: any code there must not run.
    const marker = join(dir, "pwned");
    await mkdir(join(dir, "node_modules/sim"), { recursive: true });
    await writeFile(
      join(dir, "node_modules/sim/server.mjs"),
      `import { writeFileSync } from "node:fs"; writeFileSync(${JSON.stringify(marker)}, "ran");
       export async function startSimulator() { writeFileSync(${JSON.stringify(marker)}, "started"); return { url: "x", close() {} }; }`,
    );
    await writeFile(join(dir, "node_modules/package.json"), JSON.stringify({ name: "vehicle-doc-ocr-workspace" }));
    const bin = join(dir, "node_modules/.bin/vehicle-doc-ocr");
    const err = await run(bin, [image, "--document", "vehicleLicenseFront"], { cwd: dir, env }).catch((e) => e);
    assert.equal(err.code, 2);
    assert.equal(existsSync(marker), false, "the planted simulator ran");
    const { error } = JSON.parse(err.stderr);
    assert.equal(error.code, "CONFIG");
    assert.match(error.message, /set APIHZ_ID and APIHZ_KEY .* JUHE_KEY/);
    assert.match(error.message, /simulator is only in a checkout of the repository/);
    const { stdout } = await run(bin, ["--version"], { cwd: dir, env });
    assert.match(stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
