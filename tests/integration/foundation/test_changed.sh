#!/usr/bin/env bash
# Files that change while volback reads them. An LD_PRELOAD shim acts on the first read of a
# file: "shrink.me" is truncated to 100 bytes, "grow.me" gets 400 KiB appended. The archive must
# stay a valid tar whose entries match their headers: a shrunk file is padded, named in the log
# and makes the run incomplete (exit 3); a grown file is cut at the size seen when it was opened,
# with a warning.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

require_tool cc gcc
require_tool tar

step "building the LD_PRELOAD shim"
cat >"$T/change.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static int done_shrink, done_grow;

static void say(const char *msg) { (void)!write(2, msg, strlen(msg)); }

/* Acts once per file, on the first read from a descriptor open on it. */
static void act(int fd) {
  char link[64], path[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return;
  path[n] = '\0';
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if (!done_shrink && strcmp(base, "shrink.me") == 0) {
    done_shrink = 1;
    int w = (int)syscall(SYS_openat, AT_FDCWD, path, O_WRONLY);
    if (w >= 0 && ftruncate(w, 100) == 0) say("change shim: shrank shrink.me\n");
    if (w >= 0) close(w);
  }
  if (!done_grow && strcmp(base, "grow.me") == 0) {
    done_grow = 1;
    int w = (int)syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_APPEND);
    char buf[4096];
    memset(buf, 7, sizeof buf);
    for (int i = 0; w >= 0 && i < 100; i++) (void)!write(w, buf, sizeof buf);
    if (w >= 0) { close(w); say("change shim: grew grow.me\n"); }
  }
}

typedef ssize_t (*read_fn)(int, void *, size_t);
typedef ssize_t (*pread_fn)(int, void *, size_t, off_t);
ssize_t read(int fd, void *buf, size_t count) {
  act(fd);
  return ((read_fn)dlsym(RTLD_NEXT, "read"))(fd, buf, count);
}
ssize_t pread(int fd, void *buf, size_t count, off_t off) {
  act(fd);
  return ((pread_fn)dlsym(RTLD_NEXT, "pread"))(fd, buf, count, off);
}
ssize_t pread64(int fd, void *buf, size_t count, off_t off) {
  act(fd);
  return ((pread_fn)dlsym(RTLD_NEXT, "pread64"))(fd, buf, count, off);
}
EOF
cc -shared -fPIC -O2 -Wall -o "$T/change.so" "$T/change.c" -ldl || fail "cannot build the shim"

# check_archive — the archive is valid and the unchanged files are intact.
check_archive() {
  local archive
  archive=$(single_archive "$ARCHIVE")
  gzip -t "$archive" || fail "gzip -t rejects the archive"
  rm -rf "$T/extract"
  extract_archive "$archive" "$T/extract"
  ex=$(extracted_source "$T/extract")
  cmp -s "$T/steady.orig" "$ex/steady.bin" || fail "steady.bin differs in the archive"
  cmp -s "$SRC/z-last.txt" "$ex/z-last.txt" || fail "z-last.txt (after the changed file) differs"
}

make_random_file "$T/steady.orig" 200000
cp "$T/steady.orig" "$SRC/steady.bin"
printf 'last\n' >"$SRC/z-last.txt"

step "a file shrinks while it is read"
make_random_file "$SRC/shrink.me" 300000
run_volback LD_PRELOAD="$T/change.so"
grep -qF "change shim: shrank shrink.me" "$VOLBACK_LOG" ||
  fail "the shim never saw a read of shrink.me (does volback read files by another call?)"
assert_exit 3
assert_contains "shrink.me"
check_archive
assert_eq 300000 "$(stat -c %s "$ex/shrink.me")" "archived size of shrink.me (padded to its header)"
cmp -s <(head -c 100 "$SRC/shrink.me") <(head -c 100 "$ex/shrink.me") ||
  fail "the first 100 bytes of shrink.me differ"
rm -f "$SRC/shrink.me" "$ARCHIVE"/*

step "a file grows while it is read"
make_random_file "$SRC/grow.me" 1000
cp "$SRC/grow.me" "$T/grow.orig"
run_volback LD_PRELOAD="$T/change.so"
grep -qF "change shim: grew grow.me" "$VOLBACK_LOG" ||
  fail "the shim never saw a read of grow.me (does volback read files by another call?)"
assert_success
assert_log_line WARN "File grew while being read"
assert_contains "grow.me"
check_archive
cmp -s "$T/grow.orig" "$ex/grow.me" || fail "grow.me should be archived as its first 1000 bytes"
echo "ok"
