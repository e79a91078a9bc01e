#!/usr/bin/env bash
# Two builds of lantern-server on the same machine, alternating run by run so drift in a
# shared machine falls on both: alarms/s at saturation (1,000 devices) with the server's
# own CPU per alarm (from /proc), and console latency with 200 consoles at 2,000 alarms/s.
# Prints a markdown table per round and the ratio of the medians (after / before).
#
#   tests/bench/before_after.sh BEFORE_BINARY [AFTER_BINARY, default ./build/server/lantern-server] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
before="$(realpath "$1")"
after="$(realpath "${2:-./build/server/lantern-server}")"
rounds="${3:-3}"
seconds=10

source tests/bench/bench_lib.sh
bench_build lantern-server lantern-sim lantern-console-bench
./build/sim/lantern-sim make-centre --persons 1000 --out "$work/fleet.json" >/dev/null
# Imported by the build before: the one after opens an older schema (it migrates at start), never the reverse.
"$before" --db "$work/template.db" --import "$work/fleet.json" --import-only >/dev/null

# alarms BINARY: "alarms/s p99-ms server-cpu-µs-per-alarm"
alarms() {
  rm -f "$work"/run.db* && cp "$work/template.db" "$work/run.db"
  LANTERN_SERVER_BIN="$1" start_server "$work/run.db"
  local ticks_before
  ticks_before=$(cpu_ticks "$server_pid")
  ./build/sim/lantern-sim --centre "$work/fleet.json" --port "$device_port" --duration "$seconds" --drain 30 \
    --window 4 >"$work/sim.out"
  local ticks=$(($(cpu_ticks "$server_pid") - ticks_before))
  stop_server
  awk -v ticks="$ticks" -v hz="$(getconf CLK_TCK)" -v s="$seconds" '
    /alarms acked\/s/ { rate = $3 } /ack latency ms/ { p99 = $7 }
    END { printf "%s %s %.1f\n", rate, p99, (rate > 0 ? ticks / hz * 1e6 / (rate * s) : 0) }' "$work/sim.out"
}

# consoles BINARY: "console-p50-ms console-p99-ms"
consoles() {
  rm -f "$work"/run.db* && cp "$work/template.db" "$work/run.db"
  LANTERN_SERVER_BIN="$1" start_server "$work/run.db"
  ./build/tests/lantern-console-bench --centre "$work/fleet.json" --device-port "$device_port" \
    --http-port "$http_port" --consoles 200 --devices 200 --rate 2000 --seconds "$seconds" --label x >"$work/c.out"
  stop_server
  awk -F'|' '{ gsub(/ /, ""); print $8, $9 }' "$work/c.out" | tail -1
}

echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); server and load on the same cores"
echo
echo "| round | build | alarms/s at saturation | ack p99 ms | server CPU µs/alarm | console p50 ms (200) | console p99 ms (200) |"
echo "|---|---|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
  for name in before after; do
    binary=$before
    [ "$name" = after ] && binary=$after
    read -r rate p99 cpu <<<"$(alarms "$binary")"
    read -r c50 c99 <<<"$(consoles "$binary")"
    echo "| $round | $name | $rate | $p99 | $cpu | $c50 | $c99 |" | tee -a "$work/rows"
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
for column in 4:alarms/s 6:CPU/alarm 8:console-p99; do
  field=${column%%:*}
  b=$(awk -F'|' -v f="$field" '$3 ~ /before/ { print $f }' "$work/rows" | median)
  a=$(awk -F'|' -v f="$field" '$3 ~ /after/ { print $f }' "$work/rows" | median)
  echo "${column#*:}: median before $b, after $a, after/before $(echo "$a $b" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }')"
done
