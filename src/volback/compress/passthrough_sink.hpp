#pragma once
// Codec::none: forwards every byte unchanged, in either direction. Internal to compress/;
// use make_compressor / make_decompressor.

#include <memory>

#include <volback/io/sink.hpp>
#include <volback/io/source.hpp>

namespace volback::compress {

// See make_compressor for the contract; `next` must outlive the result.
std::unique_ptr<io::Sink> make_passthrough_sink(io::Sink& next);

// See make_decompressor for the contract; `next` must outlive the result.
std::unique_ptr<io::Source> make_passthrough_source(io::Source& next);

}  // namespace volback::compress
