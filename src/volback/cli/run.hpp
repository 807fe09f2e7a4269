#pragma once
// The command-line front end: parses arguments, wires the real implementations
// (environment, clock, logger, signals) and dispatches to app/. Nothing else here.

namespace volback::cli {

// Runs volback with the process arguments and returns the exit code. Invoked as
// `backup` (argv[0]'s last component) it speaks offen's interface instead.
int run(int argc, char** argv);

}  // namespace volback::cli
