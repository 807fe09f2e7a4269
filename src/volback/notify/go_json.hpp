#pragma once
// Go's encoding/json over template values, for offen's toJson and toPrettyJson: structs
// as objects with their fields in order, maps with sorted keys, nil slices and nil or
// missing values as null, time.Time as its RFC 3339 text with nanoseconds,
// time.Duration as its integer nanoseconds, errors and stringers (which have no exported
// fields) as {}. Strings are escaped as Go does, "<", ">" and "&" included (\u003c …),
// and invalid UTF-8 becomes U+FFFD. Pure.

#include <string>

#include <volback/notify/template_value.hpp>

namespace volback::notify {

// json.Marshal(v).
std::string go_json(const Value& v);

// json.MarshalIndent(v, "", "  ").
std::string go_json_indented(const Value& v);

}  // namespace volback::notify
