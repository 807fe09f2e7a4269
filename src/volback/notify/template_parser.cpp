#include <volback/notify/template_parser.hpp>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>

#include <volback/notify/template_lexer.hpp>
#include <volback/util/utf8.hpp>

namespace volback::notify {

namespace {

int digit_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'Z') {
    return c - 'A' + 10;
  }
  return 99;
}

// strconv.ParseUint(text, 0, 64): prefixes 0x 0o 0b or a leading 0 for octal, '_'
// between digits; no sign.
std::optional<std::uint64_t> parse_go_uint(std::string_view text) {
  int base = 10;
  bool underscores_ok = true;
  if (text.size() > 1 && text[0] == '0') {
    const char p = static_cast<char>(text[1] | 0x20);
    if (p == 'x') {
      base = 16;
      text.remove_prefix(2);
    } else if (p == 'b') {
      base = 2;
      text.remove_prefix(2);
    } else if (p == 'o') {
      base = 8;
      text.remove_prefix(2);
    } else {
      base = 8;
      text.remove_prefix(1);
    }
  }
  if (text.empty()) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  bool last_underscore = true;  // no '_' first
  for (const char c : text) {
    if (c == '_') {
      if (!underscores_ok || last_underscore) {
        return std::nullopt;
      }
      last_underscore = true;
      continue;
    }
    last_underscore = false;
    const int d = digit_value(c);
    if (d >= base) {
      return std::nullopt;
    }
    if (value > (UINT64_MAX - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(base)) {
      return std::nullopt;
    }
    value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
  }
  if (last_underscore) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> parse_go_int(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  const auto u = parse_go_uint(text);
  if (!u) {
    return std::nullopt;
  }
  if (negative) {
    if (*u > static_cast<std::uint64_t>(INT64_MAX) + 1) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(~*u + 1);
  }
  if (*u > static_cast<std::uint64_t>(INT64_MAX)) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(*u);
}

std::optional<double> parse_go_float(std::string_view text) {
  std::string clean;
  bool digit = false;
  for (const char c : text) {
    if (c == '_') {
      continue;
    }
    digit = digit || (c >= '0' && c <= '9');
    clean += c;
  }
  if (!digit) {
    return std::nullopt;
  }
  char* end = nullptr;
  errno = 0;
  const double f = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size() || errno == ERANGE) {
    return std::nullopt;
  }
  return f;
}

// The value of one escape sequence starting after the backslash at s[i]; advances i.
std::optional<char32_t> unescape(std::string_view s, std::size_t& i, char quote, bool& is_byte) {
  is_byte = false;
  if (i >= s.size()) {
    return std::nullopt;
  }
  const char c = s[i++];
  switch (c) {
  case 'a': return U'\a';
  case 'b': return U'\b';
  case 'f': return U'\f';
  case 'n': return U'\n';
  case 'r': return U'\r';
  case 't': return U'\t';
  case 'v': return U'\v';
  case '\\': return U'\\';
  case '\'':
  case '"':
    if (c != quote) {
      return std::nullopt;
    }
    return static_cast<char32_t>(c);
  case 'x':
  case 'u':
  case 'U': {
    const std::size_t n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
    if (i + n > s.size()) {
      return std::nullopt;
    }
    char32_t v = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const int d = digit_value(s[i + k]);
      if (d >= 16) {
        return std::nullopt;
      }
      v = v * 16 + static_cast<char32_t>(d);
    }
    i += n;
    if (c == 'x') {
      is_byte = true;
    } else if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
      return std::nullopt;
    }
    return v;
  }
  default:
    if (c >= '0' && c <= '7') {
      if (i + 2 > s.size()) {
        return std::nullopt;
      }
      char32_t v = static_cast<char32_t>(c - '0');
      for (std::size_t k = 0; k < 2; ++k) {
        const char d = s[i + k];
        if (d < '0' || d > '7') {
          return std::nullopt;
        }
        v = v * 8 + static_cast<char32_t>(d - '0');
      }
      i += 2;
      if (v > 255) {
        return std::nullopt;
      }
      is_byte = true;
      return v;
    }
    return std::nullopt;
  }
}

