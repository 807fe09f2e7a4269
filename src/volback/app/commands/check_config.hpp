#pragma once
// `volback print-config` and `volback check-config` over every schedule (conf.d files,
// or the environment alone).

#include <string>

#include <volback/app/commands/host.hpp>
#include <volback/app/commands/print_config.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

// For each schedule: "source=<file or from environment>", its "warning: …" lines, then
// its settings (render_config; secrets as ***), schedules separated by a blank line.
// ExitCode::usage when conf.d or any schedule is invalid. Read-only; takes no lock.
RenderedConfig render_all_schedules(const util::ConfigSource& environment, const util::Clock& clock);

// Validates every schedule, then (only if all are valid) runs the reachability checks,
// read-only. One line per schedule and per check in `output`, with the user info of any
// URL redacted. Returns usage when a
// schedule is invalid, failed when a check failed, ok otherwise. Takes no lock.
ExitCode run_check_config(const util::ConfigSource& environment, const CommandDeps& deps, std::string& output);

}  // namespace volback::app
