#pragma once
// The registry entry of the Google Drive backend (storage/backend_config.hpp).

#include <volback/storage/backend_config.hpp>

namespace volback::storage::gdrive {

// "GoogleDrive": configured when GOOGLE_DRIVE_CREDENTIALS_JSON is set.
const BackendType& backend_type();

}  // namespace volback::storage::gdrive
