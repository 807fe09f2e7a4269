#pragma once
// $VAR and ${VAR} expansion with Go's os.Expand rules, for BACKUP_FILENAME_EXPAND.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace volback::util {

using VariableLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Replaces $NAME and ${NAME} with lookup(NAME), or "" when it is unset. NAME is
// [A-Za-z0-9_]+ ; a single special character (*#$@!?- or a digit) also names a variable,
// as in Go. A '$' followed by anything else is dropped with that character... exactly as
// os.Expand does. Pure.
std::string expand_env(std::string_view text, const VariableLookup& lookup);

}  // namespace volback::util
