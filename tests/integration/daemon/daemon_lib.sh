# shellcheck shell=bash
# Helpers of the daemon suite, on top of ../lib.sh (source that first):
#
#   start_daemon [VAR=VALUE]... [-- ARG...]   volback daemon in the background (clean env as
#                                            run_volback builds it); DAEMON_PID; DAEMON_LOG
#                                            holds its stdout and stderr in order (it logs on
#                                            stdout, as offen's daemon);
#                                            DAEMON_EXE runs another executable (the symlink)
#   stop_daemon [SECONDS]                    SIGTERM, then asserts exit 0 within SECONDS (10)
#   wait_until SECONDS WHAT COMMAND...        polls COMMAND every 0.2 s; fails after SECONDS
#   build_stall_shim                         LD_PRELOAD library: opening "stall.me" writes
#                                            $STALL_DIR/stalled, then waits for $STALL_DIR/release

DAEMON_PID=
DAEMON_LOG=$T/daemon.log
DAEMON_RC=

daemon_env() {
  echo PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  echo HOME="$T"
  echo TZ=UTC
  echo VOLBACK_LOCK_FILE="$VOLBACK_LOCK_FILE"
  echo VOLBACK_STATE_DIR="$VOLBACK_STATE_DIR"
  echo VOLBACK_CONFD_DIR="$T/no-confd"
  echo BACKUP_SOURCES="$SRC"
  echo BACKUP_ARCHIVE="$ARCHIVE"
}

start_daemon() {
  local -a assigns=() args=(daemon) base=()
  while (($#)); do
    if [[ $1 == -- ]]; then
      shift
      args=("$@")
      break
    fi
    assigns+=("$1")
    shift
  done
  mapfile -t base < <(daemon_env)
  [[ -x $VOLBACK_BIN ]] || fail "volback binary not found at $VOLBACK_BIN"
  env -i "${base[@]}" "${assigns[@]}" "${DAEMON_EXE:-$VOLBACK_BIN}" "${args[@]}" >"$DAEMON_LOG" 2>&1 </dev/null &
  DAEMON_PID=$!
  echo "daemon started (pid $DAEMON_PID): ${assigns[*]} volback ${args[*]}"
  # Keep whatever EXIT trap is already set (lib.sh's, docker_lib.sh's).
  local previous
  previous=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
  # shellcheck disable=SC2064
  trap "kill -KILL $DAEMON_PID 2>/dev/null || true; ${previous:-true}" EXIT
}

# wait_until SECONDS WHAT COMMAND... — polls, never sleeps-then-asserts.
wait_until() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      [[ -s $DAEMON_LOG ]] && { echo "--- daemon log ---" >&2; tail -n 40 "$DAEMON_LOG" >&2; }
      fail "timed out after ${seconds}s waiting for: $what"
    fi
    sleep 0.2
  done
}

daemon_gone() { ! kill -0 "$DAEMON_PID" 2>/dev/null; }

# stop_daemon [SECONDS] — SIGTERM; the daemon must exit with code 0 within SECONDS.
stop_daemon() {
  local limit=${1:-10} start=$SECONDS
  kill -TERM "$DAEMON_PID" 2>/dev/null || fail "the daemon (pid $DAEMON_PID) is not running"
  wait_until "$limit" "the daemon to exit after SIGTERM" daemon_gone
  DAEMON_RC=0
  wait "$DAEMON_PID" || DAEMON_RC=$?
  echo "daemon exited with $DAEMON_RC, $((SECONDS - start))s after SIGTERM"
  [[ $DAEMON_RC == 0 ]] || { tail -n 30 "$DAEMON_LOG" >&2; fail "daemon exited $DAEMON_RC after SIGTERM, expected 0"; }
}

# count_files DIR PREFIX — regular files in DIR whose name starts with PREFIX.
count_files() {
  find "$1" -mindepth 1 -maxdepth 1 -type f -name "$2*" ! -name '.*' | wc -l
}

build_stall_shim() {
  require_tool cc gcc
  STALL_DIR=$T/stall
  mkdir -p "$STALL_DIR"
  cat >"$T/stall.c" <<'CEOF'
/* Opening a path whose last component is "stall.me" creates $STALL_DIR/stalled and then waits
 * (at most 120 s) until $STALL_DIR/release exists: a backup that stays in progress for as long
 * as the test wants. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void stall(const char *path) {
  static const char name[] = "stall.me";
  size_t n = path ? strlen(path) : 0, m = sizeof name - 1;
  if (!(n >= m && strcmp(path + n - m, name) == 0 && (n == m || path[n - m - 1] == '/'))) return;
  const char *dir = getenv("STALL_DIR");
  if (!dir) return;
  char marker[4096], release[4096];
  snprintf(marker, sizeof marker, "%s/stalled", dir);
  snprintf(release, sizeof release, "%s/release", dir);
  int fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd >= 0) close(fd);
  struct stat st;
  for (int i = 0; i < 2400 && stat(release, &st) != 0; ++i) usleep(50000);
}

static mode_t mode_arg(int flags, va_list ap) {
  return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

#define WRAP_OPENAT(fn)                                                                        \
  int fn(int dirfd, const char *path, int flags, ...) {                                        \
    va_list ap;                                                                                \
    va_start(ap, flags);                                                                       \
    mode_t mode = mode_arg(flags, ap);                                                         \
    va_end(ap);                                                                                \
    stall(path);                                                                               \
    int (*real)(int, const char *, int, ...) = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, #fn); \
    return real(dirfd, path, flags, mode);                                                     \
  }
#define WRAP_OPEN(fn)                                                                          \
  int fn(const char *path, int flags, ...) {                                                   \
    va_list ap;                                                                                \
    va_start(ap, flags);                                                                       \
    mode_t mode = mode_arg(flags, ap);                                                         \
    va_end(ap);                                                                                \
    stall(path);                                                                               \
    int (*real)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #fn); \
    return real(path, flags, mode);                                                            \
  }
WRAP_OPEN(open)
WRAP_OPEN(open64)
WRAP_OPENAT(openat)
WRAP_OPENAT(openat64)
CEOF
  cc -shared -fPIC -O1 -o "$T/stall.so" "$T/stall.c" -ldl || fail "cannot build the stall shim"
  STALL_SHIM=$T/stall.so
}
