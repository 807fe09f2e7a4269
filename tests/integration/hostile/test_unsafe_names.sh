#!/usr/bin/env bash
# Unsafe entry names, each as a marked archive (its manifest lists the entry truthfully, so only
# the name is wrong) and as a foreign archive restored with --no-verify: a volume named `..` or
# `.`, `..` deeper in a path, `..` at the archive root, absolute names (into /etc, /backup and
# the world around the target). verify says CORRUPT, restore --to and --in-place exit 1 with
# "unsafe", and nothing anywhere changes (the world around the target, /etc, /, /backup).
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=hostile_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/hostile_lib.sh"

ok='{"path": "backup/vol/ok.txt", "data": "harmless\n"}'

unsafe_case "volume component .. (backup/../x)" \
  "[$ok, {\"path\": \"backup/../escaped.txt\", \"data\": \"escaped\n\"}]"
unsafe_case "volume component . (backup/./x)" \
  "[$ok, {\"path\": \"backup/./escaped.txt\", \"data\": \"escaped\n\"}]"
unsafe_case "directory entry backup/.." \
  "[$ok, {\"path\": \"backup/..\", \"type\": \"dir\", \"mode\": \"0777\", \"uid\": 1234, \"gid\": 1234}]"
unsafe_case ".. deeper (backup/vol/a/../../../x)" \
  "[$ok, {\"path\": \"backup/vol/a\", \"type\": \"dir\"},
    {\"path\": \"backup/vol/a/../../../escaped.txt\", \"data\": \"escaped\n\"}]"
unsafe_case ".. at the archive root (../x)" \
  "[$ok, {\"path\": \"../escaped.txt\", \"data\": \"escaped\n\"}]"
unsafe_case "absolute name /etc/x" \
  "[$ok, {\"path\": \"/etc/$HOST_PROBE\", \"data\": \"escaped\n\"}]"
unsafe_case "absolute name /backup/vol/x" \
  "[$ok, {\"path\": \"/backup/vol/$HOST_PROBE\", \"data\": \"escaped\n\"}]"
unsafe_case "absolute name into the world (<world>/outside/x)" \
  "[$ok, {\"path\": \"$W/outside/abs-escaped.txt\", \"data\": \"escaped\n\"}]"

hostile_finish
