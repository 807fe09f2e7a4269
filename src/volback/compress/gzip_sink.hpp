#pragma once
// The gzip compressor: pigz-style parallel deflate into one gzip member. Internal to
// compress/; use make_compressor.
//
// The input is cut into blocks of k_gzip_block_size bytes. Worker threads deflate the
// blocks independently, each primed with the last 32 KiB of the block before it as its
// dictionary (so the ratio stays within a fraction of a percent of one deflate stream),
// and each block's CRC-32 is computed beside it. The calling thread writes the blocks to
// `next` in order and combines the CRCs (zlib's crc32_combine) into the member's trailer.
// The result is a single ordinary gzip member: gzip, pigz, zlib and GNU tar read it.
//
// Memory is bounded: at most 2 × threads + 1 blocks exist at once (input and output
// buffers, about 2 × k_gzip_block_size each), whatever the size of the stream. write()
// blocks while that many blocks are in flight: that is the back-pressure.

#include <cstddef>
#include <memory>

#include <volback/compress/codec.hpp>
#include <volback/io/sink.hpp>

namespace volback::compress {

// Input bytes per independently compressed block.
inline constexpr std::size_t k_gzip_block_size = std::size_t{1} << 20;

// The level used when CompressOptions::level is 0; see docs/performance.md.
inline constexpr int k_gzip_default_level = 2;

// See make_compressor for the contract; `next` must outlive the result. Levels 1..9
// (0 means k_gzip_default_level); threads 0 counts as 1. next.write() and next.finish()
// are only called from the thread calling write()/finish().
std::unique_ptr<io::Sink> make_gzip_sink(const CompressOptions& options, io::Sink& next);

}  // namespace volback::compress
