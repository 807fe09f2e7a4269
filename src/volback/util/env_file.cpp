#include <volback/util/env_file.hpp>

#include <fmt/format.h>

#include <volback/util/env_name.hpp>
#include <volback/util/trim.hpp>

namespace volback::util {

namespace {

bool is_key_char(char c) {
  return is_env_name_char(c) || c == '.';
}

// What kind of character `c` is, without showing it.
std::string_view describe_char(char c) {
  switch (c) {
  case ' ': return "a space";
  case '\t': return "a tab";
  case '"':
  case '\'': return "a quote";
  default: return "another character";
  }
}

Error syntax(std::string reason) {
  return Error(ErrorKind::invalid_argument, std::move(reason));
}

// How deeply ${NAME:-word} may nest inside a word. Expansion recurses once per level; the
// limit keeps a line like ${A:-${A:-${A:-...}}} from overflowing the stack.
constexpr int k_max_nesting = 32;

// Here-document expansion of one line (mvdan.cc/sh's shell.Expand, which offen uses).
class Expander {
 public:
  explicit Expander(const VariableLookup& lookup) : m_lookup(lookup) {}

  Result<std::string> expand(std::string_view s) {
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '$' || s[i + 1] == '\\' || s[i + 1] == '`')) {
        out += s[i + 1];
        i += 2;
      } else if (c == '`') {
        return fail(syntax("command substitution (`...`) is not supported"));
      } else if (c == '$' && i + 1 < s.size()) {
        VOLBACK_TRY_ASSIGN(const std::size_t used, dollar(s.substr(i), out));
        i += used;
      } else {
        out += c;
        ++i;
      }
    }
    return out;
  }

 private:
  // Expands the reference at the start of `s` (s[0] == '$') into `out`; returns the
  // number of bytes it took.
  Result<std::size_t> dollar(std::string_view s, std::string& out) {
    const char next = s[1];
    if (next == '(') {
      return fail(syntax("command substitution ($(...)) is not supported"));
    }
    if (is_env_name_start(next)) {
      std::size_t end = 1;
      while (end < s.size() && is_env_name_char(s[end])) {
        ++end;
      }
      out += m_lookup(s.substr(1, end - 1)).value_or("");
      return end;
    }
    if (next != '{') {
      out += '$';
      return std::size_t{1};
    }
    // ${NAME} and ${NAME<op>word}: find the matching '}', allowing nested ${...}.
    std::size_t depth = 1;
    std::size_t close = 2;
    for (; close < s.size(); ++close) {
      if (s[close] == '\\') {
        ++close;
      } else if (s[close] == '{' && s[close - 1] == '$') {
        ++depth;
      } else if (s[close] == '}' && --depth == 0) {
        break;
      }
    }
    if (close >= s.size()) {
      return fail(syntax("unterminated ${ (no matching })"));
    }
    const std::string_view inner = s.substr(2, close - 2);
    std::size_t name_end = 0;
    while (name_end < inner.size() && is_env_name_char(inner[name_end])) {
      ++name_end;
    }
    const std::string_view name = inner.substr(0, name_end);
    if (name.empty() || !is_env_name_start(name[0])) {
      return fail(syntax("bad substitution: ${ must be followed by a variable name"));
    }
    const auto value = m_lookup(name);
    const std::string_view rest = inner.substr(name_end);
    if (rest.empty()) {
      out += value.value_or("");
      return close + 1;
    }
    const bool colon = rest.starts_with(':');
    const std::string_view op = colon ? rest.substr(1) : rest;
    if (op.empty() || (op[0] != '-' && op[0] != '+')) {
      return fail(
        syntax(fmt::format("unsupported substitution ${{{}...}}: only ${{NAME}}, ${{NAME-word}}, "
                           "${{NAME:-word}}, ${{NAME+word}} and ${{NAME:+word}} are supported",
                           name)));
    }
    // With ':' an empty value counts as unset, without it only an unset one does.
    const bool set = colon ? (value && !value->empty()) : value.has_value();
    const std::string_view word = op.substr(1);
    const bool use_word = op[0] == '-' ? !set : set;
    if (use_word) {
      if (m_nesting == k_max_nesting) {
        return fail(syntax(fmt::format("substitutions nested deeper than {}", k_max_nesting)));
      }
      ++m_nesting;
      auto expanded = expand(word);
      --m_nesting;
      if (!expanded) {
        return fail(std::move(expanded).error());
      }
      out += *expanded;
    } else if (op[0] == '-') {
      out += value.value_or("");
    }
    return close + 1;
  }

  const VariableLookup& m_lookup;
  int m_nesting = 0;
};

