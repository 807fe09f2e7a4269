#pragma once
// Decodes Docker's multiplexed attach stream (a container without a TTY): frames of an
// 8-byte header {stream, 0, 0, 0, size as big-endian uint32} followed by `size` bytes;
// stream 1 is stdout, 2 is stderr (0, stdin, is treated as stdout). Fed in arbitrary
// chunks, as they arrive from the socket.
//
// Memory is bounded whatever the container prints: a frame's payload is consumed as it
// arrives (never buffered whole, though its header may declare 4 GiB), and each of
// stdout and stderr keeps its first `max_kept` bytes; what goes beyond is counted.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace volback::docker {

class StreamDemux {
 public:
  explicit StreamDemux(std::size_t max_kept = std::size_t{4} << 20) : m_max_kept(max_kept) {}

  void feed(std::span<const std::byte> chunk);

  // What was kept of each stream, followed by a line saying how many bytes were dropped
  // when the stream was longer than max_kept.
  std::string out() const { return with_note(m_out, m_out_dropped); }
  std::string err() const { return with_note(m_err, m_err_dropped); }
  // Whether the stream stopped in the middle of a frame.
  bool incomplete() const { return m_header_size != 0 || m_remaining != 0; }

 private:
  static std::string with_note(const std::string& kept, std::uint64_t dropped);
  void keep(std::string_view data);

  std::size_t m_max_kept;
  unsigned char m_header[8] = {};
  std::size_t m_header_size = 0;  // header bytes of the next frame received so far
  std::uint64_t m_remaining = 0;  // payload bytes of the current frame still to come
  bool m_to_err = false;          // the current frame is stderr's
  std::string m_out;
  std::string m_err;
  std::uint64_t m_out_dropped = 0;
  std::uint64_t m_err_dropped = 0;
};

}  // namespace volback::docker
