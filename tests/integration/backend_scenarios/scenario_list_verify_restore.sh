# shellcheck shell=bash
# `list`, `verify` and `restore --to` from the backend alone (no local copy): the restored
# tree is the source, byte for byte and attribute for attribute.
mkdir -p "$SRC/app/sub" "$SRC/db"
make_random_file "$SRC/app/data.bin" $((2 * 1024 * 1024))
printf 'config\n' >"$SRC/app/sub/config.ini"
ln -s sub/config.ini "$SRC/app/link"
printf 'rows\n' >"$SRC/db/table"
chmod 640 "$SRC/db/table"
rmdir "$ARCHIVE"
run_volback "${BACKEND_ENV[@]}"
assert_success
key=$(remote_keys)

step "list"
run_volback "${BACKEND_ENV[@]}" -- list
assert_exit 0
grep -q "$key" "$VOLBACK_OUT" || fail "list does not show $key: $(cat "$VOLBACK_OUT")"
grep -qi "$BACKEND" "$VOLBACK_OUT" || fail "list does not name the backend: $(cat "$VOLBACK_OUT")"

step "verify"
run_volback "${BACKEND_ENV[@]}" -- verify latest
assert_exit 0

step "restore --to"
run_volback "${BACKEND_ENV[@]}" -- restore latest --backend "$BACKEND" --to "$T/restored"
assert_exit 0
for volume in app db; do compare_trees "$SRC/$volume" "$T/restored/$volume"; done
echo "PASS"
