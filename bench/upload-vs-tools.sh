#!/usr/bin/env bash
# Upload benchmark for the SFTP, WebDAV and Azure backends: the same 1 GiB incompressible
# archive to each test server of tests/integration/{sftp,webdav,azure}/services.sh (all on
# 127.0.0.1), by volback (a backup with BACKUP_COMPRESSION=none to that backend alone) and
# by the usual tool, alternating, --reps times (default 3):
#   SSH     `sftp -b` put (OpenSSH's client; its default 64 requests of 32 KiB in flight)
#   WebDAV  `curl -T` (one PUT, basic authentication)
#   Azure   `rclone copyto` with an account SAS (Debian's rclone; 4 MiB blocks, 16 at once)
# The tools upload the tar file volback wrote to the local directory first, so the bytes are
# the same. Prints each time, the medians, volback's peak RSS and the ratio volback / tool
# (below 1: volback is faster). Not a test: the numbers depend on the machine's load.
#
#   bench/upload-vs-tools.sh [--reps N] [--mib N] [--only ssh|webdav|azure]
#
# Environment: VOLBACK_BIN (default build/volback), VOLBACK_BENCH_DIR (default
# /var/tmp/volback-bench).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
reps=3 mib=1024 only=
while (($#)); do
  case $1 in
    --reps) reps=$2; shift ;;
    --mib) mib=$2; shift ;;
    --only) only=$2; shift ;;
    *) echo "usage: $0 [--reps N] [--mib N] [--only ssh|webdav|azure]" >&2; exit 2 ;;
  esac
  shift
done
bin=${VOLBACK_BIN:-$repo/build/volback}
[[ -x $bin ]] || { echo "no volback binary at $bin (scripts/build.sh)" >&2; exit 1; }
work=${VOLBACK_BENCH_DIR:-/var/tmp/volback-bench}/tools
rm -rf "$work/state"
mkdir -p "$work/src/volume" "$work/state" "$work/archive"

file=$work/src/volume/upload.bin
if [[ ! -f $file || $(stat -c %s "$file") != $((mib * 1024 * 1024)) ]]; then
  head -c $((mib * 1024 * 1024)) /dev/urandom >"$file"
fi

