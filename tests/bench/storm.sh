#!/usr/bin/env bash
# Reconnect storm benchmark: N devices (default 20,000) are connected to lantern-server when
# the network fails for all of them; each comes back within 5 s with 3 alarms it could not
# send. Meanwhile one unaffected device sends a fall alarm twice a second to a live console.
# Prints a markdown table: every backlogged alarm stored once and acked, the storm's ack
# latency, the unaffected device's alarm-to-console latency, and the server's peak memory.
#
#   tests/bench/storm.sh [devices, default 20000]
set -euo pipefail
cd "$(dirname "$0")/../.."
devices="${1:-20000}"
backlog=3
sources=$((devices / 20000 + 1))

source tests/bench/bench_lib.sh
bench_build lantern-server lantern-sim lantern-console-bench
# One device more than the storm: the unaffected one.
fleet_template $((devices + 1))

cp "$fleet_db" "$work/run.db"
# Supervision is not what is measured: no missed check-in while the fleet logs in.
start_server "$work/run.db" --checkin-grace 10
./build/sim/lantern-sim --centre "$fleet_json" --port "$device_port" --devices "$devices" --sources "$sources" \
  --alarm-rate 0 --storm "$backlog" --outage-at 10 --storm-window 5 --duration 30 --drain 60 --threads 2 \
  --acked-log "$work/acked.log" >"$work/storm.out" 2>&1 &
storm_pid=$!
wait_for_metric "$http_port" lantern_devices_connected at-least "$devices" 3600
# The outage comes 10 s after the last device is in; the fall alarms run from before it to after.
./build/tests/lantern-console-bench --centre "$fleet_json" --skip "$devices" --devices 1 --consoles 1 \
  --device-port "$device_port" --http-port "$http_port" --rate 2 --seconds 30 --label "unaffected" >"$work/fall.row"
storm_status=0
wait "$storm_pid" || storm_status=$?
peak_kib=$(peak_rss_kib "$server_pid")
duplicates=$(metric "$http_port" lantern_duplicate_alarms_total)
stop_server

field() { awk -v key="$1" -v n="$2" '$1 == key { print $n }' "$work/storm.out"; }
sent=$(awk '/^alarms / { gsub(",", ""); print $3 }' "$work/storm.out")
acked=$(awk '/^alarms / { gsub(",", ""); print $5 }' "$work/storm.out")
unacked=$(awk '/^alarms / { gsub(",", ""); print $13 }' "$work/storm.out")
stored=$(sqlite3 "$work/run.db" "SELECT count(*) FROM events WHERE kind = 'alarm' AND device_id <> 'sim-$((devices + 1))'")
stored_distinct=$(sqlite3 "$work/run.db" \
  "SELECT count(*) FROM (SELECT DISTINCT device_id, device_seq FROM events WHERE kind = 'alarm' AND device_id <> 'sim-$((devices + 1))')")
logged=$(sort -u "$work/acked.log" | wc -l)
IFS='|' read -r _ _ _ fall_rate fall_acked fall_ack_p50 fall_ack_p99 console_p50 console_p99 console_max fall_updates _ \
  <"$work/fall.row"

echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); server and simulators on the same cores"
echo "$devices devices connected; the network fails for all at once; each reconnects within 5 s with $backlog backlogged alarms"
echo
echo "| measure | figure |"
echo "|---|---|"
echo "| backlogged alarms sent / acked / unacked at the end | $sent / $acked / $unacked (simulator exit $storm_status) |"
echo "| alarms stored (rows) / distinct (device, seq) / acked seqs logged | $stored / $stored_distinct / $logged |"
echo "| re-sends recognised as duplicates (acked, not stored again) | ${duplicates:-0} |"
echo "| storm ack latency p50 / p99 / max ms (from each reconnect) | $(field 'ack' 5) / $(field 'ack' 7) / $(field 'ack' 9) |"
echo "| unaffected device's alarms (2/s for 30 s across the storm): acked; ack p50 / p99 ms |$fall_acked; $fall_ack_p50 / $fall_ack_p99 |"
echo "| unaffected device's alarm to the console: p50 / p99 / max ms; updates |$console_p50 / $console_p99 / $console_max; $fall_updates |"
echo "| server peak resident memory | $((peak_kib / 1024)) MiB |"
