#pragma once
// The functions a template can call, and the methods of its values, as Go's
// text/template calls them: each declares its parameters (template_exec.hpp converts and
// checks the arguments as Go's reflection-based call does) and returns a value or an
// error ("error calling <name>: …").
//
// Builtins: and, or (short-circuit, returning the deciding operand), not, len, index,
// slice, print, printf, println, eq, ne, lt, le, gt, ge, html, js, urlquery. Methods:
// time.Time's Format, String, Unix, UnixMilli, UnixNano, UTC, Year, YearDay, Day, Hour,
// Minute, Second, Nanosecond, IsZero; time.Duration's String, Seconds, Minutes, Hours,
// Milliseconds, Microseconds, Nanoseconds; an error's Error; a stringer's String and Len.

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <volback/notify/template_value.hpp>
#include <volback/util/result.hpp>

namespace volback::notify {

// What a parameter accepts, after Go's types.
enum class ParamType {
  value,   // reflect.Value (the builtins above): any value; a nil literal is refused
  any,     // interface{}: any value, nil included
  string,  // string
  time,    // time.Time
  uint64,  // uint64
  int64,   // int64
};

// Go's name of a parameter type, for messages.
std::string_view param_type_name(ParamType type);

struct Function {
  enum class Special { none, and_op, or_op };
  std::vector<ParamType> params;
  bool variadic = false;  // the last parameter repeats
  Special special = Special::none;
  std::function<util::Result<Value>(std::span<const Value> args)> call;
};

using FunctionMap = std::map<std::string, Function, std::less<>>;

// Go's builtin functions.
const FunctionMap& builtin_functions();

// The method `name` of `receiver`, bound to it; nullopt when its type has none.
std::optional<Function> find_method(const Value& receiver, std::string_view name);

}  // namespace volback::notify
