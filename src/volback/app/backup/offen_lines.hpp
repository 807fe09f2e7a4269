#pragma once
// offen's info lines for the steps of a backup run that volback shares with it, word for
// word (docs/migration-from-offen.md lists them), so that what users grep for in offen's
// logs is found in volback's. Each line is offen's message text; volback's own key=value
// attributes, if any, follow it.

#include <cstdint>
#include <string>
#include <string_view>

#include <volback/app/config/backup_config.hpp>
#include <volback/storage/backend.hpp>
#include <volback/util/logging.hpp>

namespace volback::app {

// "Created backup of `<sources>` at `<archive>`." and, when the archive is encrypted,
// "Encrypted backup using "<ext>", saving as "<archive>"". `archive` is where the
// archive is: its path in the local backend's directory, else its name (volback writes
// no temporary file where offen names one).
void log_archive_created(const BackupConfig& config, std::string_view archive, std::uint64_t size,
                         std::uint64_t entries, util::Logger& log);

// What offen's storage package logs for `backend` once it has stored `archive` (its
// name), with storage=<backend name> as offen adds it.
void log_archive_stored(const storage::Backend& backend, std::string_view archive, util::Logger& log);

}  // namespace volback::app
