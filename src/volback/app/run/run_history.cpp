#include <volback/app/run/run_history.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/fs/atomic_file.hpp>

#include <volback/util/redact.hpp>
#include <volback/util/settings.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::app {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t k_kept_runs = 100;

std::string time_text(util::TimePoint t) {
  return util::format_rfc3339(t, util::TimeZone::utc(), util::Fraction::nanoseconds);
}

util::TimePoint time_from(const json& j, const char* key) {
  if (!j.contains(key) || !j.at(key).is_string()) {
    return {};
  }
  auto parsed = util::parse_rfc3339(j.at(key).get<std::string>());
  return parsed ? *parsed : util::TimePoint{};
}

std::string string_from(const json& j, const char* key) {
  return j.contains(key) && j.at(key).is_string() ? j.at(key).get<std::string>() : std::string{};
}

// The history stays readable by other users (healthcheck tooling).
util::Result<void> write_atomically(const fs::path& path, const std::string& content) {
  return volback::fs::write_file_atomically(path.string(), content, 0644);
}

// Text for the history never carries the user info of a URL.
std::string redacted(const std::string& text) {
  return util::redact_url_userinfo(text);
}

json to_json(const CheckResult& c) {
  return json{{"name", redacted(c.name)}, {"ok", c.ok}, {"detail", redacted(c.detail)}};
}

util::Result<json> parse_json_file(const std::string& path) {
  auto text = util::read_whole_file(path);
  if (!text) {
    if (text.error().kind() == util::ErrorKind::not_found) {
      return util::fail(text.error());
    }
    return util::fail(util::ErrorKind::permanent, text.error().message());
  }
  try {
    return json::parse(*text);
  } catch (const json::exception& e) {
    return util::fail(util::ErrorKind::corrupt, fmt::format("{}: {}", path, e.what()));
  }
}

// Removes all but the newest k_kept_runs records.
void trim_history(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  if (files.size() <= k_kept_runs) {
    return;
  }
  std::sort(files.begin(), files.end());
  for (std::size_t i = 0; i + k_kept_runs < files.size(); ++i) {
    fs::remove(files[i], ec);
  }
}

}  // namespace

util::Result<void> write_run_record(const std::string& state_dir, const RunRecord& record) {
  json backends = json::array();
  for (const auto& b : record.backends) {
    backends.push_back(json{{"name", b.name}, {"ok", b.ok}, {"error", redacted(b.error)}});
  }
  const json j{{"schedule", record.schedule},  {"source", record.source},       {"start", time_text(record.start)},
               {"end", time_text(record.end)}, {"exit_code", record.exit_code}, {"cancelled", record.cancelled},
               {"archive", record.archive},    {"backends", backends},          {"error", redacted(record.error)}};
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(record.start.time_since_epoch()).count();
  const fs::path dir = fs::path(state_dir) / "runs" / record.schedule;
  VOLBACK_TRY(write_atomically(dir / fmt::format("{:020}-{}.json", ns, ::getpid()), j.dump(2) + "\n"));
  trim_history(dir);
  return {};
}

std::vector<RunRecord> read_run_records(const std::string& state_dir, const std::string& schedule_key) {
  std::vector<RunRecord> records;
  std::error_code ec;
  const fs::path dir = fs::path(state_dir) / "runs" / schedule_key;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".json") {
      continue;
    }
    auto j = parse_json_file(entry.path().string());
    if (!j || !j->is_object()) {
      continue;
    }
    RunRecord r;
    r.schedule = string_from(*j, "schedule");
    r.source = string_from(*j, "source");
    r.start = time_from(*j, "start");
    r.end = time_from(*j, "end");
    r.exit_code = j->value("exit_code", 1);
    r.cancelled = j->value("cancelled", false);
    r.archive = string_from(*j, "archive");
    r.error = string_from(*j, "error");
    if (j->contains("backends") && j->at("backends").is_array()) {
      for (const auto& b : j->at("backends")) {
        r.backends.push_back({string_from(b, "name"), b.value("ok", false), string_from(b, "error")});
      }
    }
    records.push_back(std::move(r));
  }
  std::sort(records.begin(), records.end(), [](const RunRecord& a, const RunRecord& b) { return a.start < b.start; });
  return records;
}

