#pragma once
// The lexer of Go's text/template syntax (the subset volback implements; template.hpp).
// It turns a template's text into tokens: text between actions, and inside "{{ }}" the
// words, literals and punctuation of actions. "{{- " and " -}}" trim the whitespace
// (space, tab, CR, LF) of the text beside them; "{{/* … */}}" comments vanish. Pure.

#include <string>
#include <string_view>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::notify {

enum class TokenType {
  text,
  left_delim,   // {{
  right_delim,  // }}
  space,        // a run of spaces inside an action
  identifier,   // a function name
  keyword,      // if else end range with define template block break continue
  field,        // .Name
  variable,     // $ or $name
  dot,          // .
  string,       // "…" or `…`, its text still quoted
  char_constant,
  number,
  boolean,  // true false
  nil,
  pipe,         // |
  left_paren,   // (
  right_paren,  // )
  declare,      // :=
  assign,       // =
  comma,        // ,
  eof,
};

struct Token {
  TokenType type;
  std::string text;
  int line = 1;
};

// Lexes a whole template. Errors (invalid_argument) give the line and what is wrong:
// an unclosed action, quote or comment, or a character that cannot appear in an action.
util::Result<std::vector<Token>> lex_template(std::string_view text);

}  // namespace volback::notify
