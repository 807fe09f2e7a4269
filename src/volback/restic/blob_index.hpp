#pragma once
// blob_index: the in-memory index of a whole repository, the merge of all its index files:
// where each blob is stored. Built for size: at most 40 bytes of heap per blob (restic needs
// about 56). Each pack id is stored once in a table; a blob is a 38-byte entry holding the
// first 24 bytes of its id, its type, the pack's number in the table, its offset, and its
// length and uncompressed length in 24 bits each (rare larger values live in a side table).
// Two blobs whose ids share their first 192 bits would be taken for one; for SHA-256 that
// takes about 2^96 blobs by chance and as much work on purpose, so it is not a practical
// concern (and a blob read through a wrong location fails its hash check). Entries are kept
// in a vector sorted by id, sorted lazily: adding appends, and the first query after adding
// sorts and merges. So a BlobIndex may be shared between threads only once a query (or
// sort()) has run after the last add_pack.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <tuple>
#include <vector>

#include <volback/restic/blob.hpp>
#include <volback/restic/id.hpp>
#include <volback/restic/index_file.hpp>

namespace volback::restic {

// Where a blob is stored.
struct BlobLocation {
  Id pack;
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  std::optional<std::uint32_t> uncompressed_length;

  bool operator==(const BlobLocation&) const = default;
};

// The first 24 bytes of a blob id, which is all the index keeps of it.
using BlobIdPrefix = std::array<unsigned char, 24>;
BlobIdPrefix blob_id_prefix(const Id& id);

// A blob of a pack as for_each_pack reports it.
struct PackEntry {
  BlobType type = BlobType::data;
  BlobIdPrefix id_prefix{};
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  std::optional<std::uint32_t> uncompressed_length;

  bool operator==(const PackEntry&) const = default;
};

class BlobIndex {
 public:
  // Adds the blobs of `pack`. As restic merges index files: the same blob in the same pack
  // listed again (by another index file, or the same pack twice) is kept once, the first
  // listing winning; the same blob in another pack is kept as a second location. Throws
  // std::length_error beyond 2^31 - 1 packs.
  void add_pack(const IndexedPack& pack);
  // Makes room for `blobs` more entries (optional; avoids the vector's spare capacity).
  void reserve(std::size_t blobs);
  // Sorts and merges what was added since the last query. Queries do it themselves.
  void sort() const;

  // The location of the blob, or nullopt. A blob stored in several packs: the location in
  // the pack added first.
  std::optional<BlobLocation> find(BlobType type, const Id& id) const;
  bool contains(BlobType type, const Id& id) const;
  // Distinct blobs (type and id), and their locations (a blob in two packs counts twice).
  std::size_t blob_count() const;
  std::size_t location_count() const;
  std::size_t pack_count() const;
  // Calls `visit` once per pack, in the order the packs were first added, with its blobs
  // sorted by offset. Uses 4 bytes per location of temporary memory.
  void for_each_pack(const std::function<void(const Id& pack, std::span<const PackEntry> blobs)>& visit) const;
  // The heap this index holds (its vectors' capacity and the side table).
  std::size_t memory_bytes() const;

  // One location, packed to 38 bytes: the id prefix, then (type << 31 | pack number) big
  // endian so that the first 28 bytes sort by (id prefix, type, pack), then offset, length
  // and uncompressed length little endian (0: not compressed; 0xffffff: in `large_`).
  struct Entry {
    std::array<unsigned char, 24> id_prefix;
    std::array<unsigned char, 4> type_and_pack;
    std::array<unsigned char, 4> offset;
    std::array<unsigned char, 3> length;
    std::array<unsigned char, 3> uncompressed_length;
  };

 private:
  using LargeKey = std::tuple<BlobIdPrefix, std::uint32_t>;  // id prefix, type_and_pack
  using LargeLengths = std::pair<std::uint32_t, std::optional<std::uint32_t>>;

  void normalize() const;
  void merge_duplicate_packs() const;
  BlobLocation location_of(const Entry& entry) const;
  LargeLengths lengths_of(const Entry& entry) const;
  const Entry* first_entry(BlobType type, const Id& id) const;

  mutable std::vector<Id> packs_;
  mutable std::vector<Entry> entries_;
  mutable std::map<LargeKey, LargeLengths> large_;
  mutable std::size_t sorted_entries_ = 0;  // entries_[0, sorted_entries_) are sorted and unique
  mutable std::size_t merged_packs_ = 0;    // packs_[0, merged_packs_) are unique
  mutable std::size_t blob_count_ = 0;
};

}  // namespace volback::restic
