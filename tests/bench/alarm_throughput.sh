#!/usr/bin/env bash
# Alarm throughput benchmark: lantern-server and lantern-sim (1,000 devices, one TCP link
# each) on this machine. Prints a markdown table: alarms/s durably committed and acked,
# ack latency p50/p99, and mean journal batch size; first at a fixed offered load, then at
# saturation, then the same server with group commit switched off (--journal-batch 1), then
# mosquitto (Debian's) taking the same payloads as MQTT QoS 1 publishes from 1,000 clients
# with a persistent subscriber: the peers the ratios are taken against.
#
#   tests/bench/alarm_throughput.sh [seconds per run, default 15]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-15}"

source tests/bench/bench_lib.sh
command -v mosquitto >/dev/null && [ -f /usr/include/mosquitto.h ] ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q mosquitto libmosquitto-dev >/dev/null
bench_build lantern-server lantern-sim lantern-mqtt-bench

./build/sim/lantern-sim make-centre --persons 1000 --out "$work/fleet.json" >/dev/null
./build/server/lantern-server --db "$work/template.db" --import "$work/fleet.json" --import-only >/dev/null


# run NAME "SERVER FLAGS" "SIM FLAGS"
run() {
  local name="$1" server_flags="$2" sim_flags="$3"
  rm -f "$work"/run.db*
  cp "$work/template.db" "$work/run.db"
  # shellcheck disable=SC2086
  start_server "$work/run.db" $server_flags
  # shellcheck disable=SC2086
  ./build/sim/lantern-sim --centre "$work/fleet.json" --port "$device_port" --duration "$seconds" \
    --drain 30 $sim_flags >"$work/sim.out"
  local rate p50 p99 batches requests
  rate=$(awk '/alarms acked\/s/ { print $3 }' "$work/sim.out")
  p50=$(awk '/ack latency ms/ { print $5 }' "$work/sim.out")
  p99=$(awk '/ack latency ms/ { print $7 }' "$work/sim.out")
  batches=$(metric "$metrics_port" lantern_journal_batch_size_count)
  requests=$(metric "$metrics_port" lantern_journal_batch_size_sum)
  stop_server
  printf '| %s | %s | %s | %s | %.1f |\n' "$name" "$rate" "$p50" "$p99" "$(echo "$requests $batches" | awk '{ print ($2 > 0) ? $1 / $2 : 0 }')"
  echo "$rate" >"$work/$(printf '%s' "$name" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9' '_').rate"
}

# mqtt_run NAME "MQTT BENCH FLAGS": the same load against mosquitto, persistence on.
mqtt_run() {
  local name="$1" flags="$2"
  start_mosquitto
  # shellcheck disable=SC2086
  ./build/tests/lantern-mqtt-bench --port "$broker_port" --clients 1000 --seconds "$seconds" $flags >"$work/sim.out"
  kill -TERM "$broker"
  wait "$broker" || true
  local rate p50 p99
  rate=$(awk '/alarms acked\/s/ { print $3 }' "$work/sim.out")
  p50=$(awk '/ack latency ms/ { print $5 }' "$work/sim.out")
  p99=$(awk '/ack latency ms/ { print $7 }' "$work/sim.out")
  printf '| %s | %s | %s | %s | (no journal: the store is saved once a second) |\n' "$name" "$rate" "$p50" "$p99"
  echo "$rate" >"$work/$(printf '%s' "$name" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9' '_').rate"
}

echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), server and simulator on the same cores"
echo "1,000 simulated devices, one TCP connection each; ${seconds} s per run; synchronous=FULL (every ack is after fsync)"
echo
echo "| run | alarms/s acked | ack p50 ms | ack p99 ms | mean journal batch |"
echo "|---|---|---|---|---|"
run "group commit, offered 20,000/s" "" "--alarm-rate 20000"
run "group commit, saturation" "" "--window 4"
run "peer: one commit per alarm, saturation" "--journal-batch 1" "--window 4"
mqtt_run "peer: mosquitto QoS 1, offered 20,000/s" "--rate 20000"
mqtt_run "peer: mosquitto QoS 1, saturation" "--window 4"
group=$(cat "$work"/group_commit__saturation.rate)
single=$(cat "$work"/peer__one_commit_per_alarm__saturation.rate)
mqtt=$(cat "$work"/peer__mosquitto_qos_1__saturation.rate)
echo
echo "Group commit takes $(echo "$group $single" | awk '{ printf "%.1f", $1 / $2 }')× the alarms per second of one commit per alarm, on the same machine in the same run."
echo "Lantern takes $(echo "$group $mqtt" | awk '{ printf "%.2f", $1 / $2 }')× mosquitto's QoS 1 rate at saturation. Durability differs: Lantern acks an alarm"
echo "only after its commit is fsynced (synchronous=FULL); mosquitto acks QoS 1 from memory and saves its whole"
echo "store at most once a second (autosave_interval 1), so a crash loses up to a second of acked messages."
