#!/usr/bin/env bash
# Checks that every C++ file of the project is formatted as .clang-format says (clang-format
# 14, Debian's clang-format package). Prints the files that are not and exits 1; format them
# with:  git ls-files '*.cpp' '*.hpp' | xargs clang-format-14 -i
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

format=$(command -v clang-format-14 || command -v clang-format || true)
[[ -n $format ]] || { echo "check-format: clang-format not found (Debian package clang-format)" >&2; exit 1; }

mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
bad=()
for file in "${files[@]}"; do
  if ! "$format" --dry-run --Werror "$file" >/dev/null 2>&1; then
    bad+=("$file")
  fi
done
if ((${#bad[@]})); then
  echo "check-format: ${#bad[@]} of ${#files[@]} files are not formatted (.clang-format):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "format: ok (${#files[@]} files)"
