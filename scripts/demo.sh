#!/usr/bin/env bash
# Demo: installs the dependencies, builds volback, backs up a small tree from
# /tmp/volback-demo/backup into /tmp/volback-demo/archive and shows what was written.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
bash scripts/build.sh
build_dir=${VOLBACK_BUILD_DIR:-build}

demo=/tmp/volback-demo
rm -rf "$demo"
mkdir -p "$demo/backup/app/data/nested" "$demo/backup/config" "$demo/archive"
printf 'Hello from volback\n' >"$demo/backup/README.txt"
printf 'listen: 8080\nlog_level: info\n' >"$demo/backup/config/app.yaml"
printf 'id,name\n1,alice\n2,bob\n' >"$demo/backup/app/data/users.csv"
head -c 65536 /dev/urandom >"$demo/backup/app/data/nested/blob.bin"
ln -s ../config/app.yaml "$demo/backup/app/config.yaml"

echo "== running: $build_dir/volback backup"
BACKUP_SOURCES=$demo/backup \
  BACKUP_ARCHIVE=$demo/archive \
  VOLBACK_LOCK_FILE=$demo/volback.lock \
  VOLBACK_STATE_DIR=$demo/state \
  "$build_dir/volback" backup

echo
echo "== ls -l $demo/archive"
ls -l "$demo/archive"
for archive in "$demo"/archive/*.tar.gz; do
  echo
  echo "== tar -tzvf $archive"
  tar -tzvf "$archive"
done
