#include <volback/app/monitor/metrics.hpp>

#include <charconv>
#include <chrono>
#include <vector>

#include <fmt/format.h>

namespace volback::app {

namespace {

double unix_seconds(util::TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

double seconds(std::chrono::nanoseconds d) {
  return std::chrono::duration<double>(d).count();
}

std::string escape_label(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string number(double v) {
  // Millisecond precision; no exponent, which every Prometheus parser reads.
  std::string s = fmt::format("{:.3f}", v);
  while (s.ends_with('0')) {
    s.pop_back();
  }
  if (s.ends_with('.')) {
    s.pop_back();
  }
  return s;
}

struct Family {
  std::string_view name;
  std::string_view type;
  std::string_view help;
};

constexpr Family k_start{"volback_last_run_start_timestamp_seconds", "gauge",
                         "When the schedule's last run started (Unix time)."};
constexpr Family k_end{"volback_last_run_end_timestamp_seconds", "gauge",
                       "When the schedule's last run ended (Unix time)."};
constexpr Family k_success{"volback_last_success_timestamp_seconds", "gauge",
                           "When the schedule's last successful run (exit code 0) ended (Unix time; 0: never)."};
constexpr Family k_duration{"volback_last_run_duration_seconds", "gauge", "How long the schedule's last run took."};
constexpr Family k_exit{"volback_last_run_exit_code", "gauge",
                        "The exit code of the schedule's last run: 0 ok, 1 failed, 2 usage, 3 incomplete, 4 partial."};
constexpr Family k_size{"volback_last_archive_size_bytes", "gauge", "The size of the last run's archive."};
constexpr Family k_files{"volback_last_archive_files", "gauge", "The entries in the last run's archive."};
constexpr Family k_stopped{"volback_last_containers_stopped", "gauge",
                           "Containers and Swarm services stopped during the last run."};
constexpr Family k_downtime{"volback_last_downtime_seconds", "gauge",
                            "How long the stopped containers were down during the last run."};
constexpr Family k_pruned{"volback_last_pruned_backups", "gauge", "Backups the last run pruned."};
constexpr Family k_backend_bytes{"volback_last_backend_upload_size_bytes", "gauge",
                                 "Bytes of the last run's archive each backend stored."};
constexpr Family k_backend_seconds{"volback_last_backend_upload_duration_seconds", "gauge",
                                   "Seconds from the start of the last run's archive until each backend had it."};
constexpr Family k_backend_ok{"volback_last_backend_success", "gauge",
                              "1 when the backend stored the last run's archive, else 0."};
constexpr Family k_runs{"volback_runs_total", "counter", "Runs by result."};
constexpr Family k_overdue{"volback_schedule_overdue", "gauge",
                           "1 while the daemon finds the schedule overdue (a fire time passed by more than "
                           "VOLBACK_HEALTH_GRACE without a finished run), else 0."};
constexpr Family k_overdue_total{"volback_overdue_total", "counter", "Times the daemon found the schedule overdue."};
constexpr Family k_notification_failures{"volback_notification_failures_total", "counter",
                                         "Notifications that could not be delivered."};

constexpr Family k_drill_end{"volback_last_drill_end_timestamp_seconds", "gauge",
                             "When the schedule's last restore drill ended (0: never)."};
constexpr Family k_drill_success{"volback_last_drill_success_timestamp_seconds", "gauge",
                                 "When the schedule's last restore drill that passed ended (0: never)."};
constexpr Family k_drill_duration{"volback_last_drill_duration_seconds", "gauge",
                                  "How long the schedule's last restore drill took."};
constexpr Family k_drill_exit{"volback_last_drill_exit_code", "gauge",
                              "The last restore drill's exit code: 0 passed, 1 failed, 2 usage."};
constexpr Family k_drills{"volback_drills_total", "counter", "Restore drills by result."};

void header(std::string& out, const Family& family) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", family.name, family.help, family.name, family.type);
}

void sample(std::string& out, const Family& family, std::string_view schedule, std::string_view value,
            std::string_view extra_label = {}, std::string_view extra_value = {}) {
  out += fmt::format("{}{{schedule=\"{}\"", family.name, escape_label(schedule));
  if (!extra_label.empty()) {
    out += fmt::format(",{}=\"{}\"", extra_label, escape_label(extra_value));
  }
  out += fmt::format("}} {}\n", value);
}

// One parsed sample: name, labels, value.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

std::optional<Sample> parse_sample(std::string_view line) {
  Sample s;
  const auto brace = line.find('{');
  if (brace == std::string_view::npos) {
    return std::nullopt;
  }
  s.name = std::string(line.substr(0, brace));
  std::size_t i = brace + 1;
  while (i < line.size() && line[i] != '}') {
    const auto eq = line.find("=\"", i);
    if (eq == std::string_view::npos) {
      return std::nullopt;
    }
    std::string key(line.substr(i, eq - i));
    std::string value;
    i = eq + 2;
    while (i < line.size() && line[i] != '"') {
      if (line[i] == '\\' && i + 1 < line.size()) {
        ++i;
        value += line[i] == 'n' ? '\n' : line[i];
      } else {
        value += line[i];
      }
      ++i;
    }
    ++i;  // the closing quote
    s.labels[std::move(key)] = std::move(value);
    if (i < line.size() && line[i] == ',') {
      ++i;
    }
  }
  if (i >= line.size() || line[i] != '}') {
    return std::nullopt;
  }
  const std::string_view value = line.substr(i + 1);
  const auto start = value.find_first_not_of(' ');
  if (start == std::string_view::npos) {
    return std::nullopt;
  }
  const auto text = value.substr(start);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), s.value);
  if (ec != std::errc()) {
    return std::nullopt;
  }
  return s;
}

}  // namespace

