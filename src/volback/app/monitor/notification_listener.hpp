#pragma once
// The run listener that sends offen's notifications: once per run, after the run (and so
// after the stopped containers are back), to every NOTIFICATION_URLS service at once.
//
// Which runs are notified, by NOTIFICATION_LEVEL:
//   error  runs that failed (exit codes 1 and 2): title_failure / body_failure;
//   warn   also runs that ended with exit code 3 or 4 and runs whose pruning was refused:
//          title_warning / body_warning, .Error holding what went wrong;
//   info   also every successful run: title_success / body_success.
// A run stopped by SIGTERM is no verdict and is not notified. A schedule the daemon finds
// overdue (daemon.hpp) is notified at every level, as a failure whose .Error says which
// schedule was due when; its .Stats hold the due time as StartTime and nothing else.
//
// A template that fails for this run's data falls back to offen's default for that
// message, with a warning. A notification that cannot be delivered (after the sender's
// retries) is logged as an error and counted, but never changes the run's exit code:
// offen fails a good backup when a notification fails; volback does not.

#include <atomic>
#include <cstdint>
#include <optional>

#include <volback/app/run/run_report.hpp>
#include <volback/notify/notify_settings.hpp>
#include <volback/notify/offen_templates.hpp>
#include <volback/notify/sender.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/settings.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

// How notifications are sent; tests pass fakes.
struct NotificationTransports {
  notify::TransportFactory http = notify::curl_transport_factory();
  notify::MailTransportFactory mail = notify::curl_mail_transport_factory();
};

class NotificationListener final : public RunListener {
 public:
  // `notify` and `settings` (the schedule's: .Config and env) and the others must
  // outlive the listener.
  NotificationListener(const notify::NotifySettings& notify, const util::Settings& settings, util::TimeZone zone,
                       util::Logger& log, const util::Clock& clock, NotificationTransports transports = {});

  void run_finished(const RunReport& report) override;
  void schedule_overdue(const ScheduleOverdue& overdue) override;

  // How many notifications could not be delivered so far.
  std::uint64_t failures() const { return m_failures; }

  // The message `report` gets at `level`, if any; `error` gets what .Error says. Pure.
  struct Decision {
    notify::Outcome outcome;
    std::optional<std::string> error;
  };
  static std::optional<Decision> decide(const RunReport& report, notify::NotificationLevel level);

 private:
  notify::Message render(notify::Outcome outcome, const notify::Value& data) const;

  const notify::NotifySettings& m_notify;
  const util::Settings& m_settings;
  util::TimeZone m_zone;
  util::Logger& m_log;
  const util::Clock& m_clock;
  NotificationTransports m_transports;
  std::atomic<std::uint64_t> m_failures{0};
};

}  // namespace volback::app
