#include <volback/app/run/exit_code.hpp>

namespace volback::app {

namespace {

int severity(ExitCode code) {
  switch (code) {
  case ExitCode::ok: return 0;
  case ExitCode::incomplete: return 1;
  case ExitCode::partial: return 2;
  case ExitCode::failed: return 3;
  case ExitCode::usage: return 4;
  }
  return 3;
}

}  // namespace

ExitCode worst(ExitCode a, ExitCode b) {
  return severity(a) >= severity(b) ? a : b;
}

std::string_view exit_code_table() {
  return "Exit codes (the worst outcome wins):\n"
         "  0  ok\n"
         "  1  failed: no new backup was committed\n"
         "  2  bad usage or configuration: nothing was done\n"
         "  3  incomplete: the backup was written, but some files could not be read, or pruning was skipped\n"
         "     because the new backup looked wrong\n"
         "  4  partial: the backup reached some storage backends but not all\n";
}

}  // namespace volback::app
