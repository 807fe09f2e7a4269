#pragma once
// The gzip reader: ISA-L igzip inflate (several times faster than zlib's), reading one or
// more concatenated gzip members and checking each member's CRC-32 and length. Internal
// to compress/; use make_decompressor.

#include <memory>

#include <volback/io/source.hpp>

namespace volback::compress {

// See make_decompressor for the contract; `next` must outlive the result.
std::unique_ptr<io::Source> make_gzip_source(io::Source& next);

}  // namespace volback::compress
