#pragma once
// The command line of offen's binary, which volback answers to when invoked as
// `backup` (offen's image puts /usr/bin/backup on PATH and runs `backup -foreground`).
//
//   backup                   run one backup
//   backup print-config      print the configuration
//   backup -foreground       run the scheduler (daemon)
//   backup -profile <cron>   accepted and ignored, with a warning
//
// Go's flag package accepts -flag and --flag, and -flag=value.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::cli {

enum class OffenCommand { backup, print_config, daemon, help };

struct OffenInvocation {
  OffenCommand command = OffenCommand::backup;
  std::vector<std::string> warnings;
};

// Parses the arguments after argv[0]. invalid_argument for anything offen's binary
// would not accept. Pure.
util::Result<OffenInvocation> parse_offen_args(std::span<const std::string_view> args);

// Usage text for `backup -h`.
std::string_view offen_usage();

}  // namespace volback::cli
