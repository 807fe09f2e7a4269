#include <volback/app/daemon/daemon.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include <fmt/format.h>

#include <volback/app/config/backup_config.hpp>
#include <volback/app/config/schedule_settings.hpp>
#include <volback/app/daemon/health.hpp>
#include <volback/app/run/run_history.hpp>
#include <volback/util/duration.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

namespace {

using namespace std::chrono_literals;

constexpr auto k_tick = 100ms;

// One schedule while the daemon runs.
struct Slot {
  const ScheduleConfig* config = nullptr;
  bool drill = false;  // the schedule's restore drills (VOLBACK_DRILL_CRON), not its backups
  std::optional<schedule::CronSchedule> cron;
  std::chrono::nanoseconds jitter{};
  std::chrono::nanoseconds grace{};
  std::optional<std::chrono::nanoseconds> drill_max_age;  // VOLBACK_DRILL_MAX_AGE, for healthcheck
  util::TimeZone zone = util::TimeZone::utc();
  std::optional<util::TimePoint> next;
  std::thread worker;
  std::atomic<bool> busy{false};
  // Written by the worker before it clears `busy`, read after joining it.
  std::optional<RunReport> finished;
  // Overdue: the fire time the schedule waits for, and whether it was reported.
  std::optional<util::TimePoint> last_start;
  std::optional<util::TimePoint> due;
  bool overdue_reported = false;
  std::thread notifier;
};

std::string when(util::TimePoint t, const util::TimeZone& zone) {
  return util::format_rfc3339(t, zone);
}

// Sleeps for `d` in short slices; false when `cancel` fired first.
bool sleep_unless_cancelled(std::chrono::nanoseconds d, const util::CancelToken& cancel) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until) {
    if (cancel.requested()) {
      return false;
    }
    std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(k_tick, until - std::chrono::steady_clock::now()));
  }
  return !cancel.requested();
}

void run_slot(Slot& slot, DaemonDeps deps, std::uint64_t seed) {
  deps.log.info(fmt::format("Now running script on schedule {}", slot.cron->expression()),
                {{"schedule", slot.config->source()}});
  if (slot.jitter.count() > 0) {
    std::mt19937_64 random(seed);
    std::uniform_int_distribution<std::int64_t> pick(0, slot.jitter.count());
    const std::chrono::nanoseconds delay{pick(random)};
    if (delay.count() > 0) {
      deps.log.info(fmt::format("Applying startup jitter of {}", util::format_go_duration(delay)),
                    {{"schedule", slot.config->source()}});
    }
    if (!sleep_unless_cancelled(delay, deps.cancel)) {
      slot.busy = false;
      return;
    }
  }
  auto report = slot.drill ? deps.run_drill(*slot.config) : deps.run_schedule(*slot.config);
  if (report.exit_code != ExitCode::ok && !deps.cancel.requested()) {
    deps.log.error(fmt::format("Unexpected error running schedule {}", slot.cron->expression()),
                   {{"schedule", slot.config->source()}, {"exit_code", static_cast<int>(report.exit_code)}});
  }
  slot.finished = std::move(report);
  slot.busy = false;
}

void join(std::thread& thread) {
  if (thread.joinable()) {
    thread.join();
  }
}

// Takes in the run a worker finished: a run that was not cancelled is the schedule's last
// run, and what it waits for next starts from it.
void collect_finished_run(Slot& slot, util::TimePoint daemon_started) {
  if (slot.busy || !slot.worker.joinable()) {
    return;
  }
  slot.worker.join();
  if (slot.finished && !slot.finished->cancelled) {
    slot.last_start = slot.finished->start;
    slot.due = due_time(*slot.cron, slot.last_start, daemon_started);
    slot.overdue_reported = false;
  }
  slot.finished.reset();
}

