#!/usr/bin/env bash
# An overdue schedule in the daemon: its run is stuck on the lock past the fire time plus
# VOLBACK_HEALTH_GRACE, so the daemon logs it, notifies it once (offen's failure message
# saying which schedule was due when) and sets volback_schedule_overdue in the metrics file;
# once the run can go on and finishes, the gauge is 0 again.
# shellcheck source=notify_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/notify_lib.sh"
# shellcheck source=../daemon/daemon_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../daemon/daemon_lib.sh"
require_tool promtool prometheus

printf 'data\n' >"$SRC/file.txt"
start_http
file=$T/metrics/volback.prom
mkdir -p "$T/metrics"

step "the first run waits for the lock past its fire time plus the grace"
start_daemon 'BACKUP_CRON_EXPRESSION=@every 5s' VOLBACK_HEALTH_GRACE=1s LOCK_TIMEOUT=60s \
  "NOTIFICATION_URLS=generic+http://127.0.0.1:$HTTP_PORT/hook?template=json" "VOLBACK_METRICS_FILE=$file"
# After the daemon started, so that it does not inherit the lock's descriptor; its first
# fire time is 5 s away.
hold_lock
notified() { [[ -f $HTTP_DIR/req-001.json ]]; }
wait_until 30 "the overdue notification" notified
overdue() { grep -qs '^volback_schedule_overdue{schedule="environment"} 1$' "$file"; }
wait_until 10 "the overdue schedule in the metrics file" overdue
req=$HTTP_DIR/req-001.json
[[ $(req_field "$req" 'json.loads(r["body"])["title"]') == "Failure running docker-volume-backup at "* ]] ||
  fail "title: $(req_field "$req" 'r["body"]')"
[[ $(req_field "$req" 'json.loads(r["body"])["message"]') == *"schedule from environment (@every 5s) is overdue: it was due at "*"(grace 1s); its run is still waiting or running"* ]] ||
  fail "message: $(req_field "$req" 'r["body"]')"
grep -q 'level=ERROR msg="Schedule from environment is overdue"' "$DAEMON_LOG" || fail "the daemon did not log it"
grep -q '^volback_overdue_total{schedule="environment"} 1$' "$file" || fail "counter: $(grep overdue "$file")"
promtool check metrics <"$file" || fail "promtool rejects the metrics file"

step "the run goes on once the lock is free and clears the gauge; nothing more is notified"
release_lock
cleared() { grep -qs '^volback_schedule_overdue{schedule="environment"} 0$' "$file"; }
wait_until 30 "a finished run in the metrics file" cleared
grep -q '^volback_runs_total{schedule="environment",result="success"} [1-9]' "$file" || fail "$(grep runs_total "$file")"
stop_daemon
[[ $(count_files "$HTTP_DIR" 'req-') == 1 ]] || fail "expected only the overdue notification"
