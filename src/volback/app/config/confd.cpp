#include <volback/app/config/confd.hpp>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include <volback/app/config/schedule_settings.hpp>
#include <volback/util/env_file.hpp>

namespace volback::app {

namespace {

std::string key_for(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  for (auto& c : name) {
    const bool safe =
      (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    if (!safe) {
      c = '_';
    }
  }
  return "confd." + name;
}

}  // namespace

ScheduleConfig::ScheduleConfig(const util::ConfigSource& environment, std::unique_ptr<util::MapSource> file)
  : m_file(std::move(file)) {
  std::vector<const util::ConfigSource*> layers{&environment};
  if (m_file) {
    layers.push_back(m_file.get());
    m_source = m_file->describe();
    m_key = key_for(m_source);
  } else {
    m_source = std::string(k_from_environment);
    m_key = "environment";
  }
  m_settings = std::make_unique<util::Settings>(std::move(layers));
}

util::Result<ScheduleConfig> load_confd_file(const util::ConfigSource& environment, const std::string& path) {
  auto text = util::read_whole_file(path);
  if (!text) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("conf.d file {}: {}", path, text.error().message()));
  }
  const util::VariableLookup lookup = [&environment](std::string_view name) { return environment.get(name); };
  auto values = util::parse_env_file(*text, lookup);
  if (!values) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("conf.d file {}: {}", path, values.error().message()));
  }
  return ScheduleConfig(environment, std::make_unique<util::MapSource>(std::move(*values), path, true));
}

util::Result<std::optional<std::vector<std::string>>> list_confd_dir(const std::string& dir) {
  std::error_code ec;
  const auto status = std::filesystem::status(dir, ec);
  if (ec || !std::filesystem::exists(status)) {
    if (ec && ec != std::errc::no_such_file_or_directory) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("conf.d directory {} ({}): {}", dir, k_confd_dir.name, ec.message()));
    }
    return std::optional<std::vector<std::string>>{};
  }
  if (!std::filesystem::is_directory(status)) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("conf.d path {} ({}) is not a directory", dir, k_confd_dir.name));
  }
  std::vector<std::string> files;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("cannot list conf.d directory {}: {}", dir, ec.message()));
  }
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with('.')) {
      continue;  // dotfiles, and Kubernetes' ..data and ..<timestamp> directories
    }
    std::error_code type_ec;
    if (entry.is_directory(type_ec)) {  // follows symlinks: a link to a directory is skipped too
      continue;
    }
    files.push_back(entry.path().string());
  }
  if (files.empty()) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("conf.d directory {} exists but holds no schedule file; add one env file per "
                                  "schedule, or remove the directory (or point {} elsewhere) to use the "
                                  "environment alone",
                                  dir, k_confd_dir.name));
  }
  std::sort(files.begin(), files.end());
  return std::optional<std::vector<std::string>>{std::move(files)};
}

util::Result<Schedules> load_schedules(const util::ConfigSource& environment) {
  const util::Settings env_only({&environment});
  VOLBACK_TRY_ASSIGN(const auto dir, env_only.get_string(k_confd_dir));
  VOLBACK_TRY_ASSIGN(const auto files, list_confd_dir(dir));
  Schedules schedules;
  if (!files) {
    schedules.readable.emplace_back(environment, nullptr);
    return schedules;
  }
  for (const auto& path : *files) {
    if (auto schedule = load_confd_file(environment, path)) {
      schedules.readable.push_back(std::move(*schedule));
    } else {
      schedules.unreadable.push_back({path, std::move(schedule.error())});
    }
  }
  return schedules;
}

}  // namespace volback::app
