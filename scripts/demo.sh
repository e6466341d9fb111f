#!/usr/bin/env bash
# `npm run demo`: set-up, wasm build, then the demo stack in one process (www/demo-server.mjs):
#   - the provider simulator (sim/), unless APIHZ_ID+APIHZ_KEY and/or JUHE_KEY are set in the
#     environment or in worker/.dev.vars (then the real providers are called, and billed)
#   - the Worker shim (worker/) in workerd, with the keys as its secrets and the page's origin in
#     ALLOWED_ORIGINS
#   - the page (www/) with the package (npm/) at /pkg/, on its own origin
# It prints the URL to open; Ctrl-C stops everything.
# Settings: DEMO_PORT (default 8080, a free port if taken), DEMO_HOST (default 127.0.0.1;
# 0.0.0.0 to open it from a phone on the LAN: the live camera then needs HTTPS, the photo button
# works), DEMO_SIMULATOR=1 (the simulator even when keys are set), DEMO_QUIET=1 (no request log).
set -euo pipefail
cd "$(dirname "$0")/.."

SETUP_BROWSER=0 bash scripts/setup.sh
bash scripts/build.sh
export WRANGLER_SEND_METRICS=false
exec node www/demo-server.mjs
