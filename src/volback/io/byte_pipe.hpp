#pragma once
// A bounded byte pipe between two threads: one writes a stream (an upload's
// UploadSink::write, an archive produced on a thread of its own), the other reads it (the
// request body libcurl sends, the reader of that archive). Memory stays within the
// capacity: write() blocks while the pipe is full.

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::io {

class BytePipe {
 public:
  explicit BytePipe(std::size_t capacity) : m_ring(std::max<std::size_t>(capacity, 1)) {}

  // Copies `data` in, blocking while the pipe is full. Errors: the reader's failure
  // (fail_reader), or cancelled after close_with_error.
  util::Result<void> write(std::span<const std::byte> data);
  // The writer is done: read() returns 0 once the pipe is empty.
  void close();
  // The writer gives up: read() fails with `error` at once.
  void close_with_error(util::Error error);

  // Fills `buffer` with what is there, blocking while the pipe is empty and open; 0 at
  // the end. Returns the error given to close_with_error.
  util::Result<std::size_t> read(std::span<std::byte> buffer);
  // The reader gave up (e.g. the request failed): write() fails with `error` from now on.
  void fail_reader(util::Error error);

  // Whether read() has returned any byte yet.
  bool consumed() const;

 private:
  mutable std::mutex m_mutex;
  std::condition_variable m_changed;
  std::vector<std::byte> m_ring;  // guarded by m_mutex: m_size bytes from m_head, wrapping
  std::size_t m_head = 0;
  std::size_t m_size = 0;
  bool m_closed = false;
  bool m_consumed = false;
  std::optional<util::Error> m_writer_error;
  std::optional<util::Error> m_reader_error;
};

}  // namespace volback::io
