#!/usr/bin/env bash
# `npm run bench`: image preparation in headless Chromium (browser and wasm codecs against
# browser-image-compression and a single native canvas pass) and the wasm codec in Node, on
# photos the bench generates itself, and against the codecs Node/Worker users would pick instead
# (bench/peers.mjs); writes BENCHMARKS.md. Not a test. Needs the wasm build
# (scripts/build.sh) and /usr/bin/chromium (or CHROMIUM_PATH). Then the Worker shim's latency and
# CPU (scripts/bench-shim.mjs), into the same file.
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
# The wasm codec against @cf-wasm/photon, @jsquash/jpeg + resize and sharp in Node ("## Codec peers").
node bench/peers.mjs
# The Worker shim's added latency and CPU per request (fills BENCHMARKS.md's "Worker shim" section).
WRANGLER_SEND_METRICS=false node scripts/bench-shim.mjs 300
