// `volback check [--read-data | --read-data-subset N%] [--config FILE]`
// (app/commands/check_command.hpp).

#include <volback/app/commands/check_command.hpp>
#include <volback/cli/printing_verb.hpp>

namespace volback::cli {

Verb check_verb() {
  return {
    "check", "Check the restic-format repository as restic check does", [](CLI::App& command) {
      command.footer("Exit codes: 0 sound, 1 errors found or the repository cannot be read, 2 bad configuration.");
      struct Options {
        app::CheckRequest request;
        std::string subset;
      };
      auto options = std::make_shared<Options>();
      auto* read_data =
        command.add_flag("--read-data", options->request.read_data, "Read every pack and check every blob");
      command.add_option("--read-data-subset", options->subset, "Read this percentage of the packs (e.g. 10%)")
        ->type_name("N%")
        ->excludes(read_data);
      return printing_verb(command, [options](const util::Settings& settings, const app::CommandDeps& deps) {
        if (!options->subset.empty()) {
          options->request.read_data_subset = options->subset;
        }
        return app::run_check_command(settings, deps, options->request);
      });
    }};
}

}  // namespace volback::cli
