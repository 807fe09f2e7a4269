#pragma once
// index_file: the JSON of restic's index files (the format's §7), which list for every stored
// pack the blobs it holds and where. serialize_index writes the shape restic 0.14 writes
// (`{"supersedes":[...],"packs":[...]}` and a newline, supersedes left out when empty,
// uncompressed_length only for compressed blobs), keeping the order of packs and blobs as
// given. parse_index reads what restic 0.14 writes, including the obsolete top-level array
// format, defensively: an index comes from a repository and is hostile until checked. It
// reads with a SAX handler, so memory stays near the size of the result, not of a JSON tree.
// Pure.

#include <string>
#include <string_view>
#include <vector>

#include <volback/restic/blob.hpp>
#include <volback/restic/id.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

// One pack and the blobs it holds, in the order the index lists them.
struct IndexedPack {
  Id id;
  std::vector<PackedBlob> blobs;

  bool operator==(const IndexedPack&) const = default;
};

struct IndexFile {
  std::vector<Id> supersedes;  // index files this one replaces (informational in 0.14)
  std::vector<IndexedPack> packs;

  bool operator==(const IndexFile&) const = default;
};

// `{"supersedes":[..],"packs":[{"id":..,"blobs":[{"id":..,"type":"data","offset":0,
// "length":42,"uncompressed_length":1},..]},..]}` and "\n", as restic 0.14's encoder writes
// it; "supersedes" only when not empty, "uncompressed_length" only when set. Nothing is
// checked: the caller provides what parse_index requires.
std::string serialize_index(const IndexFile& index);

// The index file `json`. Accepts restic's output, JSON whitespace, keys in any order,
// unknown keys (ignored), null for "supersedes", "packs" and "blobs" (no entries) and for
// "uncompressed_length" (not compressed), and the obsolete format, a top-level array of
// packs. Overlapping blobs or gaps within a pack are not errors here (restic check reports
// them). Errors, all corrupt: not JSON, a field of the wrong type, an id that is not 64 hex
// digits, a pack or blob without an id, a blob without a type or with a type other than
// "data" and "tree", a number that is negative, not an integer or above 2^32-1, a length
// below 32 (a blob's IV and MAC alone take 32 bytes), an uncompressed_length of 0, and the
// same blob (type and id) twice within one pack. Keys match exactly (Go's decoder would
// also match them case-insensitively; restic writes them in lower case).
util::Result<IndexFile> parse_index(std::string_view json);

}  // namespace volback::restic
