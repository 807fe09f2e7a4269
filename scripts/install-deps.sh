#!/usr/bin/env bash
# Installs every Debian 12 package volback needs to build and test: the build dependencies, the
# common test tools, clang for the sanitizer and fuzz stages, and the packages each integration
# suite lists in tests/integration/<suite>/deps.txt (one a line, # starts a comment).
#
# Idempotent and non-interactive: when everything is installed (checked with dpkg-query) it
# changes nothing and does not touch the network; otherwise it runs `apt-get update` once and
# installs only what is missing. Needs root (or sudo) only when something is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# lld: the linker the build uses when present (cmake/StandardSettings.cmake).
build_deps=(
  build-essential cmake ninja-build pkg-config lld
  libarchive-dev libzstd-dev zlib1g-dev libre2-dev libexpected-dev libcli11-dev
  nlohmann-json3-dev libfmt-dev libspdlog-dev libhowardhinnant-date-dev
  libacl1-dev libattr1-dev libgtest-dev googletest libdeflate-dev libisal-dev
  libcurl4-openssl-dev libssh2-1-dev libssl-dev libexpat1-dev libsodium-dev tzdata
)
test_deps=(tar gzip zstd pigz attr acl util-linux file)
# The sanitizer and fuzz stages (scripts/sanitize.sh, scripts/fuzz.sh): clang, its sanitizer
# and libFuzzer runtimes, and llvm-symbolizer for the reports' stack traces.
sanitizer_deps=(clang-14 libclang-rt-14-dev llvm-14 clang-format-14)

suite_deps=()
for deps_file in tests/integration/*/deps.txt; do
  [[ -f $deps_file ]] || continue
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%%#*}
    for pkg in $line; do suite_deps+=("$pkg"); done
  done <"$deps_file"
done

mapfile -t wanted < <(printf '%s\n' "${build_deps[@]}" "${test_deps[@]}" "${sanitizer_deps[@]}" "${suite_deps[@]}" |
  LC_ALL=C sort -u)

# A package counts as installed when dpkg says so or, for a package that is one command
# (npm), when that command is on PATH: Node.js from another source brings its own npm, and
# Debian's npm package then conflicts with it.
is_installed() {
  dpkg-query -W -f='${db:Status-Status}\n' "$1" 2>/dev/null | grep -qx installed && return 0
  [[ -n ${provided_by_command[$1]+x} ]] && command -v "$1" >/dev/null
}
declare -A provided_by_command=([npm]=1)

missing=()
for pkg in "${wanted[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#wanted[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} of ${#wanted[@]} packages: ${missing[*]}"
sudo=()
if [[ $(id -u) != 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: must run as root (or have sudo)" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

for attempt in 1 2 3; do
  "${sudo[@]}" apt-get -q update && break
  ((attempt == 3)) && { echo "install-deps: apt-get update failed" >&2; exit 1; }
  sleep $((attempt * 5))
done
for attempt in 1 2 3; do
  "${sudo[@]}" apt-get install "${apt_opts[@]}" --no-install-recommends "${missing[@]}" && break
  ((attempt == 3)) && { echo "install-deps: apt-get install failed" >&2; exit 1; }
  sleep $((attempt * 5))
done

still=()
for pkg in "${missing[@]}"; do
  is_installed "$pkg" || still+=("$pkg")
done
if ((${#still[@]})); then
  echo "install-deps: still missing after install: ${still[*]}" >&2
  exit 1
fi
echo "install-deps: installed ${missing[*]}"
