#pragma once

namespace volback::util {

// The characters of an environment variable's name as a shell reads it: a letter or '_'
// first, then letters, digits and '_' (ASCII only).
constexpr bool is_env_name_start(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

constexpr bool is_env_name_char(char c) {
  return is_env_name_start(c) || (c >= '0' && c <= '9');
}

}  // namespace volback::util
