# shellcheck shell=bash
# A 300 MiB incompressible archive (many blocks or requests) goes to the backend alone,
# streamed, with bounded memory: the peak RSS of the whole process stays under 160 MiB.
make_random_file "$SRC/data/big.bin" $((300 * 1024 * 1024))
VOLBACK_WRAPPER=(/usr/bin/time -f %M -o "$T/rss")
run_volback "${BACKEND_ENV[@]}" BACKUP_ARCHIVE="$T/none" BACKUP_COMPRESSION=none
VOLBACK_WRAPPER=()
assert_success
rss_kib=$(tail -n 1 "$T/rss")
echo "peak RSS: $((rss_kib / 1024)) MiB"
((rss_kib < 160 * 1024)) || fail "peak RSS $((rss_kib / 1024)) MiB is not bounded"
key=$(remote_keys)
[[ $key == backup-*.tar ]] || fail "unexpected objects: $key"
remote_fetch "$key" "$T/fetched.tar"
tar -xOf "$T/fetched.tar" "${SRC#/}/data/big.bin" | cmp - "$SRC/data/big.bin" || fail "big.bin differs"
echo "PASS"
