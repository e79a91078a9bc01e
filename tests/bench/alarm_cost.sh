#!/usr/bin/env bash
# What a durable alarm costs the server, against what a QoS 1 message costs mosquitto, in the
# same run with the same payload bytes, connections (1,000) and offered rate:
#   1. the server process's own CPU (user + system, /proc/PID/stat) per message acked, over a
#      window inside the steady load (Lantern's device logins left out), unpinned, at
#      5,000/s, 20,000/s and saturation: a figure the generator's cost does not blur;
#   2. ack latency p50 / p99 / p99.9 with the server pinned to core 0 and the generator to
#      core 1 (taskset), at 5,000, 10,000 and 20,000/s.
# Lantern acks after its commit is fsynced (synchronous=FULL); mosquitto acks from memory and
# saves its store once a second.
#
#   tests/bench/alarm_cost.sh [seconds per run, default 15]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-15}"
[ "$(nproc)" -ge 2 ] || { echo "alarm_cost.sh pins server and generator to two cores: this machine has $(nproc)" >&2; exit 2; }

source tests/bench/bench_lib.sh
command -v mosquitto >/dev/null && [ -f /usr/include/mosquitto.h ] ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q mosquitto libmosquitto-dev >/dev/null
bench_build lantern-server lantern-sim lantern-mqtt-bench
fleet_template 1000
hz=$(getconf CLK_TCK)

# load_flags RATE: the generator's flags for an offered rate, or saturation when RATE is 0.
load_flags() { if [ "$1" = 0 ]; then echo "--window 4"; else echo "--alarm-rate $1"; fi; }
# pin CORE: a taskset prefix, or nothing when CORE is "-".
pin() { [ "$1" = - ] || echo "taskset -c $1"; }
latency() { awk '/ack latency ms/ { printf "%s / %s / %s", $5, $7, $11 }' "$1"; }
per_message() { awk -v t="$1" -v n="$2" -v hz="$hz" 'BEGIN { printf "%.1f", (n > 0) ? t / hz * 1e6 / n : 0 }'; }

# journal_snapshot PORT FILE: the journal's commit-time buckets and batch counters, to
# compare two snapshots (what the commits inside a window took).
journal_snapshot() {
  curl -s "http://127.0.0.1:$1/metrics" | grep -E '^lantern_journal_(commit_seconds_bucket|batch_size_(sum|count))' >"$2"
}
# commit_figures BEFORE AFTER: "p50 / p99 commit ms (upper bucket bounds), mean batch".
commit_figures() {
  # The buckets come in rising order; each holds the commits at or under its bound.
  awk '
    FNR == NR { before[$1] = $2; next }
    { delta[$1] = $2 - before[$1] }
    /commit_seconds_bucket/ && !/\+Inf/ { le = $1; sub(/.*le="/, "", le); sub(/".*/, "", le); bound[++n] = le; key[n] = $1 }
    END {
      total = delta["lantern_journal_batch_size_count"]
      p50 = p99 = "-"
      for (i = 1; i <= n; ++i) {
        if (p50 == "-" && delta[key[i]] >= total * 0.5) p50 = bound[i] * 1000
        if (p99 == "-" && delta[key[i]] >= total * 0.99) p99 = bound[i] * 1000
      }
      printf "≤ %s / ≤ %s | %.1f", p50, p99, (total > 0) ? delta["lantern_journal_batch_size_sum"] / total : 0
    }' "$1" "$2"
}

# malloc_probe: whether perf can count the server's calls to malloc (a uprobe on libc's).
# A probe this script places is taken away again when it ends (drop_malloc_probe).
placed_probe=0
malloc_probe() {
  command -v perf >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-perf >/dev/null 2>&1 || return 1
  perf probe -l 2>/dev/null | grep -q 'probe_libc:malloc ' && return 0
  perf probe -q -x "$(ldconfig -p | awk '/libc.so.6 .*x86-64/ { print $NF; exit }')" malloc >/dev/null 2>&1 &&
    placed_probe=1
}
drop_malloc_probe() { [ "$placed_probe" = 0 ] || perf probe -q -d probe_libc:malloc >/dev/null 2>&1 || true; }

