// `volback healthcheck`: for a Docker HEALTHCHECK (app/daemon/health.hpp).

#include <fmt/format.h>

#include <volback/app/commands/healthcheck_command.hpp>
#include <volback/app/config/run_settings.hpp>
#include <volback/app/config/schedule_settings.hpp>
#include <volback/cli/verbs.hpp>

namespace volback::cli {

Verb healthcheck_verb() {
  return {"healthcheck", "Exit 0 unless a schedule is overdue or its last run failed", [](CLI::App&) -> VerbRunner {
            return [](Runtime& runtime) {
              const auto& settings = runtime.settings();
              auto state_dir = settings.get_string(app::k_state_dir);
              auto grace = app::parse_health_grace(settings);
              if (!state_dir || !grace) {
                print(fmt::format("unhealthy: {}\n", (!state_dir ? state_dir.error() : grace.error()).message()));
                return as_int(app::ExitCode::usage);
              }
              std::string output;
              const auto code = app::run_healthcheck(*state_dir, *grace, runtime.clock(), output);
              print(output);
              return as_int(code);
            };
          }};
}

}  // namespace volback::cli
