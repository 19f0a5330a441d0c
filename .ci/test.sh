#!/usr/bin/env bash
# Every test: native doctest, the wasm module in node, the page in headless Chromium.
source "$(dirname "$0")/setup.sh"
install_apt "${APT_BUILD[@]}" "${APT_TEST[@]}"
[ "${FLOWLAB_SKIP_INSTALL:-0}" = 1 ] || npm ci --no-audit --no-fund --loglevel=error

echo "== native build + doctest"
build_native
ctest --test-dir build/native --output-on-failure

echo "== fuzzing: link parser and every exercise's checkpoint import (ASan/UBSan, bounded)"
bash .ci/fuzz.sh "${FLOWLAB_FUZZ_SECONDS:-90}"

echo "== wasm build"
build_wasm

echo "== wasm in node, and the page in Chromium"
node --test --test-concurrency=1 tests/wasm/ tests/server/ tests/e2e/
