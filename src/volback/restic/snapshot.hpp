#pragma once
// snapshot: the JSON of restic's snapshot files (the format's §12): one backup's time, root
// tree and how it was made. serialize_snapshot writes the bytes restic 0.14 writes (Go's
// encoding/json with restic's field order and omitempty rules, no trailing newline);
// parse_snapshot reads what restic 0.14 and later write, defensively: a snapshot comes from a
// repository and is hostile until checked. Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <volback/restic/go_json.hpp>
#include <volback/restic/id.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

struct Snapshot {
  GoTime time;
  std::optional<Id> parent;  // the snapshot used as parent, if any
  Id tree;                   // the root tree blob
  std::vector<std::string> paths;
  std::string hostname, username;
  std::uint32_t uid = 0, gid = 0;
  std::vector<std::string> excludes, tags;
  std::optional<Id> original;  // set when the snapshot was rewritten: the first version's id

  bool operator==(const Snapshot&) const = default;
};

// `{"time":..,"parent":..,"tree":..,"paths":[..],"hostname":..,"username":..,"uid":..,
// "gid":..,"excludes":[..],"tags":[..],"original":..}` in that order, all but time, tree
// and paths left out when empty or 0; empty paths are written `null` (a nil slice in Go).
// Strings are escaped as Go escapes them (invalid UTF-8 becomes U+FFFD).
std::string serialize_snapshot(const Snapshot& snapshot);

// The snapshot `json`. Accepts JSON whitespace, keys in any order, null for any field but
// tree, and unknown keys (program_version, summary and others of later versions, ignored).
// Errors, all corrupt: not JSON, nested deeper than 32, not an object, no tree, a field of
// the wrong type, an id that is not 64 hex digits, a time parse_rfc3339 refuses, a uid or gid
// out of uint32 range. Keys match exactly (Go also matches them case-insensitively).
util::Result<Snapshot> parse_snapshot(std::string_view json);

}  // namespace volback::restic
