#!/usr/bin/env bash
# Fleet benchmark: one lantern-server holding N device connections (default 100,000), each
# its own TCP link from lantern-sim over 127.0.0.x. Prints a markdown table:
#   1. server resident memory per idle connection (RSS with the fleet in, minus before);
#   2. heartbeats/s the server takes with the whole fleet connected and beating every second;
# with the time the fleet took to log in (one Argon2id check per device per server run)
# and to log in again (a proven device is answered from memory).
#
#   tests/bench/fleet.sh [devices, default 100000] [seconds of heartbeats measured, default 20]
set -euo pipefail
cd "$(dirname "$0")/../.."
devices="${1:-100000}"
seconds="${2:-20}"
# One source address reaches ~28k connections to one server port.
sources=$((devices / 20000 + 1))

source tests/bench/bench_lib.sh
bench_build lantern-server lantern-sim
fleet_template "$devices"

sim_pid=""
stop_sim() {
  [ -n "$sim_pid" ] || return 0
  kill -INT "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" || true
  sim_pid=""
}
trap 'stop_sim; bench_cleanup' EXIT

# start_fleet HEARTBEAT_S: the whole fleet connects and stays until stop_sim; sets sim_pid.
start_fleet() {
  ./build/sim/lantern-sim --centre "$fleet_json" --port "$device_port" --sources "$sources" --alarm-rate 0 \
    --duration 0 --heartbeat "$1" --threads 2 >"$work/sim.out" 2>&1 &
  sim_pid=$!
}

cp "$fleet_db" "$work/run.db"
start_server "$work/run.db"
sleep 2
before_kib=$(rss_kib "$server_pid")

started=$SECONDS
start_fleet 60
wait_for_metric "$http_port" lantern_devices_connected at-least "$devices" 3600
login_s=$((SECONDS - started))
sleep 10 # let the last welcomes and the first heartbeats settle
idle_kib=$(rss_kib "$server_pid")
stop_sim
wait_for_metric "$http_port" lantern_devices_connected at-most 0 300

started=$SECONDS
start_fleet 1
wait_for_metric "$http_port" lantern_devices_connected at-least "$devices" 600
relogin_s=$((SECONDS - started))
sleep 5
beats_before=$(metric "$http_port" lantern_heartbeats_received_total)
sleep "$seconds"
beats_after=$(metric "$http_port" lantern_heartbeats_received_total)
connected=$(metric "$http_port" lantern_devices_connected)
stop_sim
peak_kib=$(peak_rss_kib "$server_pid")

per_conn=$(awk -v a="$idle_kib" -v b="$before_kib" -v n="$devices" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }')
rate=$(awk -v a="$beats_after" -v b="$beats_before" -v s="$seconds" 'BEGIN { printf "%.0f", (a - b) / s }')
echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); server and simulator on the same cores"
echo "$devices simulated devices, one TCP connection each, from $sources source addresses on loopback"
echo
echo "| measure | figure | target |"
echo "|---|---|---|"
echo "| server memory per idle connection | $per_conn bytes ($((before_kib / 1024)) MiB before, $((idle_kib / 1024)) MiB with $devices connected) | at most 2,048 bytes |"
echo "| heartbeats/s taken, every device beating each second | $rate (offered $devices/s; $connected connected at the end) | at least 50,000 |"
echo "| fleet login after a server start (Argon2id per device, $(nproc) verifier threads) | ${login_s} s | |"
echo "| fleet login again (devices proven earlier in this server run) | ${relogin_s} s | |"
echo "| server peak resident memory | $((peak_kib / 1024)) MiB | |"
