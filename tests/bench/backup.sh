#!/usr/bin/env bash
# What an online backup costs the alarms it runs beside: lantern-sim's 1,000 devices at
# 3,000 alarms/s for 20 s on a database that already holds a history, once with no backup
# (the peer) and once with `lantern-server --backup-to` taken back to back for the whole
# window. Prints ack p50/p99/p99.9/max of each, the journal's commit p99 over each window,
# and each backup's size and time. The issue's rule: a backup never blocks acks for longer
# than one journal batch (a WAL reader never blocks the writer).
# Then the service report over that history: how long GET /api/v1/reports/service takes
# (it replays every stored event) beside reading the events table once with sqlite3 (the peer).
# Usage: tests/bench/backup.sh [history alarms, default 600000]
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/bench_lib.sh

history="${1:-600000}"
bench_build lantern-server lantern-sim
fleet_template 1000
db="$work/lantern.db"
cp "$fleet_db" "$db"

# A history first: months of alarms make the file the backup has to copy.
start_server "$db"
./build/sim/lantern-sim --centre "$fleet_json" --port "$device_port" --duration $((history / 20000)) \
  --alarm-rate 20000 --drain 30 >/dev/null
stop_server
echo "history: $(sqlite3 "$db" 'SELECT count(*) FROM events') events, $(du -h "$db" | cut -f1)"

commit_p99() {  # over the buckets' change since $1 (a saved scrape)
  curl -s "http://127.0.0.1:$metrics_port/metrics" >"$work/after.prom"
  awk -v before="$1" '
    FNR == NR && /^lantern_journal_commit_seconds_bucket/ { split($0, a, "\""); b[a[2]] = $2; next }
    /^lantern_journal_commit_seconds_bucket/ { split($0, a, "\""); le[++n] = a[2]; d[n] = $2 - b[a[2]] }
    END { total = d[n]; for (i = 1; i <= n; i++) if (d[i] >= 0.99 * total) { print le[i] * 1000; exit } }
  ' "$1" "$work/after.prom"
}

run() {  # NAME WITH_BACKUP
  start_server "$db"
  curl -s "http://127.0.0.1:$metrics_port/metrics" >"$work/before.prom"
  ./build/sim/lantern-sim --centre "$fleet_json" --port "$device_port" --duration 20 --alarm-rate 3000 \
    --drain 30 >"$work/sim.out" &
  local sim=$! backups=0
  if [ "$2" = yes ]; then
    sleep 2
    while kill -0 "$sim" 2>/dev/null; do
      local started=$(date +%s.%N)
      ./build/server/lantern-server --db "$db" --backup-to "$work/backup-$backups.db" >"$work/backup.out"
      echo "  backup $backups: $(awk '{ print $11, $12 }' "$work/backup.out" | tr -d ,) in $(echo "$(date +%s.%N) $started" | awk '{ printf "%.2f s", $1 - $2 }')" >&2
      rm -f "$work/backup-$backups.db"
      backups=$((backups + 1))
    done
  fi
  wait "$sim"
  local p
  p=$(awk '/ack latency ms/ { print $5, $7, $11, $9 }' "$work/sim.out")
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" $p "$(commit_p99 "$work/before.prom")" "$backups"
  stop_server
}

echo
echo "| run | ack p50 ms | ack p99 ms | ack p99.9 ms | ack max ms | commit p99 ms (bucket) | backups taken |"
echo "|---|---|---|---|---|---|---|"
run "no backup (peer)" no
run "backups back to back" yes
run "no backup (peer, again)" no

# The service report replays every event: its time beside one sqlite3 pass over the same rows.
cat >"$work/manager.json" <<'JSON'
{"format": "lantern.centre.v1", "operators": [{"username": "manager", "display_name": "Manager", "role": "supervisor",
 "languages": ["en-GB"], "password": "manager-password-long"}]}
JSON
./build/server/lantern-server --db "$db" --import "$work/manager.json" --import-only >/dev/null
start_server "$db"
curl -s -c "$work/cookies" -H 'Content-Type: application/json' \
  -d '{"username":"manager","password":"manager-password-long"}' "http://127.0.0.1:$http_port/api/v1/login" >/dev/null
today=$(date -u +%F)
report_s=$(curl -s -b "$work/cookies" -o "$work/report.json" -w '%{time_total}' \
  "http://127.0.0.1:$http_port/api/v1/reports/service?from=$(date -u -d '-30 days' +%F)&to=$today")
TIMEFORMAT=%R
peer_s=$( { time sqlite3 "$db" "SELECT count(*), sum(length(payload)) FROM events" >/dev/null; } 2>&1 )
echo
echo "service report over $(sqlite3 "$db" 'SELECT count(*) FROM events') events: ${report_s} s" \
  "(alarm calls $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["alarm_calls"]["calls"])' "$work/report.json"));" \
  "one sqlite3 pass over the events: ${peer_s} s"
stop_server
