#!/usr/bin/env bash
# Every libFuzzer target for a long while, with a corpus kept between runs in
# build-fuzz/corpus/<target> (seeded from tests/fuzz), then one table: runs, coverage,
# corpus size, and the crashes, leaks, timeouts and out-of-memory cases found (each kept in
# build-fuzz/findings/ to reproduce: build-fuzz/tests/<target> <file>).
#
#   tests/fuzz/long.sh [seconds per target, default 3600] [target ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-3600}"
shift || true
source tests/fuzz/targets.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.ccache}" CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
build_fuzz_targets >/dev/null

findings="build-fuzz/findings"
mkdir -p "$findings"
rows=()
for entry in "${fuzz_targets[@]}"; do
  target="${entry%%:*}" seeds="tests/fuzz/${entry#*:}"
  if [ $# -gt 0 ] && [[ " $* " != *" $target "* ]]; then continue; fi
  corpus="build-fuzz/corpus/$target"
  mkdir -p "$corpus" "$findings/$target"
  cp -n "$seeds"/* "$corpus"/ 2>/dev/null || true
  log="build-fuzz/corpus/$target.log"
  echo "fuzzing $target for $seconds s" >&2
  set +e
  "./build-fuzz/tests/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$findings/$target/" "$corpus" >"$log" 2>&1
  status=$?
  set -e
  runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log" | tail -n 1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | awk '{ print $2 }')
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -n 1 | awk '{ print $2 }')
  count() { find "$findings/$target" -name "$1-*" | wc -l; }
  rows+=("| $target | ${runs:-?} | ${cov:-?} | ${ft:-?} | $(find "$corpus" -type f | wc -l) | $(count crash) | $(count leak) | $(count timeout) | $(count oom) | $status |")
done

echo
echo "libFuzzer, ${seconds} s per target, $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "| target | runs | coverage (edges) | features | corpus | crashes | leaks | timeouts | out of memory | exit |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
