#!/usr/bin/env bash
# Alarm throughput benchmark: lantern-server and lantern-sim (1,000 devices, one TCP link
# each) on this machine. Prints a markdown table: alarms/s durably committed and acked,
# ack latency p50/p99, and mean journal batch size; first at a fixed offered load, then at
# saturation, then the same server with group commit switched off (--journal-batch 1) as
# the peer the ratio is taken against.
#
#   tests/bench/alarm_throughput.sh [seconds per run, default 15]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-15}"

./deploy/install-deps.sh >/dev/null
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.ccache}"
# Paths relative to the checkout, so a fresh clone reuses the cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target lantern-server lantern-sim >/dev/null

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

./build/sim/lantern-sim make-centre --persons 1000 --out "$work/fleet.json" >/dev/null
./build/server/lantern-server --db "$work/template.db" --import "$work/fleet.json" --import-only >/dev/null

metric() { curl -s "http://127.0.0.1:$1/metrics" | awk -v name="$2" '$1 == name { print $2 }'; }

# run NAME "SERVER FLAGS" "SIM FLAGS"
run() {
  local name="$1" server_flags="$2" sim_flags="$3"
  rm -f "$work"/run.db*
  cp "$work/template.db" "$work/run.db"
  # shellcheck disable=SC2086
  ./build/server/lantern-server --db "$work/run.db" --http-port 0 --device-port 0 --log-level warn $server_flags \
    >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do grep -q "listening" "$work/server.log" && break; sleep 0.1; done
  local device_port http_port
  device_port=$(grep -o 'device_port=[0-9]*' "$work/server.log" | cut -d= -f2)
  http_port=$(grep -o 'http_port=[0-9]*' "$work/server.log" | cut -d= -f2)
  # shellcheck disable=SC2086
  ./build/sim/lantern-sim --centre "$work/fleet.json" --port "$device_port" --duration "$seconds" \
    --drain 30 $sim_flags >"$work/sim.out"
  local rate p50 p99 batches requests
  rate=$(awk '/alarms acked\/s/ { print $3 }' "$work/sim.out")
  p50=$(awk '/ack latency ms/ { print $5 }' "$work/sim.out")
  p99=$(awk '/ack latency ms/ { print $7 }' "$work/sim.out")
  batches=$(metric "$http_port" lantern_journal_batch_size_count)
  requests=$(metric "$http_port" lantern_journal_batch_size_sum)
  kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
  printf '| %s | %s | %s | %s | %.1f |\n' "$name" "$rate" "$p50" "$p99" "$(echo "$requests $batches" | awk '{ print ($2 > 0) ? $1 / $2 : 0 }')"
  echo "$rate" >"$work/$(printf '%s' "$name" | tr -c 'a-z0-9' '_').rate"
}

echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), server and simulator on the same cores"
echo "1,000 simulated devices, one TCP connection each; ${seconds} s per run; synchronous=FULL (every ack is after fsync)"
echo
echo "| run | alarms/s acked | ack p50 ms | ack p99 ms | mean journal batch |"
echo "|---|---|---|---|---|"
run "group commit, offered 10,000/s" "" "--alarm-rate 10000"
run "group commit, saturation" "" "--window 4"
run "peer: one commit per alarm, saturation" "--journal-batch 1" "--window 4"
group=$(cat "$work"/group_commit__saturation.rate)
single=$(cat "$work"/peer__one_commit_per_alarm__saturation.rate)
echo
echo "Group commit takes $(echo "$group $single" | awk '{ printf "%.1f", $1 / $2 }')× the alarms per second of one commit per alarm, on the same machine in the same run."