# lantern RATE SERVER_CORE GENERATOR_CORE [mallocs]: sets rate, cpu_us, by_thread and lat (and
# mallocs_per_alarm, counted by perf over the window, when asked).
lantern() {
  local window=$((seconds - 4)) ticks0 ticks1 count0 count1 gen
  rm -f "$work"/run.db*
  cp "$fleet_db" "$work/run.db"
  start_server "$work/run.db"
  [ "$2" = - ] || taskset -a -pc "$2" "$server_pid" >/dev/null
  # shellcheck disable=SC2046
  $(pin "$3") ./build/sim/lantern-sim --centre "$fleet_json" --port "$device_port" --duration "$seconds" --drain 30 \
    $(load_flags "$1") >"$work/sim.out" 2>&1 &
  gen=$!
  wait_for_metric "$metrics_port" lantern_devices_connected at-least 1000 600
  sleep 3 # generation starts within a second of the last login; then the load settles
  ticks0=$(cpu_ticks "$server_pid")
  thread_ticks "$server_pid" >"$work/threads0"
  count0=$(metric "$metrics_port" lantern_alarm_ack_latency_seconds_count)
  journal_snapshot "$metrics_port" "$work/journal0"
  if [ "${4:-}" = mallocs ]; then
    perf stat -x, -e probe_libc:malloc -p "$server_pid" -o "$work/mallocs" -- sleep "$window" >/dev/null 2>&1
  else
    sleep "$window"
  fi
  ticks1=$(cpu_ticks "$server_pid")
  thread_ticks "$server_pid" >"$work/threads1"
  count1=$(metric "$metrics_port" lantern_alarm_ack_latency_seconds_count)
  journal_snapshot "$metrics_port" "$work/journal1"
  wait "$gen" || true
  stop_server
  rate=$(awk -v a="$count1" -v b="$count0" -v s="$window" 'BEGIN { printf "%.0f", (a - b) / s }')
  cpu_us=$(per_message $((ticks1 - ticks0)) "$(awk -v a="$count1" -v b="$count0" 'BEGIN { print a - b }')")
  lat=$(latency "$work/sim.out")
  commits=$(commit_figures "$work/journal0" "$work/journal1")
  by_thread=$(join "$work/threads0" "$work/threads1" | awk -v a="$count1" -v b="$count0" -v hz="$hz" '
    { n = a - b; us[$1] = n > 0 ? ($3 - $2) / hz * 1e6 / n : 0 }
    END { printf "%.1f / %.1f / %.1f / %.1f", us["lantern-server"], us["journal"], us["desk"], us["checkpointer"] }')
  [ "${4:-}" = mallocs ] && mallocs_per_alarm=$(awk -F, -v n="$((count1 - count0))" \
    '/probe_libc:malloc/ { printf "%.1f", $1 / n }' "$work/mallocs")
  return 0
}

# mosquitto RATE SERVER_CORE GENERATOR_CORE: sets rate, cpu_us and lat. The broker's CPU is
# taken over the whole client run, its 1,000 connects included (a few milliseconds).
mosquitto_run() {
  local ticks0 ticks1 elapsed
  # shellcheck disable=SC2046
  start_mosquitto $(pin "$2")
  ticks0=$(cpu_ticks "$broker")
  local flags="--window 4"
  [ "$1" = 0 ] || flags="--rate $1"
  # shellcheck disable=SC2046,SC2086
  $(pin "$3") ./build/tests/lantern-mqtt-bench --port "$broker_port" --clients 1000 --seconds "$seconds" $flags >"$work/mqtt.out"
  ticks1=$(cpu_ticks "$broker")
  kill -TERM "$broker"
  wait "$broker" || true
  rate=$(awk '/alarms acked\/s/ { printf "%.0f", $3 }' "$work/mqtt.out")
  elapsed=$(awk '/alarms acked\/s/ { print $5 }' "$work/mqtt.out")
  cpu_us=$(per_message $((ticks1 - ticks0)) "$(awk -v r="$rate" -v e="$elapsed" 'BEGIN { print r * e }')")
  lat=$(latency "$work/mqtt.out")
}

label() { if [ "$1" = 0 ]; then echo "saturation"; else printf "%'d/s" "$1"; fi; }

echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "1,000 connections each side, the same payload bytes; ${seconds} s a run. Durability: Lantern acks after fsync"
echo "(synchronous=FULL); mosquitto acks QoS 1 from memory and saves its store once a second."
echo
echo "Server CPU per message acked (user + system from /proc), unpinned:"
echo
echo "| offered | Lantern alarms/s | Lantern µs CPU per alarm | Lantern ack p50 / p99 / p99.9 ms | mosquitto msgs/s | mosquitto µs CPU per message | mosquitto ack p50 / p99 / p99.9 ms | CPU ratio (Lantern / mosquitto) |"
echo "|---|---|---|---|---|---|---|---|"
for offered in 5000 20000 0; do
  lantern "$offered" - -
  l_rate=$rate l_cpu=$cpu_us l_lat=$lat
  mosquitto_run "$offered" - -
  echo "| $(label "$offered") | $l_rate | $l_cpu | $l_lat | $rate | $cpu_us | $lat | $(awk -v a="$l_cpu" -v b="$cpu_us" 'BEGIN { printf "%.2f×", (b > 0) ? a / b : 0 }') |"
done
echo
echo "Pinned: server on core 0, generator on core 1:"
echo
echo "| offered | Lantern alarms/s | Lantern µs CPU per alarm | of which I/O / journal / desk / checkpointer | Lantern ack p50 / p99 / p99.9 ms | Lantern commit p50 / p99 ms | mean batch | mosquitto msgs/s | mosquitto µs CPU per message | mosquitto ack p50 / p99 / p99.9 ms |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for offered in 5000 10000 20000; do
  lantern "$offered" 0 1
  l_rate=$rate l_cpu=$cpu_us l_lat=$lat l_threads=$by_thread
  mosquitto_run "$offered" 0 1
  echo "| $(label "$offered") | $l_rate | $l_cpu | $l_threads | $l_lat | $commits | $rate | $cpu_us | $lat |"
done
# The disk's own floor under every ack: one 4 KiB write and its fsync, alone, a thousand times.
started=$(date +%s%N)
dd if=/dev/zero of="$work/fsync-probe" bs=4k count=1000 oflag=dsync status=none
echo
awk -v ns="$(($(date +%s%N) - started))" 'BEGIN { printf "This disk: %.2f ms a synchronous 4 KiB write (mean of 1,000, dd oflag=dsync): an ack can be no sooner than its commit'"'"'s fsync.\n", ns / 1e6 / 1000 }'
# ext4 without a journal and without lazytime writes the inode with each commit's sync
# (the server warns at start): say which this run had.
echo "The database's filesystem: $(findmnt -no SOURCE,FSTYPE,OPTIONS -T "$work")"
echo
if malloc_probe; then
  lantern 10000 0 1 mallocs
  drop_malloc_probe
  echo "Allocations: ${mallocs_per_alarm} calls to malloc per alarm acked at 10,000/s, pinned (perf's uprobe on libc's"
  echo "malloc; the probe slows the server, so this run's other figures are left out)."
else
  echo "Allocations: not counted (perf cannot place a uprobe on malloc here)."
fi
