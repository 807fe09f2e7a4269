#include <volback/docker/api_version.hpp>

#include <charconv>
#include <utility>

#include <fmt/format.h>

namespace volback::docker {

namespace {

std::optional<std::pair<int, int>> split(std::string_view version) {
  const auto dot = version.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == version.size()) {
    return std::nullopt;
  }
  int major = 0;
  int minor = 0;
  const auto* end_major = version.data() + dot;
  const auto* end = version.data() + version.size();
  const auto a = std::from_chars(version.data(), end_major, major);
  const auto b = std::from_chars(end_major + 1, end, minor);
  if (a.ec != std::errc() || a.ptr != end_major || b.ec != std::errc() || b.ptr != end) {
    return std::nullopt;
  }
  return std::pair{major, minor};
}

}  // namespace

bool is_api_version(std::string_view version) {
  return split(version).has_value();
}

int compare_api_versions(std::string_view a, std::string_view b) {
  const auto pa = split(a);
  const auto pb = split(b);
  if (!pa || !pb) {
    return pa ? 1 : pb ? -1 : 0;
  }
  return *pa < *pb ? -1 : *pa > *pb ? 1 : 0;
}

util::Result<std::string> negotiate_api_version(std::optional<std::string_view> override_version,
                                                std::optional<std::string_view> announced) {
  if (override_version && !override_version->empty()) {
    std::string_view version = *override_version;
    if (!version.empty() && version.front() == 'v') {
      version.remove_prefix(1);
    }
    if (!is_api_version(version)) {
      return util::fail(
        util::ErrorKind::invalid_argument,
        fmt::format("invalid value \"{}\" for DOCKER_API_VERSION: must look like 1.41", *override_version));
    }
    return std::string(version);
  }
  if (!announced || announced->empty() || !is_api_version(*announced)) {
    return std::string(k_fallback_api_version);
  }
  if (compare_api_versions(*announced, k_newest_api_version) > 0) {
    return std::string(k_newest_api_version);
  }
  return std::string(*announced);
}

}  // namespace volback::docker
