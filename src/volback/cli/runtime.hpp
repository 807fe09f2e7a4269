#pragma once
// What every verb gets from the process: a snapshot of the environment (the only place
// it is read), the settings over it, the clock, the logger (LOG_FORMAT, LOG_LEVEL, on the
// verb's LogStream) and a cancellation token that SIGINT and SIGTERM request.

#include <memory>
#include <optional>
#include <string>

#include <volback/app/config/confd.hpp>
#include <volback/cli/make_logger.hpp>
#include <volback/cli/signals.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/settings.hpp>

namespace volback::cli {

class Runtime {
 public:
  explicit Runtime(LogStream logs);
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  const util::ConfigSource& environment() const { return m_env; }
  const util::Settings& settings() const { return m_settings; }
  const util::Clock& clock() const { return m_clock; }
  util::Logger& log() { return *m_log; }
  LogStream log_stream() const { return m_log_stream; }
  util::CancelToken& cancel() { return m_cancel; }

  // The schedule of `config_file` (a conf.d file over the environment) when one was
  // given, else the environment's own schedule. A file that cannot be loaded is logged;
  // nullopt then (exit 2).
  std::optional<app::ScheduleConfig> schedule(const std::string& config_file);

 private:
  util::MapSource m_env;
  util::Settings m_settings;
  util::SystemClock m_clock;
  LogStream m_log_stream;
  std::unique_ptr<util::Logger> m_log;
  util::CancelToken m_cancel;
  CancelOnSignals m_on_signals;
};

}  // namespace volback::cli
