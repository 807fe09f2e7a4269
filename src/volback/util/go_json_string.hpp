#pragma once
// Strings as Go 1.19's encoding/json writes them, for the JSON that must match Go's byte for
// byte: restic's trees, snapshots and locks (a tree's id is the hash of its bytes) and the
// notification templates' toJson. Pure.

#include <string>
#include <string_view>

namespace volback::util {

// Appends `text` as a JSON string in double quotes, as Go 1.19's json.Marshal writes a
// string: `"` and `\` escaped with a backslash, \n \r \t short, other bytes below 0x20 and
// the HTML characters < > & as \u00xx (lower-case hex), U+2028 and U+2029 as \u2028 and
// \u2029, each invalid UTF-8 byte as \ufffd; everything else (DEL, valid non-ASCII) raw.
void append_go_json_string(std::string& out, std::string_view text);

}  // namespace volback::util
