#!/usr/bin/env bash
# Bounded fuzzing of the link parser and checkpoint import under ASan/UBSan.
#   bash .ci/fuzz.sh [seconds per target, default 30]
source "$(dirname "$0")/setup.sh"
SECONDS_PER_TARGET="${1:-30}"
CXX=clang++-14 cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLOWLAB_FUZZ=ON >/dev/null
cmake --build build/fuzz -j"$(nproc)" --target fuzz_link fuzz_checkpoint fuzz_make_seeds
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/link" "$work/checkpoint"
build/fuzz/fuzz_make_seeds "$work/link" "$work/checkpoint"
for t in link checkpoint; do
  # New inputs go to the scratch dir; the repo corpus is read only.
  build/fuzz/fuzz_$t -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 -rss_limit_mb=2048 \
    "$work/$t" "tests/fuzz/corpus/$t" 2>"$work/$t.log" || { tail -40 "$work/$t.log"; echo "fuzz_$t: FAILED"; exit 1; }
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$t.log" | grep -o '[0-9]*$')
  echo "fuzz_$t: $runs executions in ${SECONDS_PER_TARGET}s, 0 crashes, 0 sanitizer reports"
done
