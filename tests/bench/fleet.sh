#!/usr/bin/env bash
# Fleet benchmark: one lantern-server holding N device connections (default 100,000, or as
# many as this machine's open-file limit lets one process hold), each its own TCP link from
# lantern-sim over 127.0.0.x. Prints a markdown table:
#   1. server resident memory per idle connection (RSS with the fleet in, minus before);
#   2. heartbeats/s the server takes with the whole fleet connected and beating fast;
# with the time the fleet took to log in (one Argon2id check per device per server run)
# and to log in again (a device proven earlier in the run is answered from memory).
#
#   tests/bench/fleet.sh [devices, default 100000] [seconds of heartbeats measured, default 20]
set -euo pipefail
cd "$(dirname "$0")/../.."
wanted="${1:-100000}"
seconds="${2:-20}"
per_sim=15000 # each simulator process stays under a 20,000 open-file limit

source tests/bench/bench_lib.sh
bench_build lantern-server lantern-sim
fleet_template 100000

sim_pids=()
stop_fleet() {
  for pid in "${sim_pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  for pid in "${sim_pids[@]}"; do wait "$pid" || true; done
  sim_pids=()
}
trap 'stop_fleet; bench_cleanup' EXIT

# start_fleet HEARTBEAT_S: the whole fleet connects, split over simulator processes, and
# stays until stop_fleet.
start_fleet() {
  local skip=0 n
  while [ "$skip" -lt "$devices" ]; do
    n=$((devices - skip < per_sim ? devices - skip : per_sim))
    ./build/sim/lantern-sim --centre "$fleet_json" --port "$device_port" --skip "$skip" --devices "$n" \
      --sources $((n / 20000 + 1)) --alarm-rate 0 --duration 0 --heartbeat "$1" >"$work/sim-$skip.out" 2>&1 &
    sim_pids+=($!)
    skip=$((skip + n))
  done
}

cp "$fleet_db" "$work/run.db"
# Supervision is not what is measured: no missed check-in while the fleet logs in.
start_server "$work/run.db" --checkin-grace 10
# The server keeps part of its open-file limit for consoles and the database.
cap=$(grep -o 'device connections limited to [0-9]*' "$work/server.log" | awk '{ print $5 }')
devices=$((${cap:-$wanted} < wanted ? cap : wanted))
open_files=$(awk '/Max open files/ { print $4 }' "/proc/$server_pid/limits")
sleep 2
before_kib=$(rss_kib "$server_pid")

started=$SECONDS
start_fleet 60
wait_for_metric "$metrics_port" lantern_devices_connected at-least "$devices" 3600
login_s=$((SECONDS - started))
sleep 10 # the last welcomes and first heartbeats settle
idle_kib=$(rss_kib "$server_pid")
stop_fleet
wait_for_metric "$metrics_port" lantern_devices_connected at-most 0 300

# Every device beats four times a second: the offered load is four times the fleet.
started=$SECONDS
start_fleet 0.25
wait_for_metric "$metrics_port" lantern_devices_connected at-least "$devices" 600
relogin_s=$((SECONDS - started))
sleep 5
beats_before=$(metric "$metrics_port" lantern_heartbeats_received_total)
sleep "$seconds"
beats_after=$(metric "$metrics_port" lantern_heartbeats_received_total)
connected=$(metric "$metrics_port" lantern_devices_connected)
stop_fleet
peak_kib=$(peak_rss_kib "$server_pid")

per_conn=$(awk -v a="$idle_kib" -v b="$before_kib" -v n="$devices" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }')
rate=$(awk -v a="$beats_after" -v b="$beats_before" -v s="$seconds" 'BEGIN { printf "%.0f", (a - b) / s }')
echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); server and simulators on the same cores"
echo "$devices simulated devices (asked for $wanted; the server's open-file limit is $open_files), one TCP connection each"
echo
echo "| measure | figure | target |"
echo "|---|---|---|"
echo "| server memory per idle connection | $per_conn bytes ($((before_kib / 1024)) MiB before, $((idle_kib / 1024)) MiB with $devices connected) | at most 2,048 bytes |"
echo "| heartbeats/s taken, every device beating 4 times a second | $rate (offered $((devices * 4))/s; $connected connected at the end) | at least 50,000 |"
echo "| fleet login after a server start (Argon2id per device, $(nproc) verifier threads) | ${login_s} s | |"
echo "| fleet login again (devices proven earlier in this server run) | ${relogin_s} s | |"
echo "| server peak resident memory | $((peak_kib / 1024)) MiB | |"
