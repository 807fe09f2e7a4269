#pragma once
// The streaming read interface: restore and verify read archives through it.

#include <cstddef>
#include <span>

#include <volback/util/result.hpp>

namespace volback::io {

class Source {
 public:
  Source() = default;
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;
  virtual ~Source() = default;

  // Reads up to buf.size() bytes. Returns the count; 0 means the end of the stream.
  virtual util::Result<std::size_t> read(std::span<std::byte> buf) = 0;
};

}  // namespace volback::io
