#pragma once
// Pack files (data/<xx>/<id>, the format's §6): blobs, each compressed and sealed on its
// own, followed by a sealed header that lists them (type, stored length, uncompressed
// length, id) and the header's length as a little-endian uint32. A pack is named by the
// SHA-256 of all its bytes. Data and tree blobs go in separate packs.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <volback/restic/blob.hpp>
#include <volback/restic/id.hpp>
#include <volback/restic/master_key.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

// restic's default target: a pack is finished once it reaches this size.
inline constexpr std::size_t k_target_pack_size = std::size_t{16} << 20;
// The largest sealed header restic reads (16 MiB + the length field).
inline constexpr std::size_t k_max_pack_header = (std::size_t{16} << 20) + 4;
// How many bytes from a pack's end hold the header of a pack of up to 15 blobs (restic
// reads this much first, then the rest when the header is longer).
inline constexpr std::size_t k_pack_tail_guess = 15 * 41 + 36;

struct FinishedPack {
  Id id;
  std::string bytes;
  std::vector<PackedBlob> blobs;
};

// One blob ready for a pack: compressed (when asked and not empty) and sealed. `blob`
// holds its type, id and lengths; its offset is set when a PackBuilder appends it.
struct SealedBlob {
  PackedBlob blob;
  std::string bytes;
};

// Seals the blob `id` (the SHA-256 of `plaintext`, computed by the caller, who also looked
// it up for deduplication). Safe on several threads at once (each has its own zstd context).
util::Result<SealedBlob> seal_blob(const MasterKey& key, BlobType type, const Id& id,
                                   std::span<const unsigned char> plaintext, bool compress = true);
// The same into `out` (its bytes replaced, their capacity reused): the frame is compressed
// and sealed in place, and a thread that keeps `out` allocates nothing per blob once warm.
util::Result<void> seal_blob_into(const MasterKey& key, BlobType type, const Id& id,
                                  std::span<const unsigned char> plaintext, bool compress, SealedBlob& out);

// The end of a pack of `blobs` (in their order, with their offsets): the header, sealed,
// and its length (4 bytes, little endian). Errors: as sealing.
util::Result<std::string> seal_pack_tail(const MasterKey& key, const std::vector<PackedBlob>& blobs);

// Builds one pack in memory. One thread at a time.
class PackBuilder {
 public:
  // Seals a blob (seal_blob) and appends it.
  util::Result<void> add(const MasterKey& key, BlobType type, const Id& id, std::span<const unsigned char> plaintext,
                         bool compress = true);
  // Appends a blob sealed by seal_blob.
  void append(const SealedBlob& sealed);

  // Room for `bytes` bytes of blobs and header, so that filling the pack reallocates nothing.
  void reserve(std::size_t bytes) { m_bytes.reserve(bytes); }
  std::size_t size() const { return m_bytes.size(); }
  bool empty() const { return m_blobs.empty(); }
  // Whether the pack has reached `target` bytes and should be finished.
  bool full(std::size_t target = k_target_pack_size) const { return m_bytes.size() >= target; }

  // Appends the sealed header and its length and hands the pack over; the builder is
  // empty again and goes on in `next_buffer` (cleared; its capacity is reused, so a
  // caller that passes a stored pack's bytes back allocates no new pack). Errors:
  // invalid_argument for a pack without blobs (restic cannot read one).
  util::Result<FinishedPack> finish(const MasterKey& key, std::string next_buffer = {});

 private:
  std::string m_bytes;
  std::vector<PackedBlob> m_blobs;
};

// The blobs listed in a pack's header. `tail` holds the last bytes of the pack (all of it,
// or at least k_pack_tail_guess); `pack_size` is the whole pack's size. Returns the number
// of tail bytes needed when `tail` is too short for the header. Errors: corrupt when the
// header is out of bounds, does not authenticate, has an unknown type, or its blobs do not
// fill the pack exactly.
struct PackHeaderRead {
  std::vector<PackedBlob> blobs;
  std::size_t tail_needed = 0;  // nonzero: read this many bytes from the end and call again
};
util::Result<PackHeaderRead> read_pack_header(const MasterKey& key, std::string_view tail, std::uint64_t pack_size);

// The plaintext of `blob` from its stored bytes: authenticated, decompressed when it is
// compressed, and checked against its id. Errors: corrupt for any mismatch.
util::Result<std::string> open_blob(const MasterKey& key, const PackedBlob& blob, std::string_view stored);

}  // namespace volback::restic
