#include <volback/app/backup/offen_lines.hpp>

#include <fmt/format.h>

#include <volback/util/go_quote.hpp>

namespace volback::app {

void log_archive_created(const BackupConfig& config, std::string_view archive, std::uint64_t size,
                         std::uint64_t entries, util::Logger& log) {
  log.info(fmt::format("Created backup of `{}` at `{}`.", config.archive.source, archive),
           {{"entries", entries}, {"size", size}});
  if (config.encryption.method != crypto::EncryptionMethod::none) {
    // offen's %q quoting and no final period; the encryption happened in the stream.
    log.info(fmt::format("Encrypted backup using {}, saving as {}", util::go_quote(config.encryption.extension()),
                         util::go_quote(archive)),
             {{"encryption", config.encryption.describe()}});
  }
}

void log_archive_stored(const storage::Backend& backend, std::string_view archive, util::Logger& log) {
  for (const auto& line : backend.stored_messages(archive)) {
    log.info(line, {{"storage", backend.name()}});
  }
}

}  // namespace volback::app
