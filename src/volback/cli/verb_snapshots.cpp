// `volback snapshots [--json] [--config FILE]` (app/commands/snapshots_command.hpp).

#include <volback/app/commands/snapshots_command.hpp>
#include <volback/cli/reading_settings.hpp>
#include <volback/cli/verbs.hpp>

namespace volback::cli {

Verb snapshots_verb() {
  return {"snapshots", "List the snapshots of the restic-format repository, oldest first",
          [](CLI::App& command) -> VerbRunner {
            command.footer("Exit codes: 0 listed, 1 the repository cannot be read, 2 bad configuration.");
            struct Options {
              app::SnapshotsRequest request;
              std::string config_file;
            };
            auto options = std::make_shared<Options>();
            command.add_flag("--json", options->request.json, "Print restic's JSON instead of a table");
            command
              .add_option("--config", options->config_file,
                          "Use the settings of this conf.d file (over the environment)")
              ->type_name("FILE");
            return [options](Runtime& runtime) {
              auto reading = ReadingSettings::load(runtime, options->config_file, ReadingSettings::Sources::ignored);
              if (!reading) {
                return as_int(app::ExitCode::usage);
              }
              const app::Host host = app::no_containers_host();
              const auto result = app::run_snapshots_command(
                reading->settings(), {reading->log(), runtime.clock(), runtime.cancel(), host}, options->request);
              print(result.text);
              return as_int(result.exit_code);
            };
          }};
}

}  // namespace volback::cli
