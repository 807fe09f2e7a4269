#!/usr/bin/env bash
# BACKUP_EXCLUDE_REGEXP is matched against absolute paths; a matching file is left out, and a
# matching directory is left out together with everything below it.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

require_tool tar

step "source tree"
mkdir -p "$SRC/sub" "$SRC/cache.me/nested" "$SRC/keep.dir"
printf 'kept\n' >"$SRC/me.txt"
printf 'dropped\n' >"$SRC/skip.me"
printf 'dropped\n' >"$SRC/other.you"
printf 'kept\n' >"$SRC/sub/keep.txt"
printf 'dropped\n' >"$SRC/sub/drop.you"
printf 'kept\n' >"$SRC/sub/me.txt.bak"
printf 'dropped with its directory\n' >"$SRC/cache.me/child.txt"
printf 'dropped with its directory\n' >"$SRC/cache.me/nested/deep.txt"
printf 'kept\n' >"$SRC/keep.dir/file.txt"

step "backup with BACKUP_EXCLUDE_REGEXP"
run_volback 'BACKUP_EXCLUDE_REGEXP=\.(me|you)$'
assert_success
archive=$(single_archive "$ARCHIVE")
list_archive "$archive" | sed 's#/$##' >"$T/members"
prefix=${SRC#/}

for kept in "" me.txt sub sub/keep.txt sub/me.txt.bak keep.dir keep.dir/file.txt; do
  grep -qxF "$prefix${kept:+/$kept}" "$T/members" || fail "'$kept' should be in the archive"
done
for dropped in skip.me other.you sub/drop.you cache.me cache.me/child.txt cache.me/nested \
  cache.me/nested/deep.txt; do
  ! grep -qxF "$prefix/$dropped" "$T/members" || fail "'$dropped' should have been excluded"
done
! grep -qF "$prefix/cache.me/" "$T/members" || fail "something below cache.me/ was archived"

step "the extracted tree matches"
extract_archive "$archive" "$T/extract"
ex=$(extracted_source "$T/extract")
cmp -s "$SRC/sub/keep.txt" "$ex/sub/keep.txt" || fail "sub/keep.txt differs"
assert_no_file "$ex/cache.me"
echo "ok"
