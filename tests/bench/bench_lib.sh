# Shared by the benchmark scripts (sourced): builds what they run, keeps a work folder and
# a server that are cleaned up on exit, and starts lantern-server on free ports.
set -euo pipefail

# bench_build TARGET...: installs what is missing and builds the release targets.
bench_build() {
  ./deploy/install-deps.sh >/dev/null
  export CCACHE_DIR="${CCACHE_DIR:-$HOME/.ccache}"
  # Paths relative to the checkout, so a fresh clone reuses the cache.
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j2 --target "$@" >/dev/null
}

work="$(mktemp -d)"
server_pid=""
bench_cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap bench_cleanup EXIT

# start_server DB [FLAGS...]: sets server_pid, device_port and http_port.
start_server() {
  local db="$1"
  shift
  ./build/server/lantern-server --db "$db" --http-port 0 --device-port 0 --log-level warn "$@" \
    >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do grep -q "listening" "$work/server.log" && break; sleep 0.1; done
  device_port=$(grep -o 'device_port=[0-9]*' "$work/server.log" | cut -d= -f2)
  http_port=$(grep -o 'http_port=[0-9]*' "$work/server.log" | cut -d= -f2)
}

stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""
}
