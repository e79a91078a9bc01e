# Shared by the benchmark scripts (sourced): builds what they run, keeps a work folder and
# a server that are cleaned up on exit, and starts lantern-server on free ports.
set -euo pipefail

# bench_build TARGET...: installs what is missing and builds the release targets.
bench_build() {
  ./deploy/install-deps.sh >/dev/null
  export CCACHE_DIR="${CCACHE_DIR:-$HOME/.ccache}"
  # Paths relative to the checkout, so a fresh clone reuses the cache.
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j2 --target "$@" >/dev/null
}

work="$(mktemp -d)"
server_pid=""
bench_cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap bench_cleanup EXIT

# start_server DB [FLAGS...]: sets server_pid, device_port, http_port and metrics_port.
# LANTERN_SERVER_BIN runs another build (tests/bench/before_after.sh compares two).
start_server() {
  local db="$1"
  shift
  "${LANTERN_SERVER_BIN:-./build/server/lantern-server}" --db "$db" --http-port 0 --device-port 0 --metrics-bind 127.0.0.1:0 --log-level warn "$@" \
    >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do grep -q "listening" "$work/server.log" && break; sleep 0.1; done
  device_port=$(grep -o 'device_port=[0-9]*' "$work/server.log" | cut -d= -f2)
  http_port=$(grep -o 'http_port=[0-9]*' "$work/server.log" | cut -d= -f2)
  metrics_port=$(grep -o 'metrics_port=[0-9]*' "$work/server.log" | cut -d= -f2)
}

stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""
}

# fleet_template N: sets fleet_json and fleet_db to a centre of N simulated devices and its
# imported database. Kept under build/bench-cache: hashing N device tokens with Argon2id
# takes minutes for a large fleet, and the result does not change between runs.
fleet_template() {
  local n="$1" cache="build/bench-cache"
  mkdir -p "$cache"
  fleet_json="$cache/fleet-$n.json"
  fleet_db="$cache/fleet-$n.db"
  [ -f "$fleet_json" ] || ./build/sim/lantern-sim make-centre --persons "$n" --out "$fleet_json" >/dev/null
  if [ ! -f "$fleet_db" ]; then
    echo "(importing $n devices once into $fleet_db: every token is hashed with Argon2id)" >&2
    rm -f "$fleet_db.part"*
    ./build/server/lantern-server --db "$fleet_db.part" --import "$fleet_json" --import-only >/dev/null
    mv "$fleet_db.part" "$fleet_db"
  fi
}

metric() { curl -s "http://127.0.0.1:$1/metrics" | awk -v name="$2" '$1 == name { print $2 }'; }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
# cpu_ticks PID: the process's user and system time so far, in clock ticks (/proc/PID/stat).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# thread_ticks PID: a line "NAME TICKS" for each thread name of the process (the server names
# its threads: journal, desk, checkpointer; the I/O threads keep the process's name).
thread_ticks() {
  for task in /proc/"$1"/task/*; do
    echo "$(cat "$task/comm") $(awk '{ print $14 + $15 }' "$task/stat")"
  done | awk '{ ticks[$1] += $2 } END { for (name in ticks) print name, ticks[name] }' | sort
}
peak_rss_kib() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status"; }

# wait_for_metric PORT NAME at-least|at-most VALUE SECONDS: polls until the metric gets
# there; fails after SECONDS.
wait_for_metric() {
  local deadline=$((SECONDS + $5)) value
  while [ "$SECONDS" -lt "$deadline" ]; do
    value=$(metric "$1" "$2")
    [ -n "$value" ] && awk -v v="$value" -v want="$4" -v how="$3" \
      'BEGIN { exit !(how == "at-least" ? v >= want : v <= want) }' && return 0
    sleep 1
  done
  echo "gave up waiting for $2 to be $3 $4 (it is ${value:-unknown})" >&2
  return 1
}

# start_mosquitto [TASKSET PREFIX...]: the MQTT peer, persistence on, saving once a second;
# sets broker (its pid) and broker_port. The port is below the kernel's ephemeral range: one
# there may be held by the thousands of connections the run before left in TIME_WAIT, and a
# mosquitto that cannot bind exits. Tried on another port if it does not start.
start_mosquitto() {
  local first_ephemeral
  first_ephemeral=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range)
  rm -rf "$work/mosquitto" && mkdir -p "$work/mosquitto"
  for _ in 1 2 3 4 5; do
    broker_port=$((10000 + RANDOM % (first_ephemeral - 10000)))
    # user root: as root, mosquitto would otherwise switch to its own user and fail to save.
    printf '%s\n' "listener $broker_port 127.0.0.1" "allow_anonymous true" "user root" "persistence true" \
      "persistence_location $work/mosquitto/" "autosave_interval 1" "max_queued_messages 0" \
      >"$work/mosquitto/mosquitto.conf"
    "$@" mosquitto -c "$work/mosquitto/mosquitto.conf" >"$work/mosquitto/log" 2>&1 &
    broker=$!
    sleep 0.5
    kill -0 "$broker" 2>/dev/null && return 0
  done
  echo "mosquitto would not start: $(cat "$work/mosquitto/log")" >&2
  return 1
}
