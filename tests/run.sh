#!/usr/bin/env bash
# Runs every Lantern test: installs what is missing, checks the layers' includes
# (tests/layers.sh), builds, then
#   1. unit and integration tests (release build, real server on loopback, kill -9 test)
#   2. browser tests (playwright-core driving Debian's Chromium against the real server)
#   3. the frame-decoder, DC-09 and console-path fuzzers for a bounded time (clang, libFuzzer)
#   4. unit and integration tests again under AddressSanitizer + UndefinedBehaviorSanitizer
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

./deploy/install-deps.sh

export CCACHE_DIR="${CCACHE_DIR:-$HOME/.ccache}"
# Paths relative to the checkout, so a fresh clone reuses the cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
export CTEST_OUTPUT_ON_FAILURE=1
fuzz_seconds="${LANTERN_FUZZ_SECONDS:-30}"

step() { printf '\n== %s\n' "$*"; }

step "layers"
bash tests/layers.sh

step "build (release)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2

step "unit and integration tests"
ctest --test-dir build --timeout 600

step "browser tests (Chromium)"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
LANTERN_BUILD_DIR="$PWD/build" node --test --test-concurrency=1 tests/browser/

step "fuzzing the device frame decoder, the DC-09 decoder and the console's path resolver, ${fuzz_seconds} s each"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 -DLANTERN_FUZZ=ON >/dev/null
cmake --build build-fuzz -j2 --target frame_decoder_fuzz dc09_fuzz console_path_fuzz
fuzz_work="$(mktemp -d)"
trap 'rm -rf "$fuzz_work"' EXIT
fuzz() {  # target, seed corpus folder
  mkdir -p "$fuzz_work/$1"
  cp "$2"/* "$fuzz_work/$1/"
  ./build-fuzz/tests/"$1" -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 \
    -artifact_prefix="$fuzz_work/" "$fuzz_work/$1" 2>&1 | tail -n 3
}
fuzz frame_decoder_fuzz tests/fuzz/corpus
fuzz dc09_fuzz tests/fuzz/dc09-frames
fuzz console_path_fuzz tests/fuzz/console-paths

step "build with AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLANTERN_SANITIZE=ON >/dev/null
cmake --build build-asan -j2

step "unit and integration tests under the sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --timeout 900
