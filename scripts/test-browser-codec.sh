#!/usr/bin/env bash
# The browser codec suites (tests/browser/) in Debian's headless Chromium via playwright-core.
# Run after the wasm build (scripts/build.sh): the page imports /npm/src/browser.js from a tiny
# static server on 127.0.0.1 that each suite starts and stops itself. Exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
need_chromium test-browser-codec
need_wasm test-browser-codec
node --test --test-reporter=spec --test-concurrency=1 tests/browser/
