#include <volback/archive/archive_settings.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

#include <volback/archive/exclusion.hpp>

namespace volback::archive {

namespace {

constexpr std::array<util::SettingSpec, 4> k_archive_specs{
  k_backup_sources,
  k_backup_exclude_regexp,
  k_tar_sparse,
  k_tar_owner_names,
};

util::Result<std::string> current_directory() {
  std::vector<char> buffer(4096);
  while (::getcwd(buffer.data(), buffer.size()) == nullptr) {
    if (errno != ERANGE) {
      return util::fail(util::errno_error(errno, "cannot determine the current directory"));
    }
    buffer.resize(buffer.size() * 2);
  }
  return std::string(buffer.data());
}

}  // namespace

std::span<const util::SettingSpec> archive_setting_specs() {
  return k_archive_specs;
}

std::string absolute_clean_path(std::string_view path, std::string_view cwd) {
  std::string joined;
  if (!path.empty() && path.front() == '/') {
    joined = path;
  } else {
    joined = std::string(cwd) + "/" + std::string(path);
  }
  // Split on '/', drop empty and "." components, let ".." remove the previous one
  // (".." at the root stays at the root, as in Go's filepath.Clean).
  std::vector<std::string_view> parts;
  std::string_view rest(joined);
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (part.empty() || part == ".") {
      continue;
    }
    if (part == "..") {
      if (!parts.empty()) {
        parts.pop_back();
      }
      continue;
    }
    parts.push_back(part);
  }
  if (parts.empty()) {
    return "/";
  }
  std::string out;
  for (const auto part : parts) {
    out += '/';
    out += part;
  }
  return out;
}

util::Result<ArchiveSettings> parse_archive_settings(const util::Settings& settings) {
  ArchiveSettings result;

  VOLBACK_TRY_ASSIGN(const std::string source, settings.get_string(k_backup_sources));
  std::string cwd = "/";
  if (source.empty() || source.front() != '/') {
    VOLBACK_TRY_ASSIGN(cwd, current_directory());
  }
  result.source = absolute_clean_path(source, cwd);

  struct stat st {};
  if (::stat(result.source.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      return util::fail(util::Settings::invalid(k_backup_sources, source, "no such directory"));
    }
    return util::fail(util::Settings::invalid(k_backup_sources, source, std::strerror(err)));
  }
  if (!S_ISDIR(st.st_mode)) {
    return util::fail(util::Settings::invalid(k_backup_sources, source, "not a directory"));
  }

  VOLBACK_TRY_ASSIGN(auto pattern, settings.get_optional(k_backup_exclude_regexp));
  if (pattern && !pattern->empty()) {
    auto compiled = Exclusion::compile(*pattern);
    if (!compiled) {
      return util::fail(util::Settings::invalid(k_backup_exclude_regexp, *pattern, compiled.error().message()));
    }
    result.exclude_pattern = std::move(pattern);
  }
  VOLBACK_TRY_ASSIGN(result.sparse, settings.get_bool(k_tar_sparse));
  VOLBACK_TRY_ASSIGN(result.owner_names, settings.get_bool(k_tar_owner_names));
  return result;
}

}  // namespace volback::archive
