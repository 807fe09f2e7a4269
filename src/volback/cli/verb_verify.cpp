// `volback verify [BACKUP|latest] [--backend NAME] [--identity FILE] [--config FILE]`
// (app/commands/verify_command.hpp).

#include <volback/app/commands/verify_command.hpp>
#include <volback/cli/reading_settings.hpp>
#include <volback/cli/verbs.hpp>

namespace volback::cli {

Verb verify_verb() {
  return {"verify", "Read a backup from its backend and check every file against its manifest",
          [](CLI::App& command) -> VerbRunner {
            command.footer(
              "Exit codes: 0 intact (also a foreign archive, with a warning: readable, no manifest),\n"
              "1 corrupt or unreadable (each failing entry is named; also a wrong or missing decryption key),\n"
              "2 bad usage or configuration.");
            struct Options {
              app::VerifyRequest request;
              std::string identity;
              std::string config_file;
            };
            auto options = std::make_shared<Options>();
            command.add_option("backup", options->request.backup, "The backup's name, or latest (the default)");
            command.add_option("--backend", options->request.backend,
                               "Read from this backend (Local, S3, ...); default: the first holding it");
            command
              .add_option("--identity", options->identity,
                          "Decrypt with this age identity file, SSH private key or OpenPGP secret key ring "
                          "(instead of AGE_IDENTITY_FILE or GPG_SECRET_KEY_RING_FILE)")
              ->type_name("FILE");
            command
              .add_option("--config", options->config_file,
                          "Use the settings of this conf.d file (over the environment)")
              ->type_name("FILE");
            return [options](Runtime& runtime) {
              auto reading = ReadingSettings::load(runtime, options->config_file, ReadingSettings::Sources::ignored);
              if (!reading) {
                return as_int(app::ExitCode::usage);
              }
              const app::Host host = app::no_containers_host();
              auto request = options->request;
              if (!options->identity.empty()) {
                request.identity = options->identity;
              }
              const auto result = app::run_verify_command(
                reading->settings(), {reading->log(), runtime.clock(), runtime.cancel(), host}, request);
              print(result.text);
              return as_int(result.exit_code);
            };
          }};
}

}  // namespace volback::cli
