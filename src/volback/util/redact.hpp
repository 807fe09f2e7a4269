#pragma once
// Hiding the user info of URLs ("https://user:password@host") before text is shown to
// people: print-config, error messages, logs and the run history.
//
// Credentials belong in secret settings (shown as ***), never in a URL; volback refuses
// user info in the endpoints it validates (AWS_ENDPOINT, DOCKER_HOST). These helpers are
// the second line: whatever slips through is redacted, never echoed. Both are pure.

#include <string>
#include <string_view>

namespace volback::util {

// What replaces user info.
inline constexpr std::string_view k_redacted = "***";

// Every URL in free text: for each "scheme://" (scheme = a letter, then letters, digits,
// '+', '-' or '.'), everything from after the "://" up to the last '@' before the next
// whitespace, quote ('"', '\'', '`'), '<' or '>' (or the end) becomes ***:
//   "GET https://AKIA:s3cr3t@host:9000/b failed" -> "GET https://***@host:9000/b failed"
// The last '@' rather than the first '/' ends the user info, so that a password with a
// raw '/', '?', '#' or '@' is hidden whole; a URL whose path holds an '@' loses its host
// too, which is the safe mistake.
std::string redact_url_userinfo(std::string_view text);

// One configured endpoint, a URL or a bare host[:port] ("user:pass@host:9000", no
// scheme): everything before its last '@' (after the "scheme://", when there is one)
// becomes ***. Without an '@' the value is returned unchanged.
std::string redact_endpoint_userinfo(std::string_view value);

// Whether `value` (a URL or host[:port]) carries user info: an '@' after the optional
// "scheme://".
bool has_userinfo(std::string_view value);

}  // namespace volback::util
