#pragma once
// The remote storage backends of a run (S3 for now): creating them from the validated
// configuration, and their preflight, which runs before anything is stopped.

#include <memory>
#include <span>
#include <vector>

#include <volback/app/backup_config.hpp>
#include <volback/storage/backend.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

// Appends a backend for each configured remote storage. The references must outlive
// the backends.
void add_remote_backends(const BackupConfig& config, util::Logger& log, const util::Clock& clock,
                         const util::CancelToken& cancel, std::vector<std::unique_ptr<storage::Backend>>& backends);

// Runs every backend's preflight: listing is needed when the run prunes that backend.
// Returns the first failure, with the backend's name in the message; the kinds are the
// backend's (auth for refused credentials, not_found for a missing bucket, ...).
util::Result<void> preflight_backends(std::span<const std::unique_ptr<storage::Backend>> backends,
                                      const retention::RetentionSettings& retention);

}  // namespace volback::app
