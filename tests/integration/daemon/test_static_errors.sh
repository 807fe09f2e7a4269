#!/usr/bin/env bash
# Static configuration errors that leave no valid schedule stop the daemon at start with exit
# code 2 and a message naming the variable or file: an invalid cron expression, TZ,
# LOCK_TIMEOUT, BACKUP_JITTER or LOG_FORMAT, a conf.d whose only file has a syntax error, an
# empty conf.d. (A broken file beside valid ones disables only itself: test_confd.)
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

base=(VOLBACK_CONFD_DIR="$T/no-confd")

# expect_usage NEEDLE ASSIGNMENT... — `volback daemon` exits 2 and names NEEDLE.
expect_usage() {
  local needle=$1
  shift
  run_volback "${base[@]}" "$@" -- daemon
  assert_exit 2
  assert_contains "$needle"
  assert_not_contains "Successfully scheduled"
}

step "invalid cron expression"
expect_usage BACKUP_CRON_EXPRESSION 'BACKUP_CRON_EXPRESSION=61 * * * *'
assert_contains "above maximum"
step "invalid TZ"
expect_usage TZ TZ=Mars/Olympus_Mons
step "invalid LOCK_TIMEOUT"
expect_usage LOCK_TIMEOUT 'LOCK_TIMEOUT=10 days'
step "invalid BACKUP_JITTER"
expect_usage BACKUP_JITTER BACKUP_JITTER=-5s
step "invalid LOG_FORMAT"
expect_usage LOG_FORMAT LOG_FORMAT=xml

step "conf.d file with a syntax error"
mkdir -p "$T/bad.d"
printf 'BACKUP_FILENAME=ok.tar.gz\nthis line is not an assignment\n' >"$T/bad.d/broken.env"
run_volback VOLBACK_CONFD_DIR="$T/bad.d" -- daemon
assert_exit 2
assert_contains "$T/bad.d/broken.env"
assert_contains "line 2"

step "conf.d file with an invalid value names the file and the variable"
mkdir -p "$T/value.d"
printf 'BACKUP_COMPRESSION=bz2\n' >"$T/value.d/weekly.env"
run_volback VOLBACK_CONFD_DIR="$T/value.d" -- daemon
assert_exit 2
assert_contains "$T/value.d/weekly.env"
assert_contains BACKUP_COMPRESSION

step "empty conf.d"
mkdir -p "$T/empty.d"
touch "$T/empty.d/.gitkeep"
run_volback VOLBACK_CONFD_DIR="$T/empty.d" -- daemon
assert_exit 2
assert_contains "$T/empty.d"
assert_contains "holds no schedule file"

step "offen's entrypoint, backup -foreground, validates the same way"
mkdir -p "$T/bin"
ln -sf "$VOLBACK_BIN" "$T/bin/backup"
VOLBACK_EXE=$T/bin/backup
run_volback "${base[@]}" 'BACKUP_CRON_EXPRESSION=@fortnightly' -- -foreground
assert_exit 2
assert_contains "unrecognized descriptor"
echo ok
