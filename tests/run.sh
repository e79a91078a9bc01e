#!/usr/bin/env bash
# Runs every Lantern test: installs what is missing, checks the layers' includes
# (tests/layers.sh), builds, then
#   1. unit and integration tests (release build, real server on loopback, kill -9 test)
#   2. the Debian package (tests/package.sh), the Prometheus rules and the dashboard's metrics
#   3. browser tests (playwright-core driving Debian's Chromium against the real server)
#   4. every libFuzzer target (each decoder of outside input) for 20 s each (clang)
#   5. unit and integration tests again under AddressSanitizer + UndefinedBehaviorSanitizer
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

./deploy/install-deps.sh

export CCACHE_DIR="${CCACHE_DIR:-$HOME/.ccache}"
# Paths relative to the checkout, so a fresh clone reuses the cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
export CTEST_OUTPUT_ON_FAILURE=1
fuzz_seconds="${LANTERN_FUZZ_SECONDS:-20}"

step() { printf '\n== %s\n' "$*"; }

step "layers"
bash tests/layers.sh

step "build (release)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2

step "unit and integration tests"
ctest --test-dir build --timeout 600

step "Prometheus alerting rules: promtool check and unit tests (deploy/prometheus)"
(cd deploy/prometheus && promtool check rules lantern-rules.yml && promtool test rules lantern-rules_test.yml)

step "the Debian package: lintian, systemd units, install, serve, backup, purge"
bash tests/package.sh

step "browser tests (Chromium)"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
LANTERN_BUILD_DIR="$PWD/build" node --test --test-concurrency=1 tests/browser/

step "fuzzing every decoder of outside input, ${fuzz_seconds} s each (tests/fuzz/long.sh for hours)"
source tests/fuzz/targets.sh
build_fuzz_targets
fuzz_work="$(mktemp -d)"
trap 'rm -rf "$fuzz_work"' EXIT
for entry in "${fuzz_targets[@]}"; do
  target="${entry%%:*}"
  mkdir -p "$fuzz_work/$target"
  cp tests/fuzz/"${entry#*:}"/* "$fuzz_work/$target/"
  echo "-- $target"
  ./build-fuzz/tests/"$target" -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$fuzz_work/" "$fuzz_work/$target" 2>&1 | tail -n 3
done

step "build with AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLANTERN_SANITIZE=ON >/dev/null
cmake --build build-asan -j2

step "unit and integration tests under the sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --timeout 900
