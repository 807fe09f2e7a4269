#pragma once
// The gzip compressor (zlib deflate, one gzip member). Internal to compress/; use
// make_compressor. A parallel implementation can replace it behind the same factory.

#include <memory>

#include <volback/compress/codec.hpp>
#include <volback/io/sink.hpp>

namespace volback::compress {

// See make_compressor for the contract; `next` must outlive the result. Level 0 means 6.
std::unique_ptr<io::Sink> make_gzip_sink(const CompressOptions& options, io::Sink& next);

}  // namespace volback::compress
