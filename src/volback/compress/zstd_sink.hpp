#pragma once
// The zstd compressor (libzstd streaming, frame checksum on). Internal to compress/; use
// make_compressor.

#include <memory>

#include <volback/compress/codec.hpp>
#include <volback/io/sink.hpp>

namespace volback::compress {

// See make_compressor for the contract; `next` must outlive the result. Level 0 means 3;
// threads > 1 enables that many libzstd workers.
std::unique_ptr<io::Sink> make_zstd_sink(const CompressOptions& options, io::Sink& next);

}  // namespace volback::compress
