#pragma once
// `volback healthcheck`, for a Docker HEALTHCHECK: reads the daemon's state and run
// records in the state directory and judges them (daemon/health.hpp).

#include <chrono>
#include <string>

#include <volback/app/run/exit_code.hpp>
#include <volback/util/clock.hpp>

namespace volback::app {

// ok when healthy, failed otherwise (also when no daemon state exists); one line per
// finding in `output`.
ExitCode run_healthcheck(const std::string& state_dir, std::chrono::nanoseconds grace, const util::Clock& clock,
                         std::string& output);

}  // namespace volback::app
