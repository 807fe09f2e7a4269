# volback's container image: a drop-in for offen/docker-volume-backup.
#
#   docker build -t volback .                       # amd64 or arm64, whichever the builder runs on
#   docker build --build-arg BASE_IMAGE=debian:bookworm-slim --build-arg JOBS=4 -t volback .
#
# Two stages: "build" compiles volback from Debian 12's packages on the Debian base and
# assembles the runtime file system; the image itself starts from scratch and holds only
# that: the binary (/usr/bin/volback, with offen's name /usr/bin/backup beside it), the
# shared libraries it loads, BusyBox (sh, tar, wget, ...), CA certificates and tzdata.
# Nothing in this file names an architecture: it builds natively on amd64 and arm64 hosts
# (CI builds and tests amd64). It needs only the classic builder: no BuildKit features.
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${BASE_IMAGE} AS build-deps
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config \
      libarchive-dev libzstd-dev zlib1g-dev libre2-dev libexpected-dev libcli11-dev \
      nlohmann-json3-dev libfmt-dev libhowardhinnant-date-dev libacl1-dev libattr1-dev \
      libisal-dev libcurl4-openssl-dev libssh2-1-dev libssl-dev libexpat1-dev libsodium-dev \
      nettle-dev liblzma-dev libbz2-dev busybox-static ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/*

FROM build-deps AS build
ARG JOBS=2
COPY CMakeLists.txt /src/
COPY cmake /src/cmake
COPY src /src/src
RUN cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DVOLBACK_BUILD_TESTS=OFF -DVOLBACK_STATIC_LIBARCHIVE=ON \
 && cmake --build /build --target volback -j"${JOBS}" \
 && install -D -s -m 0755 /build/volback /out/usr/bin/volback \
 && ln -s volback /out/usr/bin/backup \
 && /out/usr/bin/volback --help >/dev/null
# The runtime file system, assembled here so that the image holds nothing else: the binary,
# the shared libraries it loads (from ldd, so the list cannot drift from the code) and the
# dynamic loader, BusyBox as /bin/sh and its applets (sh with `source`, tar, wget, ...), CA
# certificates, tzdata, and the writable directories. /var/lock (the global lock, as offen's
# image) and /var/lib/volback (VOLBACK_STATE_DIR: the crash journal and the run history) are
# writable for any user, so the image also runs with `user: 1000:1000`; a fresh named
# volume mounted on /var/lib/volback takes that mode over. The entrypoint runs volback with
# the container's arguments, `daemon` (the scheduler, what offen's `backup -foreground` is)
# by default; arguments that start with a command run that command instead:
# `docker run … volback:latest volback restore …`, `… backup`, `… sh`.
RUN set -e; \
    root=/rootfs; \
    mkdir -p $root/bin $root/usr/bin $root/usr/local/bin $root/usr/share $root/etc/ssl/certs $root/tmp \
      $root/var/lock $root/var/lib/volback $root/root; \
    cp -a /out/usr/bin/. $root/usr/bin/; \
    for lib in $(ldd /out/usr/bin/volback | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do \
      mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; \
    done; \
    cp /bin/busybox $root/bin/busybox; \
    for applet in $($root/bin/busybox --list); do \
      [ -e "$root/bin/$applet" ] || [ -e "$root/usr/bin/$applet" ] || ln -s busybox "$root/bin/$applet"; \
    done; \
    cp /etc/ssl/certs/ca-certificates.crt $root/etc/ssl/certs/; \
    cp -a /usr/share/zoneinfo $root/usr/share/; \
    rm -rf $root/usr/share/zoneinfo/right $root/usr/share/zoneinfo/posix; \
    printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' \
      >$root/etc/passwd; \
    printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >$root/etc/group; \
    printf '%s\n' 'hosts: files dns' >$root/etc/nsswitch.conf; \
    printf '%s\n' '127.0.0.1 localhost' '::1 localhost' >$root/etc/hosts; \
    chmod 1777 $root/tmp $root/var/lock; \
    chmod 0777 $root/var/lib/volback; \
    printf '%s\n' '#!/bin/sh' \
      'if [ "$#" -gt 0 ] && command -v "$1" >/dev/null 2>&1; then exec "$@"; fi' \
      'exec /usr/bin/volback "$@"' >$root/usr/local/bin/volback-entrypoint; \
    chmod 0755 $root/usr/local/bin/volback-entrypoint; \
    chroot $root /bin/sh -c 'volback --help && backup --help' >/dev/null

FROM scratch
COPY --from=build /rootfs/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Restore drills restore into the state volume, which other containers (the drill's twins)
# can mount through its path on the Docker host (docs/drill.md).
ENV VOLBACK_DRILL_DIR=/var/lib/volback/drill
ENTRYPOINT ["/usr/local/bin/volback-entrypoint"]
CMD ["daemon"]
HEALTHCHECK --interval=5m --timeout=30s --start-period=1m --retries=3 CMD ["/usr/bin/volback", "healthcheck"]
LABEL org.opencontainers.image.title="volback" \
      org.opencontainers.image.description="Backs up Docker volumes to local and S3-compatible storage; a drop-in for offen/docker-volume-backup"