std::string_view run_result(const RunReport& report) {
  if (report.cancelled) {
    return "cancelled";
  }
  switch (report.exit_code) {
  case ExitCode::ok: return "success";
  case ExitCode::failed: return "failed";
  case ExitCode::usage: return "usage";
  case ExitCode::incomplete: return "incomplete";
  case ExitCode::partial: return "partial";
  }
  return "failed";
}

namespace {

void record_drill(ScheduleMetrics& m, const RunReport& report, std::uint64_t notification_failures) {
  m.last_drill_end = unix_seconds(report.end);
  m.drill_duration = seconds(report.end - report.start);
  m.drill_exit_code = static_cast<int>(report.exit_code);
  if (report.exit_code == ExitCode::ok && !report.cancelled) {
    m.last_drill_success = m.last_drill_end;
  }
  ++m.drills[std::string(run_result(report))];
  m.notification_failures += notification_failures;
}

}  // namespace

void record_run(ScheduleMetrics& m, const RunReport& report, std::uint64_t notification_failures) {
  if (report.command == "drill") {
    record_drill(m, report, notification_failures);
    return;
  }
  m.last_start = unix_seconds(report.start);
  m.last_end = unix_seconds(report.end);
  m.duration = seconds(report.end - report.start);
  m.exit_code = static_cast<int>(report.exit_code);
  if (report.exit_code == ExitCode::ok && !report.cancelled) {
    m.last_success = m.last_end;
  }
  m.archive_bytes = report.archive_bytes;
  m.archive_files = report.entries;
  m.containers_stopped = report.stopped.size();
  m.downtime = seconds(report.downtime);
  m.pruned = 0;
  m.backends.clear();
  for (const auto& backend : report.backends) {
    m.pruned += backend.pruned;
    m.backends[backend.backend] = {backend.bytes, seconds(backend.duration), !backend.error.has_value()};
  }
  ++m.runs[std::string(run_result(report))];
  m.notification_failures += notification_failures;
  m.overdue = false;
}

void record_overdue(ScheduleMetrics& m, std::uint64_t notification_failures) {
  m.overdue = true;
  ++m.overdue_total;
  m.notification_failures += notification_failures;
}

std::string render_metrics(const MetricsBySchedule& metrics) {
  std::string out;
  const auto gauge = [&](const Family& family, auto&& value_of) {
    header(out, family);
    for (const auto& [schedule, m] : metrics) {
      sample(out, family, schedule, value_of(m));
    }
  };
  gauge(k_start, [](const ScheduleMetrics& m) { return number(m.last_start); });
  gauge(k_end, [](const ScheduleMetrics& m) { return number(m.last_end); });
  gauge(k_success, [](const ScheduleMetrics& m) { return number(m.last_success); });
  gauge(k_duration, [](const ScheduleMetrics& m) { return number(m.duration); });
  gauge(k_exit, [](const ScheduleMetrics& m) { return fmt::format("{}", m.exit_code); });
  gauge(k_size, [](const ScheduleMetrics& m) { return fmt::format("{}", m.archive_bytes); });
  gauge(k_files, [](const ScheduleMetrics& m) { return fmt::format("{}", m.archive_files); });
  gauge(k_stopped, [](const ScheduleMetrics& m) { return fmt::format("{}", m.containers_stopped); });
  gauge(k_downtime, [](const ScheduleMetrics& m) { return number(m.downtime); });
  gauge(k_pruned, [](const ScheduleMetrics& m) { return fmt::format("{}", m.pruned); });
  const auto per_backend = [&](const Family& family, auto&& value_of) {
    header(out, family);
    for (const auto& [schedule, m] : metrics) {
      for (const auto& [backend, b] : m.backends) {
        sample(out, family, schedule, value_of(b), "backend", backend);
      }
    }
  };
  per_backend(k_backend_bytes, [](const BackendMetrics& b) { return fmt::format("{}", b.bytes); });
  per_backend(k_backend_seconds, [](const BackendMetrics& b) { return number(b.seconds); });
  per_backend(k_backend_ok, [](const BackendMetrics& b) { return std::string(b.ok ? "1" : "0"); });
  header(out, k_runs);
  for (const auto& [schedule, m] : metrics) {
    for (const auto& [result, count] : m.runs) {
      sample(out, k_runs, schedule, fmt::format("{}", count), "result", result);
    }
  }
  gauge(k_overdue, [](const ScheduleMetrics& m) { return std::string(m.overdue ? "1" : "0"); });
  gauge(k_overdue_total, [](const ScheduleMetrics& m) { return fmt::format("{}", m.overdue_total); });
  gauge(k_notification_failures, [](const ScheduleMetrics& m) { return fmt::format("{}", m.notification_failures); });
  gauge(k_drill_end, [](const ScheduleMetrics& m) { return number(m.last_drill_end); });
  gauge(k_drill_success, [](const ScheduleMetrics& m) { return number(m.last_drill_success); });
  gauge(k_drill_duration, [](const ScheduleMetrics& m) { return number(m.drill_duration); });
  gauge(k_drill_exit, [](const ScheduleMetrics& m) { return fmt::format("{}", m.drill_exit_code); });
  header(out, k_drills);
  for (const auto& [schedule, m] : metrics) {
    for (const auto& [result, count] : m.drills) {
      sample(out, k_drills, schedule, fmt::format("{}", count), "result", result);
    }
  }
  return out;
}