now() { date +%s.%N; }
median() { LC_ALL=C sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# The archive the tools upload: what volback writes for this source.
env -i PATH=/usr/bin:/bin HOME="$work" TZ=UTC VOLBACK_LOCK_FILE="$work/lock" VOLBACK_STATE_DIR="$work/state" \
  BACKUP_SOURCES="$work/src" BACKUP_ARCHIVE="$work/archive" BACKUP_COMPRESSION=none BACKUP_FILENAME=bench.tar \
  "$bin" backup >"$work/volback.log" 2>&1 || { tail "$work/volback.log"; exit 1; }
archive=$work/archive/bench.tar
cat "$archive" "$file" >/dev/null  # warm the page cache for both

# volback_run VAR=VALUE... — one backup of the source to the configured backend alone.
volback_run() {
  /usr/bin/time -f %M -o "$work/rss" env -i PATH=/usr/bin:/bin HOME="$work" TZ=UTC \
    VOLBACK_LOCK_FILE="$work/lock" VOLBACK_STATE_DIR="$work/state" BACKUP_SOURCES="$work/src" \
    BACKUP_ARCHIVE="$work/no-local" BACKUP_COMPRESSION=none BACKUP_FILENAME=bench.tar "$@" "$bin" backup \
    >"$work/volback.log" 2>&1 || { tail "$work/volback.log"; exit 1; }
}

# measure NAME CLEAN VOLBACK TOOL — alternating runs; CLEAN, VOLBACK and TOOL are functions.
results=()
measure() {
  local name=$1 clean=$2 run_volback=$3 run_tool=$4 i t0 rss=0
  local -a vt=() tt=()
  for ((i = 1; i <= reps; i++)); do
    $clean
    t0=$(now)
    $run_volback
    vt+=("$(echo "$(now) - $t0" | bc)")
    rss=$(($(cat "$work/rss") > rss ? $(cat "$work/rss") : rss))
    $clean
    t0=$(now)
    $run_tool
    tt+=("$(echo "$(now) - $t0" | bc)")
    echo "$name run $i: volback ${vt[-1]} s, tool ${tt[-1]} s"
  done
  local mv mt
  mv=$(printf '%s\n' "${vt[@]}" | median)
  mt=$(printf '%s\n' "${tt[@]}" | median)
  results+=("$(printf '%-7s volback %6.2f s (%4.0f MiB/s, peak RSS %d MiB)  tool %6.2f s (%4.0f MiB/s)  ratio %.2f' \
    "$name" "$mv" "$(echo "$mib / $mv" | bc -l)" $((rss / 1024)) "$mt" "$(echo "$mib / $mt" | bc -l)" \
    "$(echo "$mv / $mt" | bc -l)")")
}

if [[ -z $only || $only == ssh ]]; then
  bash tests/integration/sftp/services.sh >/dev/null
  ssh_dir=${VOLBACK_SSH_DIR:-/var/tmp/volback-it-sshd}
  ssh_port=${VOLBACK_SSH_PORT:-18022}
  ssh_home=$(getent passwd volback-sftp | cut -d: -f6)
  ssh_clean() { rm -rf "$ssh_home/bench"; mkdir -p "$ssh_home/bench"; chown volback-sftp: "$ssh_home/bench"; }
  ssh_volback() {
    volback_run SSH_HOST_NAME=127.0.0.1 SSH_PORT="$ssh_port" SSH_USER=volback-sftp \
      SSH_IDENTITY_FILE="$ssh_dir/client_ed25519" SSH_KNOWN_HOSTS_FILE="$ssh_dir/known_hosts" SSH_REMOTE_PATH=bench
  }
  ssh_tool() {
    sftp -q -i "$ssh_dir/client_ed25519" -o UserKnownHostsFile="$ssh_dir/known_hosts" -o IdentitiesOnly=yes \
      -o BatchMode=yes -P "$ssh_port" -b - volback-sftp@127.0.0.1 >/dev/null <<<"put $archive bench/bench.tar"
  }
  measure SSH ssh_clean ssh_volback ssh_tool
  ssh_clean
fi

if [[ -z $only || $only == webdav ]]; then
  bash tests/integration/webdav/services.sh >/dev/null
  dav_dir=${VOLBACK_WEBDAV_DIR:-/var/tmp/volback-it-webdav}
  dav_url=http://127.0.0.1:${VOLBACK_WEBDAV_PORT:-18090}/basic
  dav_clean() { rm -rf "$dav_dir/root/basic/bench"; mkdir -p "$dav_dir/root/basic/bench"; chown www-data: "$dav_dir/root/basic/bench"; }
  dav_volback() {
    volback_run WEBDAV_URL="$dav_url" WEBDAV_PATH=bench WEBDAV_USERNAME=volback WEBDAV_PASSWORD=dav-secret
  }
  dav_tool() { curl -fsS -u volback:dav-secret -T "$archive" -o /dev/null "$dav_url/bench/bench.tar"; }
  measure WebDAV dav_clean dav_volback dav_tool
  dav_clean
fi

if [[ -z $only || $only == azure ]]; then
  bash tests/integration/azure/services.sh >/dev/null
  command -v rclone >/dev/null || { echo "rclone is needed for the Azure comparison" >&2; exit 1; }
  az_port=${VOLBACK_AZURITE_PORT:-18100}
  export NODE_PATH=${VOLBACK_IT_CACHE:-/var/tmp/volback-it-cache}/azurite/node_modules
  export AZURITE_URL=http://127.0.0.1:$az_port/devstoreaccount1
  az_tool() { node tests/integration/azure/az_tool.js "$@"; }
  az_tool mkcontainer bench
  az_key=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==
  sas=$(node -e "
    const s = require('@azure/storage-blob');
    const c = new s.StorageSharedKeyCredential('devstoreaccount1', '$az_key');
    console.log(s.generateAccountSASQueryParameters({expiresOn: new Date(Date.now() + 864e5),
      permissions: s.AccountSASPermissions.parse('rwdlacup'), services: 'b', resourceTypes: 'sco'}, c).toString());")
  az_clean() { az_tool rmcontainer bench; az_tool mkcontainer bench; }
  az_volback() {
    volback_run AZURE_STORAGE_ACCOUNT_NAME=devstoreaccount1 AZURE_STORAGE_PRIMARY_ACCOUNT_KEY="$az_key" \
      AZURE_STORAGE_CONTAINER_NAME=bench "AZURE_STORAGE_ENDPOINT=http://127.0.0.1:$az_port/{{ .AccountName }}/"
  }
  az_tool_upload() {
    env -u AWS_CA_BUNDLE RCLONE_CONFIG=/dev/null RCLONE_CONFIG_BENCHAZ_TYPE=azureblob \
      RCLONE_CONFIG_BENCHAZ_SAS_URL="$AZURITE_URL?$sas" rclone copyto --azureblob-upload-cutoff 4M \
      "$archive" benchaz:bench/bench.tar
  }
  measure Azure az_clean az_volback az_tool_upload
  az_tool rmcontainer bench
fi

echo "--- $mib MiB, median of $reps"
printf '%s\n' "${results[@]}"
