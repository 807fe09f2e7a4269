// `volback snapshots [--json] [--config FILE]` (app/commands/snapshots_command.hpp).

#include <volback/app/commands/snapshots_command.hpp>
#include <volback/cli/printing_verb.hpp>

namespace volback::cli {

Verb snapshots_verb() {
  return {"snapshots", "List the snapshots of the restic-format repository, oldest first", [](CLI::App& command) {
            command.footer("Exit codes: 0 listed, 1 the repository cannot be read, 2 bad configuration.");
            auto request = std::make_shared<app::SnapshotsRequest>();
            command.add_flag("--json", request->json, "Print restic's JSON instead of a table");
            return printing_verb(command, [request](const util::Settings& settings, const app::CommandDeps& deps) {
              return app::run_snapshots_command(settings, deps, *request);
            });
          }};
}

}  // namespace volback::cli
