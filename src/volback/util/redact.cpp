#include <volback/util/redact.hpp>

namespace volback::util {

namespace {

bool is_scheme_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_scheme_char(char c) {
  return is_scheme_start(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

// Where a URL written in free text ends.
bool ends_url(char c) {
  switch (c) {
  case ' ':
  case '\t':
  case '\n':
  case '\r':
  case '\v':
  case '\f':
  case '"':
  case '\'':
  case '`':
  case '<':
  case '>': return true;
  default: return false;
  }
}

// Whether the "://" at `sep` follows a scheme.
bool follows_scheme(std::string_view text, std::size_t sep) {
  std::size_t start = sep;
  while (start > 0 && is_scheme_char(text[start - 1])) {
    --start;
  }
  // The scheme is the longest run before "://"; it must start with a letter.
  while (start < sep && !is_scheme_start(text[start])) {
    ++start;
  }
  return start < sep;
}

// The offset just past "scheme://" in a single value, or 0 without a scheme.
std::size_t after_scheme(std::string_view value) {
  const auto sep = value.find("://");
  if (sep == std::string_view::npos || sep == 0 || !is_scheme_start(value[0])) {
    return 0;
  }
  for (std::size_t i = 0; i < sep; ++i) {
    if (!is_scheme_char(value[i])) {
      return 0;
    }
  }
  return sep + 3;
}

}  // namespace

std::string redact_url_userinfo(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t done = 0;  // text[0, done) is in `out`
  std::size_t search = 0;
  for (;;) {
    const auto sep = text.find("://", search);
    if (sep == std::string_view::npos) {
      break;
    }
    const std::size_t start = sep + 3;
    std::size_t end = start;
    while (end < text.size() && !ends_url(text[end])) {
      ++end;
    }
    search = start;
    if (!follows_scheme(text, sep)) {
      continue;
    }
    const auto at = text.substr(start, end - start).rfind('@');
    if (at == std::string_view::npos) {
      continue;
    }
    out.append(text.substr(done, start - done));
    out.append(k_redacted);
    done = start + at;  // keep the '@'
    search = end;
  }
  out.append(text.substr(done));
  return out;
}

std::string redact_endpoint_userinfo(std::string_view value) {
  const std::size_t start = after_scheme(value);
  const auto at = value.rfind('@');
  if (at == std::string_view::npos || at < start) {
    return std::string(value);
  }
  std::string out(value.substr(0, start));
  out.append(k_redacted);
  out.append(value.substr(at));
  return out;
}

bool has_userinfo(std::string_view value) {
  const std::size_t start = after_scheme(value);
  const auto at = value.rfind('@');
  return at != std::string_view::npos && at >= start;
}

}  // namespace volback::util
