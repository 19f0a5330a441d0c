#!/usr/bin/env bash
# Bounded fuzzing under ASan/UBSan, with coverage counters in the core
# (flowlab_core is built with -fsanitize=fuzzer-no-link): the link parser, and
# the checkpoint import of every exercise (first byte = exercise id).
#   bash .ci/fuzz.sh [total seconds, default 90: a third for links, the rest for checkpoints]
source "$(dirname "$0")/setup.sh"
TOTAL="${1:-90}"
LINK_SECONDS=$(( TOTAL / 3 > 1 ? TOTAL / 3 : 1 ))
declare -A BUDGET=([link]="$LINK_SECONDS" [checkpoint]="$(( TOTAL - LINK_SECONDS > 1 ? TOTAL - LINK_SECONDS : 1 ))")
CXX=clang++-14 cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLOWLAB_FUZZ=ON >/dev/null
cmake --build build/fuzz -j"$(nproc)" --target fuzz_link fuzz_checkpoint fuzz_make_seeds
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/link" "$work/checkpoint"
build/fuzz/fuzz_make_seeds "$work/link" "$work/checkpoint"
for t in link checkpoint; do
  # New inputs go to the scratch dir; the repo corpus is read only.
  build/fuzz/fuzz_$t -max_total_time="${BUDGET[$t]}" -print_final_stats=1 -rss_limit_mb=2048 -timeout=20 \
    "$work/$t" "tests/fuzz/corpus/$t" 2>"$work/$t.log" || { tail -40 "$work/$t.log"; echo "fuzz_$t: FAILED"; exit 1; }
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$t.log" | grep -o '[0-9]*$')
  inited=$(grep -o 'INITED cov: [0-9]* ft: [0-9]*' "$work/$t.log" | head -1)
  done_=$(grep -o 'DONE *cov: [0-9]* ft: [0-9]*' "$work/$t.log" | tail -1 | sed 's/DONE *//')
  echo "fuzz_$t: $runs executions in ${BUDGET[$t]}s, 0 crashes, 0 sanitizer reports; seeds ${inited#INITED }, end ${done_}"
done
