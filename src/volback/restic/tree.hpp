#pragma once
// tree: restic's tree blobs, the directory listings of a snapshot. A tree is the JSON
// `{"nodes":[...]}` and a newline, one node per directory entry, sorted by name. Its blob id
// is the SHA-256 of these bytes, so serialize_tree writes exactly the bytes restic 0.14 writes
// for the same nodes (Go's encoding/json with restic's key order and omitempty rules, file
// names through strconv.Quote), and a tree shared with restic deduplicates. parse_tree reads
// what restic 0.14 (and later versions, for the fields 0.14 knows) writes, defensively: a tree
// comes from a repository and is hostile until checked. serialize_tree(parse_tree(blob))
// gives back every blob restic 0.14 writes, except that a string field restic wrote with an
// invalid UTF-8 byte (as \ufffd) comes back with the valid U+FFFD written raw, as restic
// itself would write it again. Pure.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <volback/restic/go_json.hpp>
#include <volback/restic/id.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

// The node types restic 0.14 writes (and its checker accepts), named in the JSON as
// "file", "dir", "symlink", "dev", "chardev", "fifo" and "socket".
enum class NodeType { file, dir, symlink, block_device, char_device, fifo, socket };

std::string_view to_string(NodeType type);

// One extended attribute, in the order listxattr returned it.
struct ExtendedAttribute {
  std::string name;
  std::string value;  // bytes, base64 in the JSON

  bool operator==(const ExtendedAttribute&) const = default;
};

// One directory entry, with every field of restic 0.14's node in its serialization order.
// Numbers and strings that are 0 or empty are left out of the JSON (omitempty), except uid,
// gid, the three times and content.
struct Node {
  std::string name;  // raw bytes, any except '/' and NUL; not empty, "." or ".."
  NodeType type = NodeType::file;
  std::uint32_t mode = 0;  // Go FileMode bits (file_mode.hpp), not st_mode
  GoTime mtime;
  GoTime atime;  // restic stores mtime here unless asked for atimes
  GoTime ctime;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::string user;   // strings other than the name are written as Go writes them: invalid
  std::string group;  // UTF-8 becomes U+FFFD
  std::uint64_t inode = 0;
  std::uint64_t device_id = 0;  // st_dev
  std::uint64_t size = 0;       // files: the byte size, the sum of the content blobs' sizes
  std::uint64_t links = 0;      // st_nlink
  std::string linktarget;
  std::vector<ExtendedAttribute> extended_attributes;
  std::uint64_t device = 0;  // st_rdev of block and character devices
  // Files: the data blobs in order, empty for an empty file (`[]`); nullopt (`null`) for
  // every other type.
  std::optional<std::vector<Id>> content;
  std::optional<Id> subtree;  // dirs: the child tree
  std::string error;

  bool operator==(const Node&) const = default;
};

// The tree blob of `nodes`: `{"nodes":[` + the nodes sorted by raw name (bytewise) + `]}\n`.
// Nodes may come in any order; they are written sorted. Names must be unique: a duplicate
// is a bug of the caller and throws std::invalid_argument. Nothing else is checked: the
// caller provides what the checks of parse_tree require.
std::string serialize_tree(std::span<const Node> nodes);

// The nodes of the tree blob `json`, in their (sorted) order. Accepts restic's own output,
// JSON whitespace, unknown keys (such as linktarget_raw and generic_attributes of newer
// versions, ignored), keys in any order, and null for any field (its zero value; an
// extended attribute's null value reads as empty). Errors, all corrupt: not JSON, nested
// deeper than 32, not an object with a "nodes" array (null reads as no nodes), a field of
// the wrong type, a number out of its field's range or not an integer, a name that Go's
// strconv.Unquote refuses or that is empty, ".", "..", or contains '/' or NUL, names not in
// strictly ascending order (unsorted or duplicate), an unknown type, a file without content,
// a dir without subtree, an id that is not 64 hex digits, a bad time or base64 value.
// Unlike Go, keys match exactly (not case-insensitively) and invalid UTF-8 or a lone
// surrogate escape in a JSON string is an error, not U+FFFD; restic writes neither. Work and
// memory are linear in the size of `json`.
util::Result<std::vector<Node>> parse_tree(std::string_view json);

}  // namespace volback::restic
