#pragma once
// Chunker: restic's content-defined chunker (restic/chunker v0.4.0 with restic's parameters),
// bit-exact: with the repository's polynomial it cuts a file where restic cuts it, so the blobs
// deduplicate against restic's. docs: restic-format.md §9.
//
// A Rabin fingerprint over a 64-byte window, modulo the polynomial, rolls over each chunk. A chunk
// ends after the first byte at which the chunk has at least k_min_chunk bytes and the fingerprint's
// low 20 bits are zero, or when it reaches k_max_chunk bytes. restic starts every chunk with a
// window holding one byte 1 and does not hash its first k_min_chunk - 64 bytes at all; the end of a
// file ends its last chunk, which may be shorter than k_min_chunk (an empty file has no chunk).
//
// Streaming: the caller reads a file in buffers of any size and hands them to find_cut in order;
// the Chunker keeps only the last 64 bytes, never the data. One Chunker serves one file at a time
// (one thread); copies share the polynomial's tables and are independent otherwise.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include <volback/restic/polynomial.hpp>

namespace volback::restic {

inline constexpr std::size_t k_min_chunk = 512 * 1024;
inline constexpr std::size_t k_max_chunk = 8 * 1024 * 1024;
inline constexpr std::size_t k_chunk_window = 64;
// A cut where fingerprint & k_chunk_split_mask == 0: about 1 MiB on average after k_min_chunk.
inline constexpr std::uint64_t k_chunk_split_mask = (std::uint64_t{1} << 20) - 1;

// The lookup tables of the rolling fingerprint for one polynomial P of degree k.
struct ChunkerTables {
  // out[b] = b·x^(8·63) mod P: what byte b contributes when it is about to leave the window.
  std::array<std::uint64_t, 256> out{};
  // mod[b] = (b·x^k mod P) XOR b·x^k: indexed by the 8 bits above the degree after a shift.
  std::array<std::uint64_t, 256> mod{};
  Polynomial polynomial = 0;
  unsigned shift = 0;  // k - 8
};

class Chunker {
 public:
  // Builds the tables (a fraction of a millisecond). Precondition: 8 <= deg(pol) <= 53, as restic
  // requires (a repository's polynomial has degree 53); std::invalid_argument otherwise.
  explicit Chunker(Polynomial pol);

  Polynomial polynomial() const { return m_tables->polynomial; }

  // Starts a new file: chunking restarts at its offset 0. A new Chunker is ready for a file.
  void start_file() { start_chunk(); }

  // Scans `data`, the bytes that follow those scanned before in this file. Returns the number of
  // leading bytes of `data` that complete the current chunk (the cut is after them, at least 1;
  // the next chunk starts with the rest, which the caller passes again), or std::nullopt when all
  // of `data` belongs to the current chunk (always for empty data).
  std::optional<std::size_t> find_cut(std::span<const unsigned char> data);

  // The bytes of the current chunk scanned so far: at the end of a file, the length of its last
  // chunk (0 if there is none).
  std::size_t chunk_size() const { return m_count; }

 private:
  void start_chunk();

  std::shared_ptr<const ChunkerTables> m_tables;
  // The last 64 bytes hashed, oldest at m_window[m_wpos]; only valid at call boundaries.
  std::array<unsigned char, k_chunk_window> m_window{};
  std::size_t m_wpos = 0;
  std::uint64_t m_digest = 0;
  std::size_t m_count = 0;
};

}  // namespace volback::restic
