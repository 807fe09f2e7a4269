// `volback list [--json] [--config FILE]` (app/commands/list_command.hpp).

#include <volback/app/commands/list_command.hpp>
#include <volback/cli/printing_verb.hpp>

namespace volback::cli {

Verb list_verb() {
  return {"list", "List the backups on every configured backend, newest first", [](CLI::App& command) {
            command.footer("Exit codes: 0 listed, 1 a backend could not be listed, 2 bad configuration.");
            auto request = std::make_shared<app::ListRequest>();
            command.add_flag("--json", request->json, "Print a JSON array instead of a table");
            return printing_verb(command, [request](const util::Settings& settings, const app::CommandDeps& deps) {
              return app::run_list_command(settings, deps, *request);
            });
          }};
}

}  // namespace volback::cli
