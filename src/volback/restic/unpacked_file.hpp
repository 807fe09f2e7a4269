#pragma once
// restic's unpacked files: index, snapshot and lock files (the format's §5). Each holds
// one JSON document, which repository version 2 stores as 0x02 || zstd(JSON) (version 1,
// and version 2 for compatibility, as the raw JSON), sealed with the master key. A file
// is stored under the SHA-256 of its sealed bytes, which a reader checks first.

#include <cstddef>
#include <string>
#include <string_view>

#include <volback/restic/id.hpp>
#include <volback/restic/master_key.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

// The largest JSON document volback reads from an unpacked file (an index file of 150 000
// blobs is about 25 MiB).
inline constexpr std::size_t k_max_unpacked_json = std::size_t{256} << 20;

// The stored bytes of `json` in a repository of `repo_version`: compressed in version 2
// (restic's prefix byte, then a zstd frame), raw JSON in version 1; then sealed.
util::Result<std::string> seal_unpacked(const MasterKey& key, std::string_view json, unsigned repo_version);

// The JSON document stored in `file`, which was read under the name `name`. Errors:
// corrupt when the bytes do not hash to the name ("invalid data returned"), do not
// authenticate, are neither compressed nor raw JSON, or would exceed `max_json` bytes.
util::Result<std::string> open_unpacked(const MasterKey& key, std::string_view file, const Id& name,
                                        std::size_t max_json = k_max_unpacked_json);

}  // namespace volback::restic
