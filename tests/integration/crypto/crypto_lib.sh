# shellcheck shell=bash
# Helpers of the crypto suite: a small source tree, checks that an archive's tar holds it, and
# the damage helpers. Sourced after ../lib.sh.

require_tool tar
require_tool cmp diffutils

mkdir -p "$SRC/app_data" "$SRC/other"
make_random_file "$SRC/app_data/offen.db" $((1024 * 1024 + 123))
printf 'the needle file\n%.0s' $(seq 2000) >"$SRC/other/text.txt"
: >"$SRC/other/empty"

# tar_holds_tree TARFILE — the (decompressed by tar) archive holds the source tree, byte for byte.
tar_holds_tree() {
  local x
  x=$(mktemp -d "$T/x.XXXXXX")
  tar -xf "$1" -C "$x" --warning=no-unknown-keyword || fail "GNU tar cannot extract $1"
  tar -tf "$1" --warning=no-unknown-keyword >"$x.list" || fail "GNU tar cannot list $1"
  grep -qxF "${SRC#/}/app_data/offen.db" "$x.list" ||
    fail "$1 has no member ${SRC#/}/app_data/offen.db"
  cmp -s "$SRC/app_data/offen.db" "$x/${SRC#/}/app_data/offen.db" || fail "offen.db differs in $1"
  cmp -s "$SRC/other/text.txt" "$x/${SRC#/}/other/text.txt" || fail "text.txt differs in $1"
  rm -rf "$x" "$x.list"
}

# restored_equals DIR — a `restore --to DIR` produced the source tree.
restored_equals() {
  cmp -s "$SRC/app_data/offen.db" "$1/app_data/offen.db" || fail "restored offen.db differs"
  cmp -s "$SRC/other/text.txt" "$1/other/text.txt" || fail "restored text.txt differs"
}

# flip_byte FILE OFFSET — xors one byte with 0x20 in place.
flip_byte() {
  local byte
  byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  printf "$(printf '\\%03o' $(((byte ^ 0x20) & 0xff)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# damaged_checks ARCHIVE_FILE VAR=VALUE... — with the right key, a flipped byte in the middle
# and a truncated ciphertext both fail verify and restore (exit 1), and restore leaves its
# target untouched.
damaged_checks() {
  local file=$1 name pristine=$T/pristine size target
  shift
  name=${file##*/}
  cp "$file" "$pristine"
  size=$(stat -c %s "$file")
  for damage in flipped truncated; do
    cp "$pristine" "$file"
    if [[ $damage == flipped ]]; then
      flip_byte "$file" $((size / 2))
    else
      truncate -s $((size * 2 / 3)) "$file"
    fi
    run_volback "$@" -- verify "$name"
    assert_exit 1
    target=$T/damaged-$damage
    mkdir -p "$target" && printf 'keep\n' >"$target/marker"
    run_volback "$@" -- restore "$name" --to "$target" --overwrite
    assert_exit 1
    assert_eq "marker" "$(ls -A "$target")" "entries of the target after a $damage restore"
    grep -qiE "corrupt|damaged|truncated|authentic" "$VOLBACK_LOG" ||
      fail "no clear message for a $damage ciphertext: $(tail -n 3 "$VOLBACK_LOG")"
  done
  cp "$pristine" "$file"
}

# restore_ok NAME VAR=VALUE... [-- EXTRA ARGS] — verify and restore --to succeed and match.
restore_ok() {
  local name=$1 target
  shift
  local -a vars=() extra=()
  while (($#)); do
    if [[ $1 == -- ]]; then shift; extra=("$@"); break; fi
    vars+=("$1"); shift
  done
  run_volback "${vars[@]}" -- verify "$name" "${extra[@]}"
  assert_exit 0
  grep -qF ": intact (decrypted" "$VOLBACK_OUT" || fail "verify did not report a decrypted intact backup: $(cat "$VOLBACK_OUT")"
  target=$(mktemp -d "$T/restored.XXXXXX")
  run_volback "${vars[@]}" -- restore "$name" --to "$target" --overwrite "${extra[@]}"
  assert_exit 0
  restored_equals "$target"
}

# wrong_key NAME VAR=VALUE... [-- EXTRA ARGS] — verify and restore fail with exit 1, a clear
# message, and nothing written.
wrong_key() {
  local name=$1 target
  shift
  local -a vars=() extra=()
  while (($#)); do
    if [[ $1 == -- ]]; then shift; extra=("$@"); break; fi
    vars+=("$1"); shift
  done
  run_volback "${vars[@]}" -- verify "$name" "${extra[@]}"
  assert_exit 1
  grep -qE "cannot decrypt" "$VOLBACK_LOG" || fail "no clear wrong-key message: $(tail -n 3 "$VOLBACK_LOG")"
  target=$(mktemp -d "$T/wrong.XXXXXX")
  run_volback "${vars[@]}" -- restore "$name" --to "$target" --overwrite "${extra[@]}"
  assert_exit 1
  assert_eq "" "$(ls -A "$target")" "entries of the target after a wrong-key restore"
}

# no_secret_in_logs SECRET — the secret appears in no stderr/stdout of this test's runs.
no_secret_in_logs() {
  ! grep -rqF -- "$1" "$T/logs" || fail "a secret appears in volback's output"
}
