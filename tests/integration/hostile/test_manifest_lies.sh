#!/usr/bin/env bash
# Marked archives that do not match their manifest: an entry the manifest does not list, an
# entry after the manifest (listed in it), a second manifest, a row the archive lacks; a mode,
# owner, type, size, content or symlink target other than the manifest's; a setuid file (4755)
# listed as 0644; a character device (c 1 3) and a block device (b 7 0) the manifest does not
# list. verify says CORRUPT, restore --to and --in-place exit 1 naming the manifest and saying
# "nothing was changed"; the world is exactly as before and holds no setuid file.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=hostile_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/hostile_lib.sh"

ok='{"path": "backup/vol/ok.txt", "data": "harmless\n"}'
other_sha=$(printf 'other content\n' | sha256sum | cut -d' ' -f1)

# lie CASE ENTRIES_JSON [MORE_SPEC_FIELDS] — the marked archive of ENTRIES is refused.
lie() {
  make_archive <<EOF
{"volumes": ["vol"], "entries": $2${3:+, $3}}
EOF
  refused "$1" "$KW_MANIFEST"
}

lie "an entry the manifest does not list" \
  "[$ok, {\"path\": \"backup/vol/unlisted.txt\", \"data\": \"not in the manifest\n\", \"in_manifest\": false}]"
lie "an entry after the manifest (listed in it)" "[$ok]" \
  "\"after_manifest\": [{\"path\": \"backup/vol/late.txt\", \"data\": \"late\n\", \"listed\": true}]"
lie "a second manifest" "[$ok]" "\"after_manifest\": [{\"type\": \"manifest\"}]"
lie "a manifest row the archive lacks" "[$ok]" \
  "\"extra_rows\": [{\"type\": \"file\", \"path\": \"backup/vol/missing.txt\", \"size\": 14, \"mode\": 420,
     \"uid\": 0, \"gid\": 0, \"mtime\": 1793000000, \"mtime_nsec\": 0, \"sha256\": \"$other_sha\"}]"
lie "mode 0600, the manifest says 0644" \
  "[$ok, {\"path\": \"backup/vol/m.txt\", \"data\": \"m\n\", \"mode\": \"0600\", \"manifest_row\": {\"mode\": 420}}]"
lie "owner 0:0, the manifest says 1000:1000" \
  "[$ok, {\"path\": \"backup/vol/o.txt\", \"data\": \"o\n\", \"manifest_row\": {\"uid\": 1000, \"gid\": 1000}}]"
lie "a symlink, the manifest says a file" \
  "[$ok, {\"path\": \"backup/vol/cfg\", \"type\": \"symlink\", \"link\": \"$W/outside/f.txt\",
          \"manifest_row\": {\"type\": \"file\", \"size\": 14, \"mode\": 420, \"sha256\": \"$other_sha\", \"link\": null}}]"
lie "size 2, the manifest says 3" \
  "[$ok, {\"path\": \"backup/vol/s.txt\", \"data\": \"s\n\", \"manifest_row\": {\"size\": 3}}]"
lie "content differs from the manifest's SHA-256" \
  "[$ok, {\"path\": \"backup/vol/h.txt\", \"data\": \"tampered\n\", \"manifest_row\": {\"sha256\": \"$other_sha\"}}]"
lie "symlink target differs from the manifest" \
  "[$ok, {\"path\": \"backup/vol/l\", \"type\": \"symlink\", \"link\": \"$W/outside\", \"manifest_row\": {\"link\": \"ok.txt\"}}]"
lie "a setuid file (4755) listed as 0644" \
  "[$ok, {\"path\": \"backup/vol/suid\", \"data\": \"#!/bin/sh\nid\n\", \"mode\": \"4755\", \"manifest_row\": {\"mode\": 420}}]"
lie "a character device c 1 3 the manifest does not list" \
  "[$ok, {\"path\": \"backup/vol/null\", \"type\": \"char\", \"devmajor\": 1, \"devminor\": 3, \"mode\": \"0666\", \"in_manifest\": false}]"
lie "a block device b 7 0 the manifest does not list" \
  "[$ok, {\"path\": \"backup/vol/loop0\", \"type\": \"block\", \"devmajor\": 7, \"devminor\": 0, \"mode\": \"0666\", \"in_manifest\": false}]"

hostile_finish
