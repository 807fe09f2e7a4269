#include <volback/fs/atomic_file.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include <fmt/format.h>

#include <volback/fs/unique_fd.hpp>

namespace volback::fs {

util::Result<void> write_file_atomically(const std::string& path, std::string_view content, mode_t mode) {
  const std::filesystem::path target(path);
  const std::string parent = target.parent_path().string();
  if (!parent.empty()) {
    std::error_code ec;
    if (std::filesystem::create_directories(parent, ec); ec) {
      return util::fail(util::errno_error(ec.value(), fmt::format("cannot create {}", parent)));
    }
  }
  const std::string temporary = fmt::format("{}.tmp-{}", path, ::getpid());
  const auto failed = [&temporary](int err, std::string_view what) {
    ::unlink(temporary.c_str());
    return util::fail(util::errno_error(err, fmt::format("cannot {} {}", what, temporary)));
  };
  {
    UniqueFd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode));
    if (!fd.valid()) {
      return util::fail(util::errno_error(errno, fmt::format("cannot create {}", temporary)));
    }
    ::fchmod(fd.get(), mode);  // whatever the umask
    while (!content.empty()) {
      const ssize_t n = ::write(fd.get(), content.data(), content.size());
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        return failed(errno, "write");
      }
      content.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fsync(fd.get()) != 0) {
      return failed(errno, "sync");
    }
    if (::close(fd.release()) != 0) {
      return failed(errno, "close");
    }
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    return failed(errno, "rename");
  }
  UniqueFd dir(::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.valid()) {
    ::fsync(dir.get());
  }
  return {};
}

}  // namespace volback::fs
