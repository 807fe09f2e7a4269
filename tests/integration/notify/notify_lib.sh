# shellcheck shell=bash
# Receivers for the notify suite, on 127.0.0.1 and stopped by their PIDs when the test ends:
#   start_smtp MODE   (starttls|implicit) sets SMTP_PORT and SMTP_DIR (mail-N.eml, mail-N.env)
#   start_http [STATUS [REPLIES]] sets HTTP_PORT and HTTP_DIR (req-NNN.json, one per
#                     request); REPLIES: http_receiver.py's file of replies by method and path
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

NOTIFY_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
[[ -x $PY ]] || skip "/usr/bin/python3 is missing (Debian package python3)"
$PY -c 'import aiosmtpd' 2>/dev/null || skip "aiosmtpd is missing (Debian package python3-aiosmtpd)"
require_tool openssl

NOTIFY_PIDS=()
stop_receivers() {
  local pid
  for pid in "${NOTIFY_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
# Replaces lib.sh's EXIT trap and calls it (it keeps a hand-started test's directory on failure).
notify_exit() {
  local rc=$?
  stop_receivers
  if declare -F cleanup_standalone >/dev/null; then
    (exit "$rc")
    cleanup_standalone
  fi
  exit "$rc"
}
trap notify_exit EXIT

# free_port — a TCP port on 127.0.0.1 nobody listens on now.
free_port() {
  $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_ready() { # wait_ready DIR PID WHAT
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -e $1/ready ]] && return 0
    kill -0 "$2" 2>/dev/null || fail "$3 did not start (see $1.log)"
    sleep 0.1
  done
  fail "$3 did not become ready"
}

start_smtp() {
  local mode=$1
  SMTP_DIR=$T/smtp-$mode
  mkdir -p "$SMTP_DIR"
  if [[ ! -f $T/smtp.crt ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
      -addext subjectAltName=IP:127.0.0.1 -keyout "$T/smtp.key" -out "$T/smtp.crt" 2>/dev/null ||
      fail "openssl could not make the test certificate"
  fi
  SMTP_PORT=$(free_port)
  $PY "$NOTIFY_HERE/smtp_server.py" "$SMTP_DIR" "$SMTP_PORT" "$mode" "$T/smtp.crt" "$T/smtp.key" \
    >"$SMTP_DIR.log" 2>&1 &
  NOTIFY_PIDS+=($!)
  wait_ready "$SMTP_DIR" $! "the SMTP server ($mode)"
}

start_http() {
  HTTP_DIR=$T/http-$((${#NOTIFY_PIDS[@]}))
  mkdir -p "$HTTP_DIR"
  HTTP_PORT=$(free_port)
  $PY "$NOTIFY_HERE/http_receiver.py" "$HTTP_DIR" "$HTTP_PORT" "${1:-200}" ${2:+"$2"} >"$HTTP_DIR.log" 2>&1 &
  NOTIFY_PIDS+=($!)
  wait_ready "$HTTP_DIR" $! "the HTTP receiver"
}

# count_files DIR GLOB
count_files() {
  local -a files
  shopt -s nullglob
  # shellcheck disable=SC2206 # $2 is a glob
  files=("$1"/$2)
  shopt -u nullglob
  echo "${#files[@]}"
}

# req_field FILE EXPR — a Python expression over the request record r (dict).
req_field() {
  $PY -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# mail_header FILE NAME — a header of a received mail, decoded (RFC 2047).
mail_header() {
  $PY -c '
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(m[sys.argv[2]] or "")' "$1" "$2"
}

# mail_body FILE — the text of a received mail.
mail_body() {
  $PY -c '
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(m.get_body(("plain",)).get_content())' "$1"
}

# hold_lock — takes the run lock so that the next run fails (exit 1) after LOCK_TIMEOUT;
# release_lock gives it back.
hold_lock() {
  require_tool flock util-linux
  mkdir -p "$(dirname "$VOLBACK_LOCK_FILE")"
  exec {NOTIFY_LOCK_FD}>>"$VOLBACK_LOCK_FILE"
  flock -x -n "$NOTIFY_LOCK_FD" || fail "cannot take the lock for the test"
}
release_lock() { exec {NOTIFY_LOCK_FD}>&-; }

# run_locked_out VAR=VALUE... — run_volback with these settings while the test holds the run
# lock (LOCK_TIMEOUT=1s): the run fails with exit 1.
run_locked_out() {
  hold_lock
  run_volback "$@" LOCK_TIMEOUT=1s
  release_lock
  assert_exit 1
}
