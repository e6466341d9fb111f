#!/usr/bin/env bash
# `npm run bench`: image preparation in headless Chromium (browser and wasm codecs against
# browser-image-compression and a single native canvas pass) and the wasm codec in Node, on
# photos the bench generates itself; writes BENCHMARKS.md. Not a test. Needs the wasm build
# (scripts/build.sh) and /usr/bin/chromium (or CHROMIUM_PATH). Then the Worker shim's latency and
# CPU (scripts/bench-shim.mjs), into the same file, and the quality report per camera frame
# (bench/quality.mjs, when a bench/ocr corpus exists).
#   BENCH_RUNS=N   measured runs per case and contestant (default 5, minimum 5; the phone profile: minimum 3)
#   BENCH_QUICK=1  skip the 48 MP cases
#   BENCH_PHONE_ONLY=1  only the phone profile (bench/phone.mjs: CPU throttled 4×, upload at 1.5 Mbit/s)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
need_wasm bench
need_chromium bench
if [ "${BENCH_PHONE_ONLY:-}" = "1" ]; then
  node bench/phone.mjs
  exit 0
fi
node bench/run.mjs
# The phone profile: preparation with the CPU throttled 4× plus the upload at 1.5 Mbit/s
# (BENCHMARKS.md's "Phone profile" section and docs/bench-phone.svg).
node bench/phone.mjs
# The quality report's time per camera frame in Chromium, on the calibration corpus when one was
# generated (bench/ocr/corpus.py; skipped otherwise). Prints JSON; BENCHMARKS.md "Quality gate".
node bench/quality.mjs "${QUALITY_CORPUS:-bench/ocr/out/corpus}" 200
# The Worker shim's added latency and CPU per request (fills BENCHMARKS.md's "Worker shim" section).
WRANGLER_SEND_METRICS=false node scripts/bench-shim.mjs 300
