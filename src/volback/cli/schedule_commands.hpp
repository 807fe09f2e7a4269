#pragma once
// The commands around schedules: daemon, backup --config, print-config, check-config
// and healthcheck. Each takes the process environment as a ConfigSource and returns the
// exit code.

#include <string>

#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/settings.hpp>

namespace volback::cli {

// `volback daemon`, `backup -foreground`, `volback` alone. Installs the SIGTERM/SIGINT
// handling for its whole life.
int run_daemon_command(const util::ConfigSource& environment, util::Logger& log, const util::Clock& clock);

// `volback backup --config FILE`: one run of that conf.d file's schedule, now.
int run_backup_file_command(const util::ConfigSource& environment, const std::string& path, util::Logger& log,
                            const util::Clock& clock);

// `volback print-config` (and `backup print-config`): every schedule, on stdout.
int run_print_config_command(const util::ConfigSource& environment, const util::Clock& clock);

// `volback check-config`: validation and read-only reachability, on stdout.
int run_check_config_command(const util::ConfigSource& environment, util::Logger& log, const util::Clock& clock);

// `volback healthcheck`: judges the state directory; one line per schedule on stdout.
int run_healthcheck_command(const util::ConfigSource& environment, const util::Clock& clock);

}  // namespace volback::cli
