#pragma once
// The names of the local backend's temporary files.

#include <string>
#include <string_view>

namespace volback::storage::local {

// Every file the local backend writes starts under a name with this prefix and is
// renamed into place when complete. Entries with it are never listed, and
// remove_incomplete_uploads() deletes them.
inline constexpr std::string_view k_partial_prefix = ".volback-partial-";

}  // namespace volback::storage::local
