#pragma once
// `volback check [--read-data | --read-data-subset N%]`: checks the restic-format
// repository RESTIC_REPOSITORY names as `restic check` does (restic/repository_check.hpp):
// its structure, and with --read-data every pack read whole (or the first N% of the packs
// in id order, a deterministic sample), under a non-exclusive lock so that no prune runs
// meanwhile. Prints the problems (and warnings) one a line, then a summary.

#include <optional>
#include <string>

#include <volback/app/commands/command_output.hpp>
#include <volback/app/commands/host.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

struct CheckRequest {
  bool read_data = false;
  std::optional<std::string> read_data_subset;  // "N%", 0 < N <= 100
};

// Exit 2 for an invalid configuration, no RESTIC_REPOSITORY or a bad subset; 1 when the
// repository cannot be opened or locked, or the check found a problem; 0 when it is sound.
CommandOutput run_check_command(const util::Settings& settings, const CommandDeps& deps, const CheckRequest& request);

// The fraction "N%" names. Errors: invalid_argument unless 0 < N <= 100 (decimals allowed).
util::Result<double> parse_subset(std::string_view text);

}  // namespace volback::app
