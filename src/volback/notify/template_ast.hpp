#pragma once
// The parse tree of a template (template_parser.hpp builds it, template_exec.hpp runs
// it), shaped like Go's text/template/parse nodes.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace volback::notify {

struct Pipe;

// A numeric literal: Go's NumberNode, with the representations its text allows.
struct Number {
  std::string text;
  bool is_int = false;   // fits int64
  bool is_uint = false;  // fits uint64
  bool is_float = false;
  bool is_char = false;  // a character constant ('a'), a rune
  std::int64_t int_value = 0;
  std::uint64_t uint_value = 0;
  double float_value = 0;
};

// One word of a command.
struct Operand {
  enum class Kind {
    field,       // .A.B: idents {A, B}
    variable,    // $x.A: idents {$x, A}
    chain,       // (pipe).A or a literal followed by fields: `node` then idents
    identifier,  // a function name
    pipe,        // (pipeline)
    dot,
    nil,
    boolean,
    number,
    string,
  };
  Kind kind = Kind::dot;
  std::vector<std::string> idents;
  std::string text;  // identifier name; string value (unquoted)
  bool boolean = false;
  Number number;
  std::shared_ptr<const Pipe> pipe;     // for pipe
  std::shared_ptr<const Operand> node;  // for chain
  int line = 0;

  // The operand as written, for messages (".A.B", "$x", "printf").
  std::string describe() const;
};

struct Command {
  std::vector<Operand> args;
  int line = 0;
};

struct Pipe {
  bool is_assign = false;         // $x = …  (else: $x := … when decl is not empty)
  std::vector<std::string> decl;  // declared or assigned variables
  std::vector<Command> commands;  // joined by '|'
  int line = 0;
};

struct Node {
  enum class Kind { text, action, if_node, range, with, template_call, break_node, continue_node };
  Kind kind = Kind::text;
  std::string text;  // text; the called template's name
  std::shared_ptr<const Pipe> pipe;
  std::vector<Node> list;
  std::vector<Node> else_list;
  int line = 0;
};

// One named template: a {{define}}d one, or a file's top level.
struct Tree {
  std::string name;
  std::string file;  // where it was defined, for messages
  std::vector<Node> root;
};

// Whether a tree holds only whitespace text (Go's parse.IsEmptyTree): such a definition
// never replaces an existing one.
bool is_empty_tree(const std::vector<Node>& nodes);

}  // namespace volback::notify
