#!/usr/bin/env bash
# Build the six wasm modules into the npm package folder (npm/wasm/). Assumes scripts/setup.sh ran.
#   vehicle_doc_ocr_bg.wasm        recognize(), options, probing                    (feature `main`)
#   vehicle_doc_ocr_image_bg.wasm  the pure-Rust image codec, loaded lazily         (feature `codec`)
#   vehicle_doc_ocr_shim_bg.wasm   the Worker shim's decisions, loaded by worker/ only (feature `shim`)
#   vehicle_doc_ocr_quality_bg.wasm         the photo quality report on canvas pixels (browsers) (feature `quality`)
#   vehicle_doc_ocr_quality_decode_bg.wasm  the same with its decoders (Node, Workers)    (feature `quality-decode`)
#   vehicle_doc_ocr_local_bg.wasm  on-device reading (PP-OCRv4 via rten), only for `local` (feature `local`;
#                                  outside the 150 KB budget: ~1 MB gzipped, the models are separate assets)
# Each must stay within the 150 KB gzipped budget.
#   scripts/build.sh --local-profile <dir>   only the local module with the measurement-only exports
#                                            (feature `local-profile`, bench/local-profile.mjs), into <dir>
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
out=npm/wasm
budget=153600

build_module() { # <name> <wasm-bindgen flags> <cargo feature args...>
  local name=$1 bindgen_flags=$2; shift 2
  cargo build --release --target wasm32-unknown-unknown -p vehicle-doc-ocr --quiet "$@"
  # shellcheck disable=SC2086
  wasm-bindgen --target web $bindgen_flags --out-dir "$out" --out-name "$name" \
    "$target_dir/wasm32-unknown-unknown/release/vehicle_doc_ocr.wasm"
  # wasm-opt from the npm `binaryen` package (no GitHub download). A second -Oz pass still
  # saves 0.2-0.8 KB gzipped (measured 2026-11-23; a third pass made the image module larger).
  # The producers and target-features sections are tool metadata no runtime reads (~0.2 KB each module).
  local pass
  for pass in 1 2; do
    node_modules/.bin/wasm-opt -Oz --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
  done
  local raw gz
  raw=$(wc -c <"$out/${name}_bg.wasm")
  # zlib level 9, as BENCHMARKS.md measures it (about 2 % larger than the gzip command's output).
  gz=$(node -e 'process.stdout.write(String(require("zlib").gzipSync(require("fs").readFileSync(process.argv[1]), { level: 9 }).length))' "$out/${name}_bg.wasm")
  printf '[build] %s: %d bytes, %d bytes gzipped (budget %d)\n' "$out/${name}_bg.wasm" "$raw" "$gz" "$budget" >&2
  if [ "$gz" -gt "$budget" ]; then
    echo "[build] $out/${name}_bg.wasm is over the 150 KB gzipped budget" >&2
    exit 1
  fi
}

# The local module (`build_local <cargo features> <out dir>`): rten's inference loops want speed, not
# size, and wasm SIMD128 (Node 20; Safari from 16.4). Its own target dir, since RUSTFLAGS differ.
build_local() {
  local features=$1 dir=$2 local_target="$target_dir/local"
  RUSTFLAGS="-C target-feature=+simd128" CARGO_TARGET_DIR="$local_target" \
    cargo build --release --target wasm32-unknown-unknown -p vehicle-doc-ocr --quiet --no-default-features --features "$features"
  wasm-bindgen --target web --out-dir "$dir" --out-name vehicle_doc_ocr_local \
    "$local_target/wasm32-unknown-unknown/release/vehicle_doc_ocr.wasm"
  node_modules/.bin/wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$dir/vehicle_doc_ocr_local_bg.wasm" -o "$dir/vehicle_doc_ocr_local_bg.wasm"
  printf '[build] %s: %d bytes, %d bytes gzipped (no budget: loaded only by `local` callers)\n' "$dir/vehicle_doc_ocr_local_bg.wasm" \
    "$(wc -c <"$dir/vehicle_doc_ocr_local_bg.wasm")" \
    "$(node -e 'process.stdout.write(String(require("zlib").gzipSync(require("fs").readFileSync(process.argv[1]), { level: 9 }).length))' "$dir/vehicle_doc_ocr_local_bg.wasm")" >&2
}

# `--local-profile <dir>`: only the measurement build of the local module (feature `local-profile`:
# also LocalEngine.withPrepack and profileDocument) into <dir>, for bench/local-profile.mjs; the
# package's modules in npm/wasm/ are left as they are.
if [ "${1:-}" = "--local-profile" ]; then
  build_local local,local-profile "${2:?usage: scripts/build.sh --local-profile <out dir>}"
  exit 0
fi

rm -rf "$out"
build_module vehicle_doc_ocr ""
# The codec can run out of memory on a big photo (a WebAssembly trap): npm/src/api.js then
# re-instantiates it through the generated __wbg_reset_state.
# jpeg-decoder at opt-level 2 and jpeg-encoder at 3 in this module only (the rest stays "z"):
# entropy decoding, IDCT, colour conversion and the encoder's DCT and Huffman passes are most of
# a photo's time, and at "z" their small helpers stay calls. Measured 2026-12-01 (interleaved
# A/B, CPU time of a 12 MP photo; docs/IMAGE_POLICY.md, "Speed and memory"): jpeg-decoder at 2
# about 12 % less for +2.0 KB gzipped (at 3: +2.2 KB, no faster), jpeg-encoder at 3 another
# 4-10 % for +0.6 KB. Cargo's per-package override, given on the command line so no other
# module changes.
build_module vehicle_doc_ocr_image --experimental-reset-state-function --no-default-features --features codec \
  --config 'profile.release.package.jpeg-decoder.opt-level=2' --config 'profile.release.package.jpeg-encoder.opt-level=3'
# Loaded only by the Worker (npm/src/shim.js, `vehicle-doc-ocr/worker`), never by a browser.
build_module vehicle_doc_ocr_shim "" --no-default-features --features shim
# The photo quality report (assessImage), loaded only by callers of assessImage, a gated recognize()
# and the capture element: in browsers the RGBA entry only (the canvas decodes; no decoder linked),
# in Node and Workers with its decoders (assessBytes).
build_module vehicle_doc_ocr_quality "" --no-default-features --features quality
build_module vehicle_doc_ocr_quality_decode "" --no-default-features --features quality-decode

# On-device reading (`recognize(image, { local })`), outside the budget; without the
# measurement-only exports (feature `local-profile`).
build_local local "$out"
