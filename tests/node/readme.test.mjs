// The READMEs' Node quick start is the file the strict TypeScript check compiles
// (tests/types/node-quickstart.ts, `tsc -p tests/types/tsconfig.node.json`): they must not drift.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

test("the Node quick start in both READMEs is the code that compiles under strict TypeScript", () => {
  const ts = read("tests/types/node-quickstart.ts");
  const code = /\/\/ --- README: node quick start\n([\s\S]*?)\/\/ --- end\n/.exec(ts)[1];
  for (const readme of ["README.md", "npm/README.md"]) {
    assert.ok(read(readme).includes("```ts\n" + code + "```\n"), `${readme} holds tests/types/node-quickstart.ts verbatim`);
  }
});
