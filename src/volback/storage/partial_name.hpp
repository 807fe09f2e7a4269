#pragma once
// The names of the backends' temporary objects (Local, WebDAV and SFTP write under such
// a name and rename into place when complete).

#include <string>
#include <string_view>

namespace volback::storage {

// Every object a backend writes under a temporary name starts with this prefix, in the
// same directory as its final name. Names with it are never listed (check_key refuses
// keys starting with '.'), and remove_incomplete_uploads() deletes them.
inline constexpr std::string_view k_partial_prefix = ".volback-partial-";

// The temporary key for an upload of `key`: `<prefix><suffix>` in key's directory, e.g.
// "db/x.tar" -> "db/.volback-partial-<suffix>". `suffix` is a random name part.
std::string partial_key_beside(std::string_view key, std::string_view suffix);

}  // namespace volback::storage
