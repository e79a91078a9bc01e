#!/usr/bin/env bash
# Reconnect storm benchmark: N devices (default 20,000, or as many as this machine's
# open-file limit lets one server process hold) are connected to lantern-server when the
# network fails for all of them; each comes back within 5 s with 3 alarms it could not
# send. Meanwhile one unaffected device sends a fall alarm twice a second to a live console.
# Prints a markdown table: every backlogged alarm stored once and acked, the storm's ack
# latency, the unaffected device's alarm-to-console latency, and the server's peak memory.
#
#   tests/bench/storm.sh [devices, default 20000]
set -euo pipefail
cd "$(dirname "$0")/../.."
wanted="${1:-20000}"
backlog=3
per_sim=10000 # each simulator process stays under a 20,000 open-file limit

source tests/bench/bench_lib.sh
bench_build lantern-server lantern-sim lantern-console-bench
fleet_template 100000

cp "$fleet_db" "$work/run.db"
# Supervision is not what is measured: no missed check-in while the fleet logs in.
start_server "$work/run.db" --checkin-grace 10
# The server keeps part of its open-file limit for consoles and the database; one
# connection is for the unaffected device.
cap=$(grep -o 'device connections limited to [0-9]*' "$work/server.log" | awk '{ print $5 }')
devices=$((${cap:-$((wanted + 1))} - 1 < wanted ? cap - 1 : wanted))
storm_pids=()
skip=0
while [ "$skip" -lt "$devices" ]; do
  n=$((devices - skip < per_sim ? devices - skip : per_sim))
  ./build/sim/lantern-sim --centre "$fleet_json" --port "$device_port" --skip "$skip" --devices "$n" --sources 2 \
    --alarm-rate 0 --storm "$backlog" --outage-at 10 --storm-window 5 --duration 30 --drain 60 \
    --acked-log "$work/acked-$skip.log" >"$work/storm-$skip.out" 2>&1 &
  storm_pids+=($!)
  skip=$((skip + n))
done
wait_for_metric "$metrics_port" lantern_devices_connected at-least "$devices" 3600
# The outage comes 10 s after the last device is in; the fall alarms run from before it to after.
./build/tests/lantern-console-bench --centre "$fleet_json" --skip "$devices" --devices 1 --consoles 1 \
  --device-port "$device_port" --http-port "$http_port" --rate 2 --seconds 30 --label "unaffected" >"$work/fall.row"
storm_status=0
for pid in "${storm_pids[@]}"; do wait "$pid" || storm_status=$?; done
peak_kib=$(peak_rss_kib "$server_pid")
duplicates=$(metric "$metrics_port" lantern_duplicate_alarms_total)
stop_server

# Sums (or the largest, for latencies) over the simulator processes.
total() { cat "$work"/storm-*.out | awk -v n="$1" '/^alarms +sent/ { gsub(",", ""); s += $n } END { print s }'; }
worst() { cat "$work"/storm-*.out | awk -v n="$1" '/^ack latency/ { if ($n > m) m = $n } END { print m }'; }
sent=$(total 3)
acked=$(total 5)
unacked=$(total 13)
stored=$(sqlite3 "$work/run.db" "SELECT count(*) FROM events WHERE kind = 'alarm' AND device_id <> 'sim-$((devices + 1))'")
stored_distinct=$(sqlite3 "$work/run.db" \
  "SELECT count(*) FROM (SELECT DISTINCT device_id, device_seq FROM events WHERE kind = 'alarm' AND device_id <> 'sim-$((devices + 1))')")
logged=$(cat "$work"/acked-*.log | sort -u | wc -l)
IFS='|' read -r _ _ _ _ fall_acked fall_ack_p50 fall_ack_p99 console_p50 console_p99 console_max _ <"$work/fall.row"

echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); server and simulators on the same cores"
echo "$devices devices connected (asked for $wanted); the network fails for all at once; each reconnects within 5 s with $backlog backlogged alarms"
echo
echo "| measure | figure |"
echo "|---|---|"
echo "| backlogged alarms sent / acked / unacked at the end | $sent / $acked / $unacked (simulator exit $storm_status) |"
echo "| alarms stored (rows) / distinct (device, seq) / acked seqs logged | $stored / $stored_distinct / $logged |"
echo "| re-sends recognised as duplicates (acked, not stored again) | ${duplicates:-0} |"
echo "| storm ack latency p50 / p99 / max ms (from each reconnect; the worse simulator's) | $(worst 5) / $(worst 7) / $(worst 9) |"
echo "| unaffected device's alarms (2/s for 30 s across the storm): acked; ack p50 / p99 ms |$fall_acked; $fall_ack_p50 / $fall_ack_p99 |"
echo "| unaffected device's alarm to the console: p50 / p99 / max ms |$console_p50 / $console_p99 / $console_max |"
echo "| server peak resident memory | $((peak_kib / 1024)) MiB |"
