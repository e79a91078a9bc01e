#!/usr/bin/env bash
# Runs every Lantern benchmark, one after another, and writes their tables to one markdown
# file (default tests/bench/results.md) as well as the terminal. The README's Performance
# section reproduces the last run. Takes about forty minutes the first time (the fleet's
# tokens are hashed once and kept under build/bench-cache), then about half an hour.
#
#   tests/bench/run_all.sh [output file]
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-tests/bench/results.md}"
source tests/bench/bench_lib.sh
bench_build lantern-server lantern-sim lantern-supervision-bench lantern-console-bench lantern-json-bench

section() { printf '\n## %s\n\n' "$1"; }
{
  echo "# Lantern benchmarks, $(date -u +%Y-%m-%d)"
  echo
  echo "$(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);"
  echo "every server, simulator and peer on the same cores, over loopback."
  section "Alarms: durably committed and acked, against one commit per alarm and mosquitto"
  tests/bench/alarm_throughput.sh
  section "What an alarm costs the server, against mosquitto (CPU from /proc; pinned latency)"
  tests/bench/alarm_cost.sh
  section "What lies under the slowest acks: the journal's timeline at 10,000 alarms/s, pinned"
  tests/bench/ack_outliers.sh
  section "Alarm units over SIA DC-09, beside Lantern's link"
  tests/bench/dc09.sh
  section "Fleet: idle connections and heartbeats"
  tests/bench/fleet.sh
  section "TLS on the device port, beside plain TCP"
  tests/bench/tls.sh
  section "Reconnect storm"
  tests/bench/storm.sh
  section "Idle connections from one address: a device's welcome and an operator's login"
  tests/bench/idle_flood.sh
  section "Console fan-out"
  tests/bench/console_fanout.sh
  section "A console message as JSON: protobuf's printer beside Lantern's writer (one core)"
  taskset -c 0 ./build/tests/lantern-json-bench
  section "Device supervision (in one process)"
  ./build/tests/lantern-supervision-bench 100000
} 2>&1 | tee "$out"
