#!/usr/bin/env bash
# Builds the benchmark's dataset under DIR (deterministic apart from PostgreSQL's own
# identifiers):
#   DIR/backup/postgres/      a PostgreSQL 15 data directory filled by `pgbench -i -s SCALE`,
#                             the server stopped afterwards (Debian's postgresql);
#   DIR/backup/n8n/           SMALL_FILES small text and JSON files in nested directories;
#   DIR/backup/uploads/       UPLOAD_MIB MiB of incompressible files of 100 KiB to 20 MiB.
# Usage: make-dataset.sh DIR PGBENCH_SCALE SMALL_FILES UPLOAD_MIB
# Full size (bench/backup-vs-tar.sh): scale 100, 30000 files, 300 MiB: about 2.3 GiB.
# Needs root (the server runs as the postgres user) or to be run as a non-root user.
set -euo pipefail
dir=$1 scale=$2 small=$3 upload_mib=$4
here=$(cd "$(dirname "$0")" && pwd)
pgbin=/usr/lib/postgresql/15/bin
[[ -x $pgbin/initdb ]] || { echo "make-dataset: PostgreSQL 15 is missing (apt-get install postgresql)" >&2; exit 1; }

rm -rf "$dir.tmp"
mkdir -p "$dir.tmp/backup"
data=$dir.tmp/backup/postgres
sock=$(mktemp -d /tmp/volback-bench-pg.XXXXXX)
as_pg=()
if [[ $(id -u) == 0 ]]; then
  as_pg=(runuser -u postgres --)
  chown postgres: "$sock"
  mkdir -p "$data" && chown postgres: "$data"
fi
stop_server() { "${as_pg[@]}" "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$sock"; }
trap stop_server EXIT
"${as_pg[@]}" "$pgbin/initdb" -D "$data" -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$data" -w -l "$sock/log" \
  -o "-k $sock -c listen_addresses= -c fsync=off -c full_page_writes=off -c synchronous_commit=off" start >/dev/null
"${as_pg[@]}" "$pgbin/pgbench" -h "$sock" -U postgres -i -q -s "$scale" postgres 2>&1 | tail -n 1
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
trap - EXIT
rm -rf "$sock"

/usr/bin/python3 "$here/make-small-files.py" "$dir.tmp/backup" "$small" "$upload_mib"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
