#include <volback/fs/anonymous_file.hpp>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

namespace volback::fs {

util::Result<UniqueFd> anonymous_file(const std::string& dir, std::string_view what) {
  UniqueFd fd(::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
  if (fd.valid()) {
    return fd;
  }
  std::string pattern = dir + "/.volback-spill-XXXXXX";
  fd.reset(::mkostemp(pattern.data(), O_CLOEXEC));
  if (!fd.valid()) {
    return util::fail(util::errno_error(errno, fmt::format("cannot create {} in {}", what, dir)));
  }
  ::unlink(pattern.c_str());
  return fd;
}

}  // namespace volback::fs
