#include <volback/util/cgroup_files.hpp>

#include <charconv>
#include <fstream>

namespace volback::util::cgroup {

std::optional<std::string> read_control_file(const std::string& path) {
  constexpr std::size_t k_max_bytes = 64 * 1024;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::string content(k_max_bytes, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (in.bad()) {
    return std::nullopt;
  }
  content.resize(static_cast<std::size_t>(in.gcount()));
  return content;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace volback::util::cgroup
