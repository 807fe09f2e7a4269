#pragma once
// The registry entry of the SSH/SFTP backend (storage/backend_config.hpp).

#include <volback/storage/backend_config.hpp>

namespace volback::storage::sftp {

// "SSH": configured when SSH_HOST_NAME is set.
const BackendType& backend_type();

}  // namespace volback::storage::sftp
