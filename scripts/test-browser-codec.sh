#!/usr/bin/env bash
# The browser codec suites (tests/browser/) in Debian's headless Chromium via playwright-core.
# Run after the wasm build (scripts/build.sh): the page imports /npm/src/browser.js from a tiny
# static server on 127.0.0.1 that each suite starts and stops itself. Exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "[test-browser-codec] $chromium not found (apt-get install chromium, or set CHROMIUM_PATH)" >&2
  exit 1
fi
for f in npm/wasm/vehicle_doc_ocr_bg.wasm npm/wasm/vehicle_doc_ocr_image_bg.wasm; do
  [ -f "$f" ] || { echo "[test-browser-codec] $f missing: run scripts/build.sh first" >&2; exit 1; }
done
node --test --test-reporter=spec --test-concurrency=1 tests/browser/
