#!/usr/bin/env bash
# Installs what the build and the tests need, into git-ignored project folders, and only
# what is missing: later runs are fast. Nothing is downloaded but from the package
# registries (crates.io, npm, Debian). Usage: scripts/setup.sh [build|test]
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-build}
TOOLS="$PWD/.tools"
mkdir -p "$TOOLS"

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
wb_version=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
trunk_version=0.22.1

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! "$TOOLS/bin/trunk" --version 2>/dev/null | grep -q "$trunk_version"; then
  echo "setup: installing trunk $trunk_version into .tools (about 14 minutes the first time)"
  # 0.22.1 declares rustc 1.96.1 but builds and works on 1.95.
  cargo install trunk --version "$trunk_version" --locked --ignore-rust-version --root "$TOOLS"
fi

if ! "$TOOLS/bin/wasm-bindgen" --version 2>/dev/null | grep -q "$wb_version"; then
  echo "setup: installing wasm-bindgen-cli $wb_version into .tools"
  # Without --locked: the CLI's own lock names a webpki-roots the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$wb_version" --force --root "$TOOLS"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ]; then
  echo "setup: installing npm dev tools (binaryen's wasm-opt, playwright-core)"
  # Debian's wasm-opt (108) cannot parse current wasm-bindgen output; binaryen 132 can.
  npm ci --no-audit --no-fund --cache "$PWD/.tools/npm-cache"
fi

if [ "$want" = test ]; then
  # fonts-noto-cjk: so that screenshots taken by the tests show Japanese, not boxes
  # (a system font of the test machine; the page itself loads no font).
  missing=""
  command -v chromium >/dev/null || missing="$missing chromium"
  command -v chromedriver >/dev/null || missing="$missing chromium-driver"
  [ -d /usr/share/fonts/opentype/noto ] || missing="$missing fonts-noto-cjk"
  # poppler-utils: pdftotext reads the printed report's text back (e2e keyboard.mjs,
  # run.mjs).
  command -v pdftotext >/dev/null || missing="$missing poppler-utils"
  if [ -n "$missing" ]; then
    echo "setup: installing from Debian:$missing"
    sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq $missing
  fi
fi
cargo fetch --quiet
echo "setup: ready (trunk $trunk_version, wasm-bindgen $wb_version)"