std::optional<Number> parse_number(std::string_view text) {
  Number n;
  n.text = std::string(text);
  if (text.starts_with('\'')) {
    const auto unquoted = unquote_go_literal(text);
    if (!unquoted || unquoted->empty()) {
      return std::nullopt;
    }
    const auto rune = util::decode_utf8(*unquoted);
    if (rune.width != unquoted->size() && !(unquoted->size() == 1)) {
      return std::nullopt;
    }
    n.is_char = n.is_int = n.is_uint = n.is_float = true;
    n.int_value =
      static_cast<std::int64_t>(unquoted->size() == 1 ? static_cast<unsigned char>((*unquoted)[0]) : rune.rune);
    n.uint_value = static_cast<std::uint64_t>(n.int_value);
    n.float_value = static_cast<double>(n.int_value);
    return n;
  }
  if (const auto u = parse_go_uint(text)) {
    n.is_uint = true;
    n.uint_value = *u;
  }
  if (const auto i = parse_go_int(text)) {
    n.is_int = true;
    n.int_value = *i;
    if (*i == 0) {
      n.is_uint = true;
      n.uint_value = 0;
    }
  }
  if (n.is_int) {
    n.is_float = true;
    n.float_value = static_cast<double>(n.int_value);
  } else if (n.is_uint) {
    n.is_float = true;
    n.float_value = static_cast<double>(n.uint_value);
  } else if (const auto f = parse_go_float(text)) {
    if (text.find_first_of(".eEpP") == std::string_view::npos) {
      return std::nullopt;  // an integer too large for int64 and uint64
    }
    n.is_float = true;
    n.float_value = *f;
    if (std::trunc(*f) == *f && std::fabs(*f) < 9.2e18) {
      n.is_int = true;
      n.int_value = static_cast<std::int64_t>(*f);
      if (*f >= 0) {
        n.is_uint = true;
        n.uint_value = static_cast<std::uint64_t>(*f);
      }
    }
  }
  if (!n.is_int && !n.is_uint && !n.is_float) {
    return std::nullopt;
  }
  return n;
}

class Parser {
 public:
  Parser(std::string_view file, std::vector<Token> tokens, const std::function<bool(std::string_view)>& is_function)
    : m_file(file), m_tokens(std::move(tokens)), m_is_function(is_function) {}

  util::Result<std::vector<Tree>> run() {
    std::vector<Tree> trees;
    trees.push_back(Tree{std::string(m_file), std::string(m_file), {}});
    while (peek().type != TokenType::eof) {
      if (peek().type == TokenType::left_delim) {
        const std::size_t after_delim = m_pos + 1;
        const int line = next().line;
        if (next_non_space().type == TokenType::keyword && current().text == "define") {
          VOLBACK_TRY(parse_definition(trees));
          continue;
        }
        m_pos = after_delim;
        VOLBACK_TRY_ASSIGN(auto node, action(line));
        if (node.end_or_else) {
          return fail(node.node.line, fmt::format("unexpected {{{{{}}}}}", node.end_word));
        }
        VOLBACK_TRY(add(trees[0].root, std::move(node.node)));
        continue;
      }
      const Token text = next();
      trees[0].root.push_back(Node{.kind = Node::Kind::text, .text = text.text, .line = text.line});
    }
    for (auto& tree : m_definitions) {
      trees.push_back(std::move(tree));
    }
    return trees;
  }

 private:
  // An action's node, or the {{end}} / {{else}} that ends a list.
  struct Parsed {
    Node node;
    bool end_or_else = false;
    std::string end_word;  // "end" or "else"
    bool else_if = false;  // {{else if …}}: the "if" is the next token
  };

  tl::unexpected<util::Error> fail(int line, std::string_view what) const {
    return util::fail(util::ErrorKind::invalid_argument, fmt::format("{}: line {}: {}", m_file, line, what));
  }

  const Token& peek() const { return m_tokens[m_pos]; }
  const Token& current() const { return m_tokens[m_pos - 1]; }
  const Token& next() {
    const Token& t = m_tokens[m_pos];
    if (t.type != TokenType::eof) {
      ++m_pos;
    }
    return t;
  }
  const Token& next_non_space() {
    while (peek().type == TokenType::space) {
      ++m_pos;
    }
    return next();
  }
  const Token& peek_non_space() {
    while (peek().type == TokenType::space) {
      ++m_pos;
    }
    return peek();
  }

  util::Result<void> add(std::vector<Node>& list, Node node) {
    list.push_back(std::move(node));
    return {};
  }

