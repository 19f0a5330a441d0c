#!/usr/bin/env bash
# flowlab benchmark: builds what it needs, then prints one JSON line
# per measurement — native, wasm in node, wasm in headless Chromium,
# TensorFlow.js (wasm backend on one thread, cpu backend) and the wasm SIMD128
# mul+add peak, all on this machine in this run, and the reference step with
# 1 vs 2 threads inside it (pthreads module, web/gen/mt). Timings are never asserted.
#   bash tests/bench/run.sh            # full (~3 minutes)
#   bash tests/bench/run.sh --quick    # reference net only (< 1 minute after the builds)
# FLOWLAB_SKIP_BUILD=1 reuses build/native and web/gen as they are.
set -euo pipefail
QUICK="${1:-}"
source "$(dirname "${BASH_SOURCE[0]}")/../../.ci/setup.sh"   # cd to the repo root
install_apt "${APT_BUILD[@]}" chromium
[ -d node_modules/@tensorflow/tfjs-backend-wasm ] && [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund >&2
if [ "${FLOWLAB_SKIP_BUILD:-0}" != 1 ]; then
  build_native >&2
  build_wasm >&2
fi
echo "{\"task\":\"loadavg\",\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"cores\":$(nproc)}"
./build/native/flowlab_bench $QUICK
node tests/bench/bench_node.mjs $QUICK 2> >(grep -v -e '^=*$' -e 'tfjs-node' -e 'TensorFlow.js in Node' >&2)
node tests/bench/bench_browser.mjs $QUICK
