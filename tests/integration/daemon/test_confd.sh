#!/usr/bin/env bash
# conf.d: two schedule files firing every 2 s and one that never fires. Both firing files
# produce archives named by their own BACKUP_FILENAME (overriding the environment's), their
# runs never overlap (start/end in the run records), and the never file produces nothing.
# Dotfiles are skipped, a symlink to a file counts, BACKUP_JITTER delays a run, and
# `volback backup --config FILE` runs one file's schedule by hand. A file with a syntax error
# and one with an invalid value disable only their own schedules: the others run, and
# daemon.json records each as a failing check (healthcheck reports it).
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=daemon_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/daemon_lib.sh"
require_tool /usr/bin/python3 python3

printf 'data\n' >"$SRC/file.txt"
confd=$T/conf.d
mkdir -p "$confd" "$T/elsewhere"
cat >"$confd/a.env" <<'CONF'
# schedule a
BACKUP_CRON_EXPRESSION="*/2 * * * * *"
PREFIX=alpha
BACKUP_FILENAME=${PREFIX}-%H%M%S.tar.gz
CONF
cat >"$T/elsewhere/b.env" <<'CONF'
BACKUP_CRON_EXPRESSION='*/2 * * * * *'
BACKUP_FILENAME="beta-%H%M%S.tar.gz"
BACKUP_JITTER=300ms
CONF
ln -s "$T/elsewhere/b.env" "$confd/b.env"
cat >"$confd/never.env" <<'CONF'
BACKUP_CRON_EXPRESSION=0 0 5 31 2 ?
BACKUP_FILENAME=never-%H%M%S.tar.gz
CONF
printf 'BACKUP_FILENAME=hidden-%%H%%M%%S.tar.gz\n' >"$confd/.hidden"
printf 'BACKUP_CRON_EXPRESSION=* * * * * *\nthis line is not an assignment\n' >"$confd/broken.env"
printf 'BACKUP_CRON_EXPRESSION=* * * * * *\nBACKUP_COMPRESSION=bz2\nBACKUP_FILENAME=bad-%%H.tar\n' >"$confd/value.env"

step "daemon over conf.d"
start_daemon VOLBACK_CONFD_DIR="$confd" BACKUP_FILENAME=env-%H%M%S.tar.gz
both_twice() { (($(count_files "$ARCHIVE" alpha-) >= 2 && $(count_files "$ARCHIVE" beta-) >= 2)); }
wait_until 60 "two archives each from a.env and b.env" both_twice
stop_daemon 10

assert_eq 0 "$(count_files "$ARCHIVE" never-)" "archives of never.env"
assert_eq 0 "$(count_files "$ARCHIVE" env-)" "archives named by the environment's BACKUP_FILENAME"
assert_eq 0 "$(count_files "$ARCHIVE" hidden-)" "archives of the dotfile"
assert_contains "will never run" "$DAEMON_LOG"
assert_contains "$confd/never.env" "$DAEMON_LOG"
assert_eq 0 "$(count_files "$ARCHIVE" bad-)" "archives of value.env"
assert_contains "Invalid configuration in $confd/broken.env" "$DAEMON_LOG"
assert_contains "Invalid configuration in $confd/value.env" "$DAEMON_LOG"
assert_contains "this schedule is disabled" "$DAEMON_LOG"
/usr/bin/python3 - "$VOLBACK_STATE_DIR/daemon.json" "$confd" <<'PY' || fail "daemon.json does not record the invalid files as failing checks"
import json, sys
state = json.load(open(sys.argv[1]))
failing = {c["name"] for c in state["checks"] if not c["ok"]}
want = {f"configuration of {sys.argv[2]}/broken.env", f"configuration of {sys.argv[2]}/value.env"}
assert want <= failing, failing
assert len(state["schedules"]) == 3, state["schedules"]
PY

step "runs never overlap"
/usr/bin/python3 - "$VOLBACK_STATE_DIR/runs" <<'PY' || fail "run records overlap or are malformed"
import json, pathlib, sys
from datetime import datetime
def t(s):
    # RFC 3339 with up to 9 fraction digits; Python takes 6.
    head, _, frac = s.rstrip("Z").partition(".")
    return datetime.fromisoformat(head).timestamp() + (float("0." + frac) if frac else 0.0)
runs = []
for f in pathlib.Path(sys.argv[1]).rglob("*.json"):
    r = json.loads(f.read_text())
    assert r["exit_code"] == 0, (f, r)
    runs.append((t(r["start"]), t(r["end"]), r["schedule"], r["archive"]))
keys = {r[2] for r in runs}
assert keys == {"confd.a.env", "confd.b.env"}, keys
runs.sort()
for a, b in zip(runs, runs[1:]):
    assert a[1] <= b[0], f"overlap: {a} and {b}"
print(len(runs), "runs, none overlapping")
PY
assert_contains "Applying startup jitter of " "$DAEMON_LOG"

step "backup --config runs the never file's schedule by hand"
run_volback BACKUP_FILENAME=env-%H%M%S.tar.gz -- backup --config "$confd/never.env"
assert_success
assert_eq 1 "$(count_files "$ARCHIVE" never-)" "archives of never.env after backup --config"
ls "$VOLBACK_STATE_DIR/runs/confd.never.env/"*.json >/dev/null || fail "no run record for never.env"
run_volback -- backup --config "$T/missing.env"
assert_exit 2
assert_contains "$T/missing.env"
echo ok
