#include <volback/notify/template_lexer.hpp>

#include <fmt/format.h>

#include <volback/util/utf8.hpp>

namespace volback::notify {

namespace {

constexpr std::string_view k_left = "{{";
constexpr std::string_view k_right = "}}";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_alphanumeric(std::string_view s, std::size_t i) {
  const char c = s[i];
  if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  // Go accepts any Unicode letter or digit; every non-ASCII rune that prints counts here.
  const auto r = util::decode_utf8(s.substr(i));
  return r.valid && r.rune >= 0x80 && util::go_is_print(r.rune);
}

std::size_t alphanumeric_length(std::string_view s, std::size_t i) {
  const std::size_t start = i;
  while (i < s.size() && is_alphanumeric(s, i)) {
    i += util::decode_utf8(s.substr(i)).width;
  }
  return i - start;
}

bool has_left_trim(std::string_view s) {
  return s.size() >= 2 && s[0] == '-' && is_space(s[1]);
}

bool has_right_trim(std::string_view s) {
  return s.size() >= 2 && is_space(s[0]) && s[1] == '-';
}

int count_lines(std::string_view s) {
  int n = 0;
  for (const char c : s) {
    n += c == '\n' ? 1 : 0;
  }
  return n;
}

class Lexer {
 public:
  explicit Lexer(std::string_view input) : m_in(input) {}

  util::Result<std::vector<Token>> run() {
    while (m_pos < m_in.size()) {
      VOLBACK_TRY(lex_text());
    }
    emit(TokenType::eof, "");
    return std::move(m_tokens);
  }

 private:
  tl::unexpected<util::Error> fail(std::string_view what) const {
    return util::fail(util::ErrorKind::invalid_argument, fmt::format("line {}: {}", m_line, what));
  }

  void emit(TokenType type, std::string text) { m_tokens.push_back({type, std::move(text), m_line}); }

  void advance(std::size_t n) {
    m_line += count_lines(m_in.substr(m_pos, n));
    m_pos += n;
  }

  // Text up to the next action (or the end).
  util::Result<void> lex_text() {
    const auto next = m_in.find(k_left, m_pos);
    std::string_view text = m_in.substr(m_pos, next == std::string_view::npos ? std::string_view::npos : next - m_pos);
    const int text_line = m_line;
    if (next != std::string_view::npos && has_left_trim(m_in.substr(next + k_left.size()))) {
      while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
      }
    }
    if (!text.empty()) {
      m_tokens.push_back({TokenType::text, std::string(text), text_line});
    }
    if (next == std::string_view::npos) {
      advance(m_in.size() - m_pos);
      return {};
    }
    advance(next - m_pos);
    return lex_left_delim();
  }

  util::Result<void> lex_left_delim() {
    advance(k_left.size());
    const bool trim = has_left_trim(m_in.substr(m_pos));
    const std::size_t after_marker = trim ? 2 : 0;
    if (m_in.substr(m_pos + after_marker).starts_with("/*")) {
      advance(after_marker);
      return lex_comment();
    }
    emit(TokenType::left_delim, "{{");
    advance(after_marker);
    m_paren_depth = 0;
    return lex_inside_action();
  }

  util::Result<void> lex_comment() {
    const auto end = m_in.find("*/", m_pos + 2);
    if (end == std::string_view::npos) {
      return fail("unclosed comment");
    }
    advance(end + 2 - m_pos);
    // The comment must end the action: "*/}}" or "*/ -}}".
    const bool trim = has_right_trim(m_in.substr(m_pos));
    if (!m_in.substr(m_pos + (trim ? 2 : 0)).starts_with(k_right)) {
      return fail("comment ends before closing delimiter");
    }
    advance((trim ? 2 : 0) + k_right.size());
    if (trim) {
      skip_leading_space();
    }
    return {};
  }

  void skip_leading_space() {
    std::size_t n = 0;
    while (m_pos + n < m_in.size() && is_space(m_in[m_pos + n])) {
      ++n;
    }
    advance(n);
  }

