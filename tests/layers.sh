#!/usr/bin/env bash
# The layers of server/ (README "Architecture"), checked: each folder's files include only
# what their layer may. A new include across the layers fails here, with the line.
set -euo pipefail
cd "$(dirname "$0")/../server"

# folder (or file prefix) and the includes it may use, as extended regexes of the path.
check() {
  local what="$1" allowed="$2" bad
  bad=$(grep -HnE '^#include "[a-z_]+/' $what | grep -vE "#include \"($allowed)" || true)
  if [ -n "$bad" ]; then
    echo "layer broken: $what may include only ($allowed):" >&2
    echo "$bad" >&2
    return 1
  fi
}

ports='core/(event_journal|record_reader|login_store)\.hpp'
record='escalation/escalation_record\.hpp'
status=0
check "centre/*" "centre/|$record" || status=1
check "escalation/escalation_record.* escalation/escalation_json.*" "escalation/escalation_(record|json)\.hpp" || status=1
check "metrics/*" "metrics/|centre/|$record" || status=1
check "desk/*" "desk/|centre/|$record" || status=1
check "core/*" "core/|desk/|centre/|metrics/|$record" || status=1
check "store/*" "store/|$ports|centre/|metrics/|escalation/escalation_(record|json)\.hpp" || status=1
check "escalation/[^e]* escalation/escalation_driver.* escalation/escalation_config.*" \
  "escalation/|core/|desk/|centre/|metrics/" || status=1
check "listener/*" "listener/" || status=1
check "dc09/*" "dc09/|centre/|$record" || status=1
check "device/*" "device/|dc09/|core/(event_journal|unit_signals)\.hpp|listener/|metrics/|centre/|$record" || status=1
check "supervision/*" "supervision/|core/event_journal\.hpp|metrics/|centre/|$record" || status=1
check "web/*" "web/|core/|escalation/|desk/|centre/|metrics/|listener/|$record" || status=1
[ "$status" = 0 ] && echo "layers: every include within its layer"
exit "$status"
