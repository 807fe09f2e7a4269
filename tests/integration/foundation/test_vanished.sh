#!/usr/bin/env bash
# A file deleted between the walk (lstat) and the read (open) is a warning, not a failure:
# volback logs a WARN naming it, archives everything else and exits 0. An LD_PRELOAD shim makes
# this deterministic: opening a path whose last component is "vanish.me" unlinks it first.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

require_tool cc gcc
require_tool tar

step "building the LD_PRELOAD shim"
cat >"$T/vanish.c" <<'EOF'
/* Opening a path whose last component is "vanish.me" first unlinks it, so the caller saw the
 * file while walking (lstat) but the open fails with ENOENT. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static int is_target(const char *path) {
  static const char name[] = "vanish.me";
  size_t n = strlen(path), m = sizeof name - 1;
  return n >= m && strcmp(path + n - m, name) == 0 && (n == m || path[n - m - 1] == '/');
}

static void vanish(int dirfd, const char *path) {
  if (path != NULL && is_target(path) && unlinkat(dirfd, path, 0) == 0) {
    static const char msg[] = "vanish shim: unlinked before open\n";
    (void)!write(2, msg, sizeof msg - 1);
  }
}

static mode_t mode_arg(int flags, va_list ap) {
  return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

#define WRAP_OPEN(fn)                                                             \
  int fn(const char *path, int flags, ...) {                                      \
    va_list ap;                                                                   \
    va_start(ap, flags);                                                          \
    mode_t mode = mode_arg(flags, ap);                                            \
    va_end(ap);                                                                   \
    vanish(AT_FDCWD, path);                                                       \
    int (*real)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #fn); \
    return real(path, flags, mode);                                               \
  }
#define WRAP_OPENAT(fn)                                                           \
  int fn(int dirfd, const char *path, int flags, ...) {                           \
    va_list ap;                                                                   \
    va_start(ap, flags);                                                          \
    mode_t mode = mode_arg(flags, ap);                                            \
    va_end(ap);                                                                   \
    vanish(dirfd, path);                                                          \
    int (*real)(int, const char *, int, ...) =                                    \
        (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, #fn);              \
    return real(dirfd, path, flags, mode);                                        \
  }
#define WRAP_OPEN_2(fn)                                                           \
  int fn(const char *path, int flags) {                                           \
    vanish(AT_FDCWD, path);                                                       \
    int (*real)(const char *, int) = (int (*)(const char *, int))dlsym(RTLD_NEXT, #fn); \
    return real(path, flags);                                                     \
  }
#define WRAP_OPENAT_2(fn)                                                         \
  int fn(int dirfd, const char *path, int flags) {                                \
    vanish(dirfd, path);                                                          \
    int (*real)(int, const char *, int) =                                         \
        (int (*)(int, const char *, int))dlsym(RTLD_NEXT, #fn);                   \
    return real(dirfd, path, flags);                                              \
  }
#define WRAP_FOPEN(fn)                                                            \
  FILE *fn(const char *path, const char *mode) {                                  \
    vanish(AT_FDCWD, path);                                                       \
    FILE *(*real)(const char *, const char *) =                                   \
        (FILE * (*)(const char *, const char *)) dlsym(RTLD_NEXT, #fn);           \
    return real(path, mode);                                                      \
  }

WRAP_OPEN(open)
WRAP_OPEN(open64)
WRAP_OPENAT(openat)
WRAP_OPENAT(openat64)
WRAP_OPEN_2(__open_2)
WRAP_OPEN_2(__open64_2)
WRAP_OPENAT_2(__openat_2)
WRAP_OPENAT_2(__openat64_2)
WRAP_FOPEN(fopen)
WRAP_FOPEN(fopen64)
EOF
cc -shared -fPIC -O2 -Wall -o "$T/vanish.so" "$T/vanish.c" -ldl || fail "cannot build the shim"

step "the shim works on cat (absolute and relative paths)"
mkdir -p "$T/probe"
printf 'x\n' >"$T/probe/vanish.me"
printf 'y\n' >"$T/probe/keep"
LD_PRELOAD=$T/vanish.so cat "$T/probe/keep" >/dev/null || fail "shim breaks ordinary opens"
LD_PRELOAD=$T/vanish.so cat "$T/probe/vanish.me" >/dev/null 2>&1 && fail "cat could still read vanish.me"
assert_no_file "$T/probe/vanish.me"
printf 'x\n' >"$T/probe/vanish.me"
(cd "$T/probe" && LD_PRELOAD=$T/vanish.so cat vanish.me >/dev/null 2>&1) && fail "cat could still read ./vanish.me"
assert_no_file "$T/probe/vanish.me"

step "backup with a file that vanishes when opened"
mkdir -p "$SRC/dir"
printf 'stays\n' >"$SRC/a.txt"
printf 'gone soon\n' >"$SRC/dir/vanish.me"
printf 'stays too\n' >"$SRC/dir/z.txt"
make_random_file "$SRC/dir/random.bin" 50000
run_volback LD_PRELOAD="$T/vanish.so"
assert_no_file "$SRC/dir/vanish.me"
grep -qF "vanish shim: unlinked before open" "$VOLBACK_LOG" ||
  fail "volback never opened vanish.me through the shim (does it read files by another call?)"
assert_success
assert_log_line WARN "vanish.me"

step "the other files are archived"
archive=$(single_archive "$ARCHIVE")
extract_archive "$archive" "$T/extract"
ex=$(extracted_source "$T/extract")
for f in a.txt dir/z.txt dir/random.bin; do
  cmp -s "$SRC/$f" "$ex/$f" || fail "$f missing or different in the archive"
done
assert_no_file "$ex/dir/vanish.me"
echo "ok"
