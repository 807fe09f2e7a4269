#pragma once
// Endpoint URLs as the storage settings take them (WEBDAV_URL, AZURE_STORAGE_ENDPOINT). Pure.

#include <string>
#include <string_view>

#include <volback/util/result.hpp>

namespace volback::http {

struct Url {
  std::string scheme;     // "http" or "https", lower case
  std::string authority;  // host[:port] as given (an IPv6 host in brackets)
  std::string path;       // "" or "/..." without a trailing '/', still percent-encoded as given

  // "https://host:port", without a path.
  std::string origin() const { return scheme + "://" + authority; }
};

// Parses "http(s)://host[:port][/path]". Errors (invalid_argument, never echoing the
// URL, which may hold a secret): another scheme, an empty host, a bad port, user info
// ("user:pass@"), a query or a fragment.
util::Result<Url> parse_url(std::string_view text);

}  // namespace volback::http
