// `volback prune [--dry-run] [--at TIME] [--config FILE]` (app/commands/prune_command.hpp).

#include <volback/app/commands/prune_command.hpp>
#include <volback/cli/verbs.hpp>

namespace volback::cli {

Verb prune_verb() {
  return {"prune", "Apply the retention policy now, as a backup run would", [](CLI::App& command) -> VerbRunner {
            struct Options {
              app::PruneRequest request;
              std::string at;
              std::string config_file;
            };
            auto options = std::make_shared<Options>();
            command.add_flag("--dry-run", options->request.dry_run, "Print what would be deleted, delete nothing");
            command.add_option("--at", options->at,
                               "Evaluate the policy at this RFC 3339 time (e.g. 2026-12-10T03:00:00Z)");
            command.add_option("--config", options->config_file,
                               "Use the settings of this conf.d file (over the environment)");
            return [options](Runtime& runtime) {
              if (!options->at.empty()) {
                options->request.at = options->at;
              }
              const auto schedule = runtime.schedule(options->config_file);
              if (!schedule) {
                return as_int(app::ExitCode::usage);
              }
              const app::Host host = app::docker_host(runtime.log(), runtime.cancel());
              const auto result = app::run_prune_command(
                schedule->settings(), {runtime.log(), runtime.clock(), runtime.cancel(), host}, options->request);
              print(result.text);
              return as_int(result.exit_code);
            };
          }};
}

}  // namespace volback::cli
