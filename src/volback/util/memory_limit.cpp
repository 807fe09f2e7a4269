#include <volback/util/memory_limit.hpp>

#include <algorithm>

#include <volback/util/cgroup_files.hpp>
#include <volback/util/take_until.hpp>
#include <volback/util/trim.hpp>

namespace volback::util {

namespace detail {

std::optional<std::uint64_t> parse_memory_limit(std::string_view text) {
  // Anything from 2^60 on is "no limit": v1 reports 9223372036854771712.
  constexpr std::int64_t k_unlimited = std::int64_t{1} << 60;
  const auto value = cgroup::parse_int(util::trim(text));
  if (!value || *value <= 0 || *value >= k_unlimited) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(*value);
}

CgroupPaths parse_proc_cgroup(std::string_view text) {
  CgroupPaths paths;
  while (!text.empty()) {
    const std::string_view line = util::take_until(text, '\n');
    // hierarchy-ID:controller-list:path
    const auto first = line.find(':');
    const auto second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos) {
      continue;
    }
    const std::string_view id = line.substr(0, first);
    const std::string_view controllers = line.substr(first + 1, second - first - 1);
    const std::string_view path = line.substr(second + 1);
    if (id == "0" && controllers.empty()) {
      paths.v2 = std::string(path);
      continue;
    }
    std::string_view rest = controllers;
    while (!rest.empty()) {
      if (util::take_until(rest, ',') == "memory") {
        paths.v1_memory = std::string(path);
      }
    }
  }
  return paths;
}

std::optional<std::uint64_t> memory_stat_value(std::string_view stat, std::string_view key) {
  while (!stat.empty()) {
    const std::string_view line = util::take_until(stat, '\n');
    if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ' ') {
      return parse_memory_limit(line.substr(key.size() + 1));
    }
  }
  return std::nullopt;
}

}  // namespace detail

namespace {

std::optional<std::uint64_t> smaller(std::optional<std::uint64_t> a, std::optional<std::uint64_t> b) {
  if (!a) {
    return b;
  }
  if (!b) {
    return a;
  }
  return std::min(*a, *b);
}

// A cgroup path without "..", so that a strange /proc/self/cgroup cannot lead outside
// the mount.
bool is_plain_path(const std::string& path) {
  return !path.empty() && path.front() == '/' && path.find("/..") == std::string::npos;
}

// v2: memory.max of the process's cgroup and every ancestor below the mount, and of the
// mount's root (a container's own cgroup when it has a cgroup namespace).
std::optional<std::uint64_t> v2_limit(const std::string& own) {
  const std::string mount = "/sys/fs/cgroup";
  std::optional<std::uint64_t> limit;
  if (is_plain_path(own)) {
    std::string path = own;
    while (path.size() > 1) {
      if (const auto text = cgroup::read_control_file(mount + path + "/memory.max")) {
        limit = smaller(limit, detail::parse_memory_limit(*text));
      }
      path.resize(path.rfind('/'));
    }
  }
  if (const auto text = cgroup::read_control_file(mount + "/memory.max")) {
    limit = smaller(limit, detail::parse_memory_limit(*text));
  }
  return limit;
}

// v1: the hierarchical limit of the process's cgroup when its directory is visible, else
// that of the mount's root (a container sees its own cgroup there).
std::optional<std::uint64_t> v1_limit_in(const std::string& dir) {
  const auto stat = cgroup::read_control_file(dir + "/memory.stat");
  if (!stat) {
    return std::nullopt;
  }
  const auto own_limit = cgroup::read_control_file(dir + "/memory.limit_in_bytes");
  return smaller(detail::memory_stat_value(*stat, "hierarchical_memory_limit"),
                 own_limit ? detail::parse_memory_limit(*own_limit) : std::nullopt);
}

std::optional<std::uint64_t> v1_limit(const std::string& own) {
  const std::string mount = "/sys/fs/cgroup/memory";
  if (is_plain_path(own)) {
    if (auto limit = v1_limit_in(mount + own)) {
      return limit;
    }
  }
  return v1_limit_in(mount);
}

}  // namespace

std::optional<std::uint64_t> cgroup_memory_limit() {
  const auto self = cgroup::read_control_file("/proc/self/cgroup");
  const detail::CgroupPaths paths = detail::parse_proc_cgroup(self ? *self : std::string());
  return smaller(v2_limit(paths.v2), v1_limit(paths.v1_memory));
}

}  // namespace volback::util
