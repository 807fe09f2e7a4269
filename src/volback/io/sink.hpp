#pragma once
// The streaming write interface that every stage of a backup is built from.
//
// A Sink receives bytes in order. Filters (compressors, hashers, tees) are Sinks that
// own or reference the next Sink, so a pipeline is a chain:
//   tar writer -> compressor -> tee -> { backend upload sinks }
//
// Contract:
//   - write() may be called any number of times, then finish() exactly once.
//   - finish() commits: it flushes everything and, for a storage sink, makes the object
//     visible under its final name. After a successful finish() nothing may be written.
//   - Destroying a Sink whose finish() was not called, or failed, aborts: the partial
//     output is discarded and never looks like a complete result (the AtomicFile rule).
//   - After any error the Sink is unusable; the caller destroys it.
//   - A Sink is used by one thread at a time unless its class says otherwise.
//   - write() blocks while downstream is busy: that is the back-pressure that bounds
//     memory.

#include <cstddef>
#include <span>
#include <string_view>

#include <volback/util/result.hpp>

namespace volback::io {

class Sink {
 public:
  Sink() = default;
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  virtual ~Sink() = default;

  virtual util::Result<void> write(std::span<const std::byte> data) = 0;
  virtual util::Result<void> finish() = 0;
};

// Views a char buffer as bytes.
inline std::span<const std::byte> as_bytes(std::string_view s) {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

}  // namespace volback::io