util::Result<void> write_daemon_state(const std::string& state_dir, const DaemonState& state) {
  json schedules = json::array();
  for (const auto& s : state.schedules) {
    json schedule{{"key", s.key}, {"source", s.source}, {"expression", s.expression}, {"zone", s.zone}};
    if (!s.drill_expression.empty()) {
      schedule["drill_expression"] = s.drill_expression;
    }
    if (s.drill_max_age) {
      schedule["drill_max_age_seconds"] = std::chrono::duration<double>(*s.drill_max_age).count();
    }
    schedules.push_back(std::move(schedule));
  }
  json checks = json::array();
  for (const auto& c : state.checks) {
    checks.push_back(to_json(c));
  }
  const json j{{"started", time_text(state.started)}, {"pid", state.pid}, {"schedules", schedules}, {"checks", checks}};
  return write_atomically(fs::path(state_dir) / "daemon.json", j.dump(2) + "\n");
}

util::Result<DaemonState> read_daemon_state(const std::string& state_dir) {
  const std::string path = (fs::path(state_dir) / "daemon.json").string();
  auto j = parse_json_file(path);
  if (!j) {
    if (j.error().kind() == util::ErrorKind::not_found) {
      return util::fail(util::ErrorKind::not_found,
                        fmt::format("no daemon has recorded its state in {} (is `volback daemon` running with "
                                    "this VOLBACK_STATE_DIR?)",
                                    state_dir));
    }
    return util::fail(j.error());
  }
  if (!j->is_object() || !j->contains("started")) {
    return util::fail(util::ErrorKind::corrupt, fmt::format("{}: not a daemon state file", path));
  }
  DaemonState state;
  state.started = time_from(*j, "started");
  state.pid = j->value("pid", 0L);
  if (j->contains("schedules") && j->at("schedules").is_array()) {
    for (const auto& s : j->at("schedules")) {
      ScheduleState schedule{string_from(s, "key"),  string_from(s, "source"),           string_from(s, "expression"),
                             string_from(s, "zone"), string_from(s, "drill_expression"), std::nullopt};
      if (const auto age = s.find("drill_max_age_seconds"); age != s.end() && age->is_number() && *age > 0) {
        schedule.drill_max_age =
          std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(age->get<double>()));
      }
      state.schedules.push_back(std::move(schedule));
    }
  }
  if (j->contains("checks") && j->at("checks").is_array()) {
    for (const auto& c : j->at("checks")) {
      state.checks.push_back({string_from(c, "name"), c.value("ok", false), string_from(c, "detail")});
    }
  }
  return state;
}

std::string drill_history_key(std::string_view schedule_key) {
  return "drill-" + std::string(schedule_key);
}

RunRecord make_run_record(const RunReport& report) {
  RunRecord record;
  record.schedule = report.command == "drill" ? drill_history_key(report.schedule) : report.schedule;
  record.source = report.source;
  record.start = report.start;
  record.end = report.end;
  record.exit_code = static_cast<int>(report.exit_code);
  record.cancelled = report.cancelled;
  record.archive = report.archive;
  for (const auto& backend : report.backends) {
    record.backends.push_back(
      {backend.backend, !backend.error.has_value(), backend.error ? backend.error->message() : std::string{}});
  }
  if (report.error) {
    record.error = report.error->message();
  }
  return record;
}

void HistoryListener::run_finished(const RunReport& report) {
  if (auto written = write_run_record(m_state_dir, make_run_record(report)); !written) {
    m_log.warn("Could not record the run in the state directory; healthcheck will not see it",
               {{"error", written.error().message()}});
  }
}

}  // namespace volback::app
