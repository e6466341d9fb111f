# Preconditions shared by the test and bench scripts (sourced, not run). Each takes the calling
# script's name for its message and exits when the precondition does not hold.

# Both wasm modules are built (scripts/build.sh).
need_wasm() {
  local f
  for f in npm/wasm/vehicle_doc_ocr_bg.wasm npm/wasm/vehicle_doc_ocr_image_bg.wasm; do
    [ -f "$f" ] || { echo "[$1] $f missing: run bash scripts/build.sh first" >&2; exit 1; }
  done
}

# Debian's Chromium (or CHROMIUM_PATH) is installed.
need_chromium() {
  local chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
  [ -x "$chromium" ] || {
    echo "[$1] no Chromium at $chromium: run bash scripts/setup.sh (installs Debian's chromium) or set CHROMIUM_PATH" >&2
    exit 1
  }
}