struct Assignment {
  std::string key;
  std::string value;
};

// One dotenv assignment (joho/godotenv's rules for a single line).
Result<Assignment> parse_assignment(std::string_view line) {
  line = trim(line);
  if (line.starts_with("export ") || line.starts_with("export\t")) {
    line = trim(line.substr(7));
  }
  const auto sep = line.find_first_of("=:");
  if (sep == std::string_view::npos) {
    return fail(syntax("expected KEY=VALUE, found no '=' (the line is not shown: it may hold a secret)"));
  }
  const std::string_view key = trim(line.substr(0, sep));
  if (key.empty()) {
    return fail(syntax("missing variable name before '='"));
  }
  for (const char c : key) {
    if (!is_key_char(c)) {
      return fail(
        syntax(fmt::format("the text before the first '=' or ':' is not a variable name: it holds {} "
                           "(only letters, digits, '_' and '.' are allowed; the text is not shown: "
                           "it may hold a secret)",
                           describe_char(c))));
    }
  }
  std::string_view rest = trim(line.substr(sep + 1));
  std::string value;
  if (!rest.empty() && rest.front() == '\'') {
    const auto end = rest.find('\'', 1);
    if (end == std::string_view::npos) {
      return fail(syntax(fmt::format("unterminated quoted value for {}", key)));
    }
    value = rest.substr(1, end - 1);
  } else if (!rest.empty() && rest.front() == '"') {
    std::size_t i = 1;
    for (; i < rest.size() && rest[i] != '"'; ++i) {
      if (rest[i] == '\\' && i + 1 < rest.size()) {
        const char e = rest[++i];
        value += e == 'n' ? '\n' : e == 'r' ? '\r' : e;
      } else {
        value += rest[i];
      }
    }
    if (i >= rest.size()) {
      return fail(syntax(fmt::format("unterminated quoted value for {}", key)));
    }
  } else {
    // A '#' after whitespace starts a comment.
    for (std::size_t i = 0; i < rest.size(); ++i) {
      if (rest[i] == '#' && i > 0 && (rest[i - 1] == ' ' || rest[i - 1] == '\t')) {
        rest = rest.substr(0, i);
        break;
      }
    }
    value = trim(rest);
  }
  return Assignment{std::string(key), std::move(value)};
}

}  // namespace

Result<EnvMap> parse_env_file(std::string_view text, const VariableLookup& environment) {
  EnvMap values;
  const VariableLookup lookup = [&](std::string_view name) -> std::optional<std::string> {
    if (const auto it = values.find(name); it != values.end()) {
      return it->second;
    }
    return environment(name);
  };
  Expander expander(lookup);
  int number = 0;
  while (!text.empty()) {
    ++number;
    const auto newline = text.find('\n');
    const std::string_view raw = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    const std::string_view line = trim(raw);
    if (line.empty() || line.starts_with('#')) {
      continue;
    }
    auto expanded = expander.expand(line);
    if (!expanded) {
      return fail(expanded.error().with_context(fmt::format("line {}", number)));
    }
    if (trim(*expanded).empty()) {
      continue;
    }
    auto assignment = parse_assignment(*expanded);
    if (!assignment) {
      return fail(assignment.error().with_context(fmt::format("line {}", number)));
    }
    values.insert_or_assign(std::move(assignment->key), std::move(assignment->value));
  }
  return values;
}

}  // namespace volback::util
