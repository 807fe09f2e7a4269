#include <volback/util/result.hpp>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace volback::util {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::invalid_argument: return "invalid_argument";
  case ErrorKind::not_found: return "not_found";
  case ErrorKind::permanent: return "permanent";
  case ErrorKind::transient: return "transient";
  case ErrorKind::auth: return "auth";
  case ErrorKind::cancelled: return "cancelled";
  case ErrorKind::corrupt: return "corrupt";
  }
  return "unknown";
}

Error Error::with_context(std::string_view context) const {
  return Error(m_kind, fmt::format("{}: {}", context, m_message));
}

Error errno_error(int err, std::string_view what) {
  ErrorKind kind = ErrorKind::permanent;
  switch (err) {
  case ENOENT:
  case ENOTDIR: kind = ErrorKind::not_found; break;
  case EINTR:
  case EAGAIN:
  case ETIMEDOUT:
  case ECONNRESET:
  case ECONNREFUSED: kind = ErrorKind::transient; break;
  default: break;
  }
  return Error(kind, fmt::format("{}: {}", what, std::strerror(err)));
}

}  // namespace volback::util
