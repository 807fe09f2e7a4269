#!/usr/bin/env bash
# Starts, idempotently, what the image suite needs:
#   - the s3 suite's Swift with s3api on 127.0.0.1 and the docker suite's private dockerd;
#   - the base image debian:bookworm-slim in that dockerd, imported from a Debian bookworm
#     minbase rootfs made with debootstrap (no registry is reachable in CI). The rootfs
#     tarball is cached in $VOLBACK_IT_IMAGE_CACHE and the image stays in the private
#     dockerd's data root, so a second run on the same machine costs a few seconds;
#   - the Dockerfile's build stage up to its packages; then the image itself is built in the
#     background (holding a lock that the tests' ensure_image waits for), so that from scratch
#     the compile overlaps the other suites (the file early-services makes run.sh run this
#     first and the suite's tests last), and every test of the run uses the same image.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
. "$here/../docker/docker_env.sh"
. "$here/image_env.sh"

(cd "$here/../s3" && bash ./services.sh)
(cd "$here/../docker" && bash ./services.sh)
dk() { docker -H "unix://$VOLBACK_IT_DOCKER_SOCK" "$@"; }

mkdir -p "$VOLBACK_IT_IMAGE_CACHE"
arch=$(dpkg --print-architecture)
# The name changes when the recipe below does, so a cached rootfs is never stale.
rootfs_tar=$VOLBACK_IT_IMAGE_CACHE/bookworm-minbase-slim-$arch.tar
base_label=$(dk image inspect -f '{{index .Config.Labels "volback-it.rootfs"}}' "$VOLBACK_IT_BASE_IMAGE" 2>/dev/null || true)
if [[ $base_label != "${rootfs_tar##*/}" ]]; then
  if [[ ! -s $rootfs_tar ]]; then
    command -v debootstrap >/dev/null || { echo "debootstrap not found (Debian package debootstrap)"; exit 1; }
    work=$(mktemp -d "$VOLBACK_IT_IMAGE_CACHE/rootfs.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    start=$(date +%s)
    ok=0
    for attempt in 1 2 3; do
      rm -rf "$work/root"
      if debootstrap --variant=minbase bookworm "$work/root" "$VOLBACK_IT_DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1; then
        ok=1
        break
      fi
      tail -n 20 "$work/debootstrap.log"
      sleep $((attempt * 5))
    done
    ((ok)) || { echo "debootstrap failed"; exit 1; }
    # As Docker's official debian image: deb822 sources with updates and security, and no
    # apt caches.
    rm -f "$work/root/etc/apt/sources.list"
    cat >"$work/root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $VOLBACK_IT_DEBIAN_MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${VOLBACK_IT_DEBIAN_MIRROR%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
    # Slim, as the official -slim images (debuerreotype's slimify): no documentation, manual
    # pages or translations, now or from packages installed later.
    cat >"$work/root/etc/dpkg/dpkg.cfg.d/docker" <<'SLIM'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
SLIM
    find "$work/root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    find "$work/root/usr/share/locale" -mindepth 1 ! -type d ! -name locale.alias -delete
    rm -rf "$work/root/usr/share/man/"* "$work/root/usr/share/groff/"* "$work/root/usr/share/info/"* \
      "$work/root/usr/share/lintian/"* "$work/root/usr/share/linda/"*
    find "$work/root/usr/share/doc" "$work/root/usr/share/locale" -mindepth 1 -type d -empty -delete
    tar --numeric-owner -C "$work/root" -cf "$rootfs_tar.tmp" .
    mv "$rootfs_tar.tmp" "$rootfs_tar"
    find "$VOLBACK_IT_IMAGE_CACHE" -maxdepth 1 -name 'bookworm-*.tar' ! -name "${rootfs_tar##*/}" -delete
    echo "debootstrap: $rootfs_tar in $(($(date +%s) - start))s"
  fi
  dk import -c 'CMD ["bash"]' -c "LABEL volback-it.rootfs=${rootfs_tar##*/}" "$rootfs_tar" \
    "$VOLBACK_IT_BASE_IMAGE" >/dev/null
  echo "imported $VOLBACK_IT_BASE_IMAGE from $rootfs_tar"
fi

# The build stage's package layer (cached by the dockerd; only a change of the Dockerfile's
# lines before COPY redoes it).
start=$(date +%s)
dk build --network host --target build-deps -t volback-it-build-deps:latest "$repo" \
  >"$VOLBACK_IT_IMAGE_CACHE/build-deps.log" 2>&1 ||
  { tail -n 40 "$VOLBACK_IT_IMAGE_CACHE/build-deps.log"; exit 1; }
echo "build stage packages ready ($(($(date +%s) - start))s)"

# The image under test, built once per suite run, in the background: from scratch the compile
# takes minutes. The build holds image-build.lock and leaves its exit status in
# image-build.rc; every test's ensure_image waits for it and then uses that image.
command -v flock >/dev/null || { echo "flock not found (Debian package util-linux)"; exit 1; }
rm -f "$VOLBACK_IT_IMAGE_CACHE/image-build.rc"
# Afterwards the build stage's last image (named in the log just before the runtime stage's
# FROM) is tagged too, so that pruning the dangling images of earlier builds keeps this
# build's cache.
setsid flock -n "$VOLBACK_IT_IMAGE_CACHE/image-build.lock" sh -c '
  docker -H "unix://$1" build --network host -t "$2" "$3" >"$4/image-build.log" 2>&1
  rc=$?
  if [ $rc = 0 ]; then
    stage=$(awk "/^ ---> [0-9a-f]+\$/ { id = \$2 } /^Step [0-9]+\/[0-9]+ : FROM / { last = id } END { print last }" "$4/image-build.log")
    [ -n "$stage" ] && docker -H "unix://$1" tag "$stage" volback-it-build:latest &&
      docker -H "unix://$1" image prune -f >/dev/null 2>&1
  fi
  echo $rc >"$4/image-build.rc"' sh "$VOLBACK_IT_DOCKER_SOCK" "$VOLBACK_IT_VOLBACK_IMAGE" "$repo" \
  "$VOLBACK_IT_IMAGE_CACHE" </dev/null >/dev/null 2>&1 &
echo "image build started in the background (log: $VOLBACK_IT_IMAGE_CACHE/image-build.log)"
