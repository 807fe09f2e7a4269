#include <volback/storage/backend.hpp>

#include <fmt/format.h>

namespace volback::storage {

util::Result<void> check_key(std::string_view key) {
  const auto invalid = [key](std::string_view why) {
    return util::fail(util::ErrorKind::invalid_argument, fmt::format("invalid object key {:?}: {}", key, why));
  };
  if (key.empty() || key.size() > 1024) {
    return invalid("a key has 1 to 1024 bytes");
  }
  if (key.find('\0') != std::string_view::npos) {
    return invalid("it holds a NUL byte");
  }
  std::string_view rest = key;
  for (;;) {
    const auto slash = rest.find('/');
    const std::string_view component = rest.substr(0, slash);
    if (component.empty()) {
      return invalid("it has an empty component");
    }
    if (component.front() == '.') {
      return invalid("a component starts with '.'");
    }
    if (slash == std::string_view::npos) {
      return {};
    }
    rest.remove_prefix(slash + 1);
  }
}

}  // namespace volback::storage
