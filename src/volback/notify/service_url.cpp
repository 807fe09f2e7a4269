#include <volback/notify/service_url.hpp>

#include <fmt/format.h>

#include <volback/util/hex_digit.hpp>

namespace volback::notify {

namespace {

tl::unexpected<util::Error> malformed(std::string_view what) {
  return util::fail(util::ErrorKind::invalid_argument, std::string(what));
}

bool is_scheme_char(char c, bool first) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
    return true;
  }
  return !first && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.');
}

util::Result<void> split_host_port(std::string_view hostport, ServiceUrl& out) {
  std::string_view host = hostport;
  std::string_view port;
  if (host.starts_with('[')) {
    const auto close = host.find(']');
    if (close == std::string_view::npos) {
      return malformed("missing ']' in the host");
    }
    out.host = std::string(host.substr(1, close - 1));
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') {
        return malformed("invalid characters after the IPv6 host");
      }
      port = rest.substr(1);
    }
  } else {
    const auto colon = host.rfind(':');
    if (colon != std::string_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
    }
    auto decoded = percent_decode(host, false);
    if (!decoded) {
      return malformed("invalid percent-escape in the host");
    }
    out.host = std::move(*decoded);
  }
  for (const char c : out.host) {
    if (c == ' ' || c == '/' || static_cast<unsigned char>(c) < 0x20) {
      return malformed("invalid character in the host");
    }
  }
  if (hostport.find(':') != std::string_view::npos && !port.empty()) {
    int value = 0;
    for (const char c : port) {
      if (c < '0' || c > '9') {
        return malformed("invalid port");
      }
      value = value * 10 + (c - '0');
      if (value > 65535) {
        return malformed("invalid port");
      }
    }
    out.port = value;
  }
  out.raw_authority_host = std::string(hostport);
  return {};
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return std::nullopt;
      }
      const int hi = util::hex_digit_value(text[i + 1]);
      const int lo = util::hex_digit_value(text[i + 2]);
      if (hi < 0 || lo < 0) {
        return std::nullopt;
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

std::optional<bool> parse_shoutrrr_bool(std::string_view text) {
  const std::string lower = ascii_lower(text);
  if (lower == "yes" || lower == "true" || lower == "1" || lower == "y") {
    return true;
  }
  if (lower == "no" || lower == "false" || lower == "0" || lower == "n") {
    return false;
  }
  return std::nullopt;
}

std::vector<std::string> split_list(std::string_view text, char separator) {
  std::vector<std::string> items;
  while (true) {
    const auto at = text.find(separator);
    const std::string_view item = text.substr(0, at);
    if (!item.empty()) {
      items.emplace_back(item);
    }
    if (at == std::string_view::npos) {
      return items;
    }
    text.remove_prefix(at + 1);
  }
}

std::optional<std::string> ServiceUrl::param(std::string_view key) const {
  const std::string lower = ascii_lower(key);
  for (const auto& [k, v] : query) {
    if (ascii_lower(k) == lower) {
      return v;
    }
  }
  return std::nullopt;
}

util::Result<ServiceUrl> parse_service_url(std::string_view url) {
  for (const char c : url) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return malformed("invalid control character in the URL");
    }
  }
  ServiceUrl out;
  std::size_t i = 0;
  while (i < url.size() && is_scheme_char(url[i], i == 0)) {
    ++i;
  }
  if (i == 0 || i >= url.size() || url[i] != ':') {
    return malformed("missing scheme (expected service://…)");
  }
  out.scheme = ascii_lower(url.substr(0, i));
  std::string_view rest = url.substr(i + 1);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  if (const auto question = rest.find('?'); question != std::string_view::npos) {
    out.raw_query = std::string(rest.substr(question + 1));
    rest = rest.substr(0, question);
  }
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
      const std::string_view userinfo = authority.substr(0, at);
      authority = authority.substr(at + 1);
      const auto colon = userinfo.find(':');
      auto user = percent_decode(userinfo.substr(0, colon), false);
      if (!user) {
        return malformed("invalid percent-escape in the user info");
      }
      out.user = std::move(*user);
      if (colon != std::string_view::npos) {
        auto password = percent_decode(userinfo.substr(colon + 1), false);
        if (!password) {
          return malformed("invalid percent-escape in the user info");
        }
        out.password = std::move(*password);
      }
    }
    VOLBACK_TRY(split_host_port(authority, out));
  } else if (!rest.empty() && !rest.starts_with('/')) {
    return malformed("expected service:// followed by the service's address");
  }
  out.raw_path = std::string(rest);
  auto path = percent_decode(rest, false);
  if (!path) {
    return malformed("invalid percent-escape in the path");
  }
  out.path = std::move(*path);
  std::string_view query = out.raw_query;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    if (pair.find(';') != std::string_view::npos) {
      return malformed("invalid semicolon separator in the query (encode ';' as %3B)");
    }
    const auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!key || !value) {
      return malformed("invalid percent-escape in the query");
    }
    out.query.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

}  // namespace volback::notify
