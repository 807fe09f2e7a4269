#pragma once
// conf.d env files, read as offen/docker-volume-backup reads them.
//
// Each line is handled on its own (values cannot span lines):
//   1. surrounding spaces are trimmed; empty lines and lines starting with '#' are skipped;
//   2. the line is shell-expanded as the text of a here-document: $NAME, ${NAME},
//      ${NAME:-default}, ${NAME-default}, ${NAME:+alt} and ${NAME+alt} (the default or
//      alternative is expanded too), where NAME is looked up among the keys of the
//      file's earlier lines first, then in `environment`. "\$", "\\" and "\`" are escapes;
//      a '$' not followed by a name, '{' or '(' stays. Quotes do not stop expansion (as in
//      offen: `A='$HOME'` expands). Command substitution is refused;
//   3. the result is one dotenv assignment: [export ]KEY=VALUE or KEY: VALUE, KEY made of
//      [A-Za-z0-9_.]; VALUE 'single quoted' (verbatim), "double quoted" (\n and \r become
//      newline and carriage return, \x becomes x), or bare (up to a " #" comment, trailing
//      spaces trimmed).
// A later line overrides an earlier one with the same key.

#include <map>
#include <string>
#include <string_view>

#include <volback/util/env_expand.hpp>
#include <volback/util/result.hpp>

namespace volback::util {

using EnvMap = std::map<std::string, std::string, std::less<>>;

// Parses the content of one env file. Pure. invalid_argument "line N: <reason>" on a
// syntax error (unterminated quote or ${, no '=', bad key, command substitution). The
// reason never quotes the line, a value or the text of a substitution: an env file holds
// secrets, and a line without '=' is often a secret pasted on its own. Only variable
// names that are valid identifiers are named.
Result<EnvMap> parse_env_file(std::string_view text, const VariableLookup& environment);

}  // namespace volback::util
