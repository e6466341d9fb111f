#!/usr/bin/env bash
# The one test command (`npm test`): set-up, lints, native tests, wasm build, then the JS suites
# against the real provider simulator over loopback, the Worker in workerd and headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
step() { printf '\n=== %s\n' "$*" >&2; }

step "set-up"
bash scripts/setup.sh

step "format and lints (native and wasm32, -D warnings)"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p vehicle-doc-ocr --target wasm32-unknown-unknown --quiet -- -D warnings
cargo clippy -p vehicle-doc-ocr --target wasm32-unknown-unknown --no-default-features --features codec --quiet -- -D warnings
cargo clippy -p vehicle-doc-ocr --target wasm32-unknown-unknown --no-default-features --features shim --quiet -- -D warnings
cargo clippy -p vehicle-doc-ocr --target wasm32-unknown-unknown --no-default-features --features quality --quiet -- -D warnings
cargo clippy -p vehicle-doc-ocr --target wasm32-unknown-unknown --no-default-features --features quality-decode --quiet -- -D warnings
RUSTFLAGS="-C target-feature=+simd128" CARGO_TARGET_DIR=target/local cargo clippy -p vehicle-doc-ocr --target wasm32-unknown-unknown --no-default-features --features local --quiet -- -D warnings
RUSTFLAGS="-C target-feature=+simd128" CARGO_TARGET_DIR=target/local cargo clippy -p vehicle-doc-ocr --target wasm32-unknown-unknown --no-default-features --features local,local-profile --quiet -- -D warnings
# Architecture invariant: the decision crates stay pure Rust (no wasm/JS dependency, even indirect).
for crate in vehicle-doc-ocr-core vehicle-doc-ocr-imaging vehicle-doc-ocr-shim; do
  if cargo tree -p "$crate" -e normal --target all --prefix none | grep -E '^(wasm-bindgen|js-sys|web-sys|wasm-bindgen-futures) '; then
    echo "$crate depends on wasm/JS crates (above): keep it pure Rust, move the glue to crates/wasm" >&2; exit 1
  fi
done
# The on-device reader (crates/ocr) likewise; rten itself declares wasm-bindgen for wasm32 (its
# optional JS API, unused here), so rten's own subtree is left out of this check, and rten may
# bring nothing beyond wasm-bindgen.
if cargo tree -p vehicle-doc-ocr-local -e normal --target all --prefix none --prune rten | grep -E '^(wasm-bindgen|js-sys|web-sys|wasm-bindgen-futures) ' \
  || cargo tree -p rten -e normal --target all --prefix none | grep -E '^(js-sys|web-sys|wasm-bindgen-futures) '; then
  echo "vehicle-doc-ocr-local depends on wasm/JS crates (above): keep it pure Rust" >&2; exit 1
fi

step "native tests (pure core, image pipeline)"
cargo test --workspace --quiet
# The TypeScript result types are generated from the Rust structs; fail if the committed file is stale.
cargo test -p vehicle-doc-ocr-core --features ts --quiet --test types

step "the wasm glue's own tests (wasm-bindgen-test in Node: timeout vs abort, timers, error objects)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p vehicle-doc-ocr --target wasm32-unknown-unknown

step "wasm build"
bash scripts/build.sh

step "published TypeScript types (strict compile of a user's code; no \`any\`)"
node_modules/.bin/tsc -p tests/types
# Without the DOM lib (Node/Worker projects): no @types at all, then @types/node with the README's Node quick start.
node_modules/.bin/tsc -p tests/types/tsconfig.nodom.json
node_modules/.bin/tsc -p tests/types/tsconfig.node.json
if grep -nE '(:|<|\||,|=)[[:space:]]*any\b' npm/index.d.ts npm/types.d.ts npm/shim.d.ts npm/capture.d.ts; then echo "\`any\` on the public surface" >&2; exit 1; fi

step "simulator and Node suites (real fetch over 127.0.0.1)"
node --test --test-reporter=spec sim/test/ tests/node/

step "Worker shim in workerd (miniflare) against the simulator"
bash scripts/test-worker.sh

step "browser codec and every input kind in headless Chromium"
bash scripts/test-browser-codec.sh

step "the package through Vite, webpack 5 and native ES modules in Chromium"
bash scripts/test-bundlers.sh

step "the live capture element with a fake camera in headless Chromium"
bash scripts/test-capture.sh

step "the demo end to end in headless Chromium"
bash scripts/test-browser.sh
step "all tests passed"
