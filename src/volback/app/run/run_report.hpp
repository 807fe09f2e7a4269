#pragma once
// What a finished run did, and who hears of it. A command fills one RunReport when a run
// ends, whatever the outcome, and hands it to its RunListeners: the run history
// (run_history.hpp) always; notifications and metrics join the list without touching
// the job or the command.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <volback/app/run/exit_code.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

struct BackendReport {
  std::string backend;               // Backend::name()
  std::optional<util::Error> error;  // nullopt: the backend has the archive
};

struct RunReport {
  std::string command = "backup";  // the verb that ran
  std::string schedule;            // ScheduleConfig::key(): "environment" or "confd.<file>"
  std::string source;              // the conf.d file, or "from environment"
  util::TimePoint start{};         // when the run held the lock (or gave up waiting for it)
  util::TimePoint end{};
  ExitCode exit_code = ExitCode::ok;
  bool cancelled = false;            // stopped by SIGTERM/SIGINT: no verdict on the data
  std::optional<util::Error> error;  // what ended the run, if anything did
  std::string archive;               // the archive made; empty when none
  std::uint64_t archive_bytes = 0;
  std::uint64_t entries = 0;
  std::vector<BackendReport> backends;  // one per backend that was to receive it
  std::vector<std::string> stopped;     // containers and services stopped meanwhile
};

class RunListener {
 public:
  virtual ~RunListener() = default;
  // Hears of one finished run. Must not throw; a problem of its own (a file that cannot
  // be written, a server that does not answer) is logged by the listener, never turned
  // into the run's failure.
  virtual void run_finished(const RunReport& report) = 0;
};

// Hands `report` to each listener in order.
void notify_run_finished(std::span<RunListener* const> listeners, const RunReport& report);

}  // namespace volback::app
