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

source tests/bench/bench_lib.sh
bench_build lantern-server lantern-sim lantern-console-bench

./build/sim/lantern-sim make-centre --persons 200 --out "$work/fleet.json" >/dev/null
./build/server/lantern-server --db "$work/template.db" --import "$work/fleet.json" --import-only >/dev/null

# run NAME CONSOLES ROW-FILE [SERVER FLAGS...]; with pinned=1, the server runs on core 0 and
# the generator (devices and consoles) on core 1.
pinned=0
run() {
  local name="$1" count="$2" row="$3" generator=()
  shift 3
  rm -f "$work"/run.db*
  cp "$work/template.db" "$work/run.db"
  start_server "$work/run.db" "$@"
  if [ "$pinned" = 1 ]; then
    taskset -a -pc 0 "$server_pid" >/dev/null
    generator=(taskset -c 1)
  fi
  "${generator[@]}" ./build/tests/lantern-console-bench --centre "$work/fleet.json" --device-port "$device_port" \
    --http-port "$http_port" --consoles "$count" --devices 200 --rate "$rate" --seconds "$seconds" --label "$name" \
    | tee "$work/$row"
  stop_server
}

echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); server and load generator on the same cores"
echo "200 devices sending $rate alarms/s in all for $seconds s; each update reaches every console"
echo
header() {
  echo "| run | consoles | alarms/s sent | acked | ack p50 ms | ack p99 ms | console p50 ms | console p99 ms | console p99.9 ms | console max ms | updates received | consoles closed | caught up (snapshots) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
}
header
run "peer: one console" 1 one.row
run "$consoles consoles" "$consoles" many.row
# The default leaves a core to the journal writer; the same run with an I/O thread per core.
run "$consoles consoles, --threads $(nproc)" "$consoles" threads.row --threads "$(nproc)"
p99_one=$(awk -F'|' '{ print $9 }' "$work/one.row")
p99_many=$(awk -F'|' '{ print $9 }' "$work/many.row")
echo
awk -v a="$p99_many" -v b="$p99_one" -v n="$consoles" \
  'BEGIN { printf "Console p99 with %d consoles is %.1f× the p99 with one console, in the same run.\n", n, (b > 0 ? a / b : 0) }'

if [ "$(nproc)" -ge 2 ]; then
  echo
  echo "Pinned: the server on core 0, the generator (200 devices, $consoles consoles) on core 1, 5,000 alarms/s:"
  echo
  header
  pinned=1 rate=5000
  run "pinned, 5,000/s" "$consoles" pinned.row
fi
