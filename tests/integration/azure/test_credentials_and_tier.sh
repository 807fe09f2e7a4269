#!/usr/bin/env bash
# A connection string (from a _FILE) and an account key both work; AZURE_STORAGE_ACCESS_TIER
# shows on the blob (single Put Blob and committed block list alike), with the archive's
# content type; no credentials at all (offen's managed identity) is refused with exit 2.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=azure_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/azure_lib.sh"

printf 'data\n' >"$SRC/file.txt"
rmdir "$ARCHIVE"
COMMON=(AZURE_STORAGE_ACCOUNT_NAME=devstoreaccount1 AZURE_STORAGE_CONTAINER_NAME="$CONTAINER"
  AZURE_STORAGE_PATH="$AZ_PATH")

step "a connection string from a _FILE"
printf 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=%s;BlobEndpoint=%s;\n' \
  "$AZ_KEY" "$AZURITE_URL" >"$T/connection"
run_volback "${COMMON[@]}" AZURE_STORAGE_CONNECTION_STRING_FILE="$T/connection" BACKUP_FILENAME=backup-cs.tar.gz
assert_success
assert_not_contains "$AZ_KEY"

step "the account key, with the Cool tier (one Put Blob)"
run_volback "${BACKEND_ENV[@]}" AZURE_STORAGE_ACCESS_TIER=Cool BACKUP_FILENAME=backup-cool.tar.gz
assert_success
props=$(az_tool props "$CONTAINER" "$AZ_PATH/backup-cool.tar.gz")
assert_eq Cool "$(cut -f2 <<<"$props")" "access tier"
assert_eq application/gzip "$(cut -f3 <<<"$props")" "content type"

step "the Archive tier on a committed block list"
make_random_file "$SRC/big.bin" $((20 * 1024 * 1024))
run_volback "${BACKEND_ENV[@]}" AZURE_STORAGE_ACCESS_TIER=Archive BACKUP_COMPRESSION=none BACKUP_FILENAME=backup-archive.tar
assert_success
assert_eq Archive "$(az_tool props "$CONTAINER" "$AZ_PATH/backup-archive.tar" | cut -f2)" "access tier"
assert_eq "backup-archive.tar
backup-cool.tar.gz
backup-cs.tar.gz" "$(remote_keys)" "blobs"

step "no credentials: managed identity is refused"
run_volback "${COMMON[@]}"
assert_exit 2
assert_contains "managed identity"
echo "PASS"
