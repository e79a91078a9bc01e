#!/usr/bin/env bash
# TLS on the device port against plain TCP, the same server build in the same run:
#   1. server resident memory per idle device connection (RSS with the fleet in, minus before);
#   2. alarms/s durably acked at saturation (1,000 devices, 4 alarms in flight each), with
#      the server's own CPU per alarm from /proc/PID/stat;
#   3. ack p50/p99 at an offered 5,000/s.
# The certificate is a throwaway RSA-2048 one made by openssl here.
#
#   tests/bench/tls.sh [idle devices, default 5000] [seconds per run, default 15]
set -euo pipefail
cd "$(dirname "$0")/../.."
idle_devices="${1:-5000}"
seconds="${2:-15}"

source tests/bench/bench_lib.sh
bench_build lantern-server lantern-sim
fleet_template "$idle_devices"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null

# measure NAME "SERVER FLAGS" "SIM FLAGS": prints one table row.
measure() {
  local name="$1" server_flags="$2" sim_flags="$3" before idle ticks0 ticks1 acked rate p99 fixed_p50 fixed_p99
  rm -f "$work"/run.db*
  cp "$fleet_db" "$work/run.db"
  # shellcheck disable=SC2086
  start_server "$work/run.db" --checkin-grace 10 $server_flags
  sleep 1
  before=$(rss_kib "$server_pid")
  # shellcheck disable=SC2086
  ./build/sim/lantern-sim --centre "$fleet_json" --port "$device_port" --devices "$idle_devices" \
    --alarm-rate 0 --duration 0 --heartbeat 60 $sim_flags >"$work/idle.out" 2>&1 &
  local sim=$!
  wait_for_metric "$metrics_port" lantern_devices_connected at-least "$idle_devices" 900
  sleep 5
  idle=$(rss_kib "$server_pid")
  kill -INT "$sim" && wait "$sim" || true
  wait_for_metric "$metrics_port" lantern_devices_connected at-most 0 120

  ticks0=$(cpu_ticks "$server_pid")
  # shellcheck disable=SC2086
  ./build/sim/lantern-sim --centre "$fleet_json" --port "$device_port" --devices 1000 --window 4 \
    --duration "$seconds" --drain 30 $sim_flags >"$work/saturation.out" 2>&1
  ticks1=$(cpu_ticks "$server_pid")
  acked=$(awk '/^alarms / { gsub(",", ""); print $5 }' "$work/saturation.out")
  rate=$(awk '/alarms acked\/s/ { print $3 }' "$work/saturation.out")
  p99=$(awk '/ack latency ms/ { print $7 }' "$work/saturation.out")
  # shellcheck disable=SC2086
  ./build/sim/lantern-sim --centre "$fleet_json" --port "$device_port" --devices 1000 --alarm-rate 5000 \
    --duration "$seconds" --drain 30 $sim_flags >"$work/fixed.out" 2>&1
  fixed_p50=$(awk '/ack latency ms/ { print $5 }' "$work/fixed.out")
  fixed_p99=$(awk '/ack latency ms/ { print $7 }' "$work/fixed.out")
  stop_server
  printf '| %s | %.0f | %s | %s | %.0f | %s / %s |\n' "$name" "$(awk -v a="$idle" -v b="$before" -v n="$idle_devices" \
    'BEGIN { print (a - b) * 1024 / n }')" "$rate" "$p99" \
    "$(awk -v t=$((ticks1 - ticks0)) -v hz="$(getconf CLK_TCK)" -v n="$acked" 'BEGIN { print (n > 0) ? t / hz * 1e6 / n : 0 }')" \
    "$fixed_p50" "$fixed_p99"
  echo "$rate" >"$work/$name.rate"
}

echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), server and simulator on the same cores"
echo "$idle_devices idle devices for memory; 1,000 devices for alarms; ${seconds} s per run; synchronous=FULL"
echo
echo "| device link | memory per idle connection (bytes) | alarms/s acked at saturation | ack p99 ms at saturation | server CPU µs per alarm at saturation | ack p50 / p99 ms at 5,000/s |"
echo "|---|---|---|---|---|---|"
measure plain "" ""
measure tls "--tls-cert $work/cert.pem --tls-key $work/key.pem" "--tls-ca $work/cert.pem"
echo
awk -v t="$(cat "$work/tls.rate")" -v p="$(cat "$work/plain.rate")" \
  'BEGIN { printf "TLS takes %.2f× the alarms/s of plain TCP at saturation.\n", (p > 0) ? t / p : 0 }'
