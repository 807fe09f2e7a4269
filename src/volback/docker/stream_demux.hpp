#pragma once
// Decodes Docker's multiplexed attach stream (a container without a TTY): frames of an
// 8-byte header {stream, 0, 0, 0, size as big-endian uint32} followed by `size` bytes;
// stream 1 is stdout, 2 is stderr (0, stdin, is treated as stdout). Fed in arbitrary
// chunks, as they arrive from the socket.

#include <cstddef>
#include <span>
#include <string>

namespace volback::docker {

class StreamDemux {
 public:
  void feed(std::span<const std::byte> chunk);

  const std::string& out() const { return m_out; }
  const std::string& err() const { return m_err; }
  // Whether the stream stopped in the middle of a frame.
  bool incomplete() const { return !m_pending.empty(); }

 private:
  std::string m_pending;  // an unfinished header or payload
  std::string m_out;
  std::string m_err;
};

}  // namespace volback::docker
