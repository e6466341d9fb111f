#!/usr/bin/env bash
# Build the wasm module into the npm package folder (npm/wasm/). Assumes scripts/setup.sh ran.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
out=npm/wasm

cargo build --release --target wasm32-unknown-unknown -p vehicle-doc-ocr --quiet
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" --out-name vehicle_doc_ocr \
  "$target_dir/wasm32-unknown-unknown/release/vehicle_doc_ocr.wasm"
# wasm-opt from the npm `binaryen` package (no GitHub download); the size budget (150 KB gzipped)
# is checked below.
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/vehicle_doc_ocr_bg.wasm" -o "$out/vehicle_doc_ocr_bg.wasm"
raw=$(wc -c <"$out/vehicle_doc_ocr_bg.wasm")
gz=$(gzip -9 -c "$out/vehicle_doc_ocr_bg.wasm" | wc -c)
printf '[build] %s: %d bytes, %d bytes gzipped (budget 153600)\n' "$out/vehicle_doc_ocr_bg.wasm" "$raw" "$gz" >&2
if [ "$gz" -gt 153600 ]; then
  echo "[build] the wasm file is over the 150 KB gzipped budget" >&2
  exit 1
fi
