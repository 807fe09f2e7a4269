#include <volback/restic/blob_index.hpp>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <stdexcept>

namespace volback::restic {

namespace {

using BlobIndexEntry = BlobIndex::Entry;
static_assert(sizeof(BlobIndexEntry) == 38 && alignof(BlobIndexEntry) == 1);

constexpr std::uint32_t k_blob_index_tree_bit = 1u << 31;
constexpr std::uint32_t k_blob_index_max_packs = k_blob_index_tree_bit - 1;
constexpr std::uint32_t k_blob_index_large = 0xffffff;  // the 24-bit lengths' "see the side table"
constexpr std::size_t k_blob_index_key_bytes = 28;      // id prefix and type_and_pack

void blob_index_put_be32(std::array<unsigned char, 4>& out, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) {
    out[i] = static_cast<unsigned char>(value >> (24 - 8 * i));
  }
}

std::uint32_t blob_index_get_be32(const std::array<unsigned char, 4>& in) {
  return std::uint32_t{in[0]} << 24 | std::uint32_t{in[1]} << 16 | std::uint32_t{in[2]} << 8 | in[3];
}

template <std::size_t N>
void blob_index_put_le(std::array<unsigned char, N>& out, std::uint32_t value) {
  for (std::size_t i = 0; i < N; ++i) {
    out[i] = static_cast<unsigned char>(value >> (8 * i));
  }
}

template <std::size_t N>
std::uint32_t blob_index_get_le(const std::array<unsigned char, N>& in) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < N; ++i) {
    value |= std::uint32_t{in[i]} << (8 * i);
  }
  return value;
}

// Orders entries by (id prefix, type, pack).
bool blob_index_key_less(const BlobIndexEntry& a, const BlobIndexEntry& b) {
  return std::memcmp(&a, &b, k_blob_index_key_bytes) < 0;
}

bool blob_index_key_equal(const BlobIndexEntry& a, const BlobIndexEntry& b) {
  return std::memcmp(&a, &b, k_blob_index_key_bytes) == 0;
}

// Same blob (id prefix and type), whatever the pack.
bool blob_index_same_blob(const BlobIndexEntry& a, const BlobIndexEntry& b) {
  return a.id_prefix == b.id_prefix && (a.type_and_pack[0] & 0x80) == (b.type_and_pack[0] & 0x80);
}

std::uint32_t blob_index_pack_number(const BlobIndexEntry& entry) {
  return blob_index_get_be32(entry.type_and_pack) & k_blob_index_max_packs;
}

BlobType blob_index_type(const BlobIndexEntry& entry) {
  return (entry.type_and_pack[0] & 0x80) != 0 ? BlobType::tree : BlobType::data;
}

}  // namespace

BlobIdPrefix blob_id_prefix(const Id& id) {
  BlobIdPrefix prefix;
  std::copy_n(id.bytes.begin(), prefix.size(), prefix.begin());
  return prefix;
}

void BlobIndex::add_pack(const IndexedPack& pack) {
  if (packs_.size() >= k_blob_index_max_packs) {
    throw std::length_error("BlobIndex: too many packs");
  }
  const auto pack_number = static_cast<std::uint32_t>(packs_.size());
  packs_.push_back(pack.id);
  for (const PackedBlob& blob : pack.blobs) {
    Entry entry;
    entry.id_prefix = blob_id_prefix(blob.id);
    blob_index_put_be32(entry.type_and_pack, (blob.type == BlobType::tree ? k_blob_index_tree_bit : 0) | pack_number);
    blob_index_put_le(entry.offset, blob.offset);
    const bool large =
      blob.length >= k_blob_index_large ||
      (blob.uncompressed_length && (*blob.uncompressed_length == 0 || *blob.uncompressed_length >= k_blob_index_large));
    if (large) {
      blob_index_put_le(entry.length, k_blob_index_large);
      blob_index_put_le(entry.uncompressed_length, k_blob_index_large);
      large_.emplace(LargeKey{entry.id_prefix, blob_index_get_be32(entry.type_and_pack)},
                     LargeLengths{blob.length, blob.uncompressed_length});
    } else {
      blob_index_put_le(entry.length, blob.length);
      blob_index_put_le(entry.uncompressed_length, blob.uncompressed_length.value_or(0));
    }
    entries_.push_back(entry);
  }
}

