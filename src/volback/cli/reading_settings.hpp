#pragma once
// The settings of list, verify and restore: the environment, a conf.d file over it
// (--config), and, unless the command reads the sources (an in-place restore),
// BACKUP_SOURCES=/ on top of both, since a verification host has no volumes. The logger
// follows those settings (LOG_FORMAT, LOG_LEVEL), on the runtime's LogStream.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <volback/app/config/confd.hpp>
#include <volback/cli/runtime.hpp>

namespace volback::cli {

class ReadingSettings {
 public:
  enum class Sources { read, ignored };

  // nullopt when the conf.d file cannot be loaded (logged; exit 2).
  static std::unique_ptr<ReadingSettings> load(Runtime& runtime, const std::string& config_file, Sources sources);

  const util::Settings& settings() const { return *m_settings; }
  util::Logger& log() { return *m_log; }

 private:
  ReadingSettings() = default;

  std::optional<app::ScheduleConfig> m_schedule;
  util::MapSource m_reading_only{{{"BACKUP_SOURCES", "/"}}, "list/verify/restore --to"};
  std::unique_ptr<util::Settings> m_settings;
  std::unique_ptr<util::Logger> m_log;
};

}  // namespace volback::cli
