#pragma once
// Schedules: the environment alone, or one per conf.d file layered over it.
//
// Every non-directory entry of VOLBACK_CONFD_DIR (default /etc/dockervolumebackup/conf.d)
// whose name does not start with '.' is one schedule; symlinks to files count (Kubernetes
// ConfigMaps and secrets mount that way). Its values override the environment's, in
// both VAR and VAR_FILE forms (util::Settings layering). The files are parsed by
// util::parse_env_file, expanding $VAR against the environment and the file's earlier
// lines. When the directory does not exist the environment is the only schedule; when
// it exists but holds no schedule file, that is a configuration error (offen silently
// schedules nothing). A schedule file is read by util::read_whole_file: an entry that
// is not a regular file (a FIFO, a device) or is larger than 4 MiB is a configuration
// error naming it, found without blocking.

#include <memory>
#include <string>
#include <vector>

#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

// The description of the environment-only schedule, as offen prints it.
inline constexpr std::string_view k_from_environment = "from environment";

class ScheduleConfig {
 public:
  // `environment` must outlive this object. `file` is null for the environment-only
  // schedule.
  ScheduleConfig(const util::ConfigSource& environment, std::unique_ptr<util::MapSource> file);

  const util::Settings& settings() const { return *m_settings; }
  // The conf.d file's own values; null for the environment-only schedule.
  const util::ConfigSource* file() const { return m_file.get(); }
  // The conf.d file's path, or "from environment".
  const std::string& source() const { return m_source; }
  // A stable name for the state directory: "environment" or "confd.<file name>".
  const std::string& key() const { return m_key; }

 private:
  std::unique_ptr<util::MapSource> m_file;
  std::unique_ptr<util::Settings> m_settings;
  std::string m_source;
  std::string m_key;
};

// Reads one conf.d file (also `--config FILE`) into a schedule. invalid_argument naming
// the file (and line) when it cannot be read, is not a regular file, is larger than
// util::k_max_config_file_bytes or has a syntax error; never the line's text.
util::Result<ScheduleConfig> load_confd_file(const util::ConfigSource& environment, const std::string& path);

// The schedule files of `dir`, sorted by name; nullopt when `dir` does not exist.
// invalid_argument when it exists but is empty, or is not a directory.
util::Result<std::optional<std::vector<std::string>>> list_confd_dir(const std::string& dir);

// A conf.d file that cannot be read as a schedule, and load_confd_file's error.
struct UnreadableSchedule {
  std::string path;
  util::Error error;
};

struct Schedules {
  std::vector<ScheduleConfig> readable;
  std::vector<UnreadableSchedule> unreadable;  // each disables its own schedule only
};

// Every schedule: one per conf.d file (VOLBACK_CONFD_DIR read from `environment`), or
// the environment alone when the directory does not exist. A file that cannot be read is
// in `unreadable` and does not affect the others; an error means the directory itself is
// unusable (not a directory, empty, cannot be listed) or VOLBACK_CONFD_DIR is invalid.
util::Result<Schedules> load_schedules(const util::ConfigSource& environment);

}  // namespace volback::app
