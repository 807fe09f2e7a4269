#include <volback/fs/file_clone.hpp>

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace volback::fs {
namespace {

constexpr std::uint64_t k_kernel_chunk = std::uint64_t{8} << 20;
constexpr std::size_t k_buffer_size = std::size_t{1} << 20;

struct Region {
  std::uint64_t offset = 0;
  std::uint64_t end = 0;
};

// The next data region of `fd` at or after `offset` and below `size`; nullopt when only
// a hole is left. A file system that cannot tell (EINVAL) has data up to `size`.
std::optional<Region> next_data(int fd, std::uint64_t offset, std::uint64_t size) {
  if (offset >= size) {
    return std::nullopt;
  }
  const off_t data = ::lseek(fd, static_cast<off_t>(offset), SEEK_DATA);
  if (data < 0) {
    if (errno == ENXIO) {
      return std::nullopt;
    }
    return Region{offset, size};
  }
  if (static_cast<std::uint64_t>(data) >= size) {
    return std::nullopt;
  }
  const off_t hole = ::lseek(fd, data, SEEK_HOLE);
  const std::uint64_t end = hole < 0 ? size : std::min<std::uint64_t>(static_cast<std::uint64_t>(hole), size);
  return Region{static_cast<std::uint64_t>(data), end};
}

// Errors of copy_file_range that can only come from the destination.
bool destination_full(int err) {
  return err == ENOSPC || err == EDQUOT || err == EFBIG;
}

class Cloner {
 public:
  Cloner(int from, int to, const util::CancelToken& cancel) : m_from(from), m_to(to), m_cancel(cancel) {}

  // Copies one region; stops early (with m_problem set) when the source fails.
  util::Result<void> copy(Region region) { return m_kernel ? kernel_copy(region) : read_write(region); }

  std::optional<std::string>& problem() { return m_problem; }

 private:
  util::Result<void> kernel_copy(Region region) {
    while (region.offset < region.end) {
      VOLBACK_TRY(m_cancel.check());
      auto in = static_cast<loff_t>(region.offset);
      auto out = in;
      const auto want = static_cast<std::size_t>(std::min(region.end - region.offset, k_kernel_chunk));
      const ssize_t n = ::copy_file_range(m_from, &in, m_to, &out, want, 0);
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        if (destination_full(errno)) {
          return util::fail(util::errno_error(errno, "cannot write the copy"));
        }
        // Unsupported, across file systems, or an error of either side (EIO): go on
        // with read and write, which tell the sides apart.
        m_kernel = false;
        return read_write(region);
      }
      if (n == 0) {
        m_problem = "file shrank while being copied";
        return {};
      }
      region.offset += static_cast<std::uint64_t>(n);
    }
    return {};
  }

  util::Result<void> read_write(Region region) {
    m_buffer.resize(k_buffer_size);
    while (region.offset < region.end) {
      VOLBACK_TRY(m_cancel.check());
      const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(region.end - region.offset, k_buffer_size));
      ssize_t got = 0;
      do {
        got = ::pread(m_from, m_buffer.data(), want, static_cast<off_t>(region.offset));
      } while (got < 0 && errno == EINTR);
      if (got < 0) {
        m_problem = fmt::format("read error at offset {}: {}", region.offset, std::strerror(errno));
        return {};
      }
      if (got == 0) {
        m_problem = "file shrank while being copied";
        return {};
      }
      VOLBACK_TRY(write_all(region.offset, static_cast<std::size_t>(got)));
      region.offset += static_cast<std::uint64_t>(got);
    }
    return {};
  }

  util::Result<void> write_all(std::uint64_t offset, std::size_t count) {
    std::size_t done = 0;
    while (done < count) {
      const ssize_t n = ::pwrite(m_to, m_buffer.data() + done, count - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        return util::fail(util::errno_error(errno, "cannot write the copy"));
      }
      done += static_cast<std::size_t>(n);
    }
    return {};
  }

  int m_from;
  int m_to;
  const util::CancelToken& m_cancel;
  bool m_kernel = true;
  std::vector<std::byte> m_buffer;
  std::optional<std::string> m_problem;
};

}  // namespace

util::Result<CloneResult> clone_file(int from, int to, std::uint64_t size, bool allow_reflink,
                                     const util::CancelToken& cancel) {
  VOLBACK_TRY(cancel.check());
  CloneResult result;
  if (allow_reflink && ::ioctl(to, FICLONE, from) == 0) {
    result.reflinked = true;
  } else {
    Cloner cloner(from, to, cancel);
    std::uint64_t offset = 0;
    while (const auto region = next_data(from, offset, size)) {
      VOLBACK_TRY(cloner.copy(*region));
      if (cloner.problem()) {
        break;
      }
      offset = region->end;
    }
    result.source_problem = std::move(cloner.problem());
  }
  struct stat st {};
  if (!result.source_problem && ::fstat(from, &st) == 0 && static_cast<std::uint64_t>(st.st_size) < size) {
    result.source_problem = "file shrank while being copied";
  }
  if (::ftruncate(to, static_cast<off_t>(size)) != 0) {
    return util::fail(util::errno_error(errno, "cannot set the size of the copy"));
  }
  return result;
}

}  // namespace volback::fs
