#!/usr/bin/env bash
# Unsafe links, each as a marked archive (its manifest lists every entry truthfully) and as a
# foreign archive restored with --no-verify: a symlink to the world outside the target followed
# by a file through it (absolute and relative symlink), hard links to a file outside the volume
# (relative, absolute, /etc/passwd, another volume's file; the first three followed by a write to
# the link's name), a hard link to a directory and to the volume directory itself. verify says
# CORRUPT, restore --to and --in-place exit 1 with "unsafe", and nothing anywhere changes.
# The /etc/passwd link carries /etc/passwd's own mode, owner and mtime, so that even a restore
# that followed it would change no metadata there; its content is checked too.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=hostile_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/hostile_lib.sh"

ok='{"path": "backup/vol/ok.txt", "data": "harmless\n"}'
evil='"data": "written through the link\n"'

unsafe_case "symlink to <world>/outside, then a file through it" \
  "[$ok, {\"path\": \"backup/vol/link\", \"type\": \"symlink\", \"link\": \"$W/outside\"},
    {\"path\": \"backup/vol/link/evil.txt\", $evil}]"
unsafe_case "symlink to ../../outside, then a file through it" \
  "[$ok, {\"path\": \"backup/vol/link\", \"type\": \"symlink\", \"link\": \"../../outside\"},
    {\"path\": \"backup/vol/link/evil.txt\", $evil}]"
unsafe_case "hard link to ../../outside/f.txt, then a write" \
  "[$ok, {\"path\": \"backup/vol/hl\", \"type\": \"hardlink\", \"link\": \"../../outside/f.txt\"},
    {\"path\": \"backup/vol/hl\", $evil}]"
unsafe_case "hard link to <world>/outside/f.txt, then a write" \
  "[$ok, {\"path\": \"backup/vol/hl\", \"type\": \"hardlink\", \"link\": \"$W/outside/f.txt\"},
    {\"path\": \"backup/vol/hl\", $evil}]"
read -r pmode puid pgid pmtime < <(stat -c '%a %u %g %Y' /etc/passwd)
unsafe_case "hard link to /etc/passwd" \
  "[$ok, {\"path\": \"backup/vol/passwd\", \"type\": \"hardlink\", \"link\": \"/etc/passwd\",
          \"mode\": \"$pmode\", \"uid\": $puid, \"gid\": $pgid, \"mtime\": $pmtime}]"
unsafe_case "hard link to another volume's file" \
  "[{\"path\": \"backup/vol2/other.txt\", \"data\": \"vol2's file\n\"}, $ok,
    {\"path\": \"backup/vol/hl\", \"type\": \"hardlink\", \"link\": \"backup/vol2/other.txt\"}]"
unsafe_case "hard link to a directory" \
  "[$ok, {\"path\": \"backup/vol/sub\", \"type\": \"dir\"},
    {\"path\": \"backup/vol/hl\", \"type\": \"hardlink\", \"link\": \"backup/vol/sub\"}]"
unsafe_case "hard link to the volume directory (backup/vol)" \
  "[$ok, {\"path\": \"backup/vol/hl\", \"type\": \"hardlink\", \"link\": \"backup/vol\"}]"

hostile_finish
