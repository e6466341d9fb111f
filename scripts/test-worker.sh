#!/usr/bin/env bash
# The Worker shim (worker/) in the real workerd, against the provider simulator over 127.0.0.1.
# Self-contained: the suite bundles worker/ with `wrangler deploy --dry-run` (offline), starts the
# simulator and one miniflare instance per configuration, and stops them. Assumes scripts/build.sh ran.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f npm/wasm/vehicle_doc_ocr_bg.wasm ]; then
  echo "[test-worker] npm/wasm/ is missing: run bash scripts/build.sh first" >&2
  exit 1
fi
export WRANGLER_SEND_METRICS=false
node --test --test-reporter=spec worker/test/
