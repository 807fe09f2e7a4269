#include <volback/app/restore_target.hpp>

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

#include <volback/fs/unique_fd.hpp>

namespace volback::app {

bool is_volback_leftover(std::string_view name) {
  return name.starts_with(k_staging_prefix) || name.starts_with(k_old_prefix);
}

util::Result<bool> has_content(const std::string& dir) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!is_volback_leftover(it->path().filename().string())) {
      return true;
    }
  }
  if (ec) {
    return util::fail(util::errno_error(ec.value(), "cannot read " + dir));
  }
  return false;
}

bool is_read_only(const std::string& dir) {
  struct statvfs vfs {};
  if (::statvfs(dir.c_str(), &vfs) == 0 && (vfs.f_flag & ST_RDONLY) != 0) {
    return true;
  }
  return ::access(dir.c_str(), W_OK) != 0 && errno == EROFS;
}

util::Result<void> move_entries(const std::string& from, const std::string& to) {
  std::vector<std::string> names;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec)) {
    auto name = it->path().filename().string();
    if (!is_volback_leftover(name)) {
      names.push_back(std::move(name));
    }
  }
  if (ec) {
    return util::fail(util::errno_error(ec.value(), "cannot read " + from));
  }
  for (const auto& name : names) {
    const std::string a = from + "/" + name;
    const std::string b = to + "/" + name;
    if (::rename(a.c_str(), b.c_str()) != 0) {
      return util::fail(util::errno_error(errno, fmt::format("cannot move {} to {}", a, b)));
    }
  }
  return {};
}

void remove_tree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

namespace {
std::string marker_of(const std::string& old_dir) { return old_dir + "/" + std::string(k_old_complete_marker); }
}  // namespace

util::Result<void> write_old_complete_marker(const std::string& old_dir) {
  const std::string path = marker_of(old_dir);
  fs::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!fd.valid()) {
    return util::fail(util::errno_error(errno, "cannot create " + path));
  }
  // The renames before it and the marker itself must be on disk before new entries
  // move in: a crash then rolls forward, never back over half-moved content.
  if (::fsync(fd.get()) != 0) {
    return util::fail(util::errno_error(errno, "cannot sync " + path));
  }
  fs::UniqueFd dir(::open(old_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.valid()) {
    ::fsync(dir.get());
  }
  return {};
}

bool has_old_complete_marker(const std::string& old_dir) { return ::access(marker_of(old_dir).c_str(), F_OK) == 0; }

void remove_old_complete_marker(const std::string& old_dir) { ::unlink(marker_of(old_dir).c_str()); }

}  // namespace volback::app