MetricsBySchedule parse_metrics(std::string_view text) {
  MetricsBySchedule out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const auto s = parse_sample(line);
    if (!s || !s->labels.contains("schedule")) {
      continue;
    }
    auto& m = out[s->labels.at("schedule")];
    const auto label = [&s](const char* name) {
      const auto it = s->labels.find(name);
      return it == s->labels.end() ? std::string() : it->second;
    };
    const auto u = [&s] { return s->value < 0 ? 0 : static_cast<std::uint64_t>(s->value); };
    if (s->name == k_start.name) {
      m.last_start = s->value;
    } else if (s->name == k_end.name) {
      m.last_end = s->value;
    } else if (s->name == k_success.name) {
      m.last_success = s->value;
    } else if (s->name == k_duration.name) {
      m.duration = s->value;
    } else if (s->name == k_exit.name) {
      m.exit_code = static_cast<int>(s->value);
    } else if (s->name == k_size.name) {
      m.archive_bytes = u();
    } else if (s->name == k_files.name) {
      m.archive_files = u();
    } else if (s->name == k_stopped.name) {
      m.containers_stopped = u();
    } else if (s->name == k_downtime.name) {
      m.downtime = s->value;
    } else if (s->name == k_pruned.name) {
      m.pruned = u();
    } else if (s->name == k_backend_bytes.name) {
      m.backends[label("backend")].bytes = u();
    } else if (s->name == k_backend_seconds.name) {
      m.backends[label("backend")].seconds = s->value;
    } else if (s->name == k_backend_ok.name) {
      m.backends[label("backend")].ok = s->value != 0;
    } else if (s->name == k_runs.name) {
      m.runs[label("result")] = u();
    } else if (s->name == k_overdue.name) {
      m.overdue = s->value != 0;
    } else if (s->name == k_overdue_total.name) {
      m.overdue_total = u();
    } else if (s->name == k_notification_failures.name) {
      m.notification_failures = u();
    } else if (s->name == k_drill_end.name) {
      m.last_drill_end = s->value;
    } else if (s->name == k_drill_success.name) {
      m.last_drill_success = s->value;
    } else if (s->name == k_drill_duration.name) {
      m.drill_duration = s->value;
    } else if (s->name == k_drill_exit.name) {
      m.drill_exit_code = static_cast<int>(s->value);
    } else if (s->name == k_drills.name) {
      m.drills[label("result")] = u();
    }
  }
  return out;
}

void MetricsStore::merge_missing(const MetricsBySchedule& loaded) {
  const std::lock_guard lock(m_mutex);
  for (const auto& [schedule, metrics] : loaded) {
    m_metrics.try_emplace(schedule, metrics);
  }
}

void MetricsStore::record(const RunReport& report, std::uint64_t notification_failures) {
  const std::lock_guard lock(m_mutex);
  record_run(m_metrics[report.schedule], report, notification_failures);
}

void MetricsStore::record_overdue(const ScheduleOverdue& overdue, std::uint64_t notification_failures) {
  const std::lock_guard lock(m_mutex);
  app::record_overdue(m_metrics[overdue.schedule], notification_failures);
}

std::string MetricsStore::render() const {
  const std::lock_guard lock(m_mutex);
  return render_metrics(m_metrics);
}

}  // namespace volback::app