// Reports the schedule once per due time when it is overdue (health.hpp's notion).
void check_overdue(Slot& slot, util::TimePoint now, const DaemonDeps& deps) {
  if (slot.drill || slot.overdue_reported || !slot.due || now <= *slot.due + slot.grace) {
    return;
  }
  slot.overdue_reported = true;
  const ScheduleOverdue overdue{slot.config->key(), slot.config->source(), slot.cron->expression(), *slot.due, now,
                                slot.grace,         slot.busy.load()};
  deps.log.error(fmt::format("Schedule {} is overdue", slot.config->source()),
                 {{"schedule", slot.config->source()}, {"error", describe_overdue(overdue)}});
  if (!deps.schedule_overdue) {
    return;
  }
  join(slot.notifier);
  slot.notifier = std::thread([&slot, overdue, report = deps.schedule_overdue] { report(*slot.config, overdue); });
}

void warn_about_zone_mounts(util::Logger& log) {
  auto mountinfo = util::read_whole_file("/proc/self/mountinfo");
  if (!mountinfo) {
    return;
  }
  for (const auto& path : bind_mounted_zone_files(*mountinfo)) {
    log.warn(
      fmt::format("Using {} to configure the time zone is deprecated and will be removed in a future "
                  "version. Set the TZ environment variable instead.",
                  path));
  }
}

std::vector<CheckResult> check_reachability(const std::vector<BackupConfig>& configs, DaemonDeps deps) {
  std::vector<CheckResult> all;
  std::set<std::string> seen;
  for (const auto& config : configs) {
    if (deps.cancel.requested()) {
      break;
    }
    for (auto& result : deps.check_reachability(config)) {
      if (!seen.insert(result.name).second) {
        continue;
      }
      if (result.ok) {
        deps.log.info(fmt::format("Check {}: ok", result.name), {{"detail", result.detail}});
      } else {
        deps.log.warn(fmt::format("Check {} failed; health is failing until a run succeeds, and each run tries "
                                  "again",
                                  result.name),
                      {{"error", result.detail}});
      }
      all.push_back(std::move(result));
    }
  }
  return all;
}

}  // namespace

std::vector<std::string> bind_mounted_zone_files(std::string_view mountinfo) {
  static constexpr std::array<std::string_view, 3> k_paths{"/etc/timezone", "/etc/localtime", "/usr/share/zoneinfo"};
  std::vector<std::string> found;
  while (!mountinfo.empty()) {
    const auto newline = mountinfo.find('\n');
    const std::string_view line = mountinfo.substr(0, newline);
    mountinfo = newline == std::string_view::npos ? std::string_view{} : mountinfo.substr(newline + 1);
    // Fields: mount ID, parent ID, major:minor, root, mount point, ...
    std::string_view rest = line;
    std::string_view field;
    for (int i = 0; i < 5; ++i) {
      const auto space = rest.find(' ');
      field = rest.substr(0, space);
      rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    }
    if (std::find(k_paths.begin(), k_paths.end(), field) != k_paths.end() &&
        std::find(found.begin(), found.end(), field) == found.end()) {
      found.emplace_back(field);
    }
  }
  return found;
}

