// `volback daemon` (also `volback` alone and offen's `backup -foreground`): the scheduler
// (app/commands/daemon_command.hpp). Logs on stdout, as offen's daemon.

#include <volback/app/commands/daemon_command.hpp>
#include <volback/cli/verbs.hpp>

namespace volback::cli {

Verb daemon_verb() {
  return {"daemon", "Run the scheduler: every schedule on its cron expression (the default)",
          [](CLI::App&) -> VerbRunner {
            return [](Runtime& runtime) {
              // Exec-label output goes to the log in scheduled runs.
              const app::Host host = app::docker_host(runtime.log(), runtime.cancel());
              return as_int(app::run_daemon_command(runtime.environment(),
                                                    {runtime.log(), runtime.clock(), runtime.cancel(), host}));
            };
          },
          LogStream::out};
}

}  // namespace volback::cli
