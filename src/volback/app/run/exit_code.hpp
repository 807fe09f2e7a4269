#pragma once
// The process exit codes, one table for every command. When several outcomes apply,
// the worst wins, in this order of severity: ok < incomplete < partial < failed < usage.

#include <string_view>

namespace volback::app {

enum class ExitCode : int {
  ok = 0,          // everything succeeded
  failed = 1,      // the run failed; no new backup was committed
  usage = 2,       // bad usage or configuration; nothing was done
  incomplete = 3,  // the backup was written, but some files could not be read or pruning was refused
  partial = 4,     // the backup reached some backends but not all
};

// The more severe of two outcomes.
ExitCode worst(ExitCode a, ExitCode b);

// The table for --help and the docs: one line per code.
std::string_view exit_code_table();

}  // namespace volback::app
