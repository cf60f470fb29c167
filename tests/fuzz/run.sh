#!/usr/bin/env bash
# Builds the libFuzzer targets if needed (cmake --preset fuzz, in build-fuzz/) and runs each for
# SECONDS (default 30) from its seed corpus (corpus/<target>/), with its dictionary
# (<target>.dict) when it has one. Exit 0 only when no target crashed, leaked, broke a property
# or timed out; each target's run count is printed. Crash inputs are left in build-fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-30}
if [[ ! -f build-fuzz/build.ninja ]]; then
    cmake --preset fuzz >/dev/null
fi
cmake --build build-fuzz --parallel "$(nproc)" >/dev/null
mkdir -p build-fuzz/artifacts build-fuzz/corpus
status=0
for seeds in tests/fuzz/corpus/*/; do
    target=$(basename "$seeds")
    work=build-fuzz/corpus/$target
    mkdir -p "$work"
    log=build-fuzz/fuzz_$target.log
    dict=()
    if [[ -f tests/fuzz/$target.dict ]]; then
        dict=(-dict=tests/fuzz/"$target".dict)
    fi
    if build-fuzz/bin/fuzz_"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/"$target"- "${dict[@]}" \
        "$work" "$seeds" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        echo "fuzz_$target: ok, ${runs:-?} runs in ${seconds} s"
    else
        echo "fuzz_$target: FAILED (see $log)"
        tail -n 30 "$log" >&2
        status=1
    fi
done
exit $status
