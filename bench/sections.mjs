// One way to write a section of BENCHMARKS.md, for the bench scripts that each fill their own.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/**
 * Replace the section of `path` that starts with the line `heading…` (up to the next `## `
 * heading) by `section`; a new section goes just before "## Worker shim" (the file's last), else
 * at the end.
 */
export function replaceSection(path, heading, section) {
  const old = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n";
  const lines = old.split("\n");
  const start = lines.findIndex((l) => l.startsWith(heading));
  let next;
  if (start >= 0) {
    const after = lines.findIndex((l, i) => i > start && l.startsWith("## "));
    next = [...lines.slice(0, start), section.trimEnd(), "", ...(after >= 0 ? lines.slice(after) : [])].join("\n");
  } else {
    const shim = lines.findIndex((l) => l.startsWith("## Worker shim"));
    next = shim >= 0 ? [...lines.slice(0, shim), section.trimEnd(), "", ...lines.slice(shim)].join("\n") : old.trimEnd() + "\n\n" + section;
  }
  writeFileSync(path, next.endsWith("\n") ? next : next + "\n");
}