void BlobIndex::reserve(std::size_t blobs) {
  entries_.reserve(entries_.size() + blobs);
}

void BlobIndex::sort() const {
  normalize();
}

// Gives every pack id one number: a pack added again is merged into its first number, and
// the numbers are compacted (keeping the order of first addition).
void BlobIndex::merge_duplicate_packs() const {
  if (merged_packs_ == packs_.size()) {
    return;
  }
  std::vector<std::uint32_t> by_id(packs_.size());
  std::iota(by_id.begin(), by_id.end(), 0u);
  std::stable_sort(by_id.begin(), by_id.end(),
                   [this](std::uint32_t a, std::uint32_t b) { return packs_[a] < packs_[b]; });
  std::vector<std::uint32_t> first_of(packs_.size());
  bool any_duplicate = false;
  for (std::size_t i = 0; i < by_id.size(); ++i) {
    const bool repeat = i > 0 && packs_[by_id[i]] == packs_[by_id[i - 1]];
    first_of[by_id[i]] = repeat ? first_of[by_id[i - 1]] : by_id[i];
    any_duplicate = any_duplicate || repeat;
  }
  merged_packs_ = packs_.size();
  if (!any_duplicate) {
    return;
  }
  std::vector<std::uint32_t> renumbered(packs_.size());
  std::uint32_t kept = 0;
  for (std::uint32_t i = 0; i < packs_.size(); ++i) {
    if (first_of[i] == i) {
      packs_[kept] = packs_[i];
      renumbered[i] = kept++;
    }
  }
  for (std::uint32_t i = 0; i < packs_.size(); ++i) {
    renumbered[i] = renumbered[first_of[i]];
  }
  packs_.resize(kept);
  merged_packs_ = kept;
  const auto renumber = [&renumbered](std::uint32_t type_and_pack) {
    return (type_and_pack & k_blob_index_tree_bit) | renumbered[type_and_pack & k_blob_index_max_packs];
  };
  for (Entry& entry : entries_) {
    blob_index_put_be32(entry.type_and_pack, renumber(blob_index_get_be32(entry.type_and_pack)));
  }
  std::map<LargeKey, LargeLengths> large;
  for (const auto& [key, lengths] : large_) {
    large.emplace(LargeKey{std::get<0>(key), renumber(std::get<1>(key))}, lengths);
  }
  large_ = std::move(large);
  sorted_entries_ = 0;  // the pack numbers changed: sort everything again
}

void BlobIndex::normalize() const {
  merge_duplicate_packs();
  if (sorted_entries_ == entries_.size()) {
    return;
  }
  // Stable, so that of two listings of the same blob in the same pack the first is kept.
  const auto middle = entries_.begin() + static_cast<std::ptrdiff_t>(sorted_entries_);
  std::stable_sort(middle, entries_.end(), blob_index_key_less);
  std::inplace_merge(entries_.begin(), middle, entries_.end(), blob_index_key_less);
  entries_.erase(std::unique(entries_.begin(), entries_.end(), blob_index_key_equal), entries_.end());
  if (entries_.capacity() > entries_.size() + entries_.size() / 64) {
    entries_.shrink_to_fit();
  }
  if (packs_.capacity() > packs_.size() + packs_.size() / 64) {
    packs_.shrink_to_fit();
  }
  sorted_entries_ = entries_.size();
  blob_count_ = 0;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (i == 0 || !blob_index_same_blob(entries_[i - 1], entries_[i])) {
      ++blob_count_;
    }
  }
}