ExitCode run_daemon(const Schedules& schedules, const std::string& state_dir, DaemonDeps deps) {
  auto& log = deps.log;
  // Static validation first. An invalid schedule is disabled on its own, with an error and
  // a failing check (so healthcheck reports it); the others run.
  std::vector<CheckResult> invalid;
  auto disable = [&](const std::string& source, const util::Error& error) {
    log.error(fmt::format("Invalid configuration in {}: {}; this schedule is disabled", source, error.message()));
    invalid.push_back({fmt::format("configuration of {}", source), false, error.message()});
  };
  for (const auto& unreadable : schedules.unreadable) {
    disable(unreadable.path, unreadable.error);
  }
  std::vector<BackupConfig> configs;
  std::vector<std::unique_ptr<Slot>> slots;
  for (const auto& schedule : schedules.readable) {
    auto config = load_backup_config(schedule.settings());
    if (!config) {
      disable(schedule.source(), config.error());
      continue;
    }
    auto parsed = parse_schedule_settings(schedule.settings(), config->run.zone);
    if (!parsed) {
      disable(schedule.source(), parsed.error());
      continue;
    }
    auto slot = std::make_unique<Slot>();
    slot->config = &schedule;
    slot->cron = std::move(parsed->cron);
    slot->jitter = parsed->jitter;
    slot->grace = parsed->health_grace;
    slot->zone = config->run.zone;
    slot->drill_max_age = config->drill.max_age;
    slots.push_back(std::move(slot));
    if (config->drill.cron && deps.run_drill) {
      auto drill = std::make_unique<Slot>();
      drill->config = &schedule;
      drill->drill = true;
      drill->cron = config->drill.cron;
      drill->zone = config->run.zone;
      slots.push_back(std::move(drill));
    }
    configs.push_back(std::move(*config));
  }
  if (slots.empty()) {
    log.error("No valid schedule: nothing to run");
    return ExitCode::usage;
  }

  warn_about_zone_mounts(log);
  const auto started = deps.clock.now();
  DaemonState state{started, static_cast<long>(::getpid()), {}, invalid};
  for (std::size_t i = 0; i < slots.size(); ++i) {
    auto& slot = slots[i];
    slot->next = schedule::next_fire(*slot->cron, started);
    slot->due = slot->next;
    if (slot->drill) {
      state.schedules.back().drill_expression = slot->cron->expression();
    } else {
      state.schedules.push_back(
        {slot->config->key(), slot->config->source(), slot->cron->expression(), slot->zone.name()});
      state.schedules.back().drill_max_age = slot->drill_max_age;
    }
    if (slot->next) {
      log.info(fmt::format("Successfully scheduled {} {} with expression {}", slot->drill ? "restore drill" : "backup",
                           slot->config->source(), slot->cron->expression()),
               {{"next", when(*slot->next, slot->cron->zone())}});
    } else {
      log.warn(
        fmt::format("Scheduled cron expression {} will never run, is this intentional?", slot->cron->expression()),
        {{"schedule", slot->config->source()}});
    }
  }
  if (auto written = write_daemon_state(state_dir, state); !written) {
    log.warn("Could not record the daemon's state; healthcheck will report unhealthy",
             {{"error", written.error().message()}});
  }
  // The reachability checks may wait for a network that is not up yet (S3 retries); the
  // schedules do not wait for them. Their results are added to daemon.json when done.
  std::thread checker([&] {
    auto checks = invalid;
    for (auto& check : check_reachability(configs, deps)) {
      checks.push_back(std::move(check));
    }
    state.checks = std::move(checks);
    if (auto written = write_daemon_state(state_dir, state); !written) {
      log.warn("Could not record the reachability checks in the daemon's state",
               {{"error", written.error().message()}});
    }
  });

  std::random_device entropy;
  while (!deps.cancel.requested()) {
    const auto now = deps.clock.now();
    for (auto& slot : slots) {
      collect_finished_run(*slot, started);
      check_overdue(*slot, now, deps);
      if (!slot->next || *slot->next > now) {
        continue;
      }
      slot->next = schedule::next_fire(*slot->cron, now);
      if (slot->busy) {
        log.warn("Skipping a fire time: the previous run of this schedule has not finished",
                 {{"schedule", slot->config->source()}, {"expression", slot->cron->expression()}});
        continue;
      }
      collect_finished_run(*slot, started);
      slot->busy = true;
      const std::uint64_t seed = (std::uint64_t{entropy()} << 32) ^ entropy();
      slot->worker = std::thread(run_slot, std::ref(*slot), deps, seed);
    }
    std::this_thread::sleep_for(k_tick);
  }

  log.info("Stopping: no new runs start; a run in progress is cancelled");
  checker.join();
  for (auto& slot : slots) {
    join(slot->worker);
    join(slot->notifier);
  }
  log.info("Stopped");
  return ExitCode::ok;
}

}  // namespace volback::app
