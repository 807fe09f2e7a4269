#include <volback/http/url.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace volback::http {

namespace {

util::Error bad(std::string_view why) {
  return util::Error(util::ErrorKind::invalid_argument, std::string(why));
}

bool valid_port(std::string_view port) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return !port.empty() && ec == std::errc{} && end == port.data() + port.size() && value >= 1 && value <= 65535;
}

}  // namespace

util::Result<Url> parse_url(std::string_view text) {
  Url url;
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) {
    return util::fail(bad("must start with https:// or http://"));
  }
  url.scheme = std::string(text.substr(0, sep));
  std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (url.scheme != "https" && url.scheme != "http") {
    return util::fail(bad("the scheme must be https or http"));
  }
  std::string_view rest = text.substr(sep + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return util::fail(bad("must not hold a query (?) or a fragment (#)"));
  }
  const auto slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  if (authority.find('@') != std::string_view::npos) {
    return util::fail(bad("must not hold user info (user:password@)"));
  }
  std::string_view host = authority;
  const auto bracket = authority.rfind(']');
  const auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    if (!valid_port(authority.substr(colon + 1))) {
      return util::fail(bad("the port must be a number from 1 to 65535"));
    }
    host = authority.substr(0, colon);
  }
  if (host.empty() || host == "[]") {
    return util::fail(bad("the host is empty"));
  }
  if (host.find_first_of(" \t\\") != std::string_view::npos) {
    return util::fail(bad("the host holds a space or a backslash"));
  }
  url.authority = std::string(authority);
  if (slash != std::string_view::npos) {
    std::string path(rest.substr(slash));
    while (!path.empty() && path.back() == '/') {
      path.pop_back();
    }
    url.path = std::move(path);
  }
  return url;
}

}  // namespace volback::http
