#pragma once
// One run of one schedule, recorded in the state directory: what the daemon does at
// each fire time (after BACKUP_JITTER) and what `volback backup [--config FILE]` does.

#include <string>

#include <volback/app/commands/backup_command.hpp>
#include <volback/app/config/confd.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/app/run/quiescer.hpp>
#include <volback/app/run/run_history.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>

namespace volback::app {

enum class Cancelled { no, yes };

// The history record of a finished run. Pure.
RunRecord make_run_record(std::string key, std::string source, const BackupReport& report, Cancelled cancelled);

// Writes the record of a finished run of schedule `key` to `state_dir` (empty: the
// settings' VOLBACK_STATE_DIR); failure to write is logged as a warning.
void record_run(const util::Settings& settings, const std::string& state_dir, std::string key, std::string source,
                const BackupReport& report, const util::CancelToken& cancel, util::Logger& log);

// Runs the schedule's backup now (run_backup_report) and writes its record to
// `state_dir` (empty: the schedule's VOLBACK_STATE_DIR). A record that cannot be written
// is a warning, never a failed backup. Returns the run's exit code.
ExitCode run_and_record(const ScheduleConfig& schedule, const std::string& state_dir, util::Logger& log,
                        const util::Clock& clock, const util::CancelToken& cancel, Quiescer& quiescer);

}  // namespace volback::app
