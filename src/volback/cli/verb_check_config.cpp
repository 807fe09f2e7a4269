// `volback check-config`: every schedule validated, then read-only reachability checks
// (app/commands/check_config.hpp).

#include <volback/app/commands/check_config.hpp>
#include <volback/cli/verbs.hpp>

namespace volback::cli {

Verb check_config_verb() {
  return {"check-config", "Validate every schedule, then check read-only that storage can be reached",
          [](CLI::App&) -> VerbRunner {
            return [](Runtime& runtime) {
              const app::Host host = app::docker_host(runtime.log(), runtime.cancel());
              std::string output;
              const auto code = app::run_check_config(runtime.environment(),
                                                      {runtime.log(), runtime.clock(), runtime.cancel(), host}, output);
              print(output);
              return as_int(code);
            };
          }};
}

}  // namespace volback::cli
