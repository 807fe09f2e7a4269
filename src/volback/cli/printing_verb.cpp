#include <volback/cli/printing_verb.hpp>

#include <volback/cli/reading_settings.hpp>

namespace volback::cli {

VerbRunner printing_verb(CLI::App& command, PrintingCommand run) {
  auto config_file = std::make_shared<std::string>();
  command.add_option("--config", *config_file, "Use the settings of this conf.d file (over the environment)")
    ->type_name("FILE");
  return [config_file, run = std::move(run)](Runtime& runtime) {
    auto reading = ReadingSettings::load(runtime, *config_file, ReadingSettings::Sources::ignored);
    if (!reading) {
      return as_int(app::ExitCode::usage);
    }
    const app::Host host = app::no_containers_host();
    const auto result = run(reading->settings(), {reading->log(), runtime.clock(), runtime.cancel(), host});
    print(result.text);
    return as_int(result.exit_code);
  };
}

}  // namespace volback::cli
