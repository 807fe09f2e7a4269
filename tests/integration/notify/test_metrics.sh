#!/usr/bin/env bash
# Prometheus metrics: the textfile of VOLBACK_METRICS_FILE after a success and after a
# failure (promtool check metrics), and the daemon's /metrics (VOLBACK_METRICS_LISTEN)
# scraped with curl.
# shellcheck source=notify_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/notify_lib.sh"
# shellcheck source=../daemon/daemon_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../daemon/daemon_lib.sh"
require_tool promtool prometheus
require_tool curl

printf 'data\n' >"$SRC/file.txt"
file=$T/metrics/volback.prom
mkdir -p "$T/metrics"

metric() { # metric FILE NAME{LABELS} — the value of one sample
  awk -v name="$2" '$1 == name { print $2 }' "$1"
}

step "after a success"
run_volback VOLBACK_METRICS_FILE="$file"
assert_success
promtool check metrics <"$file" || fail "promtool rejects the metrics file"
[[ $(metric "$file" 'volback_last_run_exit_code{schedule="environment"}') == 0 ]] || fail "exit code metric"
[[ $(metric "$file" 'volback_runs_total{schedule="environment",result="success"}') == 1 ]] || fail "runs_total"
success=$(metric "$file" 'volback_last_success_timestamp_seconds{schedule="environment"}')
[[ $success != 0 && -n $success ]] || fail "no last success time"
[[ $(metric "$file" 'volback_last_backend_success{schedule="environment",backend="Local"}') == 1 ]] ||
  fail "backend success: $(grep backend_success "$file")"

step "after a failure: exit code 1, the last success unchanged, both runs counted"
run_locked_out VOLBACK_METRICS_FILE="$file"
promtool check metrics <"$file" || fail "promtool rejects the metrics file"
[[ $(metric "$file" 'volback_last_run_exit_code{schedule="environment"}') == 1 ]] || fail "exit code metric"
[[ $(metric "$file" 'volback_last_success_timestamp_seconds{schedule="environment"}') == "$success" ]] ||
  fail "the last success time changed"
[[ $(metric "$file" 'volback_runs_total{schedule="environment",result="success"}') == 1 ]] || fail "success count"
grep -q '^volback_runs_total{schedule="environment",result="failed"} 1$' "$file" ||
  fail "failure count: $(grep runs_total "$file")"

step "the daemon serves /metrics"
port=$(free_port)
start_daemon 'BACKUP_CRON_EXPRESSION=@every 1s' "VOLBACK_METRICS_LISTEN=127.0.0.1:$port" \
  'BACKUP_FILENAME=backup-%Y%m%dT%H%M%S.tar.gz'
scraped() { curl -sf "http://127.0.0.1:$port/metrics" >"$T/scrape.txt" && grep -q '^volback_runs_total' "$T/scrape.txt"; }
wait_until 30 "a run in /metrics" scraped
promtool check metrics <"$T/scrape.txt" || fail "promtool rejects /metrics"
grep -q '^volback_last_run_exit_code{schedule="environment"} 0$' "$T/scrape.txt" || fail "$(cat "$T/scrape.txt")"
[[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/other") == 404 ]] || fail "another path is not 404"
stop_daemon
