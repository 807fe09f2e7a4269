#!/usr/bin/env bash
# Starts, idempotently, what the drill suite needs: the s3 suite's Swift, the docker suite's
# private dockerd, and in
# it the image volback-it-pg:1, busybox with a postgres user (the uid and gid of the host's
# postgres user) and a world-writable /tmp. The PostgreSQL 15 programs and libraries are not in
# the image: the tests mount them read-only from the host, as a compose file mounts
# configuration, so a drill's twin must keep read-only mounts.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
(cd "$here/../docker" && bash ./services.sh)
(cd "$here/../s3" && bash ./services.sh)
. "$here/../docker/docker_env.sh"
image=volback-it-pg:1
dk() { docker -H "unix://$VOLBACK_IT_DOCKER_SOCK" "$@"; }
dk image inspect "$image" >/dev/null 2>&1 && exit 0
[[ -x /usr/lib/postgresql/15/bin/postgres ]] || { echo "services.sh: PostgreSQL 15 is missing (scripts/install-deps.sh)" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/var/lib/postgresql"
chmod 1777 "$root/tmp"
cp "$(command -v busybox)" "$root/bin/busybox"
for a in sh ls cat echo sleep mkdir test true false env; do ln -s busybox "$root/bin/$a"; done
uid=$(id -u postgres) gid=$(id -g postgres)
printf 'root:x:0:0:root:/:/bin/sh\npostgres:x:%s:%s:postgres:/var/lib/postgresql:/bin/sh\n' "$uid" "$gid" >"$root/etc/passwd"
printf 'root:x:0:\npostgres:x:%s:\n' "$gid" >"$root/etc/group"
tar -C "$root" -c . | dk import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/usr/lib/postgresql/15/bin:/bin' \
  -c 'ENV LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu' - "$image" >/dev/null
echo "imported $image"
