#pragma once
// The registry entry of the WebDAV backend (storage/backend_config.hpp).

#include <volback/storage/backend_config.hpp>

namespace volback::storage::webdav {

// "WebDAV": configured when WEBDAV_URL is set.
const BackendType& backend_type();

}  // namespace volback::storage::webdav
