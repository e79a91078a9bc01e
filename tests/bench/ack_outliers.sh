#!/usr/bin/env bash
# What lies under the slowest acks: lantern-server pinned to core 0 with --journal-timeline,
# 1,000 simulated devices on core 1 at an offered rate with --slowest-acks, and
# ack_outliers.py laying one beside the other (each figure beside the same for random
# windows of the run).
#
#   tests/bench/ack_outliers.sh [alarms/s, default 10000] [seconds, default 15] [server flags...]
set -euo pipefail
cd "$(dirname "$0")/../.."
rate="${1:-10000}"
seconds="${2:-15}"
shift $(($# < 2 ? $# : 2))
[ "$(nproc)" -ge 2 ] || { echo "ack_outliers.sh pins server and generator to two cores: this machine has $(nproc)" >&2; exit 2; }

source tests/bench/bench_lib.sh
bench_build lantern-server lantern-sim
fleet_template 1000

rm -f "$work"/run.db*
cp "$fleet_db" "$work/run.db"
start_server "$work/run.db" --journal-timeline "$work/timeline" "$@"
taskset -a -pc 0 "$server_pid" >/dev/null
taskset -c 1 ./build/sim/lantern-sim --centre "$fleet_json" --port "$device_port" --duration "$seconds" --drain 30 \
  --alarm-rate "$rate" --slowest-acks "$work/slowest" >"$work/sim.out" 2>&1
stop_server

echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); server on core 0, 1,000 devices on core 1"
echo "Offered $rate alarms/s for $seconds s; $(awk '/ack latency ms/ { printf "ack p50 %s, p99 %s, p99.9 %s, max %s ms", $5, $7, $11, $9 }' "$work/sim.out")"
echo
python3 tests/bench/ack_outliers.py "$work/slowest" "$work/timeline"
