// `volback print-config` (offen's `backup print-config`): every schedule's configuration,
// secrets as *** (app/commands/check_config.hpp).

#include <volback/app/commands/check_config.hpp>
#include <volback/cli/verbs.hpp>

namespace volback::cli {

Verb print_config_verb() {
  return {"print-config", "Print every schedule's configuration (secrets shown as ***)", [](CLI::App&) -> VerbRunner {
            return [](Runtime& runtime) {
              const auto rendered = app::render_all_schedules(runtime.environment(), runtime.clock());
              print(rendered.text);
              return as_int(rendered.exit_code);
            };
          }};
}

}  // namespace volback::cli