  util::Result<void> parse_definition(std::vector<Tree>& trees) {
    const int line = current().line;
    const Token& name = next_non_space();
    if (name.type != TokenType::string) {
      return fail(line, "define clause: expected a quoted template name");
    }
    const auto unquoted = unquote_go_literal(name.text);
    if (!unquoted) {
      return fail(line, "define clause: malformed template name");
    }
    if (next_non_space().type != TokenType::right_delim) {
      return fail(line, "define clause: expected }} after the name");
    }
    Tree tree{*unquoted, std::string(m_file), {}};
    VOLBACK_TRY_ASSIGN(auto end, item_list(tree.root));
    if (end.end_word != "end") {
      return fail(end.node.line, "unexpected {{else}} in define clause");
    }
    return define(std::move(tree), line, trees);
  }

  util::Result<void> define(Tree tree, int line, const std::vector<Tree>& trees) {
    (void)trees;
    for (auto& existing : m_definitions) {
      if (existing.name == tree.name) {
        if (is_empty_tree(existing.root)) {
          existing = std::move(tree);
          return {};
        }
        if (!is_empty_tree(tree.root)) {
          return fail(line, fmt::format("multiple definition of template {:?}", tree.name));
        }
        return {};
      }
    }
    m_definitions.push_back(std::move(tree));
    return {};
  }

  // Nodes up to the {{end}} or {{else}} that ends the list, which is returned.
  util::Result<Parsed> item_list(std::vector<Node>& list) {
    while (true) {
      const Token& t = peek();
      if (t.type == TokenType::eof) {
        return fail(t.line, "unexpected end of input: missing {{end}}");
      }
      if (t.type == TokenType::text) {
        next();
        list.push_back(Node{.kind = Node::Kind::text, .text = t.text, .line = t.line});
        continue;
      }
      const Token& delim = next();  // left delim
      if (peek_non_space().type == TokenType::keyword && peek().text == "define") {
        return fail(delim.line, "unexpected {{define}} inside a template: define only at the top level");
      }
      VOLBACK_TRY_ASSIGN(auto parsed, action(delim.line));
      if (parsed.end_or_else) {
        return parsed;
      }
      list.push_back(std::move(parsed.node));
    }
  }

  util::Result<Parsed> action(int line) {
    const Token& t = next_non_space();
    if (t.type == TokenType::keyword) {
      const std::string& word = t.text;
      if (word == "if" || word == "range" || word == "with") {
        return control(word, line);
      }
      if (word == "end") {
        if (next_non_space().type != TokenType::right_delim) {
          return fail(line, "unexpected words after {{end}}");
        }
        return Parsed{.node = Node{.line = line}, .end_or_else = true, .end_word = "end"};
      }
      if (word == "else") {
        if (peek_non_space().type == TokenType::keyword && peek().text == "if") {
          // {{else if …}}: the caller parses the "if" as a nested {{if}} that shares the {{end}}.
          return Parsed{.node = Node{.line = line}, .end_or_else = true, .end_word = "else", .else_if = true};
        }
        if (next_non_space().type != TokenType::right_delim) {
          return fail(line, "unexpected words after {{else}}");
        }
        return Parsed{.node = Node{.line = line}, .end_or_else = true, .end_word = "else"};
      }
      if (word == "template") {
        return template_call(line);
      }
      if (word == "block") {
        return block(line);
      }
      if (word == "break" || word == "continue") {
        if (next_non_space().type != TokenType::right_delim) {
          return fail(line, fmt::format("unexpected words after {{{{{}}}}}", word));
        }
        if (m_range_depth == 0) {
          return fail(line, fmt::format("{{{{{}}}}} outside {{{{range}}}}", word));
        }
        return Parsed{
          .node = Node{.kind = word == "break" ? Node::Kind::break_node : Node::Kind::continue_node, .line = line}};
      }
      if (word == "define") {
        return fail(line, "unexpected {{define}}");
      }
    }
    --m_pos;  // back to the token
    VOLBACK_TRY_ASSIGN(auto pipe, pipeline("command", TokenType::right_delim, line));
    return Parsed{.node = Node{.kind = Node::Kind::action, .pipe = std::move(pipe), .line = line}};
  }

