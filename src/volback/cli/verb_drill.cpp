// `volback drill [BACKUP|latest] [--backend NAME] [--identity FILE] [--config FILE]`: a
// restore drill now (app/commands/drill_command.hpp). Logs on stderr; stdout has one line
// per backup drilled.

#include <volback/app/commands/drill_command.hpp>
#include <volback/cli/verbs.hpp>

namespace volback::cli {

Verb drill_verb() {
  return {
    "drill",
    "Restore a backup into a scratch directory, verify it and check the application on it in a "
    "throwaway container",
    [](CLI::App& command) -> VerbRunner {
      command.footer(
        "Containers labelled docker-volume-backup.drill-check=<command> get a throwaway twin on the\n"
        "restored volumes (no network), in which the command must succeed within VOLBACK_DRILL_TIMEOUT;\n"
        "docker-volume-backup.drill-expect=<regexp> must then match its output.\n"
        "Exit codes: 0 passed, 1 failed (the file or the check is named), 2 bad usage or configuration.");
      struct Options {
        app::DrillRequest request;
        std::string identity;
        std::string config_file;
      };
      auto options = std::make_shared<Options>();
      command.add_option("backup", options->request.backup, "The backup's name, or latest (the default)");
      command.add_option("--backend", options->request.backend,
                         "Drill the backup on this backend (Local, S3, ...); default: on each in turn");
      command
        .add_option("--identity", options->identity,
                    "Decrypt with this age identity file, SSH private key or OpenPGP secret key ring")
        ->type_name("FILE");
      command.add_option("--config", options->config_file, "Drill the schedule of this conf.d file")->type_name("FILE");
      return [options](Runtime& runtime) {
        const auto schedule = runtime.schedule(options->config_file);
        if (!schedule) {
          return as_int(app::ExitCode::usage);
        }
        auto request = options->request;
        if (!options->identity.empty()) {
          request.identity = options->identity;
        }
        const app::Host host = app::docker_host(runtime.log(), runtime.cancel());
        const auto result =
          app::run_drill(*schedule, {runtime.log(), runtime.clock(), runtime.cancel(), host}, request);
        print(result.text);
        return as_int(result.report.exit_code);
      };
    }};
}

}  // namespace volback::cli
