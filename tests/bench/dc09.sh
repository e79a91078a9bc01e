#!/usr/bin/env bash
# DC-09 benchmark: alarms durably committed and ACKed from lantern-sim's SIA DC-09 units
# (Contact ID), over TCP and UDP, clear and encrypted (AES-128), beside Lantern's own
# protobuf link from the same number of devices, in the same run. Each unit has one message
# in flight, as units in the field do (stop and wait); a device on Lantern's link gets the
# same (--window 1). Prints a markdown table: alarms/s, ACK p50/p99 and the server's own CPU
# per alarm (user+system from /proc), at a fixed offered load and at saturation.
#
#   tests/bench/dc09.sh [seconds per run, default 10] [units, default 500]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
units="${2:-500}"

source tests/bench/bench_lib.sh
bench_build lantern-server lantern-sim

for kind in lantern dc09 dc09-key; do
  case "$kind" in
    lantern) make=() ;;
    dc09) make=(--protocol dc09) ;;
    dc09-key) make=(--protocol dc09 --encrypt) ;;
  esac
  ./build/sim/lantern-sim make-centre --persons "$units" --out "$work/$kind.json" "${make[@]}" >/dev/null
  ./build/server/lantern-server --db "$work/$kind.db" --import "$work/$kind.json" --import-only >/dev/null
done

# run NAME FLEET "SIM FLAGS": one server, one simulator run; a table row.
run() {
  local name="$1" fleet="$2" sim_flags="$3"
  rm -f "$work"/run.db*
  cp "$work/$fleet.db" "$work/run.db"
  # All units come from 127.0.0.1: the per-source rate limit is lifted for the measurement.
  start_server "$work/run.db" --dc09-port 0 --dc09-rate 10000000
  local dc09_port port
  dc09_port=$(grep -o 'dc09_port=[0-9]*' "$work/server.log" | cut -d= -f2)
  port=$([ "$fleet" = lantern ] && echo "$device_port" || echo "$dc09_port")
  local protocol=()
  [ "$fleet" != lantern ] && protocol=(--protocol dc09)
  # The server's CPU over a window of steady generation only (not the devices' logins):
  # from the first ACK until two seconds before generation ends, per ACK in that window.
  # shellcheck disable=SC2086
  ./build/sim/lantern-sim --centre "$work/$fleet.json" --port "$port" "${protocol[@]}" --duration "$seconds" \
    --heartbeat 3600 --mix pendant=1 --drain 30 $sim_flags >"$work/sim.out" &
  local sim=$! ticks0 acks0 ticks1 acks1
  until [ "$(metric "$metrics_port" lantern_alarm_ack_latency_seconds_count)" != "0" ]; do sleep 0.05; done
  ticks0=$(cpu_ticks "$server_pid")
  acks0=$(metric "$metrics_port" lantern_alarm_ack_latency_seconds_count)
  sleep $((seconds - 2))
  ticks1=$(cpu_ticks "$server_pid")
  acks1=$(metric "$metrics_port" lantern_alarm_ack_latency_seconds_count)
  wait "$sim"
  stop_server
  local rate p50 p99
  rate=$(awk '/alarms acked\/s/ { print $3 }' "$work/sim.out")
  p50=$(awk '/ack latency ms/ { print $5 }' "$work/sim.out")
  p99=$(awk '/ack latency ms/ { print $7 }' "$work/sim.out")
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$rate" "$p50" "$p99" \
    "$(awk -v t="$((ticks1 - ticks0))" -v n="$acks0 $acks1" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { split(n, a, " "); d = a[2] - a[1]; printf "%.0f", (d > 0 ? t / hz * 1e6 / d : 0) }')"
}

echo "$(nproc) cores, $units devices or units, ${seconds} s a run; server and simulator on the same cores, over loopback;"
echo "every alarm committed (synchronous=FULL) before its ACK."
echo
for load in "--alarm-rate 2000" "--window 1"; do
  label=$([ "$load" = "--window 1" ] && echo "saturation" || echo "offered 2,000/s")
  echo "**$label**"
  echo
  echo "| link | alarms/s | ACK p50 ms | ACK p99 ms | server CPU µs/alarm |"
  echo "|---|---|---|---|---|"
  run "Lantern link (protobuf, TCP)" lantern "$load"
  run "DC-09 TCP, clear" dc09 "$load"
  run "DC-09 TCP, AES-128" dc09-key "$load"
  run "DC-09 UDP, clear" dc09 "$load --dc09-udp"
  run "DC-09 UDP, AES-128" dc09-key "$load --dc09-udp"
  echo
done
