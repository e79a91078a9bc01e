#!/usr/bin/env bash
# The whole of Lantern on one machine: installs what is missing, builds, creates a demo
# centre (24 people with full plans, their carers and devices, and operator accounts) in
# an embedded SQLite database, serves it, and runs simulated devices that raise alarms
# every few seconds. Ctrl-C stops everything cleanly.
#
# Carers' notifications go to a local SMTP server (Debian's aiosmtpd) that keeps each email
# in demo-run/mail/new: open the link inside one to answer as that carer.
#
#   LANTERN_HTTP_PORT (8080), LANTERN_DEVICE_PORT (7700), LANTERN_SMTP_PORT (2525),
#   LANTERN_ALARM_RATE (0.3 per s), LANTERN_DC09_PORT (7709: the SIA DC-09 receiver)
set -euo pipefail
cd "$(dirname "$0")/.."

http_port="${LANTERN_HTTP_PORT:-8080}"
metrics_port="${LANTERN_METRICS_PORT:-9464}"
device_port="${LANTERN_DEVICE_PORT:-7700}"
dc09_port="${LANTERN_DC09_PORT:-7709}"
smtp_port="${LANTERN_SMTP_PORT:-2525}"
alarm_rate="${LANTERN_ALARM_RATE:-0.3}"
run_dir="demo-run"

./deploy/install-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.ccache}"
# Paths relative to the checkout, so a fresh clone reuses the cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target lantern-server lantern-sim

mkdir -p "$run_dir"
db="$run_dir/lantern.db"
# Not as root: the server becomes the lantern user before it opens anything, when that user
# can read this checkout (a clone under /root cannot be: then it stays root, and says so).
as_user=()
if [ "$(id -u)" = 0 ]; then
  id lantern >/dev/null 2>&1 ||
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin lantern
  if runuser -u lantern -- test -r "$PWD/operator-console/index.html" -a -r "$PWD/deploy/demo-centre.json"; then
    as_user=(--user lantern)
    chown lantern:lantern "$run_dir"
    chown lantern:lantern "$run_dir"/lantern.db* 2>/dev/null || true
  else
    echo "The lantern user cannot read $PWD: the demo server runs as root (clone somewhere it can, e.g. /opt or /srv)."
  fi
fi
# Importing again is safe: records are updated by id.
./build/server/lantern-server "${as_user[@]}" --db "$db" --import deploy/demo-centre.json --import-only

server_pid=""
sim_pid=""
units_pid=""
mail_pid=""
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping: simulated devices first, then the server (it writes what it holds)."
  [ -n "$sim_pid" ] && kill -TERM "$sim_pid" 2>/dev/null || true
  [ -n "$units_pid" ] && kill -TERM "$units_pid" 2>/dev/null || true
  [ -n "$sim_pid" ] && wait "$sim_pid" 2>/dev/null || true
  [ -n "$units_pid" ] && wait "$units_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && wait "$server_pid" 2>/dev/null || true
  [ -n "$mail_pid" ] && kill -TERM "$mail_pid" 2>/dev/null || true
  echo "Stopped. The database is $db; the server log is $run_dir/server.log."
}
trap stop INT TERM EXIT

/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$run_dir/mail" \
  >"$run_dir/mail.log" 2>&1 &
mail_pid=$!

./build/server/lantern-server "${as_user[@]}" --db "$db" --http-port "$http_port" --device-port "$device_port" \
  --dc09-port "$dc09_port" --metrics-bind "127.0.0.1:$metrics_port" \
  --config deploy/lantern.example.toml --public-url "http://127.0.0.1:$http_port" \
  --smtp-url "smtp://127.0.0.1:$smtp_port" >"$run_dir/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q "listening device_port=" "$run_dir/server.log" 2>/dev/null && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$run_dir/server.log"
    echo "lantern-server did not start (is port $http_port, $device_port, $dc09_port or $metrics_port in use? set LANTERN_HTTP_PORT / LANTERN_DEVICE_PORT / LANTERN_DC09_PORT / LANTERN_METRICS_PORT)"
    exit 1
  fi
  sleep 0.1
done

cat <<INFO

  Lantern is running.

  Console:  http://127.0.0.1:${http_port}/
  Logins:   amira / lantern-demo-amira   (operator: en-GB, Urdu, Punjabi)
            olu   / lantern-demo-olu     (operator: en-GB, Yoruba)
            gwen  / lantern-demo-gwen    (supervisor: en-GB, Welsh)
            admin / lantern-demo-admin   (administrator)
  Records:  http://127.0.0.1:${http_port}/admin.html  (people, plans, carers, devices, operators;
            admins edit, supervisors read; the API is in /openapi.json)
  Metrics:  http://127.0.0.1:${metrics_port}/metrics  (a listener of its own, loopback only)

  Keys:     N next case, A accept, M note, C contact, E escalate, R resolve, L release,
            K skip responder, X stop escalation, G restart escalation
            (supervisors: T take over, S reassign); the keys are on the buttons.

  Carers:   escalate a case (E) and the carers' emails land in $run_dir/mail/new;
            open the /carer/... link in one to answer as that carer, on a phone or not.

  36 simulated devices raise about ${alarm_rate} alarms a second in all, and three
  alarm units (home hubs and a panel) report over SIA DC-09 to port ${dc09_port}
  (Margaret Ellis's hub is encrypted, with a fall detector in zone 5). Units the
  centre does not know are listed in the records, under "Unallocated signals".
  Press Ctrl-C to stop.

INFO

./build/sim/lantern-sim --centre deploy/demo-centre.json --protocol dc09 --port "$dc09_port" --duration 0 \
  --alarm-rate 0.02 --mix pendant=5,medical=2,smoke=1,flood=1,low_battery=2 --heartbeat 60 \
  >"$run_dir/units.log" 2>&1 &
units_pid=$!
./build/sim/lantern-sim --centre deploy/demo-centre.json --port "$device_port" --duration 0 \
  --alarm-rate "$alarm_rate" --heartbeat 60 --progress &
sim_pid=$!
wait "$sim_pid" || true
sim_pid=""
