#include <volback/fs/file_sink.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

namespace volback::fs {

util::Result<void> write_all(int fd, std::span<const std::byte> data, std::string_view what) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return util::fail(util::errno_error(errno, fmt::format("writing {}", what)));
    }
    if (n == 0) {
      // POSIX allows 0 only for empty writes; retrying could spin forever.
      return util::fail(util::ErrorKind::permanent, fmt::format("writing {}: no progress", what));
    }
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return {};
}

util::Result<std::unique_ptr<FileSink>> FileSink::create(const std::string& path, unsigned mode) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (!fd.valid()) {
    return util::fail(util::errno_error(errno, fmt::format("creating {}", path)));
  }
  return std::unique_ptr<FileSink>(new FileSink(std::move(fd), path));
}

FileSink::~FileSink() {
  if (!m_finished) {
    m_fd.reset();
    ::unlink(m_path.c_str());
  }
}

util::Result<void> FileSink::write(std::span<const std::byte> data) {
  VOLBACK_TRY(write_all(m_fd.get(), data, m_path));
  m_writeback.advance(m_fd.get(), data.size());
  return {};
}

util::Result<void> FileSink::finish() {
  if (::fsync(m_fd.get()) != 0) {
    return util::fail(util::errno_error(errno, fmt::format("flushing {}", m_path)));
  }
  if (::close(m_fd.release()) != 0) {
    return util::fail(util::errno_error(errno, fmt::format("closing {}", m_path)));
  }
  m_finished = true;
  return {};
}

}  // namespace volback::fs
