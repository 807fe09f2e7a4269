#pragma once
// Blobs: the chunks of file content (data) and the serialized directories (tree) that
// packs hold, each named by the SHA-256 of its plaintext (the format's §4 and §6). One
// blob's place in a pack, as the pack header and the index both describe it.

#include <cstdint>
#include <optional>
#include <string_view>

#include <volback/restic/id.hpp>

namespace volback::restic {

enum class BlobType : std::uint8_t { data, tree };

// "data" or "tree", as index files write it.
constexpr std::string_view blob_type_name(BlobType type) {
  return type == BlobType::data ? "data" : "tree";
}

struct PackedBlob {
  BlobType type = BlobType::data;
  Id id;                                             // SHA-256 of the plaintext
  std::uint32_t offset = 0;                          // in the pack
  std::uint32_t length = 0;                          // stored bytes: IV, ciphertext, MAC
  std::optional<std::uint32_t> uncompressed_length;  // set iff the blob is compressed

  // The plaintext's size.
  std::uint32_t plaintext_size() const { return uncompressed_length ? *uncompressed_length : length - 32; }
  bool operator==(const PackedBlob&) const = default;
};

}  // namespace volback::restic
