#!/usr/bin/env bash
# Configures and builds volback (Release, Ninja) into build/:
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -G Ninja && cmake --build build -j2
# A build directory configured earlier keeps its generator (e.g. Unix Makefiles from the plain
# `cmake -S . -B build -DCMAKE_BUILD_TYPE=Release`), since CMake refuses to switch generators.
#
# Environment: VOLBACK_BUILD_DIR (default build), VOLBACK_BUILD_TYPE (default Release),
# VOLBACK_JOBS (default 2), VOLBACK_CMAKE_ARGS (extra configure arguments, space-separated).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir=${VOLBACK_BUILD_DIR:-build}
build_type=${VOLBACK_BUILD_TYPE:-Release}
jobs=${VOLBACK_JOBS:-2}
read -ra extra <<<"${VOLBACK_CMAKE_ARGS:-}"

generator=()
if [[ ! -f $build_dir/CMakeCache.txt ]] && command -v ninja >/dev/null; then
  generator=(-G Ninja)
fi

cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" "${generator[@]}" "${extra[@]}"
cmake --build "$build_dir" -j"$jobs"
