#!/usr/bin/env bash
# Duplicate names, each as a marked archive (the manifest lists both entries) and as a foreign
# archive restored with --no-verify: the same file twice with different content; a directory,
# then a symlink of the same name to the world outside the target, then a file through it; a
# file, then a directory of the same name. verify says CORRUPT, restore --to and --in-place exit
# 1 with "unsafe", and nothing anywhere changes.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=hostile_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/hostile_lib.sh"

ok='{"path": "backup/vol/ok.txt", "data": "harmless\n"}'

unsafe_case "the same file twice, different content" \
  "[$ok, {\"path\": \"backup/vol/dup.txt\", \"data\": \"first\n\"},
    {\"path\": \"backup/vol/dup.txt\", \"data\": \"second, different\n\"}]"
unsafe_case "a directory, then a symlink of the same name, then a file through it" \
  "[$ok, {\"path\": \"backup/vol/d\", \"type\": \"dir\"},
    {\"path\": \"backup/vol/d\", \"type\": \"symlink\", \"link\": \"$W/outside\"},
    {\"path\": \"backup/vol/d/evil.txt\", \"data\": \"written through the link\n\"}]"
unsafe_case "a file, then a directory of the same name" \
  "[$ok, {\"path\": \"backup/vol/fd\", \"data\": \"a file\n\"},
    {\"path\": \"backup/vol/fd\", \"type\": \"dir\", \"mode\": \"0777\"}]"

hostile_finish
