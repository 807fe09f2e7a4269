#include <volback/app/monitor/notification_listener.hpp>

#include <fmt/format.h>

#include <volback/app/config/monitor_config.hpp>
#include <volback/app/config/offen_config.hpp>
#include <volback/app/monitor/notification_data.hpp>

namespace volback::app {

NotificationListener::NotificationListener(const notify::NotifySettings& notify, const util::Settings& settings,
                                           util::TimeZone zone, util::Logger& log, const util::Clock& clock,
                                           NotificationTransports transports)
  : m_notify(notify),
    m_settings(settings),
    m_zone(std::move(zone)),
    m_log(log),
    m_clock(clock),
    m_transports(std::move(transports)) {}

std::optional<NotificationListener::Decision> NotificationListener::decide(const RunReport& report,
                                                                           notify::NotificationLevel level) {
  using notify::NotificationLevel;
  using notify::Outcome;
  if (report.cancelled) {
    return std::nullopt;
  }
  switch (report.exit_code) {
  case ExitCode::failed:
  case ExitCode::usage:
    return Decision{Outcome::failure, report.error ? report.error->message()
                                                   : fmt::format("exit code {}", static_cast<int>(report.exit_code))};
  case ExitCode::incomplete:
  case ExitCode::partial:
  case ExitCode::ok: break;
  }
  if (!report.warnings.empty() || report.exit_code != ExitCode::ok) {
    if (level == NotificationLevel::error) {
      return std::nullopt;
    }
    std::string error = fmt::format("{}", fmt::join(report.warnings, "; "));
    if (error.empty()) {
      error = fmt::format("exit code {}", static_cast<int>(report.exit_code));
    }
    return Decision{Outcome::warning, std::move(error)};
  }
  if (level != NotificationLevel::info) {
    return std::nullopt;
  }
  return Decision{Outcome::success, std::nullopt};
}

notify::Message NotificationListener::render(notify::Outcome outcome, const notify::Value& data) const {
  auto templates = notify::build_templates(m_notify.template_files, template_env(m_settings));
  if (templates) {
    auto message = notify::render_message(*templates, outcome, data);
    if (message) {
      return std::move(*message);
    }
    m_log.warn("A notification template failed for this run; using offen's default instead",
               {{"error", message.error().message()}});
  } else {
    m_log.warn("The notification templates could not be parsed; using offen's defaults",
               {{"error", templates.error().message()}});
  }
  // offen's defaults always render.
  auto defaults = notify::build_templates({}, template_env(m_settings));
  auto message = notify::render_message(*defaults, outcome, data);
  return message ? std::move(*message) : notify::Message{"docker-volume-backup", "The notification failed to render."};
}

void NotificationListener::run_finished(const RunReport& report) {
  const auto decision = decide(report, m_notify.level);
  if (!decision || !m_notify.enabled()) {
    return;
  }
  const auto data = notify::to_value(
    make_notification_data(report, offen_config_values(m_settings, m_notify.show_secrets), decision->error, m_zone));
  const notify::Message message = render(decision->outcome, data);
  const notify::SenderOptions options{.timeout = m_notify.timeout};
  const auto results =
    notify::send_to_all(m_notify.services, message, m_clock, options, m_transports.http, m_transports.mail);
  for (const auto& result : results) {
    if (result.error) {
      ++m_failures;
      m_log.error("Sending a notification failed",
                  {{"service", result.service}, {"attempts", result.attempts}, {"error", result.error->message()}});
    } else {
      m_log.info("Sent a notification", {{"service", result.service}});
    }
  }
}

void NotificationListener::schedule_overdue(const ScheduleOverdue& overdue) {
  const std::string what = describe_overdue(overdue);
  RunReport report{.schedule = overdue.schedule,
                   .source = overdue.source,
                   .start = overdue.due,
                   .end = overdue.noticed,
                   .exit_code = ExitCode::failed,
                   .error = util::Error(util::ErrorKind::permanent, what)};
  report.log_output = what + "\n";
  run_finished(report);
}

}  // namespace volback::app
