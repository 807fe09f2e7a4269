#include <volback/app/run/run_report.hpp>

#include <fmt/format.h>

#include <volback/util/duration.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

void notify_run_started(std::span<RunListener* const> listeners, const RunStart& start) {
  for (RunListener* listener : listeners) {
    listener->run_started(start);
  }
}

void notify_run_finished(std::span<RunListener* const> listeners, const RunReport& report) {
  for (RunListener* listener : listeners) {
    listener->run_finished(report);
  }
}

void notify_schedule_overdue(std::span<RunListener* const> listeners, const ScheduleOverdue& overdue) {
  for (RunListener* listener : listeners) {
    listener->schedule_overdue(overdue);
  }
}

std::string describe_overdue(const ScheduleOverdue& overdue) {
  return fmt::format("schedule {} ({}) is overdue: it was due at {} and no run has finished since (grace {}){}",
                     overdue.source, overdue.expression, util::format_rfc3339(overdue.due, util::TimeZone::utc()),
                     util::format_go_duration(overdue.grace),
                     overdue.running ? "; its run is still waiting or running" : "");
}

}  // namespace volback::app
