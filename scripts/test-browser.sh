#!/usr/bin/env bash
# End-to-end tests of the demo page in headless Chromium (Debian's /usr/bin/chromium driven by
# playwright-core, no browser download) against the real stack: provider simulator + Worker shim
# in workerd + the served page, all started by the suite on free ports (www/demo-server.mjs).
# Screenshots go to test-artifacts/ (UPDATE_DEMO_SCREENSHOT=1 also rewrites docs/demo-phone.png).
# Assumes scripts/setup.sh and scripts/build.sh ran (npm test does both first).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
need_wasm test-browser
need_chromium test-browser
if [ "${UPDATE_DEMO_SCREENSHOT:-0}" = 1 ] && ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  echo "[test-browser] no Chinese font: the screenshot would show empty boxes. apt-get install fonts-noto-cjk first" >&2
  exit 1
fi
mkdir -p test-artifacts
export WRANGLER_SEND_METRICS=false
node --test --test-reporter=spec --test-concurrency=1 tests/e2e/
# On-device reading in a module Web Worker (issue 14): the fixture photos read in Chromium, the
# models fetched once and cached, 404 and abort errors.
node --test --test-reporter=spec tests/browser/local-reading.mjs
