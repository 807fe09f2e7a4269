#pragma once
// Runs a parsed template (template_ast.hpp) over a value (template_value.hpp) with Go's
// text/template semantics: actions print fmt.Sprint of their value ("<no value>" for no
// value), if/with/range test Go's truth, range iterates slices in order and maps in key
// order (with else when empty), variables are scoped to their control structure,
// {{template}} calls see only their argument as dot and $, commands take the previous
// pipeline stage's value as their last argument, fields are looked up on structs and
// maps, methods and functions are called with Go's argument checks (template_functions.hpp).
// Errors are invalid_argument: 'template "NAME" line N: what'.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include <volback/notify/template_ast.hpp>
#include <volback/notify/template_functions.hpp>
#include <volback/notify/template_value.hpp>
#include <volback/util/result.hpp>

namespace volback::notify {

struct ExecLimits {
  std::size_t max_output = 4 * 1024 * 1024;  // bytes of output, past which execution fails
  int max_depth = 100;                       // nested {{template}} calls
};

// Executes the template `name` of `trees` with `data` as dot. `functions` are those the
// templates were parsed with.
util::Result<std::string> execute_template(const std::map<std::string, Tree, std::less<>>& trees, std::string_view name,
                                           const Value& data, const FunctionMap& functions, ExecLimits limits = {});

}  // namespace volback::notify
