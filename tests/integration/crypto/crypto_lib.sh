# shellcheck shell=bash
# Helpers of the crypto suite: a small source tree, checks that an archive's tar holds it, the
# damage helpers, and the reference tools (gpg, age) with their keys. Sourced after ../lib.sh.

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

# ---------------------------------------------------------------------------------------------
# The reference tools

# gpg_q ARGS... — gpg without a terminal, passphrases given with --passphrase.
gpg_q() { gpg --batch --quiet --no-tty --pinentry-mode loopback "$@"; }

# make_gpg_keys PASSPHRASE — in $GNUPGHOME, an RSA-4096 key (rsa@example.invalid) and an ed25519
# key with a cv25519 subkey (cv@example.invalid), both protected by PASSPHRASE; writes the
# armored public key ring of both to $T/pub.asc and each secret key alone to $T/rsa.sec.asc
# and $T/cv.sec.asc.
make_gpg_keys() {
  require_tool gpg gnupg
  gpg_q --passphrase "$1" --quick-gen-key 'RSA Owner <rsa@example.invalid>' rsa4096 encrypt never ||
    fail "gpg cannot generate the RSA key"
  gpg_q --passphrase "$1" --quick-gen-key 'Curve Owner <cv@example.invalid>' future-default default never ||
    fail "gpg cannot generate the cv25519 key"
  gpg_q --armor --export >"$T/pub.asc"
  local who
  for who in rsa cv; do
    gpg_q --passphrase "$1" --armor --export-secret-keys "$who@example.invalid" >"$T/$who.sec.asc"
  done
}

# gpg_home_with WHO — a fresh GnuPG home holding only the secret key $T/WHO.sec.asc; prints it.
gpg_home_with() {
  local home
  home=$(mktemp -d "$T/gnupg-$1.XXXXXX")
  chmod 700 "$home"
  GNUPGHOME=$home gpg_q --import "$T/$1.sec.asc" || fail "cannot import the $1 secret key"
  echo "$home"
}

AGE_TTY=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/age_tty.py
# age_tty PASSPHRASE ARGS... — age with its passphrase prompts answered on a pseudo-terminal
# (age reads passphrases from the terminal only); its terminal output goes to $T/age_tty.out.
age_tty() {
  require_tool age
  require_tool /usr/bin/python3 python3
  local pass=$1
  shift
  AGE_TTY_PASSPHRASE=$pass timeout 60 /usr/bin/python3 "$AGE_TTY" "$@" >"$T/age_tty.out" 2>&1
}

# make_age_identities — two age identities ($T/id1.txt, $T/id2.txt), an ssh-ed25519 and an
# ssh-rsa key without passphrase ($T/ssh_ed25519, $T/ssh_rsa); sets AGE_RECIPIENTS to the
# four public keys, comma-separated, in that order.
make_age_identities() {
  require_tool age-keygen age
  require_tool ssh-keygen openssh-client
  age-keygen -o "$T/id1.txt" 2>/dev/null
  age-keygen -o "$T/id2.txt" 2>/dev/null
  ssh-keygen -q -t ed25519 -N '' -f "$T/ssh_ed25519" -C it@ed25519
  ssh-keygen -q -t rsa -b 3072 -N '' -f "$T/ssh_rsa" -C it@rsa
  # shellcheck disable=SC2034 # read by the tests
  AGE_RECIPIENTS="$(age-keygen -y "$T/id1.txt"),$(age-keygen -y "$T/id2.txt"),$(cat "$T/ssh_ed25519.pub"),$(cat "$T/ssh_rsa.pub")"
}