  // Whether the action ends here: "}}", or " -}}" (trimming what follows).
  bool at_right_delim(bool& trim) const {
    const std::string_view rest = m_in.substr(m_pos);
    if (has_right_trim(rest) && rest.substr(2).starts_with(k_right)) {
      trim = true;
      return true;
    }
    trim = false;
    return rest.starts_with(k_right);
  }

  // After a word: the next character must end it.
  util::Result<void> check_terminator() const {
    if (m_pos >= m_in.size()) {
      return {};
    }
    const char c = m_in[m_pos];
    if (is_space(c) || c == '.' || c == ',' || c == '|' || c == ':' || c == ')' || c == '(') {
      return {};
    }
    bool trim = false;
    if (at_right_delim(trim)) {
      return {};
    }
    return fail(fmt::format("bad character {:?} after a word", std::string(1, c)));
  }

  util::Result<void> lex_inside_action() {
    while (true) {
      bool trim = false;
      if (at_right_delim(trim)) {
        if (m_paren_depth > 0) {
          return fail("unclosed left paren");
        }
        advance((trim ? 2 : 0) + k_right.size());
        emit(TokenType::right_delim, "}}");
        if (trim) {
          skip_leading_space();
        }
        return {};
      }
      if (m_pos >= m_in.size()) {
        return fail("unclosed action");
      }
      const char c = m_in[m_pos];
      if (c == '\n' || is_space(c)) {
        std::size_t n = 0;
        while (m_pos + n < m_in.size() && is_space(m_in[m_pos + n])) {
          // " -}}" ends the action: leave its space for at_right_delim.
          if (has_right_trim(m_in.substr(m_pos + n)) && m_in.substr(m_pos + n + 2).starts_with(k_right)) {
            break;
          }
          ++n;
        }
        if (n == 0) {
          continue;
        }
        advance(n);
        emit(TokenType::space, " ");
        continue;
      }
      switch (c) {
      case '=':
        advance(1);
        emit(TokenType::assign, "=");
        continue;
      case ':':
        if (m_in.substr(m_pos).starts_with(":=")) {
          advance(2);
          emit(TokenType::declare, ":=");
          continue;
        }
        return fail("expected :=");
      case '|':
        advance(1);
        emit(TokenType::pipe, "|");
        continue;
      case ',':
        advance(1);
        emit(TokenType::comma, ",");
        continue;
      case '(':
        advance(1);
        ++m_paren_depth;
        emit(TokenType::left_paren, "(");
        continue;
      case ')':
        if (m_paren_depth == 0) {
          return fail("unexpected right paren");
        }
        --m_paren_depth;
        advance(1);
        emit(TokenType::right_paren, ")");
        continue;
      case '"': VOLBACK_TRY(lex_quote()); continue;
      case '`': VOLBACK_TRY(lex_raw_quote()); continue;
      case '\'': VOLBACK_TRY(lex_char()); continue;
      case '$': VOLBACK_TRY(lex_variable()); continue;
      case '.':
        if (m_pos + 1 < m_in.size() && m_in[m_pos + 1] >= '0' && m_in[m_pos + 1] <= '9') {
          VOLBACK_TRY(lex_number());
          continue;
        }
        VOLBACK_TRY(lex_field());
        continue;
      default: break;
      }
      if (c == '+' || c == '-' || (c >= '0' && c <= '9')) {
        VOLBACK_TRY(lex_number());
        continue;
      }
      if (is_alphanumeric(m_in, m_pos)) {
        VOLBACK_TRY(lex_identifier());
        continue;
      }
      return fail(fmt::format("unrecognized character in action: {:?}", std::string(1, c)));
    }
  }

