#pragma once
// Bounds the dirty page cache of a file written sequentially.
//
// Without it, a large file (the spool, a local archive) can leave hundreds of MiB of
// dirty pages in the page cache. Under a cgroup v1 memory limit those pages are charged
// to the container and their writeback is not throttled per cgroup, so a 25 MiB
// container can be OOM-killed while it writes a 300 MiB file. A WritebackWindow starts
// the writeback of every `window` bytes as soon as they are written and waits for the
// window before it to reach the disk, so at most about two windows are dirty at once
// and the writer runs at the disk's pace.
//
// Best effort: errors of sync_file_range (a file system or file type without it) are
// ignored; the fsync that seals the file stays the authority on durability.

#include <cstdint>

namespace volback::fs {

class WritebackWindow {
 public:
  static constexpr std::uint64_t k_default_window = 2 << 20;

  explicit WritebackWindow(std::uint64_t window = k_default_window) : m_window(window) {}

  // Records that `bytes` more were written at the end of `fd`; starts writeback of each
  // window completed and waits for the one before it.
  void advance(int fd, std::uint64_t bytes);

  // Where the file ends, as far as advance() was told.
  std::uint64_t written() const { return m_written; }

 private:
  std::uint64_t m_window;
  std::uint64_t m_written = 0;
  std::uint64_t m_started = 0;  // bytes [0, m_started) have had writeback started
  std::uint64_t m_settled = 0;  // bytes [0, m_settled) were waited for
};

}  // namespace volback::fs