BlobIndex::LargeLengths BlobIndex::lengths_of(const Entry& entry) const {
  const std::uint32_t length = blob_index_get_le(entry.length);
  const std::uint32_t uncompressed_length = blob_index_get_le(entry.uncompressed_length);
  if (length == k_blob_index_large) {
    const auto found = large_.find(LargeKey{entry.id_prefix, blob_index_get_be32(entry.type_and_pack)});
    if (found != large_.end()) {
      return found->second;
    }
  }
  return {length, uncompressed_length == 0 ? std::nullopt : std::optional<std::uint32_t>(uncompressed_length)};
}

BlobLocation BlobIndex::location_of(const Entry& entry) const {
  const auto [length, uncompressed_length] = lengths_of(entry);
  return BlobLocation{packs_[blob_index_pack_number(entry)], blob_index_get_le(entry.offset), length,
                      uncompressed_length};
}

const BlobIndex::Entry* BlobIndex::first_entry(BlobType type, const Id& id) const {
  normalize();
  Entry wanted{};
  wanted.id_prefix = blob_id_prefix(id);
  blob_index_put_be32(wanted.type_and_pack, type == BlobType::tree ? k_blob_index_tree_bit : 0);
  const auto found = std::lower_bound(entries_.begin(), entries_.end(), wanted, blob_index_key_less);
  if (found == entries_.end() || !blob_index_same_blob(*found, wanted)) {
    return nullptr;
  }
  return &*found;
}

std::optional<BlobLocation> BlobIndex::find(BlobType type, const Id& id) const {
  const Entry* entry = first_entry(type, id);
  if (entry == nullptr) {
    return std::nullopt;
  }
  return location_of(*entry);
}

bool BlobIndex::contains(BlobType type, const Id& id) const {
  return first_entry(type, id) != nullptr;
}

std::size_t BlobIndex::blob_count() const {
  normalize();
  return blob_count_;
}

std::size_t BlobIndex::location_count() const {
  normalize();
  return entries_.size();
}

std::size_t BlobIndex::pack_count() const {
  merge_duplicate_packs();
  return packs_.size();
}

void BlobIndex::for_each_pack(
  const std::function<void(const Id& pack, std::span<const PackEntry> blobs)>& visit) const {
  normalize();
  std::vector<std::uint32_t> by_pack(entries_.size());
  std::iota(by_pack.begin(), by_pack.end(), 0u);
  std::sort(by_pack.begin(), by_pack.end(), [this](std::uint32_t a, std::uint32_t b) {
    const std::uint32_t pack_a = blob_index_pack_number(entries_[a]);
    const std::uint32_t pack_b = blob_index_pack_number(entries_[b]);
    if (pack_a != pack_b) {
      return pack_a < pack_b;
    }
    return blob_index_get_le(entries_[a].offset) < blob_index_get_le(entries_[b].offset);
  });
  std::vector<PackEntry> blobs;
  std::size_t next = 0;
  for (std::uint32_t pack = 0; pack < packs_.size(); ++pack) {
    blobs.clear();
    for (; next < by_pack.size() && blob_index_pack_number(entries_[by_pack[next]]) == pack; ++next) {
      const Entry& entry = entries_[by_pack[next]];
      const auto [length, uncompressed_length] = lengths_of(entry);
      blobs.push_back(PackEntry{blob_index_type(entry), entry.id_prefix, blob_index_get_le(entry.offset), length,
                                uncompressed_length});
    }
    visit(packs_[pack], blobs);
  }
}

std::size_t BlobIndex::memory_bytes() const {
  // A std::map node: three pointers and a colour, then the value.
  constexpr std::size_t k_map_node = 32 + sizeof(std::pair<const LargeKey, LargeLengths>);
  return packs_.capacity() * sizeof(Id) + entries_.capacity() * sizeof(Entry) + large_.size() * k_map_node;
}

}  // namespace volback::restic
