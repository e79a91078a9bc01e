#!/usr/bin/env bash
# The Debian package, as an engineer would install it: built by CPack from ./build, clean
# under lintian, installed with apt, its units verified by systemd-analyze, the server run
# from it as the lantern user on the packaged settings, a backup taken by the packaged
# script with its retention, then the package purged (the records are kept, by design).
# Run by tests/run.sh as root; it refuses a machine where lantern is installed already.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "package: FAILED: $*" >&2; exit 1; }
if dpkg-query -W -f='${Status}' lantern 2>/dev/null | grep -q 'install ok installed'; then
  fail "this machine has the lantern package installed; this test installs and purges it"
fi
if [ -e /var/lib/lantern ]; then
  fail "/var/lib/lantern exists already; this test creates and removes it"
fi
# deploy/demo.sh makes the same system user for --user: kept if it was there before.
user_was_there=$(getent passwd lantern >/dev/null && echo yes || echo no)

(cd build && cpack >"$(mktemp)" 2>&1) || fail "cpack"
deb=$(ls build/lantern_*_amd64.deb)
echo "built $deb ($(du -h "$deb" | cut -f1))"

lintian_status=0
lintian --fail-on error "$deb" >"$(dirname "$deb")/lintian.txt" 2>&1 || lintian_status=$?
grep -v 'running with root privileges' "$(dirname "$deb")/lintian.txt" || true
[ "$lintian_status" = 0 ] || fail "lintian reports errors"

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  DEBIAN_FRONTEND=noninteractive dpkg --purge lantern >/dev/null 2>&1 || true
  rm -rf /var/lib/lantern "$work"
  if [ "$user_was_there" = no ]; then
    deluser --system lantern >/dev/null 2>&1 || true
    delgroup --system lantern >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "./$deb" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "apt-get install"; }
echo "installed"

# What postinst made: a system user without a login, its state folder, the settings private.
entry=$(getent passwd lantern) || fail "no lantern user"
uid=$(echo "$entry" | cut -d: -f3)
[ "$uid" -lt 1000 ] || fail "lantern is not a system user (uid $uid)"
case "$entry" in *:/usr/sbin/nologin | *:/bin/false) ;; *) fail "lantern can log in: $entry" ;; esac
[ "$(stat -c '%U:%G %a' /var/lib/lantern)" = "lantern:lantern 750" ] || fail "/var/lib/lantern: $(stat -c '%U:%G %a' /var/lib/lantern)"
[ "$(stat -c '%U:%G %a' /etc/lantern/lantern.toml)" = "root:lantern 640" ] || fail "lantern.toml is not private to the service"
dpkg-query -W -f='${Conffiles}' lantern | grep -q '/etc/lantern/lantern.toml' || fail "lantern.toml is not a conffile"
man -w lantern-server >/dev/null 2>&1 || [ -e /usr/share/man/man1/lantern-server.1.gz ] || fail "no manual page"

systemd-analyze verify /lib/systemd/system/lantern.service /lib/systemd/system/lantern-backup.service \
  /lib/systemd/system/lantern-backup.timer || fail "systemd-analyze verify"
grep -q '^Type=notify' /lib/systemd/system/lantern.service || fail "the unit does not wait for READY=1"
echo "units verified"

# The installed server, as the service runs it (only the ports moved off the defaults).
runuser -u lantern -- /usr/bin/lantern-server --import /usr/share/doc/lantern/demo-centre.json --import-only \
  --config /etc/lantern/lantern.toml >"$work/import.log" 2>&1 || { cat "$work/import.log"; fail "import"; }
# setpriv execs the server itself (runuser would stay its parent and own the signal).
setpriv --reuid=lantern --regid=lantern --init-groups -- /usr/bin/lantern-server --config /etc/lantern/lantern.toml \
  --device-port 0 --http-port 0 --metrics-bind 127.0.0.1:0 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q 'listening device_port=' "$work/server.log" && break; sleep 0.1; done
http_port=$(grep -o 'http_port=[0-9]*' "$work/server.log" | head -1 | cut -d= -f2)
[ -n "$http_port" ] || { cat "$work/server.log"; fail "the installed server did not listen"; }
page=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/")
[ "$page" = 200 ] || fail "the console from /usr/share/lantern/console answered $page"
[ -f /var/lib/lantern/lantern.db ] || fail "the database is not in /var/lib/lantern"
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1]) if l.strip()]' "$work/server.log" ||
  fail "a log line is not JSON (the packaged settings say log_format = json)"
echo "served the console on $http_port from the package, as user lantern, logging JSON"

# The backup timer's script: a new backup beside the old ones, then only the newest kept.
backups=/var/lib/lantern/backups
for stamp in 20200101T000000Z 20200102T000000Z 20200103T000000Z; do
  runuser -u lantern -- touch "$backups/lantern-$stamp.db"
done
runuser -u lantern -- touch "$backups/notes.txt"
LANTERN_BACKUP_KEEP=2 runuser -u lantern --preserve-environment -- /usr/lib/lantern/lantern-backup \
  >"$work/backup.log" 2>&1 || { cat "$work/backup.log"; fail "lantern-backup"; }
kept=$(cd "$backups" && ls -1 | sort | tr '\n' ' ')
new=$(cd "$backups" && ls -1 | grep -v '^lantern-2020' | grep '^lantern-.*\.db$' || true)
[ -n "$new" ] || fail "no new backup in $backups: $kept"
[ "$kept" = "lantern-20200103T000000Z.db $new notes.txt " ] || fail "kept: $kept"
sqlite3 "$backups/$new" 'PRAGMA integrity_check' | grep -qx ok || fail "the new backup is not whole"
if LANTERN_BACKUP_KEEP=0 runuser -u lantern --preserve-environment -- /usr/lib/lantern/lantern-backup \
  >"$work/refused.log" 2>&1; then fail "LANTERN_BACKUP_KEEP=0 was accepted"; fi
grep -q 'must be a whole number of 1 or more' "$work/refused.log" || fail "KEEP=0 refused without saying why"
echo "backup taken while serving: $new; the oldest removed past 2"

kill -TERM "$server_pid"
wait "$server_pid" || { tail -5 "$work/server.log"; fail "the server did not stop cleanly on SIGTERM"; }
server_pid=

DEBIAN_FRONTEND=noninteractive dpkg --purge lantern >/dev/null
[ ! -e /usr/bin/lantern-server ] || fail "purge left the program"
[ -f /var/lib/lantern/lantern.db ] || fail "purge deleted the database (people's records are never deleted by it)"
echo "package: built, lintian clean, installed, served, backed up and purged (records kept)"
