#pragma once
// The zstd reader: libzstd streaming decompression of one or more frames (checksums are
// verified when a frame carries one). Internal to compress/; use make_decompressor.

#include <memory>

#include <volback/io/source.hpp>

namespace volback::compress {

// See make_decompressor for the contract; `next` must outlive the result.
std::unique_ptr<io::Source> make_zstd_source(io::Source& next);

}  // namespace volback::compress
