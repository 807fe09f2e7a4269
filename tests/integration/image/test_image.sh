#!/usr/bin/env bash
# The image itself: built from the Dockerfile on the imported Debian base; the runtime stage
# holds the binary, `backup` on PATH, BusyBox, CA certificates and tzdata, and no compiler,
# in 40 MiB or less; the entrypoint runs the daemon (as PID 1) by default, volback's
# commands, or a command given; the healthcheck is `volback healthcheck`; it runs as root
# and as 1000:1000; offen's manual trigger for conf.d setups,
# `sh -c 'set -a; source …/conf.d/x.env; set +a && backup'`, uses the sourced values.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/image_lib.sh"

ensure_image
img=$VOLBACK_IT_VOLBACK_IMAGE
size=$(dk image inspect -f '{{.Size}}' "$img")
base_size=$(dk image inspect -f '{{.Size}}' "$VOLBACK_IT_BASE_IMAGE")
echo "image size: $((size / 1000000)) MB ($size bytes; the base image is $((base_size / 1000000)) MB)"
((size <= 40 * 1024 * 1024)) || fail "the image has $size bytes, more than 40 MiB"

assert_eq '["/usr/local/bin/volback-entrypoint"]' "$(dk image inspect -f '{{json .Config.Entrypoint}}' "$img")" "entrypoint"
assert_eq '["daemon"]' "$(dk image inspect -f '{{json .Config.Cmd}}' "$img")" "cmd"
# The entrypoint passes arguments to volback, or runs them when they start with a command.
dk run --rm --network none "$img" volback --help >/dev/null || fail "docker run IMAGE volback --help failed"
dk run --rm --network none "$img" backup --help >/dev/null || fail "docker run IMAGE backup --help failed"
out=$(dk run --rm --network none -e BACKUP_SOURCES=/etc -e BACKUP_ARCHIVE=/tmp "$img" print-config) ||
  fail "docker run IMAGE print-config failed"
grep -q 'BACKUP_SOURCES=/etc' <<<"$out" || fail "print-config: $out"
assert_eq shell "$(dk run --rm --network none "$img" sh -c 'echo shell')" "docker run IMAGE sh -c"
assert_eq '["CMD","/usr/bin/volback","healthcheck"]' "$(dk image inspect -f '{{json .Config.Healthcheck.Test}}' "$img")" "healthcheck"
assert_eq "$(dpkg --print-architecture)" "$(dk image inspect -f '{{.Architecture}}' "$img")" "architecture"
# offen's manual trigger for a conf.d setup (its docs, "Trigger a backup manually").
mkdir -p "$T/confd" "$T/archive"
chmod 0777 "$T/archive"
printf '%s\n' 'BACKUP_FILENAME=from-confd-%Y.tar.gz' 'BACKUP_SOURCES=/etc/ssl' >"$T/confd/x.env"
dk run --rm --network none -e BACKUP_ARCHIVE=/archive -e BACKUP_SOURCES=/etc \
  -v "$T/confd:/etc/dockervolumebackup/conf.d:ro" -v "$T/archive:/archive" --entrypoint sh "$img" \
  -c 'set -a; source /etc/dockervolumebackup/conf.d/x.env; set +a && backup' >"$T/source.out" 2>&1 ||
  { cat "$T/source.out"; fail "sh -c 'set -a; source …; set +a && backup' failed"; }
assert_eq "from-confd-$(date -u +%Y).tar.gz" "$(ls "$T/archive")" "the archive named by the sourced file"
tar -tzf "$T/archive/from-confd-$(date -u +%Y).tar.gz" >"$T/source.list"
grep -q '^etc/ssl/' "$T/source.list" || fail "the archive does not hold the sourced BACKUP_SOURCES"
! grep -q '^etc/passwd$' "$T/source.list" || fail "the archive holds /etc, not the sourced /etc/ssl"

check() {  # USER — what must hold for that user
  local out
  out=$(dk run --rm --network none --user "$1" --entrypoint sh "$img" -c '
    set -e
    command -v backup; command -v volback
    test -s /etc/ssl/certs/ca-certificates.crt
    test -f /usr/share/zoneinfo/Europe/Berlin
    ! command -v g++ && ! command -v cmake
    touch /var/lock/probe && rm /var/lock/probe
    touch /var/lib/volback/probe && rm /var/lib/volback/probe
    backup --help >/dev/null
    export BACKUP_SOURCES=/etc BACKUP_ARCHIVE=/tmp
    TZ=Europe/Berlin volback print-config') || fail "the image's checks failed for user $1: $out"
  grep -qx /usr/bin/backup <<<"$out" || fail "backup is not /usr/bin/backup: $out"
  echo "$out"
}
check 0:0
check 1000:1000
# The daemon starts as the entrypoint (PID 1), a fresh one is healthy, and it stops at once
# on SIGTERM, for either user.
# As 1000:1000 it is started with offen's command line, `backup -foreground`.
for user in 0:0 1000:1000; do
  c=$IT_ID-daemon-${user%%:*}
  args=()
  [[ $user == 0:0 ]] || args=(backup -foreground)
  dk run -d --name "$c" --network none --label "volback-it=$IT_ID" --user "$user" \
    -e BACKUP_SOURCES=/etc -e BACKUP_ARCHIVE=/tmp "$img" "${args[@]}" >/dev/null || fail "docker run as $user failed"
  for _ in $(seq 50); do dk logs "$c" 2>&1 | grep -F 'Successfully scheduled backup' >/dev/null && break; sleep 0.2; done
  dk logs "$c" 2>&1 | grep -F 'Successfully scheduled backup' >/dev/null || { dk logs "$c" >&2; fail "daemon as $user did not start"; }
  dk exec "$c" volback healthcheck || fail "healthcheck of a fresh daemon as $user failed"
  assert_eq /usr/bin/volback "$(dk exec "$c" readlink /proc/1/exe)" "the container's init process ($user)"
  start=$SECONDS
  dk stop -t 10 "$c" >/dev/null
  assert_eq 0 "$(dk inspect -f '{{.State.ExitCode}}' "$c")" "daemon's exit code after docker stop ($user)"
  ((SECONDS - start < 5)) || fail "docker stop took $((SECONDS - start)) s"
done
echo PASS
