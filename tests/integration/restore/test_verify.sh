#!/usr/bin/env bash
# Scenario 2: verify streams a backup from either backend and checks it against its manifest.
# An intact backup passes on both; a flipped data byte (no compression) names exactly that
# file, in the local file and in a re-uploaded S3 object; with gz and zst the flip is a corrupt
# stream named by entry; a truncated archive fails; a GNU tar archive is foreign (exit 0 with a
# warning); a volback archive whose manifest entry was cut off is corrupt.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=../s3/s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../s3/s3lib.sh"
require_tool tar
require_tool /usr/bin/python3 python3

mkdir -p "$SRC/app" "$SRC/db"
make_random_file "$SRC/app/random.bin" $((2 * 1024 * 1024))
printf 'the needle file\n%.0s' $(seq 2000) >"$SRC/db/target.txt"
printf 'small\n' >"$SRC/db/small.txt"

# verify_run ARGS... — `volback verify` against both backends' configuration.
verify_run() { run_volback "${S3_ENV[@]}" -- verify "$@"; }

for comp in none gz zst; do
  step "backup with BACKUP_COMPRESSION=$comp"
  rm -f "$ARCHIVE"/*
  run_volback "${S3_ENV[@]}" BACKUP_COMPRESSION=$comp AWS_S3_PATH=$comp
  assert_success
  file=$(single_archive "$ARCHIVE")
  name=${file##*/}
  S3_ENV_C=("${S3_ENV[@]}" AWS_S3_PATH=$comp)

  step "$comp: intact on both backends"
  for backend in Local S3; do
    run_volback "${S3_ENV_C[@]}" -- verify "$name" --backend $backend
    assert_exit 0
    grep -qF "$name on $backend: intact" "$VOLBACK_OUT" || fail "verify did not report intact: $(cat "$VOLBACK_OUT")"
  done

  step "$comp: one flipped byte"
  cp "$file" "$T/pristine"
  if [[ $comp == none ]]; then
    offset=$(grep -abo 'the needle file' "$file" | sed -n 1p | cut -d: -f1)
    offset=$((offset + 5000))
  else
    offset=$(($(stat -c %s "$file") / 2))
  fi
  byte=$(od -An -tu1 -j "$offset" -N1 "$file" | tr -d ' ')
  printf "$(printf '\\%03o' $(((byte ^ 0x20) & 0xff)))" | dd of="$file" bs=1 seek="$offset" conv=notrunc status=none
  aws s3 cp "$file" "s3://$BUCKET/$comp/$name" >/dev/null
  for backend in Local S3; do
    run_volback "${S3_ENV_C[@]}" -- verify "$name" --backend $backend
    assert_exit 1
    if [[ $comp == none ]]; then
      grep -q "^  ${SRC#/}/db/target.txt: content differs" "$VOLBACK_OUT" ||
        fail "verify did not name the damaged file: $(cat "$VOLBACK_OUT")"
      assert_eq 1 "$(grep -c '^  ' "$VOLBACK_OUT")" "problems reported (exactly the one file)"
    else
      grep -qE "corrupt (gzip|zstd) stream (in entry|after entry|at the start)|content differs" "$VOLBACK_OUT" ||
        fail "no clear corrupt-stream message: $(cat "$VOLBACK_OUT")"
    fi
  done
  cat "$VOLBACK_OUT"

  step "$comp: truncated"
  head -c $(($(stat -c %s "$T/pristine") * 2 / 3)) "$T/pristine" >"$file"
  run_volback "${S3_ENV_C[@]}" -- verify "$name" --backend Local
  assert_exit 1
  grep -q "CORRUPT" "$VOLBACK_OUT" || fail "truncation not reported: $(cat "$VOLBACK_OUT")"
  cat "$VOLBACK_OUT"
  if [[ $comp == none ]]; then
    step "none: the manifest entry cut off"
    # The manifest's header block starts with its name; keep everything before it and end the
    # archive properly, so only the manifest is missing.
    cut_at=$(grep -abo 'volback-manifest.json' "$T/pristine" | sed -n 1p | cut -d: -f1)
    # A PAX extended header may precede it; the name is at offset 0 of a 512-byte block.
    head -c "$cut_at" "$T/pristine" >"$file"
    head -c 1024 /dev/zero >>"$file"
    run_volback "${S3_ENV_C[@]}" -- verify "$name" --backend Local
    assert_exit 1
    grep -qF "has no volback-manifest.json" "$VOLBACK_OUT" || fail "missing manifest not reported: $(cat "$VOLBACK_OUT")"
  fi
done

step "a GNU tar archive is foreign"
rm -f "$ARCHIVE"/*
tar -czf "$ARCHIVE/backup-gnu.tar.gz" -C / "${SRC#/}"
run_volback -- verify backup-gnu.tar.gz
assert_exit 0
grep -qF "readable, no manifest (" "$VOLBACK_OUT" || fail "not reported as foreign: $(cat "$VOLBACK_OUT")"
assert_log_line WARN "no volback manifest"
echo "PASS"
