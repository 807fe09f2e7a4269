// `volback list [--json] [--config FILE]` (app/commands/list_command.hpp).

#include <volback/app/commands/list_command.hpp>
#include <volback/cli/reading_settings.hpp>
#include <volback/cli/verbs.hpp>

namespace volback::cli {

Verb list_verb() {
  return {"list", "List the backups on every configured backend, newest first", [](CLI::App& command) -> VerbRunner {
            command.footer("Exit codes: 0 listed, 1 a backend could not be listed, 2 bad configuration.");
            struct Options {
              app::ListRequest request;
              std::string config_file;
            };
            auto options = std::make_shared<Options>();
            command.add_flag("--json", options->request.json, "Print a JSON array instead of a table");
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
              const auto result = app::run_list_command(
                reading->settings(), {reading->log(), runtime.clock(), runtime.cancel(), host}, options->request);
              print(result.text);
              return as_int(result.exit_code);
            };
          }};
}

}  // namespace volback::cli
