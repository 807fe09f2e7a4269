#pragma once
// A notification URL in shoutrrr's syntax, split the way Go's net/url splits it: scheme,
// user info, host and port, path and query. Percent-escapes are decoded (in the query,
// '+' is a space); a malformed escape, port or character is an error. Pure.
//
// Errors never quote the URL: its user info, path and query often hold the secret.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::notify {

struct ServiceUrl {
  std::string scheme;  // lower case: "smtp", "generic+https"
  std::optional<std::string> user;
  std::optional<std::string> password;  // nullopt when the user info has no ':'
  std::string host;                     // without brackets for IPv6
  std::optional<int> port;
  std::string raw_authority_host;                          // host[:port] as written (with brackets), decoded
  std::string path;                                        // decoded
  std::string raw_path;                                    // as written
  std::string raw_query;                                   // as written, without '?'
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order

  // The value of the first query parameter whose key equals `key` ignoring ASCII case.
  std::optional<std::string> param(std::string_view key) const;
};

// Splits `url`. invalid_argument naming what is wrong ("invalid port", "invalid
// percent-escape in the query", …), never the URL's text.
util::Result<ServiceUrl> parse_service_url(std::string_view url);

// Go's url.PathUnescape / QueryUnescape; nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Lower-cases ASCII letters.
std::string ascii_lower(std::string_view text);

// shoutrrr's booleans: yes/no, true/false, 1/0, y/n in any case; nullopt otherwise.
std::optional<bool> parse_shoutrrr_bool(std::string_view text);

// A comma-separated list, empty items dropped.
std::vector<std::string> split_list(std::string_view text, char separator = ',');

}  // namespace volback::notify
