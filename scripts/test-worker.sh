#!/usr/bin/env bash
# The Worker shim (worker/) in the real workerd, against the provider simulator over 127.0.0.1.
# Self-contained: the suite bundles worker/ with `wrangler deploy --dry-run` (offline), starts the
# simulator and one miniflare instance per configuration, and stops them. Assumes scripts/build.sh ran.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
need_wasm test-worker
export WRANGLER_SEND_METRICS=false
node --test --test-reporter=spec worker/test/
