#pragma once
// What a command that prints a result returns: its exit code and the text for stdout.

#include <string>

#include <volback/app/run/exit_code.hpp>

namespace volback::app {

struct CommandOutput {
  ExitCode exit_code = ExitCode::ok;
  std::string text;  // for stdout
};

}  // namespace volback::app
