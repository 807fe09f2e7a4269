#!/usr/bin/env bash
# The benchmark harness works end to end on a tiny dataset (pgbench -s 1, 300 small
# files, 4 MiB of uploads), one repetition: dataset, every backup (plain and encrypted) and
# restore, the table.
# It checks that the script runs, not the numbers.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
for tool in pigz zstd restic gpg age age-keygen; do require_tool "$tool"; done
[[ -x /usr/bin/time ]] || skip "/usr/bin/time missing (Debian package time)"
[[ -x /usr/lib/postgresql/15/bin/initdb ]] || skip "PostgreSQL 15 missing (Debian package postgresql)"

chmod 755 "$T"
VOLBACK_BENCH_DIR=$T/bench VOLBACK_BIN=$VOLBACK_BIN \
  bash "$REPO_ROOT/bench/backup-vs-tar.sh" --tiny --reps 1 >"$T/bench.out" 2>&1 ||
  { tail -n 40 "$T/bench.out"; fail "the benchmark failed"; }
cat "$T/bench.out"
for needle in "page cache warm" "volback gz " "volback zst " "tar | pigz -6" "tar | gzip -6" \
  "tar | zstd -T0 -3" "restic backup" "tar -xzf volback.tar.gz" "volback gz reader | tar -x" "targets:" \
  "volback gz peak RSS" "volback zst, age public key" "tar | pigz -6 | gpg -c" "tar | zstd -T0 -3 | age -r" \
  "encryption's cost" "of unencrypted throughput"; do
  assert_contains "$needle" "$T/bench.out"
done
# Every backup row has a number in each column.
rows=$(grep -cE '^(volback|tar \||restic).* [0-9]+\.[0-9]+ +[0-9]+\.[0-9]+ +[0-9]+\.[0-9]+ +[0-9]+\.[0-9]+ +[0-9]+$' "$T/bench.out" || true)
assert_eq 16 "$rows" "backup rows in the table (6 plain, 8 encrypted, 2 encrypting pipelines)"
