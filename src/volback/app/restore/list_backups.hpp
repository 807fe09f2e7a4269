#pragma once
// `volback list [--json]`: the backups on every configured backend, newest first, with
// the backends holding each; a backup missing from some backend is flagged.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <volback/app/config/backup_config.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/storage/backend.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/settings.hpp>
#include <volback/util/terminal_text.hpp>  // escape_for_terminal, for every name shown on stdout
#include <volback/util/time_zone.hpp>

namespace volback::app {

struct BackupListing {
  std::string name;
  std::uint64_t size = 0;             // as the first backend holding it reports it
  util::TimePoint time;               // the earliest modification time among the backends
  std::vector<std::string> backends;  // in configuration order
  std::vector<std::string> missing;   // configured backends that do not hold it
};

struct CollectedBackups {
  std::vector<BackupListing> backups;
  // One per backend that could not be listed, its name in the message. Such a backend
  // counts as neither holding nor missing a backup.
  std::vector<util::Error> errors;
};

// Lists every backend (keys starting with `prefix`) and merges the results by name,
// newest first (ties by name, descending). A failing backend does not stop the others.
CollectedBackups collect_backups(std::span<storage::Backend* const> backends, std::string_view prefix);

// A table for people: name, size, time in `zone`, backends, and "only on ..." flags.
// Names are shown through util::escape_for_terminal: control characters, a backslash
// and invalid UTF-8 as escapes, so one backup is always one row.
std::string format_listing_text(std::span<const BackupListing> backups, const util::TimeZone& zone);
// A JSON array of {name, size, time (RFC 3339 UTC), backends, missing, complete}. Names
// are exact, JSON-escaped (control characters as \uXXXX); invalid UTF-8, which JSON
// cannot hold, becomes U+FFFD.
std::string format_listing_json(std::span<const BackupListing> backups);

struct ResolvedBackup {
  std::string name;
  storage::Backend* backend = nullptr;  // one of `all`
};

// Picks the backup `backup` (a name, or "latest": the newest with `prefix`) on the
// backend called `backend_name` (any case; empty: the first backend holding it).
// Backends that cannot be listed are logged and passed over. Errors: invalid_argument
// for an unknown backend name; not_found when there is no such backup.
util::Result<ResolvedBackup> resolve_backup(std::span<const std::unique_ptr<storage::Backend>> all,
                                            std::string_view backend_name, std::string_view backup,
                                            std::string_view prefix, util::Logger& log);

}  // namespace volback::app
