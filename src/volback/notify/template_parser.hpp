#pragma once
// The parser of Go's text/template syntax for one file of templates: its top level and
// each {{define}} (or {{block}}) in it become a Tree. The grammar, and which mistakes are
// errors at parse time, follow Go's text/template/parse: unknown functions, undefined
// variables, misplaced {{else}}, {{end}}, {{break}} and {{continue}}, empty commands,
// literals given arguments, two non-empty definitions of one name in a file. Pure.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <volback/notify/template_ast.hpp>
#include <volback/util/result.hpp>

namespace volback::notify {

// Parses `text`; the first tree is the file's top level, named `file`, then one per
// definition in order. `is_function` says which identifiers are functions. Errors are
// invalid_argument: "<file>: line N: <what>".
util::Result<std::vector<Tree>> parse_template(std::string_view file, std::string_view text,
                                               const std::function<bool(std::string_view)>& is_function);

// Go's strconv.Unquote for a "…", `…` or '…' literal as the lexer found it; nullopt when
// it is malformed.
std::optional<std::string> unquote_go_literal(std::string_view quoted);

}  // namespace volback::notify
