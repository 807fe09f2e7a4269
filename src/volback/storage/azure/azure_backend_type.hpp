#pragma once
// The registry entry of the Azure Blob backend (storage/backend_config.hpp).

#include <volback/storage/backend_config.hpp>

namespace volback::storage::azure {

// "Azure": configured when AZURE_STORAGE_ACCOUNT_NAME is set.
const BackendType& backend_type();

}  // namespace volback::storage::azure
