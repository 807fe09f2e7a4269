// `volback init [--config FILE]` (app/commands/init_command.hpp).

#include <volback/app/commands/init_command.hpp>
#include <volback/cli/printing_verb.hpp>

namespace volback::cli {

Verb init_verb() {
  return {"init", "Create the restic-format repository RESTIC_REPOSITORY names", [](CLI::App& command) {
            command.footer("Exit codes: 0 created, 1 it exists already or cannot be written, 2 bad configuration.");
            return printing_verb(command, app::run_init_command);
          }};
}

}  // namespace volback::cli
