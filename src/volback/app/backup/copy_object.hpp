#pragma once
// Uploads a finished archive from a readable stream to a backend.

#include <cstdint>
#include <string_view>

#include <volback/io/source.hpp>
#include <volback/storage/backend.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

// Reads `source` to its end into backend.begin_upload(key) and finishes the upload.
// On any error the upload is aborted and nothing appears on the backend.
util::Result<storage::ObjectInfo> copy_object(io::Source& source, storage::Backend& backend, std::string_view key,
                                              const storage::PutOptions& options, const util::CancelToken& cancel);

}  // namespace volback::app
