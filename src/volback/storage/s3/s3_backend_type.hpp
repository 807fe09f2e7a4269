#pragma once
// The registry entry of the S3 backend (storage/backend_config.hpp).

#include <volback/storage/backend_config.hpp>

namespace volback::storage::s3 {

// "S3": configured when AWS_S3_BUCKET_NAME is set.
const BackendType& backend_type();

}  // namespace volback::storage::s3
