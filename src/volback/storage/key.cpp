#include <volback/storage/backend.hpp>
#include <volback/storage/partial_name.hpp>

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

std::string key_parent(std::string_view key) {
  const auto slash = key.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(key.substr(0, slash));
}

std::string key_name(std::string_view key) {
  const auto slash = key.rfind('/');
  return std::string(slash == std::string_view::npos ? key : key.substr(slash + 1));
}

std::string partial_key_beside(std::string_view key, std::string_view suffix) {
  const std::string parent = key_parent(key);
  return parent.empty() ? fmt::format("{}{}", k_partial_prefix, suffix)
                        : fmt::format("{}/{}{}", parent, k_partial_prefix, suffix);
}

}  // namespace volback::storage
