#include <volback/util/env_expand.hpp>

#include <volback/util/env_name.hpp>

namespace volback::util {

namespace {

// Go's isShellSpecialVar.
bool is_special(char c) {
  switch (c) {
  case '*':
  case '#':
  case '$':
  case '@':
  case '!':
  case '?':
  case '-': return true;
  default: return c >= '0' && c <= '9';
  }
}

struct ShellName {
  std::string_view name;
  std::size_t consumed = 0;  // bytes after the '$'
};

// Go's getShellName; `s` is the non-empty text after a '$'.
ShellName shell_name(std::string_view s) {
  if (s.front() == '{') {
    if (s.size() > 2 && is_special(s[1]) && s[2] == '}') {
      return {s.substr(1, 1), 3};
    }
    for (std::size_t i = 1; i < s.size(); ++i) {
      if (s[i] == '}') {
        if (i == 1) {
          return {{}, 2};  // "${}": bad syntax, eaten
        }
        return {s.substr(1, i - 1), i + 1};
      }
    }
    return {{}, 1};  // "${" without '}': bad syntax, only "${" is eaten
  }
  if (is_special(s.front())) {
    return {s.substr(0, 1), 1};
  }
  std::size_t i = 0;
  while (i < s.size() && is_env_name_char(s[i])) {
    ++i;
  }
  return {s.substr(0, i), i};
}

}  // namespace

std::string expand_env(std::string_view text, const VariableLookup& lookup) {
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;  // text[copied, j) is still to be copied verbatim
  for (std::size_t j = 0; j < text.size(); ++j) {
    if (text[j] != '$' || j + 1 >= text.size()) {
      continue;
    }
    out.append(text.substr(copied, j - copied));
    const ShellName found = shell_name(text.substr(j + 1));
    if (found.name.empty() && found.consumed == 0) {
      out += '$';  // '$' not followed by a name stays as it is
    } else if (!found.name.empty()) {
      if (auto value = lookup(found.name)) {
        out += *value;
      }
    }
    j += found.consumed;
    copied = j + 1;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace volback::util
