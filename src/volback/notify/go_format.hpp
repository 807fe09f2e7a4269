#pragma once
// Go's fmt package over template values (template_value.hpp), as text/template prints
// them: an action's output is fmt.Sprint of its value, and print, println and printf are
// fmt.Sprint, fmt.Sprintln and fmt.Sprintf. Pure.
//
// %v follows Go: numbers in decimal (floats as strconv's shortest %g), slices as
// "[a b]", maps as "map[k:v]" with sorted keys, structs as "{a b}" ("&{a b}" behind a
// pointer, "{Name:a}" with %+v), time.Time and time.Duration by their String methods, errors
// and stringers by their text. printf knows the verbs v s q d b o O x X c U e E f F g G t
// T %, the flags + - # space 0, width and precision (also '*'), and Go's error forms:
// "%!d(string=x)" for a wrong verb, "%!d(MISSING)", "%!(EXTRA int=1)", "%!(NOVERB)",
// "%!(BADWIDTH)", "%!(BADPREC)".

#include <span>
#include <string>
#include <string_view>

#include <volback/notify/template_value.hpp>

namespace volback::notify {

// fmt.Sprint(v) for one value; an invalid value is "<nil>".
std::string go_sprint_value(const Value& v);

// fmt.Sprint: spaces between operands when neither is a string.
std::string go_sprint(std::span<const Value> args);

// fmt.Sprintln: spaces between all operands, a newline at the end.
std::string go_sprintln(std::span<const Value> args);

// fmt.Sprintf.
std::string go_sprintf(std::string_view format, std::span<const Value> args);

// strconv.FormatFloat(v, verb, precision, 64) for the verbs e E f g G; precision -1 is the
// shortest text that reads back as `v`.
std::string format_go_float(double v, char verb, int precision);

}  // namespace volback::notify
