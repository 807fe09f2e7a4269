#include <volback/cli/runtime.hpp>

#include <volback/cli/environment.hpp>

namespace volback::cli {

Runtime::Runtime(LogStream logs)
  : m_env(environment_source()),
    m_settings({&m_env}),
    m_log_stream(logs),
    m_log(make_logger(m_settings, m_clock, logs)),
    m_on_signals(m_cancel) {}

std::optional<app::ScheduleConfig> Runtime::schedule(const std::string& config_file) {
  if (config_file.empty()) {
    return app::ScheduleConfig(m_env, nullptr);
  }
  auto loaded = app::load_confd_file(m_env, config_file);
  if (!loaded) {
    m_log->error(loaded.error().message());
    return std::nullopt;
  }
  return std::move(*loaded);
}

}  // namespace volback::cli
