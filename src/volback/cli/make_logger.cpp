#include <volback/cli/make_logger.hpp>

#include <volback/app/config/run_settings.hpp>
#include <volback/app/config/schedule_settings.hpp>
#include <volback/util/json_logger.hpp>

namespace volback::cli {

std::FILE* file_of(LogStream stream) {
  return stream == LogStream::out ? stdout : stderr;
}

std::unique_ptr<util::Logger> make_logger(const util::Settings& settings, const util::Clock& clock, LogStream stream) {
  const auto level = app::log_level_or_default(settings);
  auto zone = app::zone_or_default(settings);
  const auto format = app::parse_log_format(settings);
  std::FILE* const out = file_of(stream);
  if (format && *format == app::LogFormat::json) {
    return std::make_unique<util::LineLogger>(out, level, clock, std::move(zone), util::format_slog_json);
  }
  return std::make_unique<util::LineLogger>(out, level, clock, std::move(zone));
}

}  // namespace volback::cli
