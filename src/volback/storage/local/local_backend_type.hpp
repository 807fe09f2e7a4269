#pragma once
// The registry entry of the local backend (storage/backend_config.hpp).

#include <memory>

#include <volback/storage/backend_config.hpp>
#include <volback/storage/local/local_settings.hpp>

namespace volback::storage::local {

// "Local": configured when BACKUP_ARCHIVE exists; BACKUP_LATEST_SYMLINK is expanded
// with the registry's NameExpander.
const BackendType& backend_type();

// The configuration of a local backend in `settings.directory` (for tests and tools
// that choose the directory themselves).
std::shared_ptr<const BackendConfig> make_local_config(LocalSettings settings);

}  // namespace volback::storage::local
