#!/usr/bin/env bash
# Console fan-out benchmark: lantern-server with N live consoles while 2,000 alarms/s flow
# in from 200 devices. Prints a markdown table of the latency from a device sending an
# alarm to each console receiving its update (p50/p99/max), with the device ack latency
# beside it; first with 1 console (the peer the ratio is taken against), then with 200.
#
#   tests/bench/console_fanout.sh [seconds per run, default 10] [consoles, default 200]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
consoles="${2:-200}"
rate=2000

./deploy/install-deps.sh >/dev/null
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.ccache}"
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target lantern-server lantern-sim lantern-console-bench >/dev/null

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

./build/sim/lantern-sim make-centre --persons 200 --out "$work/fleet.json" >/dev/null
./build/server/lantern-server --db "$work/template.db" --import "$work/fleet.json" --import-only >/dev/null

# run NAME CONSOLES
run() {
  rm -f "$work"/run.db*
  cp "$work/template.db" "$work/run.db"
  ./build/server/lantern-server --db "$work/run.db" --http-port 0 --device-port 0 --log-level warn \
    >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do grep -q "listening" "$work/server.log" && break; sleep 0.1; done
  local device_port http_port
  device_port=$(grep -o 'device_port=[0-9]*' "$work/server.log" | cut -d= -f2)
  http_port=$(grep -o 'http_port=[0-9]*' "$work/server.log" | cut -d= -f2)
  ./build/tests/lantern-console-bench --centre "$work/fleet.json" --device-port "$device_port" \
    --http-port "$http_port" --consoles "$2" --devices 200 --rate "$rate" --seconds "$seconds" --label "$1" \
    | tee "$work/$2.row"
  kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
}

echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); server and load generator on the same cores"
echo "200 devices sending $rate alarms/s in all for $seconds s; each update reaches every console"
echo
echo "| run | consoles | alarms/s sent | acked | ack p50 ms | ack p99 ms | console p50 ms | console p99 ms | console max ms | updates received | consoles closed |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
run "peer: one console" 1
run "$consoles consoles" "$consoles"
p99_one=$(awk -F'|' '{ print $9 }' "$work/1.row")
p99_many=$(awk -F'|' '{ print $9 }' "$work/$consoles.row")
echo
awk -v a="$p99_many" -v b="$p99_one" -v n="$consoles" \
  'BEGIN { printf "Console p99 with %d consoles is %.1f× the p99 with one console, in the same run.\n", n, (b > 0 ? a / b : 0) }'
