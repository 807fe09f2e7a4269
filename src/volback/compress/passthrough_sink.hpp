#pragma once
// Codec::none: forwards every byte unchanged. Internal to compress/; use make_compressor.

#include <memory>

#include <volback/io/sink.hpp>

namespace volback::compress {

// See make_compressor for the contract; `next` must outlive the result.
std::unique_ptr<io::Sink> make_passthrough_sink(io::Sink& next);

}  // namespace volback::compress
