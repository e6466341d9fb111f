#!/usr/bin/env bash
# `npm run bench`: image preparation in headless Chromium (browser and wasm codecs against
# browser-image-compression and a single native canvas pass) and the wasm codec in Node, on
# photos the bench generates itself, and against the codecs Node/Worker users would pick instead
# (bench/peers.mjs); writes BENCHMARKS.md. Not a test. Needs the wasm build
# (scripts/build.sh) and /usr/bin/chromium (or CHROMIUM_PATH). Then the Worker shim's latency and
# CPU (scripts/bench-shim.mjs), into the same file, and the quality report per camera frame
# (bench/quality.mjs, when a bench/ocr corpus exists).
#   BENCH_RUNS=N   measured runs per case and contestant (default 5, minimum 5; the phone profile: minimum 3)
#   BENCH_QUICK=1  skip the 48 MP cases
#   BENCH_PHONE_ONLY=1  only the phone profile (bench/phone.mjs: CPU throttled 4×, upload at 1.5 Mbit/s)
#   BENCH_OCR_PHOTOS=N  photos of the readability check (default 36; 0 skips it)
#   OCR_PYTHON=path     the Python with bench/ocr/requirements.txt (default .venv-ocr/bin/python, else python3)
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
# Issue 13's readability check: PP-OCRv4 reads the full-resolution photo and what each size
# target sends (BENCHMARKS.md's "Legible target" section). Only where the OCR engine is installed;
# about 5-40 s of CPU per photo and variant.
ocr_python=${OCR_PYTHON:-.venv-ocr/bin/python}
[ -x "$ocr_python" ] || ocr_python=python3
ocr_photos=${BENCH_OCR_PHOTOS:-36}
if [ "$ocr_photos" = "0" ]; then
  echo "[bench] readability check SKIPPED (BENCH_OCR_PHOTOS=0)" >&2
elif ! "$ocr_python" -c 'import rapidocr_onnxruntime, cv2' 2>/dev/null; then
  echo "[bench] readability check SKIPPED: no rapidocr-onnxruntime/opencv in $ocr_python (python3 -m venv .venv-ocr && .venv-ocr/bin/pip install -r bench/ocr/requirements.txt, or set OCR_PYTHON); BENCHMARKS.md keeps its last \"Legible target\" section" >&2
else
  ocr_dir=bench/ocr/out/legible-$ocr_photos
  [ -f "$ocr_dir/corpus/manifest.json" ] ||
    CORPUS_SIZE=4000x3000 CORPUS_KIND=legible "$ocr_python" bench/ocr/corpus.py "$ocr_dir/corpus" "$ocr_photos"
  "$ocr_python" bench/ocr/legible.py "$ocr_dir/corpus" "$ocr_dir/work" --write BENCHMARKS.md
fi
# The phone profile: preparation with the CPU throttled 4× plus the upload at 1.5 Mbit/s
# (BENCHMARKS.md's "Phone profile" section and docs/bench-phone.svg).
node bench/phone.mjs
# The wasm codec against @cf-wasm/photon, @jsquash/jpeg + resize and sharp in Node ("## Codec peers").
node bench/peers.mjs
# The quality report's time per camera frame in Chromium, on the calibration corpus when one was
# generated (bench/ocr/corpus.py; skipped otherwise). Prints JSON; BENCHMARKS.md "Quality gate".
node bench/quality.mjs "${QUALITY_CORPUS:-bench/ocr/out/corpus}" 200
# On-device reading in Chromium (plain, CPU 4× slower) and Node: "## On-device reading"; its stage
# table comes from bench/local-profile.mjs, which first builds its own local module with the
# measurement-only exports (scripts/build.sh --local-profile; the shipped one has none).
node bench/local.mjs
# The Worker shim's added latency and CPU per request (fills BENCHMARKS.md's "Worker shim" section).
WRANGLER_SEND_METRICS=false node scripts/bench-shim.mjs 300