  util::Result<Parsed> control(const std::string& context, int line) {
    const std::size_t vars = m_vars.size();
    VOLBACK_TRY_ASSIGN(auto pipe, pipeline(context, TokenType::right_delim, line));
    Node node{.kind = context == "if"      ? Node::Kind::if_node
                      : context == "range" ? Node::Kind::range
                                           : Node::Kind::with,
              .pipe = std::move(pipe),
              .line = line};
    if (context == "range") {
      ++m_range_depth;
    }
    auto end = item_list(node.list);
    if (context == "range") {
      --m_range_depth;
    }
    if (!end) {
      return tl::unexpected(end.error());
    }
    if (end->end_word == "else") {
      if (end->else_if) {
        if (context != "if") {
          return fail(end->node.line, fmt::format("{{{{else if}}}} in {{{{{}}}}}", context));
        }
        next_non_space();  // the "if"
        VOLBACK_TRY_ASSIGN(auto nested, control("if", end->node.line));
        node.else_list.push_back(std::move(nested.node));
      } else {
        VOLBACK_TRY_ASSIGN(auto second, item_list(node.else_list));
        if (second.end_word != "end") {
          return fail(second.node.line, fmt::format("expected {{{{end}}}}; found {{{{{}}}}}", second.end_word));
        }
      }
    }
    m_vars.resize(vars);
    return Parsed{.node = std::move(node)};
  }

  util::Result<std::string> template_name(int line, std::string_view context) {
    const Token& t = next_non_space();
    if (t.type != TokenType::string) {
      return fail(line, fmt::format("{}: expected a quoted template name", context));
    }
    const auto name = unquote_go_literal(t.text);
    if (!name) {
      return fail(line, fmt::format("{}: malformed template name", context));
    }
    return *name;
  }

  util::Result<Parsed> template_call(int line) {
    VOLBACK_TRY_ASSIGN(auto name, template_name(line, "template clause"));
    Node node{.kind = Node::Kind::template_call, .text = name, .line = line};
    if (peek_non_space().type != TokenType::right_delim) {
      VOLBACK_TRY_ASSIGN(node.pipe, pipeline("template clause", TokenType::right_delim, line));
    } else {
      next();
    }
    return Parsed{.node = std::move(node)};
  }

  util::Result<Parsed> block(int line) {
    VOLBACK_TRY_ASSIGN(auto name, template_name(line, "block clause"));
    Node node{.kind = Node::Kind::template_call, .text = name, .line = line};
    if (peek_non_space().type == TokenType::right_delim) {
      return fail(line, "block clause: missing pipeline");
    }
    VOLBACK_TRY_ASSIGN(node.pipe, pipeline("block clause", TokenType::right_delim, line));
    Tree tree{name, std::string(m_file), {}};
    const auto saved_vars = m_vars;
    m_vars = {"$"};
    const int saved_range = m_range_depth;
    m_range_depth = 0;
    VOLBACK_TRY_ASSIGN(auto end, item_list(tree.root));
    m_vars = saved_vars;
    m_range_depth = saved_range;
    if (end.end_word != "end") {
      return fail(end.node.line, "unexpected {{else}} in block clause");
    }
    VOLBACK_TRY(define(std::move(tree), line, {}));
    return Parsed{.node = std::move(node)};
  }

  bool is_declared(const std::string& name) const {
    for (const auto& v : m_vars) {
      if (v == name) {
        return true;
      }
    }
    return false;
  }

