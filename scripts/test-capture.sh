#!/usr/bin/env bash
# The live capture element <vehicle-doc-capture> (npm/src/capture.js) in headless Chromium with a
# fake camera playing generated footage (tests/capture/frames.mjs): guidance, auto-capture, the
# file-input fallback, the camera stopped on removal. Screenshots go to test-artifacts/.
# Assumes scripts/setup.sh and scripts/build.sh ran (npm test does both first).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
need_wasm test-capture
need_chromium test-capture
mkdir -p test-artifacts
node --test --test-reporter=spec --test-concurrency=1 tests/capture/
