#!/usr/bin/env bash
# Every test: the C++ format and JS type checks, native doctest, the wasm module in node, the page in headless Chromium.
source "$(dirname "$0")/setup.sh"
install_apt "${APT_BUILD[@]}" "${APT_TEST[@]}"
[ "${FLOWLAB_SKIP_INSTALL:-0}" = 1 ] || npm ci --no-audit --no-fund --loglevel=error

echo "== C++ format (.clang-format; fix with: clang-format-14 -i FILE, or git clang-format-14)"
git ls-files '*.cc' '*.h' | xargs clang-format-14 --dry-run -Werror

echo "== type check of web/js (// @ts-check, JSDoc types; web/jsconfig.json)"
npx --no-install tsc -p web/jsconfig.json

echo "== native build + doctest, once under every SIMD target this CPU has"
build_native
# One binary holds every x86 target (Highway dynamic dispatch); each target
# rounds sums in another order, so training outcomes are tested under all.
for target in $(build/native/flowlab_tests --flowlab-targets); do
  start=$SECONDS
  FLOWLAB_TARGET=$target build/native/flowlab_tests
  echo "native suite under FLOWLAB_TARGET=$target: passed in $((SECONDS - start)) s"
done

echo "== the doctest suite under ASan/UBSan (the dispatch's own SIMD target)"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLOWLAB_SANITIZE=ON >/dev/null
cmake --build build/asan -j"$(nproc)" --target flowlab_tests
start=$SECONDS
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 build/asan/flowlab_tests
echo "native suite under ASan/UBSan: passed in $((SECONDS - start)) s"

echo "== the thread pool under ThreadSanitizer (the test cases that run 1, 2 and 3 threads)"
cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLOWLAB_TSAN=ON >/dev/null
cmake --build build/tsan -j"$(nproc)" --target flowlab_tests
TSAN_OPTIONS=halt_on_error=1 build/tsan/flowlab_tests -tc="threads*"

echo "== fuzzing: link parser and every exercise's checkpoint import (ASan/UBSan, bounded)"
bash .ci/fuzz.sh "${FLOWLAB_FUZZ_SECONDS:-90}"

echo "== wasm build"
build_wasm

echo "== wasm in node, and the page in Chromium"
node --test --test-concurrency=1 tests/wasm/ tests/server/ tests/e2e/
