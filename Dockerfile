# volback's container image: a drop-in for offen/docker-volume-backup.
#
#   docker build -t volback .                       # amd64 or arm64, whichever the builder runs on
#   docker build --build-arg BASE_IMAGE=debian:bookworm-slim --build-arg JOBS=4 -t volback .
#
# Two stages on the same Debian 12 base: "build" compiles volback from Debian's packages; the
# runtime stage holds the binary (/usr/bin/volback, with offen's name /usr/bin/backup beside
# it), the shared libraries it links (the packages are derived from the binary with ldd and
# dpkg, so the list cannot drift from the code), CA certificates and tzdata. Nothing in this
# file names an architecture: it builds natively on amd64 and arm64 hosts (CI builds and tests
# amd64). It needs only the classic builder: no BuildKit features.
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${BASE_IMAGE} AS build-deps
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config \
      libarchive-dev libzstd-dev zlib1g-dev libre2-dev libexpected-dev libcli11-dev \
      nlohmann-json3-dev libfmt-dev libhowardhinnant-date-dev libacl1-dev libattr1-dev \
      libisal-dev libcurl4-openssl-dev libssh2-1-dev libssl-dev libexpat1-dev libsodium-dev \
 && rm -rf /var/lib/apt/lists/*

FROM build-deps AS build
ARG JOBS=2
COPY CMakeLists.txt /src/
COPY cmake /src/cmake
COPY src /src/src
RUN cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DVOLBACK_BUILD_TESTS=OFF \
 && cmake --build /build --target volback -j"${JOBS}" \
 && install -D -s -m 0755 /build/volback /out/usr/bin/volback \
 && ln -s volback /out/usr/bin/backup \
 && /out/usr/bin/volback --help >/dev/null
# The runtime packages: the owner of every shared library the binary loads. With merged /usr
# dpkg knows a library under /lib or /usr/lib, so both spellings are asked for.
RUN set -e; \
    for lib in $(ldd /out/usr/bin/volback | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'); do \
      real=$(readlink -f "$lib"); \
      for p in "$lib" "$real" "/usr$lib" "${lib#/usr}" "/usr$real" "${real#/usr}"; do \
        if dpkg -S "$p" >/tmp/owner 2>/dev/null; then cut -d: -f1 /tmp/owner; break; fi; \
      done; \
    done | sort -u >/out/runtime-packages; \
    test -s /out/runtime-packages; \
    echo "runtime packages:" $(cat /out/runtime-packages)

FROM ${BASE_IMAGE}
ARG DEBIAN_FRONTEND=noninteractive
COPY --from=build /out/runtime-packages /tmp/runtime-packages
# /var/lock (the global lock, as offen's image) and /var/lib/volback (VOLBACK_STATE_DIR: the
# crash journal and the run history) are writable for any user, so the image also runs with
# `user: 1000:1000`. A fresh named volume mounted on /var/lib/volback takes that mode over.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata $(cat /tmp/runtime-packages) \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log /tmp/runtime-packages \
 && chmod a+rw /var/lock/ \
 && mkdir -p /var/lib/volback \
 && chmod 0777 /var/lib/volback
# The entrypoint runs volback with the container's arguments, `daemon` (the scheduler, what
# offen's `backup -foreground` is) by default; arguments that start with a command run that
# command instead: `docker run … volback:latest volback restore …`, `… backup`, `… sh`.
RUN printf '%s\n' '#!/bin/sh' \
      'if [ "$#" -gt 0 ] && command -v "$1" >/dev/null 2>&1; then exec "$@"; fi' \
      'exec /usr/bin/volback "$@"' >/usr/local/bin/volback-entrypoint \
 && chmod 0755 /usr/local/bin/volback-entrypoint
COPY --from=build /out/usr/bin/ /usr/bin/
ENTRYPOINT ["/usr/local/bin/volback-entrypoint"]
CMD ["daemon"]
HEALTHCHECK --interval=5m --timeout=30s --start-period=1m --retries=3 CMD ["/usr/bin/volback", "healthcheck"]
LABEL org.opencontainers.image.title="volback" \
      org.opencontainers.image.description="Backs up Docker volumes to local and S3-compatible storage; a drop-in for offen/docker-volume-backup"
