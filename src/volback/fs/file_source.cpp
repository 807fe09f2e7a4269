#include <volback/fs/file_source.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace volback::fs {

FileSource::FileSource(UniqueFd fd, std::string path) : m_fd(std::move(fd)), m_path(std::move(path)) {}

util::Result<std::unique_ptr<FileSource>> FileSource::open(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    return util::fail(util::errno_error(errno, "open " + path));
  }
  // Archives are read once from start to end; a larger readahead window helps.
  (void)::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::make_unique<FileSource>(std::move(fd), path);
}

util::Result<std::size_t> FileSource::read(std::span<std::byte> buf) {
  while (true) {
    const ssize_t n = ::read(m_fd.get(), buf.data(), buf.size());
    if (n >= 0) {
      return static_cast<std::size_t>(n);
    }
    if (errno != EINTR) {
      return util::fail(util::errno_error(errno, "read " + m_path));
    }
  }
}

}  // namespace volback::fs
