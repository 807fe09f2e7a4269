#include <volback/app/daemon/health.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <volback/schedule/cron.hpp>
#include <volback/util/duration.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

namespace {

std::string when(util::TimePoint t) {
  return util::format_rfc3339(t, util::TimeZone::utc());
}

const RunRecord* last_verdict(const std::vector<RunRecord>& runs) {
  for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
    if (!it->cancelled) {
      return &*it;
    }
  }
  return nullptr;
}

// The restore drills of one schedule: the last one failed, or none passed within
// VOLBACK_DRILL_MAX_AGE (counted from the daemon's start when none passed since).
void judge_drills(const ScheduleState& schedule, const std::vector<RunRecord>& drills, util::TimePoint daemon_started,
                  util::TimePoint now, HealthReport& report) {
  const std::string name = fmt::format("restore drills of schedule {}", schedule.source);
  const RunRecord* last = last_verdict(drills);
  if (last != nullptr && last->exit_code != 0) {
    report.healthy = false;
    report.lines.push_back(fmt::format("{}: the last drill, started {}, failed with exit code {}{}{}", name,
                                       when(last->start), last->exit_code, last->error.empty() ? "" : ": ",
                                       last->error));
    return;
  }
  if (schedule.drill_max_age) {
    const auto passed = last != nullptr ? std::max(last->end, daemon_started) : daemon_started;
    if (now > passed + *schedule.drill_max_age) {
      report.healthy = false;
      report.lines.push_back(fmt::format("{}: no drill passed within VOLBACK_DRILL_MAX_AGE ({}); {}", name,
                                         util::format_go_duration(*schedule.drill_max_age),
                                         last != nullptr ? "the last passed at " + when(last->end)
                                                         : "none since the daemon started at " + when(daemon_started)));
      return;
    }
  }
  if (last != nullptr) {
    report.lines.push_back(fmt::format("{}: ok; the last drill, started {}, passed", name, when(last->start)));
  }
}

}  // namespace

std::optional<util::TimePoint> due_time(const schedule::CronSchedule& cron,
                                        std::optional<util::TimePoint> last_run_start, util::TimePoint daemon_started) {
  return schedule::next_fire(cron, last_run_start ? std::max(*last_run_start, daemon_started) : daemon_started);
}

HealthReport judge_health(const DaemonState& daemon, const std::map<std::string, std::vector<RunRecord>>& runs,
                          util::TimePoint now, std::chrono::nanoseconds grace) {
  HealthReport report;
  bool success_since_start = false;
  static const std::vector<RunRecord> k_none;
  for (const auto& schedule : daemon.schedules) {
    const auto found = runs.find(schedule.key);
    const auto& records = found == runs.end() ? k_none : found->second;
    success_since_start = success_since_start || std::any_of(records.begin(), records.end(), [&](const RunRecord& r) {
                            return !r.cancelled && r.exit_code == 0 && r.start >= daemon.started;
                          });
    const std::string name = fmt::format("schedule {} ({})", schedule.source, schedule.expression);
    const auto drills = runs.find(drill_history_key(schedule.key));
    judge_drills(schedule, drills == runs.end() ? k_none : drills->second, daemon.started, now, report);

    const RunRecord* last = last_verdict(records);
    if (last != nullptr && last->exit_code != 0) {
      report.healthy = false;
      report.lines.push_back(fmt::format("{}: the last run, started {}, failed with exit code {}{}{}", name,
                                         when(last->start), last->exit_code, last->error.empty() ? "" : ": ",
                                         last->error));
      continue;
    }
    auto zone = util::TimeZone::named(schedule.zone);
    auto cron = schedule::parse_cron(schedule.expression, zone ? *zone : util::TimeZone::utc());
    if (!cron) {
      report.healthy = false;
      report.lines.push_back(fmt::format("{}: cannot be evaluated: {}", name, cron.error().message()));
      continue;
    }
    const auto due = due_time(*cron, last != nullptr ? std::optional(last->start) : std::nullopt, daemon.started);
    if (!due) {
      report.lines.push_back(fmt::format("{}: never fires; ignored", name));
      continue;
    }
    if (now > *due + grace) {
      report.healthy = false;
      report.lines.push_back(fmt::format("{}: overdue: it was due at {} and has no successful run since (grace {})",
                                         name, when(*due), util::format_go_duration(grace)));
      continue;
    }
    report.lines.push_back(
      last != nullptr ? fmt::format("{}: ok; last run {} succeeded; next due {}", name, when(last->start), when(*due))
                      : fmt::format("{}: ok; no run yet; first due {}", name, when(*due)));
  }
  if (!success_since_start) {
    for (const auto& check : daemon.checks) {
      if (!check.ok) {
        report.healthy = false;
        report.lines.push_back(fmt::format(
          "check {} failed when the daemon started, and no run has succeeded since: {}", check.name, check.detail));
      }
    }
  }
  return report;
}

}  // namespace volback::app