  util::Result<void> lex_identifier() {
    const std::size_t n = alphanumeric_length(m_in, m_pos);
    const std::string word(m_in.substr(m_pos, n));
    advance(n);
    VOLBACK_TRY(check_terminator());
    static constexpr std::string_view k_keywords[] = {"if",     "else",  "end",   "range",    "with",
                                                      "define", "block", "break", "continue", "template"};
    for (const auto keyword : k_keywords) {
      if (word == keyword) {
        emit(TokenType::keyword, word);
        return {};
      }
    }
    if (word == "true" || word == "false") {
      emit(TokenType::boolean, word);
    } else if (word == "nil") {
      emit(TokenType::nil, word);
    } else {
      emit(TokenType::identifier, word);
    }
    return {};
  }

  util::Result<void> lex_field() {
    const std::size_t n = alphanumeric_length(m_in, m_pos + 1);
    if (n == 0) {
      advance(1);
      emit(TokenType::dot, ".");
      return check_terminator();
    }
    const std::string word(m_in.substr(m_pos, n + 1));
    advance(n + 1);
    emit(TokenType::field, word);
    return check_terminator();
  }

  util::Result<void> lex_variable() {
    const std::size_t n = alphanumeric_length(m_in, m_pos + 1);
    const std::string word(m_in.substr(m_pos, n + 1));
    advance(n + 1);
    emit(TokenType::variable, word);
    return check_terminator();
  }

  util::Result<void> lex_quote() {
    std::size_t i = m_pos + 1;
    while (true) {
      if (i >= m_in.size() || m_in[i] == '\n') {
        return fail("unterminated quoted string");
      }
      if (m_in[i] == '\\') {
        i += 2;
        continue;
      }
      if (m_in[i] == '"') {
        break;
      }
      ++i;
    }
    const std::string text(m_in.substr(m_pos, i + 1 - m_pos));
    advance(i + 1 - m_pos);
    emit(TokenType::string, text);
    return {};
  }

  util::Result<void> lex_raw_quote() {
    const auto end = m_in.find('`', m_pos + 1);
    if (end == std::string_view::npos) {
      return fail("unterminated raw quoted string");
    }
    const std::string text(m_in.substr(m_pos, end + 1 - m_pos));
    advance(end + 1 - m_pos);
    emit(TokenType::string, text);
    return {};
  }

  util::Result<void> lex_char() {
    std::size_t i = m_pos + 1;
    while (true) {
      if (i >= m_in.size() || m_in[i] == '\n') {
        return fail("unterminated character constant");
      }
      if (m_in[i] == '\\') {
        i += 2;
        continue;
      }
      if (m_in[i] == '\'') {
        break;
      }
      ++i;
    }
    const std::string text(m_in.substr(m_pos, i + 1 - m_pos));
    advance(i + 1 - m_pos);
    emit(TokenType::char_constant, text);
    return {};
  }

  util::Result<void> lex_number() {
    // A sign, then digits, letters (for 0x, 0b, 0o, exponents), '_', '.' and an exponent's sign.
    std::size_t i = m_pos;
    if (m_in[i] == '+' || m_in[i] == '-') {
      ++i;
    }
    const std::size_t digits_start = i;
    while (i < m_in.size()) {
      const char c = m_in[i];
      const bool exponent_sign = (c == '+' || c == '-') && i > digits_start &&
                                 (m_in[i - 1] == 'e' || m_in[i - 1] == 'E' || m_in[i - 1] == 'p' || m_in[i - 1] == 'P');
      if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' ||
          exponent_sign) {
        ++i;
        continue;
      }
      break;
    }
    if (i == digits_start) {
      return fail(fmt::format("bad number syntax: {:?}", std::string(m_in.substr(m_pos, i - m_pos + 1))));
    }
    const std::string text(m_in.substr(m_pos, i - m_pos));
    advance(i - m_pos);
    emit(TokenType::number, text);
    return check_terminator();
  }

  std::string_view m_in;
  std::size_t m_pos = 0;
  int m_line = 1;
  int m_paren_depth = 0;
  std::vector<Token> m_tokens;
};

}  // namespace

util::Result<std::vector<Token>> lex_template(std::string_view text) {
  return Lexer(text).run();
}

}  // namespace volback::notify
