#include <volback/docker/command_line.hpp>

#include <fmt/format.h>

namespace volback::docker {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

util::Error bad(std::string_view line, std::string_view why) {
  return util::Error(util::ErrorKind::invalid_argument, fmt::format("cannot parse command `{}`: {}", line, why));
}

}  // namespace

util::Result<std::vector<std::string>> split_command(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (is_space(c)) {
      if (in_word) {
        words.push_back(std::move(word));
        word.clear();
        in_word = false;
      }
      ++i;
    } else if (c == '|') {
      break;  // only the first segment of a pipeline runs, as in offen
    } else if (c == '`') {
      return util::fail(bad(line, "backquotes are not supported; use /bin/sh -c '...'"));
    } else if (c == '\\') {
      if (i + 1 >= line.size()) {
        return util::fail(bad(line, "it ends with a backslash"));
      }
      word += line[i + 1];
      in_word = true;
      i += 2;
    } else if (c == '\'') {
      const auto end = line.find('\'', i + 1);
      if (end == std::string_view::npos) {
        return util::fail(bad(line, "unterminated single quote"));
      }
      word.append(line.substr(i + 1, end - i - 1));
      in_word = true;
      i = end + 1;
    } else if (c == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          closed = true;
          ++i;
          break;
        }
        if (line[i] == '\\' && i + 1 < line.size()) {
          word += line[i + 1];
          i += 2;
          continue;
        }
        word += line[i];
        ++i;
      }
      if (!closed) {
        return util::fail(bad(line, "unterminated double quote"));
      }
      in_word = true;
    } else {
      word += c;
      in_word = true;
      ++i;
    }
  }
  if (in_word) {
    words.push_back(std::move(word));
  }
  if (words.empty()) {
    return util::fail(bad(line, "it is empty"));
  }
  return words;
}

}  // namespace volback::docker
