#pragma once
// One block of a pigz-style parallel gzip stream: raw deflate of a block of input, primed
// with the previous block's last 32 KiB as dictionary, ending on a byte boundary (a sync
// flush) unless it is the last block of the stream (then it carries BFINAL). Concatenating
// the blocks of consecutive inputs gives one valid deflate stream.
//
// Internal to compress/. Two engines back it, chosen per gzip level by
// deflate_engine_for_level (see docs/performance.md for the measurements):
//   - ISA-L igzip (isal_deflate, levels 0..3): several times faster than zlib, ratio
//     between zlib's levels 1 and 6;
//   - zlib (deflate, levels 1..9) for the levels ISA-L cannot reach.
// libdeflate is not used: it cannot take a dictionary nor end a block without BFINAL.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::compress {

// The deflate window: how much of the previous block primes the next one.
inline constexpr std::size_t k_deflate_dictionary_size = 32 * 1024;

enum class DeflateEngine { isal, zlib };

struct DeflateChoice {
  DeflateEngine engine = DeflateEngine::zlib;
  int engine_level = 6;  // ISA-L 0..3 or zlib 1..9
};

// volback's gzip level (1..9) → engine and engine level. REQUIRES 1 <= level <= 9.
DeflateChoice deflate_engine_for_level(int level);

enum class BlockEnd { sync_flush, final_block };

// A reusable per-thread compressor for blocks. Not thread-safe: one per worker thread.
class BlockDeflater {
 public:
  virtual ~BlockDeflater() = default;

  // Replaces `out` with the raw deflate of `input`, using `dictionary` (at most the last
  // 32 KiB count; may be empty) as history. Errors: permanent when the library fails.
  virtual util::Result<void> compress(std::span<const std::byte> dictionary, std::span<const std::byte> input,
                                      BlockEnd end, std::vector<std::byte>& out) = 0;
};

// Errors: permanent when the engine cannot be initialised (out of memory, bad level).
util::Result<std::unique_ptr<BlockDeflater>> make_block_deflater(DeflateChoice choice);

}  // namespace volback::compress