  util::Result<std::shared_ptr<const Pipe>> pipeline(std::string_view context, TokenType end, int line) {
    auto pipe = std::make_shared<Pipe>();
    pipe->line = line;
    // Declarations: $x := …, $x = …, and in range $i, $e := ….
    if (peek_non_space().type == TokenType::variable) {
      const std::size_t start = m_pos;
      const Token& variable = next();
      const Token& after = peek_non_space();
      if (after.type == TokenType::declare || after.type == TokenType::assign) {
        next();
        pipe->is_assign = after.type == TokenType::assign;
        pipe->decl.push_back(variable.text);
        if (pipe->is_assign) {
          if (!is_declared(variable.text)) {
            return fail(line, fmt::format("undefined variable {:?}", variable.text));
          }
        } else {
          m_vars.push_back(variable.text);
        }
      } else if (after.type == TokenType::comma) {
        next();
        if (context != "range") {
          return fail(line, fmt::format("too many declarations in {}", context));
        }
        const Token& second = next_non_space();
        if (second.type != TokenType::variable) {
          return fail(line, "range can only initialize variables");
        }
        const Token& op = next_non_space();
        if (op.type != TokenType::declare && op.type != TokenType::assign) {
          return fail(line, "range: expected := after the variables");
        }
        pipe->is_assign = op.type == TokenType::assign;
        pipe->decl = {variable.text, second.text};
        for (const auto& name : pipe->decl) {
          if (pipe->is_assign) {
            if (!is_declared(name)) {
              return fail(line, fmt::format("undefined variable {:?}", name));
            }
          } else {
            m_vars.push_back(name);
          }
        }
      } else {
        m_pos = start;
      }
    }
    while (true) {
      const Token& t = peek_non_space();
      if (t.type == end) {
        next();
        break;
      }
      switch (t.type) {
      case TokenType::boolean:
      case TokenType::char_constant:
      case TokenType::dot:
      case TokenType::field:
      case TokenType::identifier:
      case TokenType::number:
      case TokenType::nil:
      case TokenType::string:
      case TokenType::variable:
      case TokenType::left_paren: {
        VOLBACK_TRY_ASSIGN(auto command, parse_command(end));
        pipe->commands.push_back(std::move(command));
        continue;
      }
      default:
        return fail(t.line,
                    fmt::format("unexpected {} in {}",
                                t.type == TokenType::eof ? "end of input" : fmt::format("{:?}", t.text), context));
      }
    }
    if (pipe->commands.empty()) {
      return fail(line, fmt::format("missing value for {}", context));
    }
    for (std::size_t i = 1; i < pipe->commands.size(); ++i) {
      switch (pipe->commands[i].args[0].kind) {
      case Operand::Kind::boolean:
      case Operand::Kind::dot:
      case Operand::Kind::nil:
      case Operand::Kind::number:
      case Operand::Kind::string: return fail(line, fmt::format("non executable command in pipeline stage {}", i + 1));
      default: break;
      }
    }
    return std::shared_ptr<const Pipe>(std::move(pipe));
  }

  util::Result<Command> parse_command(TokenType end) {
    Command command;
    command.line = peek().line;
    while (true) {
      peek_non_space();
      VOLBACK_TRY_ASSIGN(auto operand, parse_operand());
      if (operand) {
        command.args.push_back(std::move(*operand));
      }
      const Token& t = next();
      if (t.type == TokenType::space) {
        continue;
      }
      if (t.type == TokenType::right_delim || t.type == TokenType::right_paren) {
        if (t.type != end) {
          return fail(t.line, fmt::format("unexpected {:?} in operand", t.text));
        }
        --m_pos;
      } else if (t.type != TokenType::pipe) {
        return fail(t.line, fmt::format("unexpected {} in operand",
                                        t.type == TokenType::eof ? "end of input" : fmt::format("{:?}", t.text)));
      }
      break;
    }
    if (command.args.empty()) {
      return fail(command.line, "empty command");
    }
    return command;
  }

  util::Result<std::optional<Operand>> parse_operand() {
    VOLBACK_TRY_ASSIGN(auto term, parse_term());
    if (!term) {
      return std::nullopt;
    }
    if (peek().type != TokenType::field) {
      return term;
    }
    std::vector<std::string> fields;
    while (peek().type == TokenType::field) {
      fields.push_back(next().text.substr(1));
    }
    switch (term->kind) {
    case Operand::Kind::field:
    case Operand::Kind::variable: term->idents.insert(term->idents.end(), fields.begin(), fields.end()); return term;
    case Operand::Kind::boolean:
    case Operand::Kind::string:
    case Operand::Kind::number:
    case Operand::Kind::nil:
    case Operand::Kind::dot: return fail(term->line, fmt::format("unexpected . after term {:?}", term->describe()));
    default: {
      Operand chain{.kind = Operand::Kind::chain, .idents = std::move(fields), .line = term->line};
      chain.node = std::make_shared<const Operand>(std::move(*term));
      return chain;
    }
    }
  }

