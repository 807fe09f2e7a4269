#pragma once
// `volback restore [BACKUP|latest] [--backend NAME] [--volume NAME ...]
//                  (--to DIR | --in-place) [--overwrite] [--dry-run]`
//
// The command around restore_archive (restore_backup.hpp): configuration, the backup
// chosen on its backend, the targets, and for --in-place the lock and the containers.
//
// --to DIR restores into DIR/<volume>, creating what is missing. --in-place restores
// into the live volume directories under BACKUP_SOURCES, which must exist: every
// selected one is checked (writable, empty unless --overwrite) before any container
// is stopped. Then, under the global run lock, the labelled containers and every
// other running container that uses one of those directories are stopped through the
// crash-safe journal, and restarted when the restore has finished or failed.
// --dry-run reads and checks the whole backup, names the containers that would be
// stopped, and changes nothing.
// An encrypted backup is decrypted with the passphrase settings, AGE_IDENTITY_FILE,
// GPG_SECRET_KEY_RING_FILE or --identity; a wrong or missing key fails (exit 1) before
// anything is written and, in place, before any container is stopped.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <volback/app/commands/host.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

struct RestoreRequest {
  std::string backup = "latest";
  std::string backend;
  std::vector<std::string> volumes;  // empty: all
  std::optional<std::string> to;
  bool in_place = false;
  bool overwrite = false;
  bool dry_run = false;
  bool no_verify = false;  // restore an archive without comparing it with a manifest
  // --identity FILE: what decrypts an encrypted backup (crypto/decryption_keys.hpp).
  std::optional<std::string> identity;
};

struct RestoreCommandResult {
  ExitCode exit_code = ExitCode::ok;
  std::string text;  // for stdout
};

RestoreCommandResult run_restore_command(const util::Settings& settings, const CommandDeps& deps,
                                         const RestoreRequest& request);

}  // namespace volback::app
