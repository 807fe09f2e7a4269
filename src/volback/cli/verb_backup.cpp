// `volback backup [--config FILE]`: one backup now, of the environment's schedule or of
// one conf.d file's (app/commands/backup_command.hpp). Logs on stdout, as offen's `backup`.

#include <cstdio>

#include <volback/app/commands/backup_command.hpp>
#include <volback/app/config/backup_config.hpp>
#include <volback/cli/verbs.hpp>

namespace volback::cli {

Verb backup_verb() {
  return {
    "backup", "Run one backup now, configured by the environment",
    [](CLI::App& command) -> VerbRunner {
      command.footer(app::describe_backup_settings() + "\n" + std::string(app::exit_code_table()));
      auto config_file = std::make_shared<std::string>();
      command.add_option("--config", *config_file, "Run the schedule of this conf.d file (over the environment)");
      return [config_file](Runtime& runtime) {
        const auto schedule = runtime.schedule(*config_file);
        if (!schedule) {
          return as_int(app::ExitCode::usage);
        }
        // EXEC_FORWARD_OUTPUT: a command's stderr, then its stdout, as offen copies them.
        const app::Host host =
          app::docker_host(runtime.log(), runtime.cancel(), [](std::string_view out, std::string_view err) {
            std::fwrite(err.data(), 1, err.size(), stderr);
            std::fwrite(out.data(), 1, out.size(), stdout);
            std::fflush(stdout);
          });
        return as_int(app::run_backup(*schedule, {runtime.log(), runtime.clock(), runtime.cancel(), host}).exit_code);
      };
    },
    LogStream::out};
}

}  // namespace volback::cli
