#include <volback/restic/chunker.hpp>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace volback::restic {

namespace {

// Bytes of a chunk that restic copies without hashing them.
constexpr std::size_t k_chunk_unhashed = k_min_chunk - k_chunk_window;
// The span one fingerprint stream covers when chunker_scan runs four streams side by side.
constexpr std::size_t k_chunk_stream_span = 16 * 1024;

std::shared_ptr<const ChunkerTables> chunker_make_tables(Polynomial pol) {
  const int degree = polynomial_degree(pol);
  if (degree < 8 || degree > 53) {
    throw std::invalid_argument("restic chunker: the polynomial's degree must be 8..53");
  }
  auto tables = std::make_shared<ChunkerTables>();
  tables->polynomial = pol;
  tables->shift = static_cast<unsigned>(degree - 8);
  for (std::uint64_t b = 0; b < 256; ++b) {
    // b followed by 63 zero bytes, reduced after each byte as restic does.
    Polynomial h = polynomial_mod(b, pol);
    for (std::size_t i = 1; i < k_chunk_window; ++i) {
      h = polynomial_mod(h << 8, pol);
    }
    tables->out[b] = h;
    tables->mod[b] = polynomial_mod(b << degree, pol) | (b << degree);
  }
  return tables;
}

// Shifts byte `in` into the fingerprint `digest` (the byte leaving the window already removed).
inline std::uint64_t chunker_shift_in(const std::uint64_t* mod, unsigned shift, std::uint64_t digest,
                                      unsigned char in) {
  return ((digest << 8) | in) ^ mod[digest >> shift];
}

// Rolls the fingerprint over data[begin .. end), where the window of every position lies in
// `data` (begin >= 64), up to the first byte whose fingerprint has the split bits zero. Returns the
// position after that byte, or std::nullopt with `digest` rolled on to `end`.
//
// The fingerprint of a position depends only on the 64 bytes of its window, so a long span is
// scanned in blocks of four interleaved streams, each but the first starting with the fingerprint
// of its first window computed from zero: the processor overlaps the four streams' table lookups,
// which one stream cannot (each step needs the previous one's result). The first hit in file order
// wins, so the result is the one byte-at-a-time rolling gives.
std::optional<std::size_t> chunker_scan(const ChunkerTables& tables, const unsigned char* data, std::size_t begin,
                                        std::size_t end, std::uint64_t& digest) {
  const std::uint64_t* const out = tables.out.data();
  const std::uint64_t* const mod = tables.mod.data();
  const unsigned shift = tables.shift;
  std::uint64_t d0 = digest;
  std::size_t i = begin;

  constexpr std::size_t span = k_chunk_stream_span;
  while (end - i >= 4 * span) {
    const unsigned char* const s0 = data + i;
    const unsigned char* const s1 = s0 + span;
    const unsigned char* const s2 = s1 + span;
    const unsigned char* const s3 = s2 + span;
    std::uint64_t d1 = 0;
    std::uint64_t d2 = 0;
    std::uint64_t d3 = 0;
    // The bytes leaving the windows: o_n[k] is 64 bytes before s_n[k].
    const unsigned char* const o0 = s0 - k_chunk_window;
    const unsigned char* const o1 = s1 - k_chunk_window;
    const unsigned char* const o2 = s2 - k_chunk_window;
    const unsigned char* const o3 = s3 - k_chunk_window;
    for (std::size_t k = 0; k < k_chunk_window; ++k) {
      d1 = chunker_shift_in(mod, shift, d1, o1[k]);
      d2 = chunker_shift_in(mod, shift, d2, o2[k]);
      d3 = chunker_shift_in(mod, shift, d3, o3[k]);
    }
    std::size_t k = 0;
    for (; k < span; ++k) {
      d0 = chunker_shift_in(mod, shift, d0 ^ out[o0[k]], s0[k]);
      d1 = chunker_shift_in(mod, shift, d1 ^ out[o1[k]], s1[k]);
      d2 = chunker_shift_in(mod, shift, d2 ^ out[o2[k]], s2[k]);
      d3 = chunker_shift_in(mod, shift, d3 ^ out[o3[k]], s3[k]);
      if (((d0 & k_chunk_split_mask) == 0) | ((d1 & k_chunk_split_mask) == 0) | ((d2 & k_chunk_split_mask) == 0) |
          ((d3 & k_chunk_split_mask) == 0)) {
        break;
      }
    }
    if (k < span) {
      // The first hit in file order is the first one of the lowest stream that has one in this
      // block, which may come after the hit of a later stream: roll the four on, noting hits.
      std::size_t hit1 = (d1 & k_chunk_split_mask) == 0 ? k : span;
      std::size_t hit2 = (d2 & k_chunk_split_mask) == 0 ? k : span;
      std::size_t hit3 = (d3 & k_chunk_split_mask) == 0 ? k : span;
      while ((d0 & k_chunk_split_mask) != 0 && ++k < span) {
        d0 = chunker_shift_in(mod, shift, d0 ^ out[o0[k]], s0[k]);
        d1 = chunker_shift_in(mod, shift, d1 ^ out[o1[k]], s1[k]);
        d2 = chunker_shift_in(mod, shift, d2 ^ out[o2[k]], s2[k]);
        d3 = chunker_shift_in(mod, shift, d3 ^ out[o3[k]], s3[k]);
        hit1 = hit1 == span && (d1 & k_chunk_split_mask) == 0 ? k : hit1;
        hit2 = hit2 == span && (d2 & k_chunk_split_mask) == 0 ? k : hit2;
        hit3 = hit3 == span && (d3 & k_chunk_split_mask) == 0 ? k : hit3;
      }
      if (k < span) {
        return i + k + 1;
      }
      return i + (hit1 < span ? span + hit1 : hit2 < span ? 2 * span + hit2 : 3 * span + hit3) + 1;
    }
    d0 = d3;
    i += 4 * span;
  }

  for (; i < end; ++i) {
    d0 = chunker_shift_in(mod, shift, d0 ^ out[data[i - k_chunk_window]], data[i]);
    if ((d0 & k_chunk_split_mask) == 0) {
      return i + 1;
    }
  }
  digest = d0;
  return std::nullopt;
}

}  // namespace

