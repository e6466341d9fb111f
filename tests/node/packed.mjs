// The published package as a user gets it: `npm pack` in npm/, the tarball installed offline into
// an empty project in a temporary directory. Shared by package.test.mjs and cli.test.mjs.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const run = promisify(execFile);
export const pkgDir = fileURLToPath(new URL("../../npm/", import.meta.url));

/** Resolves to `{ dir, remove }`: `dir` holds package.json (type module) and node_modules/vehicle-doc-ocr. */
export async function installPacked() {
  const dir = await mkdtemp(join(tmpdir(), "vdo-pack-"));
  await run("npm", ["pack", "--pack-destination", dir, "--silent"], { cwd: pkgDir });
  const [tgz] = (await readdir(dir)).filter((f) => f.endsWith(".tgz"));
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--silent", `./${tgz}`], { cwd: dir });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
