#pragma once
// The registry entry of the Dropbox backend (storage/backend_config.hpp).

#include <volback/storage/backend_config.hpp>

namespace volback::storage::dropbox {

// "Dropbox": configured when DROPBOX_REFRESH_TOKEN, DROPBOX_APP_KEY and DROPBOX_APP_SECRET
// are set.
const BackendType& backend_type();

}  // namespace volback::storage::dropbox
