# shellcheck shell=bash
# Helpers of the restore suite, sourced after ../lib.sh.

# make_volumes DIR — volumes app/, db/ and media/ under DIR holding every kind of entry and
# metadata volback archives: random and empty files, hard links (within a volume), symlinks
# (dangling too), numeric owners, modes, nanosecond and old mtimes, xattrs, ACLs, a FIFO, an
# empty directory and a 64 MiB sparse file with two data regions.
make_volumes() {
  local s=$1
  mkdir -p "$s/app/files" "$s/app/links" "$s/app/empty-dir" "$s/db/owned" "$s/media/attrs" "$s/media/sparse"
  make_random_file "$s/app/files/random-300k.bin" $((300 * 1024))
  make_random_file "$s/app/files/random-3m.bin" $((3 * 1024 * 1024 + 17))
  : >"$s/app/files/empty.txt"
  printf 'plain text\n' >"$s/app/files/plain.txt"
  printf 'linked content\n' >"$s/app/links/original.txt"
  ln "$s/app/links/original.txt" "$s/app/links/hardlink.txt"
  ln -s original.txt "$s/app/links/symlink"
  ln -s does-not-exist "$s/app/links/dangling"
  chown -h 70:70 "$s/app/links/symlink"
  printf 'secret\n' >"$s/db/owned/postgres.conf"
  chown 70:70 "$s/db/owned/postgres.conf"
  chmod 0600 "$s/db/owned/postgres.conf"
  chown 1000:1000 "$s/db/owned"
  chmod 0750 "$s/db/owned"
  mkfifo "$s/db/fifo"
  printf 'nanoseconds\n' >"$s/db/ns.txt"
  touch -d '2021-08-29 04:00:00.123456789' "$s/db/ns.txt"
  printf 'old\n' >"$s/db/old.txt"
  touch -d '1999-12-31 23:59:59' "$s/db/old.txt"
  printf 'x\n' >"$s/media/attrs/xattr.txt"
  setfattr -n user.volback.test -v hello "$s/media/attrs/xattr.txt"
  printf 'acl\n' >"$s/media/attrs/acl.txt"
  setfacl -m u:1234:r "$s/media/attrs/acl.txt"
  truncate -s $((64 * 1024 * 1024)) "$s/media/sparse/disk.img"
  make_random_file "$T/chunk" 8192
  dd if="$T/chunk" of="$s/media/sparse/disk.img" bs=4096 seek=1000 conv=notrunc status=none
  dd if="$T/chunk" of="$s/media/sparse/disk.img" bs=4096 seek=9000 conv=notrunc status=none
  chmod 0700 "$s/media"
  touch -d '2022-02-02 02:02:02.25' "$s/app/files"
}

# compare_volumes EXPECTED_ROOT ACTUAL_ROOT VOLUME... — compare_trees for each volume.
compare_volumes() {
  local a=$1 b=$2 v
  shift 2
  for v in "$@"; do compare_trees "$a/$v" "$b/$v"; done
}

# assert_no_leftovers DIR — no .volback-restore-* or .volback-old-* anywhere under DIR.
assert_no_leftovers() {
  local found
  found=$(find "$1" -name '.volback-restore-*' -o -name '.volback-old-*' | sed -n 1,5p)
  [[ -z $found ]] || fail "volback's staging directories were left behind: $found"
}

# tree_digest DIR — one checksum over tree_manifest DIR, to prove that nothing changed.
tree_digest() { tree_manifest "$1" | sha256sum | cut -d' ' -f1; }

# back_up_big_to_s3 — a 160 MiB volume file and a small one, backed up uncompressed to the
# test's S3 bucket only, with Swift brought back on exit (and a frozen restore resumed) for
# the tests that kill Swift's proxy in the middle of a restore, which sets VB_PID. Needs
# ../s3/s3lib.sh.
back_up_big_to_s3() {
  restore_swift() {
    [[ -n ${VB_PID:-} ]] && { kill -CONT "$VB_PID" 2>/dev/null || true; }
    curl -sf "$S3_ENDPOINT/healthcheck" >/dev/null 2>&1 || swift_proxy_start
  }
  local previous_exit_trap
  previous_exit_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
  trap 'restore_swift; '"${previous_exit_trap:-true}" EXIT

  make_random_file "$SRC/app/big.bin" $((160 * 1024 * 1024))
  printf 'v1\n' >"$SRC/app/config.txt"
  rmdir "$ARCHIVE"
  run_volback "${S3_ENV[@]}" BACKUP_COMPRESSION=none
  assert_success
}

# restore_and_kill_swift ATTEMPTS MAX_TIME [RESTORE_ARG...] — starts `volback restore latest
# --to $T/target ARGS` from S3 in the background (VB_PID) with that retry budget, waits until
# it is streaming big.bin into its staging directory, freezes it, kills Swift's proxy and
# lets the restore go on against the dead server.
restore_and_kill_swift() {
  local attempts=$1 max_time=$2
  shift 2
  env -i PATH=/usr/bin:/bin HOME="$T" TZ=UTC VOLBACK_LOCK_FILE="$VOLBACK_LOCK_FILE" \
    VOLBACK_STATE_DIR="$VOLBACK_STATE_DIR" BACKUP_SOURCES=/nonexistent BACKUP_ARCHIVE=/nonexistent \
    "${S3_ENV[@]}" AWS_RETRY_ATTEMPTS="$attempts" AWS_RETRY_MAX_TIME="$max_time" \
    "$VOLBACK_BIN" restore latest --to "$T/target" "$@" >"$VOLBACK_OUT" 2>"$VOLBACK_LOG" </dev/null &
  VB_PID=$!
  for _ in $(seq 3000); do
    compgen -G "$T/target/app/.volback-restore-*/big.bin" >/dev/null && break
    kill -0 "$VB_PID" 2>/dev/null || fail "the restore ended before it was streaming"
    sleep 0.005
  done
  kill -STOP "$VB_PID"
  swift_proxy_kill
  kill -CONT "$VB_PID"
}
