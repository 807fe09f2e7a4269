// `volback restore [BACKUP|latest] [--backend NAME] [--volume NAME ...]
//                  (--to DIR | --in-place) [--overwrite] [--dry-run] [--no-verify]
//                  [--identity FILE] [--config FILE]` (app/commands/restore_command.hpp).

#include <volback/app/commands/restore_command.hpp>
#include <volback/cli/reading_settings.hpp>
#include <volback/cli/verbs.hpp>

namespace volback::cli {

Verb restore_verb() {
  return {
    "restore", "Restore volumes from a backup, checked against its manifest first",
    [](CLI::App& command) -> VerbRunner {
      command.footer(
        "Exit codes: 0 restored, 1 failed (no target changed; also a wrong or missing decryption key),\n"
        "2 bad usage, a refused target (not empty without --overwrite, read-only) or bad configuration.");
      struct Options {
        app::RestoreRequest request;
        std::string to;
        std::string identity;
        std::string config_file;
      };
      auto options = std::make_shared<Options>();
      auto& request = options->request;
      command.add_option("backup", request.backup, "The backup's name, or latest (the default)");
      command.add_option("--backend", request.backend, "Read from this backend; default: the first holding it");
      command.add_option("--volume", request.volumes, "Restore only this volume (repeatable); default: all");
      auto* to = command.add_option("--to", options->to, "Restore the volumes into DIR/<volume>")->type_name("DIR");
      auto* in_place = command.add_flag(
        "--in-place", request.in_place,
        "Restore into the live volume directories under BACKUP_SOURCES, stopping the labelled containers and "
        "every other container using those volumes meanwhile");
      to->excludes(in_place);
      command.add_flag("--overwrite", request.overwrite, "Replace the content of non-empty targets");
      command.add_flag("--no-verify", request.no_verify,
                       "Restore an archive that has no volback manifest (made by offen or GNU tar), or without "
                       "comparing with its manifest: skips the check of content hashes, metadata and "
                       "completeness; the name rules and the checks of every write still apply");
      command.add_flag("--dry-run", request.dry_run,
                       "Read and check the backup, print what would be restored and which containers would be "
                       "stopped, change nothing");
      command
        .add_option("--identity", options->identity,
                    "Decrypt with this age identity file, SSH private key or OpenPGP secret key ring (instead of "
                    "AGE_IDENTITY_FILE or GPG_SECRET_KEY_RING_FILE)")
        ->type_name("FILE");
      command
        .add_option("--config", options->config_file, "Use the settings of this conf.d file (over the environment)")
        ->type_name("FILE");
      return [options](Runtime& runtime) {
        auto run_request = options->request;
        if (!options->to.empty()) {
          run_request.to = options->to;
        }
        if (!options->identity.empty()) {
          run_request.identity = options->identity;
        }
        auto reading = ReadingSettings::load(
          runtime, options->config_file,
          run_request.in_place ? ReadingSettings::Sources::read : ReadingSettings::Sources::ignored);
        if (!reading) {
          return as_int(app::ExitCode::usage);
        }
        const app::Host host = app::docker_host(reading->log(), runtime.cancel());
        const auto result = app::run_restore_command(
          reading->settings(), {reading->log(), runtime.clock(), runtime.cancel(), host}, run_request);
        print(result.text);
        return as_int(result.exit_code);
      };
    }};
}

}  // namespace volback::cli
