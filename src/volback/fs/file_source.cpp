#include <volback/fs/file_source.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace volback::fs {

FileSource::FileSource(UniqueFd fd, std::string path) : m_fd(std::move(fd)), m_path(std::move(path)) {}

util::Result<std::unique_ptr<FileSource>> FileSource::open(const std::string& path, std::uint64_t offset,
                                                           std::optional<std::uint64_t> length) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    return util::fail(util::errno_error(errno, "open " + path));
  }
  if (offset > 0 && ::lseek(fd.get(), static_cast<off_t>(offset), SEEK_SET) < 0) {
    return util::fail(util::errno_error(errno, "seek " + path));
  }
  // Archives are read once from start to end; a larger readahead window helps.
  (void)::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  auto source = std::make_unique<FileSource>(std::move(fd), path);
  source->m_remaining = length;
  return source;
}

util::Result<std::size_t> FileSource::read(std::span<std::byte> buf) {
  if (m_remaining) {
    buf = buf.first(static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), *m_remaining)));
    if (buf.empty()) {
      return 0;
    }
  }
  while (true) {
    const ssize_t n = ::read(m_fd.get(), buf.data(), buf.size());
    if (n >= 0) {
      if (m_remaining) {
        *m_remaining -= static_cast<std::uint64_t>(n);
      }
      return static_cast<std::size_t>(n);
    }
    if (errno != EINTR) {
      return util::fail(util::errno_error(errno, "read " + m_path));
    }
  }
}

}  // namespace volback::fs
