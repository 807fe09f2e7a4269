// `volback check [--read-data | --read-data-subset N%] [--config FILE]`
// (app/commands/check_command.hpp).

#include <volback/app/commands/check_command.hpp>
#include <volback/cli/reading_settings.hpp>
#include <volback/cli/verbs.hpp>

namespace volback::cli {

Verb check_verb() {
  return {
    "check", "Check the restic-format repository as restic check does", [](CLI::App& command) -> VerbRunner {
      command.footer("Exit codes: 0 sound, 1 errors found or the repository cannot be read, 2 bad configuration.");
      struct Options {
        app::CheckRequest request;
        std::string subset;
        std::string config_file;
      };
      auto options = std::make_shared<Options>();
      auto* read_data =
        command.add_flag("--read-data", options->request.read_data, "Read every pack and check every blob");
      command.add_option("--read-data-subset", options->subset, "Read this percentage of the packs (e.g. 10%)")
        ->type_name("N%")
        ->excludes(read_data);
      command
        .add_option("--config", options->config_file, "Use the settings of this conf.d file (over the environment)")
        ->type_name("FILE");
      return [options](Runtime& runtime) {
        auto reading = ReadingSettings::load(runtime, options->config_file, ReadingSettings::Sources::ignored);
        if (!reading) {
          return as_int(app::ExitCode::usage);
        }
        if (!options->subset.empty()) {
          options->request.read_data_subset = options->subset;
        }
        const app::Host host = app::no_containers_host();
        const auto result = app::run_check_command(
          reading->settings(), {reading->log(), runtime.clock(), runtime.cancel(), host}, options->request);
        print(result.text);
        return as_int(result.exit_code);
      };
    }};
}

}  // namespace volback::cli
