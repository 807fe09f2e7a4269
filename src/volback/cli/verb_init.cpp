// `volback init [--config FILE]` (app/commands/init_command.hpp).

#include <volback/app/commands/init_command.hpp>
#include <volback/cli/reading_settings.hpp>
#include <volback/cli/verbs.hpp>

namespace volback::cli {

Verb init_verb() {
  return {"init", "Create the restic-format repository RESTIC_REPOSITORY names", [](CLI::App& command) -> VerbRunner {
            command.footer("Exit codes: 0 created, 1 it exists already or cannot be written, 2 bad configuration.");
            auto config_file = std::make_shared<std::string>();
            command.add_option("--config", *config_file, "Use the settings of this conf.d file (over the environment)")
              ->type_name("FILE");
            return [config_file](Runtime& runtime) {
              auto reading = ReadingSettings::load(runtime, *config_file, ReadingSettings::Sources::ignored);
              if (!reading) {
                return as_int(app::ExitCode::usage);
              }
              const app::Host host = app::no_containers_host();
              const auto result =
                app::run_init_command(reading->settings(), {reading->log(), runtime.clock(), runtime.cancel(), host});
              print(result.text);
              return as_int(result.exit_code);
            };
          }};
}

}  // namespace volback::cli
