#!/usr/bin/env bash
# A device's welcome and an operator's login, timed with and without 5,000 idle connections
# from another address on each port (the lock-out found from outside): prints a table.
#
#   tests/bench/idle_flood.sh [idle connections] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/bench_lib.sh
idle="${1:-5000}"
rounds="${2:-40}"
bench_build lantern-server
./build/server/lantern-server --db "$work/lantern.db" --import deploy/demo-centre.json --import-only >/dev/null
start_server "$work/lantern.db"
python3 tests/bench/idle_flood.py "$device_port" "$http_port" "$idle" "$rounds"