  util::Result<std::optional<Operand>> parse_term() {
    const Token& t = next_non_space();
    Operand o{.line = t.line};
    switch (t.type) {
    case TokenType::identifier:
      if (!m_is_function(t.text)) {
        return fail(t.line, fmt::format("function {:?} not defined", t.text));
      }
      o.kind = Operand::Kind::identifier;
      o.text = t.text;
      return o;
    case TokenType::dot: o.kind = Operand::Kind::dot; return o;
    case TokenType::nil: o.kind = Operand::Kind::nil; return o;
    case TokenType::variable:
      if (!is_declared(t.text)) {
        return fail(t.line, fmt::format("undefined variable {:?}", t.text));
      }
      o.kind = Operand::Kind::variable;
      o.idents = {t.text};
      return o;
    case TokenType::field:
      o.kind = Operand::Kind::field;
      o.idents = {t.text.substr(1)};
      return o;
    case TokenType::boolean:
      o.kind = Operand::Kind::boolean;
      o.boolean = t.text == "true";
      return o;
    case TokenType::char_constant:
    case TokenType::number: {
      auto number = parse_number(t.text);
      if (!number) {
        return fail(t.line, fmt::format("illegal number syntax: {:?}", t.text));
      }
      o.kind = Operand::Kind::number;
      o.number = std::move(*number);
      return o;
    }
    case TokenType::left_paren: {
      VOLBACK_TRY_ASSIGN(auto pipe, pipeline("parenthesized pipeline", TokenType::right_paren, t.line));
      o.kind = Operand::Kind::pipe;
      o.pipe = std::move(pipe);
      return o;
    }
    case TokenType::string: {
      auto text = unquote_go_literal(t.text);
      if (!text) {
        return fail(t.line, fmt::format("malformed string {}", t.text));
      }
      o.kind = Operand::Kind::string;
      o.text = std::move(*text);
      return o;
    }
    default: --m_pos; return std::nullopt;
    }
  }

  std::string_view m_file;
  std::vector<Token> m_tokens;
  std::size_t m_pos = 0;
  const std::function<bool(std::string_view)>& m_is_function;
  std::vector<std::string> m_vars{"$"};
  int m_range_depth = 0;
  std::vector<Tree> m_definitions;
};

}  // namespace

std::string Operand::describe() const {
  switch (kind) {
  case Kind::field: {
    std::string out;
    for (const auto& ident : idents) {
      out += "." + ident;
    }
    return out;
  }
  case Kind::variable: {
    std::string out = idents.empty() ? "$" : idents[0];
    for (std::size_t i = 1; i < idents.size(); ++i) {
      out += "." + idents[i];
    }
    return out;
  }
  case Kind::chain: {
    std::string out = node ? node->describe() : "";
    for (const auto& ident : idents) {
      out += "." + ident;
    }
    return out;
  }
  case Kind::identifier: return text;
  case Kind::pipe: return "(…)";
  case Kind::dot: return ".";
  case Kind::nil: return "nil";
  case Kind::boolean: return boolean ? "true" : "false";
  case Kind::number: return number.text;
  case Kind::string: return fmt::format("{:?}", text);
  }
  return "";
}

bool is_empty_tree(const std::vector<Node>& nodes) {
  for (const auto& node : nodes) {
    if (node.kind != Node::Kind::text) {
      return false;
    }
    for (const char c : node.text) {
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return false;
      }
    }
  }
  return true;
}

std::optional<std::string> unquote_go_literal(std::string_view quoted) {
  if (quoted.size() < 2) {
    return std::nullopt;
  }
  const char quote = quoted.front();
  if (quoted.back() != quote) {
    return std::nullopt;
  }
  const std::string_view body = quoted.substr(1, quoted.size() - 2);
  if (quote == '`') {
    std::string out;
    for (const char c : body) {
      if (c != '\r') {
        out += c;
      }
    }
    return out;
  }
  if (quote != '"' && quote != '\'') {
    return std::nullopt;
  }
  std::string out;
  for (std::size_t i = 0; i < body.size();) {
    const char c = body[i];
    if (c == quote || c == '\n') {
      return std::nullopt;
    }
    if (c != '\\') {
      out += c;
      ++i;
      continue;
    }
    ++i;
    bool is_byte = false;
    const auto v = unescape(body, i, quote, is_byte);
    if (!v) {
      return std::nullopt;
    }
    if (is_byte) {
      if (quote == '\'') {
        util::append_utf8(out, *v);
      } else {
        out += static_cast<char>(*v);
      }
    } else {
      util::append_utf8(out, *v);
    }
  }
  if (quote == '\'' && util::utf8_rune_count(out) != 1) {
    return std::nullopt;
  }
  return out;
}

util::Result<std::vector<Tree>> parse_template(std::string_view file, std::string_view text,
                                               const std::function<bool(std::string_view)>& is_function) {
  auto tokens = lex_template(text);
  if (!tokens) {
    return util::fail(util::ErrorKind::invalid_argument, fmt::format("{}: {}", file, tokens.error().message()));
  }
  return Parser(file, std::move(*tokens), is_function).run();
}

}  // namespace volback::notify
