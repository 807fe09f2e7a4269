#!/usr/bin/env bash
# Each of the four methods end to end, as offen users run them: one backup per method
# (GPG_PASSPHRASE, GPG_PUBLIC_KEY_RING, AGE_PASSPHRASE, AGE_PUBLIC_KEYS) to S3 (the s3 suite's
# Swift) and to the local archive, with a labelled container (the docker suite's private
# dockerd) that dies and starts again during the backup and runs after it. Then the reference
# tool decrypts the object fetched with /usr/bin/aws and the local archive, and GNU tar finds
# backup/app_data/offen.db in both, byte for byte:
#   - gpg with the passphrase; with the RSA-4096 and with the cv25519 secret key, each alone;
#   - age with the passphrase (on a pseudo-terminal); with each of two age identities, an
#     ssh-ed25519 and an ssh-rsa key.
# The object has the local archive's name, the same bytes, and the method's Content-Type.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=../s3/s3lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../s3/s3lib.sh"
# shellcheck source=../docker/docker_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../docker/docker_lib.sh"
# shellcheck source=crypto_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/crypto_lib.sh"
require_tool gpg gnupg
require_tool age
require_tool zstd

export GNUPGHOME=$T/gnupg
mkdir -m 700 "$GNUPGHOME"
mkdir -p "$T/s3" "$T/local" "$T/plain"
declare -A COPY=()
# The volume of the labelled container is the source tree's app_data (crypto_lib.sh filled it).
run_container app_data --label "docker-volume-backup.stop-during-backup=$LABEL"

# encrypted_backup SUFFIX CONTENT_TYPE VAR=VALUE... — one backup to S3 and the local archive.
# The labelled container died and started again during it, once, and runs after it; the only
# object has the local archive's name, the same bytes and CONTENT_TYPE. Sets COPY[s3] (the
# object, downloaded) and COPY[local] (the local archive, moved aside), and leaves the archive
# directory and the bucket empty.
encrypted_backup() {
  local suffix=$1 type=$2 t0 name file
  shift 2
  t0=$(now_ns)
  run_docker_backup "${S3_ENV[@]}" "$@"
  assert_success
  assert_log_line INFO "Stopping 1 out of"
  assert_log_line INFO "Restarted 1 out of 1 stopped container(s)."
  assert_eq "$(printf 'die app_data\nstart app_data')" "$(events_since "$t0")" "docker events of the backup"
  assert_running app_data
  file=$(single_archive "$ARCHIVE")
  name=${file##*/}
  [[ $name == *"$suffix" ]] || fail "archive name $name does not end in $suffix"
  assert_eq "$name" "$(s3_keys)" "objects in the bucket"
  assert_eq "$type" "$(aws s3api head-object --bucket "$BUCKET" --key "$name" --query ContentType --output text)" \
    "Content-Type of $name"
  aws s3 cp --only-show-errors "s3://$BUCKET/$name" "$T/s3/$name" || fail "cannot download $name"
  cmp -s "$file" "$T/s3/$name" || fail "the S3 object and the local archive differ"
  mv "$file" "$T/local/$name"
  COPY=([s3]=$T/s3/$name [local]=$T/local/$name)
  aws s3 rm --only-show-errors "s3://$BUCKET/$name" || fail "cannot delete $name"
}

# holds_tree DECRYPTED CODEC — the decrypted file is a CODEC (gz, zst) stream of a tar that
# GNU tar reads and that holds the source tree.
holds_tree() {
  assert_eq "$2" "$(compression_of "$1")" "compression of the decrypted ${1##*/}"
  tar_holds_tree "$1"
}

step "GPG_PASSPHRASE: gpg --decrypt with the passphrase"
PASS='docker and s3 passphrase'
encrypted_backup .tar.gz.gpg application/pgp-encrypted GPG_PASSPHRASE="$PASS"
for where in s3 local; do
  gpg_q --passphrase "$PASS" --decrypt --output "$T/plain/gpg-$where.tar.gz" "${COPY[$where]}" ||
    fail "gpg cannot decrypt the $where copy"
  holds_tree "$T/plain/gpg-$where.tar.gz" gz
done

step "GPG_PUBLIC_KEY_RING: gpg --decrypt with the RSA-4096 key alone and the cv25519 key alone"
KEYPASS='key passphrase'
make_gpg_keys "$KEYPASS"
encrypted_backup .tar.zst.gpg application/pgp-encrypted GPG_PUBLIC_KEY_RING="$(cat "$T/pub.asc")" BACKUP_COMPRESSION=zst
for who in rsa cv; do
  home=$(gpg_home_with "$who")
  for where in s3 local; do
    out=$T/plain/gpg-$who-$where.tar.zst
    GNUPGHOME=$home gpg_q --passphrase "$KEYPASS" --decrypt --output "$out" "${COPY[$where]}" ||
      fail "gpg with only the $who key cannot decrypt the $where copy"
    holds_tree "$out" zst
  done
done

step "AGE_PASSPHRASE: age -d with the passphrase on a pseudo-terminal"
encrypted_backup .tar.gz.age application/octet-stream AGE_PASSPHRASE="$PASS"
for where in s3 local; do
  out=$T/plain/age-$where.tar.gz
  age_tty "$PASS" -d -o "$out" "${COPY[$where]}" ||
    fail "age -d cannot decrypt the $where copy: $(cat "$T/age_tty.out")"
  holds_tree "$out" gz
done

step "AGE_PUBLIC_KEYS: age -d with each of two age keys, an ssh-ed25519 and an ssh-rsa key"
make_age_identities
encrypted_backup .tar.zst.age application/octet-stream AGE_PUBLIC_KEYS="$AGE_RECIPIENTS" BACKUP_COMPRESSION=zst
for id in id1.txt id2.txt ssh_ed25519 ssh_rsa; do
  for where in s3 local; do
    out=$T/plain/age-$id-$where.tar.zst
    age -d -i "$T/$id" -o "$out" "${COPY[$where]}" || fail "age -d -i $id cannot decrypt the $where copy"
    holds_tree "$out" zst
  done
done
no_secret_in_logs "$PASS"
echo "ok"
