#!/usr/bin/env bash
# The package as browser users consume it: `npm pack`, installed from the tarball into a fresh
# fixture app (tests/bundlers/app), then built by Vite 7 and webpack 5 (production), served by the
# Vite dev server, and loaded as native ES modules with no bundler; each is served on 127.0.0.1 and
# checked in headless Chromium (Debian's /usr/bin/chromium, playwright-core). Vite and webpack are
# exact-pinned root devDependencies; nothing is installed globally and nothing is downloaded.
# Assumes scripts/setup.sh and scripts/build.sh ran (npm test does both first).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
need_wasm test-bundlers
need_chromium test-bundlers
if [ ! -d node_modules/vite ] || [ ! -d node_modules/webpack ]; then
  echo "[test-bundlers] vite/webpack missing from node_modules: run npm install (scripts/setup.sh)" >&2
  exit 1
fi
node --test --test-reporter=spec --test-concurrency=1 tests/bundlers/
