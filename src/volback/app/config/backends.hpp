#pragma once
// The storage backends of a run: created from the validated configuration (whose
// backends come from the registry, storage/registry), and their preflight, which runs
// before anything is stopped. Every command gets its backends here.

#include <memory>
#include <span>
#include <vector>

#include <volback/app/config/backup_config.hpp>
#include <volback/storage/backend.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

// One backend per configured storage, in the configuration's order (Local first). The
// references must outlive the backends.
std::vector<std::unique_ptr<storage::Backend>> create_backends(const BackupConfig& config, util::Logger& log,
                                                               const util::Clock& clock,
                                                               const util::CancelToken& cancel);

// Runs every backend's preflight: listing is needed when the run prunes that backend.
// Returns the first failure, with the backend's name in the message; the kinds are the
// backend's (auth for refused credentials, not_found for a missing bucket, ...).
util::Result<void> preflight_backends(std::span<const std::unique_ptr<storage::Backend>> backends,
                                      const retention::RetentionSettings& retention);

}  // namespace volback::app
