#pragma once
// `volback verify [BACKUP|latest] [--backend NAME]`: reads a backup from its backend and
// checks it through the one checked read path (restore/verify_backup.hpp).

#include <optional>
#include <string>

#include <volback/app/commands/host.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

struct VerifyRequest {
  std::string backup = "latest";  // a backup name or "latest"
  std::string backend;            // empty: the first configured backend holding it
  // --identity FILE: an age identity, SSH private key or OpenPGP secret key ring that
  // decrypts the backup (crypto/decryption_keys.hpp).
  std::optional<std::string> identity;
};

struct VerifyCommandResult {
  ExitCode exit_code = ExitCode::ok;
  std::string text;  // for stdout
};

// Validates the configuration and the decryption keys (exit 2 when invalid or the backend
// is unknown), picks the backup (exit 1 when there is none), verifies it (exit 1 when
// it is corrupt, or encrypted and the key is wrong or missing) and formats the report.
VerifyCommandResult run_verify_command(const util::Settings& settings, const CommandDeps& deps,
                                       const VerifyRequest& request);

}  // namespace volback::app