Chunker::Chunker(Polynomial pol) : m_tables(chunker_make_tables(pol)) {
  start_chunk();
}

void Chunker::start_chunk() {
  // restic's reset: an empty window, then one byte 1 slid in.
  m_window.fill(0);
  m_window[0] = 1;
  m_wpos = 1;
  m_digest = 1;
  m_count = 0;
}

std::optional<std::size_t> Chunker::find_cut(std::span<const unsigned char> data) {
  const unsigned char* const bytes = data.data();
  const std::size_t size = data.size();
  std::size_t pos = 0;
  std::size_t count = m_count;
  if (count < k_chunk_unhashed) {
    pos = std::min(k_chunk_unhashed - count, size);
    count += pos;
    if (pos == size) {
      m_count = count;
      return std::nullopt;
    }
  }

  // The first 64 bytes hashed in this call: the byte leaving the window is in m_window.
  const ChunkerTables& tables = *m_tables;
  std::uint64_t digest = m_digest;
  const std::size_t window_end = std::min(size, pos + k_chunk_window);
  for (; pos < window_end; ++pos) {
    const unsigned char in = bytes[pos];
    digest = chunker_shift_in(tables.mod.data(), tables.shift, digest ^ tables.out[m_window[m_wpos]], in);
    m_window[m_wpos] = in;
    m_wpos = (m_wpos + 1) % k_chunk_window;
    ++count;
    if (count >= k_min_chunk && ((digest & k_chunk_split_mask) == 0 || count >= k_max_chunk)) {
      start_chunk();
      return pos + 1;
    }
  }
  if (pos == size) {
    m_digest = digest;
    m_count = count;
    return std::nullopt;
  }

  // The rest: every window lies in `data`, and the chunk has at least k_min_chunk bytes.
  const std::size_t end = pos + std::min(size - pos, k_max_chunk - count);
  if (const auto cut = chunker_scan(tables, bytes, pos, end, digest)) {
    start_chunk();
    return *cut;
  }
  count += end - pos;
  if (count == k_max_chunk) {
    start_chunk();
    return end;
  }
  std::memcpy(m_window.data(), bytes + size - k_chunk_window, k_chunk_window);
  m_wpos = 0;
  m_digest = digest;
  m_count = count;
  return std::nullopt;
}

}  // namespace volback::restic
