#pragma once
// $VAR and ${VAR} expansion with Go's os.Expand rules, for BACKUP_FILENAME_EXPAND.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace volback::util {

using VariableLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Replaces $NAME and ${NAME} with lookup(NAME), or "" when it is unset, following Go's
// os.Expand byte for byte:
//   - $NAME: NAME is the longest run of [A-Za-z0-9_] after the '$'.
//   - $c where c is one of the special characters * # $ @ ! ? - or a digit: the
//     one-character variable c ("$12" is $1 followed by "2", "$$" looks up "$").
//   - ${NAME}: everything up to the first '}' is the name, verbatim ("${A:-x}" looks up
//     "A:-x"); ${c} with a special character c as above.
//   - "${}" expands to nothing; "${" without a closing '}' drops just the "${".
//   - A '$' followed by any other character, or at the very end, stays as it is.
// Pure; `lookup` is called once per reference, never for an empty name.
std::string expand_env(std::string_view text, const VariableLookup& lookup);

}  // namespace volback::util
