#!/usr/bin/env bash
# Idempotent set-up for a fresh machine, run by `npm test` and `npm run demo` (and CI).
# Installs only what is missing, from this machine's registries (crates.io, npm, Debian):
#   - the wasm32-unknown-unknown Rust target
#   - wasm-bindgen-cli at exactly the version crates/wasm pins (wasm-pack is not used: it
#     downloads wasm-opt/wasm-bindgen from GitHub; wasm-opt comes from the npm `binaryen` package)
#   - npm dev dependencies (wrangler/miniflare/workerd, playwright-core, binaryen, typescript,
#     vite + webpack for the bundler tests, sharp + browser-image-compression for tests and bench)
#   - Debian chromium + chromium-driver + fonts-noto-cjk for the browser tests (skip with SETUP_BROWSER=0)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

wb_version=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' crates/wasm/Cargo.toml)
if [ -z "$wb_version" ]; then say "cannot read the wasm-bindgen pin from crates/wasm/Cargo.toml"; exit 1; fi
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wb_version"; then
  say "installing wasm-bindgen-cli $wb_version (a few minutes, once)"
  # --locked fails on this registry mirror; the exact --version pin is what matters.
  cargo install wasm-bindgen-cli --version "$wb_version" --quiet
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dev dependencies"
  if ! npm ci --no-audit --no-fund --loglevel=error 2>/tmp/vdo-npm-ci.log; then
    # This registry mirror omits other platforms' optional packages (e.g. @rollup/rollup-darwin-*)
    # from the lock file, which `npm ci` then refuses; `npm install` installs the same locked
    # versions (checked when this was written) without rewriting the lock file.
    say "npm ci refused the lock file ($(grep -m1 -o 'Missing: [^ ]*' /tmp/vdo-npm-ci.log || echo 'see /tmp/vdo-npm-ci.log')); installing the locked versions with npm install"
    npm install --no-audit --no-fund --no-save --loglevel=error
  fi
  touch node_modules/.package-lock.json
fi

if [ "${SETUP_BROWSER:-1}" = 1 ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; }; then
  # fonts-noto-cjk: without a Chinese font the demo screenshots show boxes instead of 行驶证.
  say "installing Debian chromium + chromium-driver + fonts-noto-cjk for the browser tests"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
fi
say "ok"
