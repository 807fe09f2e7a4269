#include <volback/notify/template_exec.hpp>

#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <volback/notify/go_format.hpp>

namespace volback::notify {

namespace {

enum class Flow { next, break_loop, continue_loop };

class Executor {
 public:
  Executor(const std::map<std::string, Tree, std::less<>>& trees, const FunctionMap& functions, ExecLimits limits)
    : m_trees(trees), m_functions(functions), m_limits(limits) {}

  util::Result<std::string> run(std::string_view name, const Value& data) {
    VOLBACK_TRY(call(name, data, 0));
    return std::move(m_out);
  }

 private:
  struct Variable {
    std::string name;
    Value value;
  };

  tl::unexpected<util::Error> fail(std::string_view what) const {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("template {:?} line {}: {}", m_template, m_line, what));
  }

  util::Result<void> call(std::string_view name, const Value& dot, int depth) {
    const auto it = m_trees.find(name);
    if (it == m_trees.end()) {
      return fail(fmt::format("no such template {:?}", std::string(name)));
    }
    if (depth > m_limits.max_depth) {
      return fail(fmt::format("exceeded maximum template depth ({})", m_limits.max_depth));
    }
    const std::string saved_template = std::exchange(m_template, it->second.name);
    auto saved_vars = std::exchange(m_vars, std::vector<Variable>{{"$", dot}});
    const int saved_depth = std::exchange(m_depth, depth);
    auto walked = walk(dot, it->second.root);
    m_template = saved_template;
    m_vars = std::move(saved_vars);
    m_depth = saved_depth;
    if (!walked) {
      return tl::unexpected(walked.error());
    }
    return {};
  }

  util::Result<void> emit(std::string_view text) {
    if (m_out.size() + text.size() > m_limits.max_output) {
      return fail(fmt::format("the output exceeds {} bytes", m_limits.max_output));
    }
    m_out += text;
    return {};
  }

  util::Result<Flow> walk(const Value& dot, const std::vector<Node>& list) {
    for (const auto& node : list) {
      VOLBACK_TRY_ASSIGN(const Flow flow, walk_node(dot, node));
      if (flow != Flow::next) {
        return flow;
      }
    }
    return Flow::next;
  }

  util::Result<Flow> walk_node(const Value& dot, const Node& node) {
    m_line = node.line;
    switch (node.kind) {
    case Node::Kind::text: VOLBACK_TRY(emit(node.text)); return Flow::next;
    case Node::Kind::action: {
      VOLBACK_TRY_ASSIGN(const Value value, pipeline(dot, *node.pipe));
      if (node.pipe->decl.empty()) {
        VOLBACK_TRY(emit(printable(value)));
      }
      return Flow::next;
    }
    case Node::Kind::if_node:
    case Node::Kind::with: {
      const std::size_t mark = m_vars.size();
      VOLBACK_TRY_ASSIGN(const Value value, pipeline(dot, *node.pipe));
      util::Result<Flow> flow = Flow::next;
      if (value.truth()) {
        flow = walk(node.kind == Node::Kind::with ? value : dot, node.list);
      } else {
        flow = walk(dot, node.else_list);
      }
      m_vars.resize(mark);
      return flow;
    }
    case Node::Kind::range: return range(dot, node);
    case Node::Kind::template_call: {
      Value argument;
      if (node.pipe) {
        VOLBACK_TRY_ASSIGN(argument, pipeline(dot, *node.pipe));
      }
      const int line = m_line;
      VOLBACK_TRY(call(node.text, argument, m_depth + 1));
      m_line = line;
      return Flow::next;
    }
    case Node::Kind::break_node: return Flow::break_loop;
    case Node::Kind::continue_node: return Flow::continue_loop;
    }
    return Flow::next;
  }

  // What an action prints: fmt.Sprint of the value, a struct behind a pointer as the
  // struct, "<no value>" for no value.
  static std::string printable(const Value& v) {
    if (!v.valid()) {
      return "<no value>";
    }
    return go_sprint_value(v.without_pointer());
  }

  util::Result<Flow> range(const Value& dot, const Node& node) {
    const std::size_t mark = m_vars.size();
    VOLBACK_TRY_ASSIGN(const Value value, pipeline(dot, *node.pipe));
    const std::size_t body_mark = m_vars.size();
    const auto& decl = node.pipe->decl;
    const auto one = [&](const Value& key, const Value& element) -> util::Result<Flow> {
      if (!decl.empty()) {
        if (node.pipe->is_assign) {
          VOLBACK_TRY(set_var(decl[0], decl.size() > 1 ? key : element));
          if (decl.size() > 1) {
            VOLBACK_TRY(set_var(decl[1], element));
          }
        } else {
          m_vars[body_mark - 1].value = element;
          if (decl.size() > 1) {
            m_vars[body_mark - 2].value = key;
          }
        }
      }
      auto flow = walk(element, node.list);
      m_vars.resize(body_mark);
      return flow;
    };
    bool any = false;
    switch (value.kind()) {
    case Value::Kind::list:
      for (std::size_t i = 0; i < value.items().size(); ++i) {
        any = true;
        VOLBACK_TRY_ASSIGN(const Flow flow, one(Value::integer(static_cast<std::int64_t>(i)), value.items()[i]));
        if (flow == Flow::break_loop) {
          break;
        }
      }
      break;
    case Value::Kind::map:
      for (const auto& [key, element] : value.entries()) {
        any = true;
        VOLBACK_TRY_ASSIGN(const Flow flow, one(Value::string(key), element));
        if (flow == Flow::break_loop) {
          break;
        }
      }
      break;
    case Value::Kind::invalid: break;
    default: return fail(fmt::format("range can't iterate over {}", go_sprint_value(value)));
    }
    util::Result<Flow> flow = Flow::next;
    if (!any) {
      flow = walk(dot, node.else_list);
    }
    m_vars.resize(mark);
    return flow;
  }

  util::Result<void> set_var(const std::string& name, const Value& value) {
    for (auto it = m_vars.rbegin(); it != m_vars.rend(); ++it) {
      if (it->name == name) {
        it->value = value;
        return {};
      }
    }
    return fail(fmt::format("undefined variable: {}", name));
  }

  util::Result<Value> var_value(const std::string& name) const {
    for (auto it = m_vars.rbegin(); it != m_vars.rend(); ++it) {
      if (it->name == name) {
        return it->value;
      }
    }
    return fail(fmt::format("undefined variable: {}", name));
  }

  util::Result<Value> pipeline(const Value& dot, const Pipe& pipe) {
    std::optional<Value> value;
    for (const auto& command : pipe.commands) {
      VOLBACK_TRY_ASSIGN(Value next, evaluate_command(dot, command, value));
      value = std::move(next);
    }
    for (const auto& name : pipe.decl) {
      if (pipe.is_assign) {
        VOLBACK_TRY(set_var(name, *value));
      } else {
        m_vars.push_back({name, *value});
      }
    }
    return value ? *value : Value();
  }

  util::Result<void> not_a_function(const std::vector<Operand>& args, const std::optional<Value>& final) const {
    if (args.size() > 1 || final) {
      return fail(fmt::format("can't give argument to non-function {}", args[0].describe()));
    }
    return {};
  }

  util::Result<Value> evaluate_command(const Value& dot, const Command& command, const std::optional<Value>& final) {
    const Operand& first = command.args[0];
    m_line = first.line;
    switch (first.kind) {
    case Operand::Kind::field: return field_chain(dot, dot, first.idents, command.args, final);
    case Operand::Kind::chain: {
      VOLBACK_TRY_ASSIGN(const Value receiver, chain_receiver(dot, first));
      return field_chain(dot, receiver, first.idents, command.args, final);
    }
    case Operand::Kind::identifier: return call_function(dot, first.text, command.args, final);
    case Operand::Kind::pipe: VOLBACK_TRY(not_a_function(command.args, final)); return pipeline(dot, *first.pipe);
    case Operand::Kind::variable: {
      VOLBACK_TRY_ASSIGN(const Value value, var_value(first.idents[0]));
      if (first.idents.size() == 1) {
        VOLBACK_TRY(not_a_function(command.args, final));
        return value;
      }
      return field_chain(dot, value, std::span(first.idents).subspan(1), command.args, final);
    }
    default: break;
    }
    VOLBACK_TRY(not_a_function(command.args, final));
    switch (first.kind) {
    case Operand::Kind::boolean: return Value::boolean(first.boolean);
    case Operand::Kind::dot: return dot;
    case Operand::Kind::nil: return fail("nil is not a command");
    case Operand::Kind::number: return ideal_constant(first.number);
    case Operand::Kind::string: return Value::string(first.text);
    default: return fail("can't evaluate command");
    }
  }

  util::Result<Value> chain_receiver(const Value& dot, const Operand& chain) {
    if (chain.node->kind == Operand::Kind::nil) {
      return fail(fmt::format("indirection through explicit nil in {}", chain.describe()));
    }
    return argument(dot, std::nullopt, *chain.node);
  }

  util::Result<Value> ideal_constant(const Number& number) const {
    const bool floating = !number.is_char && number.text.find_first_of(".eEpP") != std::string::npos &&
                          !(number.text.size() > 1 && (number.text[1] == 'x' || number.text[1] == 'X'));
    if (number.is_float && floating) {
      return Value::floating(number.float_value);
    }
    if (number.is_int) {
      return Value::integer(number.int_value);
    }
    if (number.is_uint) {
      return fail(fmt::format("{} overflows int", number.text));
    }
    return Value::floating(number.float_value);
  }

  util::Result<Value> field_chain(const Value& dot, Value receiver, std::span<const std::string> idents,
                                  const std::vector<Operand>& args, const std::optional<Value>& final) {
    for (std::size_t i = 0; i + 1 < idents.size(); ++i) {
      VOLBACK_TRY_ASSIGN(receiver, field(dot, idents[i], receiver, {}, std::nullopt));
    }
    return field(dot, idents.back(), receiver, args, final);
  }

  util::Result<Value> field(const Value& dot, const std::string& name, const Value& receiver,
                            const std::vector<Operand>& args, const std::optional<Value>& final) {
    if (!receiver.valid()) {
      return Value();
    }
    if (receiver.kind() == Value::Kind::nil) {
      return fail(fmt::format("nil pointer evaluating {}.{}", receiver.type(), name));
    }
    if (auto method = find_method(receiver, name)) {
      return call(dot, *method, name, args, final);
    }
    const bool has_args = args.size() > 1 || final;
    if (receiver.kind() == Value::Kind::structure) {
      if (const Value* value = receiver.field(name)) {
        if (has_args) {
          return fail(fmt::format("{} has arguments but cannot be invoked as function", name));
        }
        return *value;
      }
    } else if (receiver.kind() == Value::Kind::map) {
      if (has_args) {
        return fail(fmt::format("{} is not a method but has arguments", name));
      }
      const auto it = receiver.entries().find(name);
      return it == receiver.entries().end() ? Value() : it->second;
    }
    return fail(fmt::format("can't evaluate field {} in type {}", name, receiver.type()));
  }

  util::Result<Value> call_function(const Value& dot, const std::string& name, const std::vector<Operand>& args,
                                    const std::optional<Value>& final) {
    const auto it = m_functions.find(name);
    if (it == m_functions.end()) {
      return fail(fmt::format("{:?} is not a defined function", name));
    }
    return call(dot, it->second, name, args, final);
  }

  // Converts a literal or an evaluated operand to a parameter, as Go's evalArg does;
  // nullopt `type` evaluates without a parameter type (a chain's receiver).
  util::Result<Value> argument(const Value& dot, std::optional<ParamType> type, const Operand& operand) {
    m_line = operand.line;
    switch (operand.kind) {
    case Operand::Kind::dot: return check_type(dot, type);
    case Operand::Kind::nil:
      if (type && (*type == ParamType::any || *type == ParamType::value)) {
        return Value();
      }
      return fail(fmt::format("cannot assign nil to {}", type ? param_type_name(*type) : "value"));
    case Operand::Kind::field: {
      VOLBACK_TRY_ASSIGN(const Value value, field_chain(dot, dot, operand.idents, {operand}, std::nullopt));
      return check_type(value, type);
    }
    case Operand::Kind::variable: {
      VOLBACK_TRY_ASSIGN(Value value, var_value(operand.idents[0]));
      if (operand.idents.size() > 1) {
        VOLBACK_TRY_ASSIGN(value, field_chain(dot, value, std::span(operand.idents).subspan(1), {}, std::nullopt));
      }
      return check_type(value, type);
    }
    case Operand::Kind::pipe: {
      VOLBACK_TRY_ASSIGN(const Value value, pipeline(dot, *operand.pipe));
      return check_type(value, type);
    }
    case Operand::Kind::identifier: {
      VOLBACK_TRY_ASSIGN(const Value value, call_function(dot, operand.text, {operand}, std::nullopt));
      return check_type(value, type);
    }
    case Operand::Kind::chain: {
      VOLBACK_TRY_ASSIGN(const Value receiver, chain_receiver(dot, operand));
      VOLBACK_TRY_ASSIGN(const Value value, field_chain(dot, receiver, operand.idents, {}, std::nullopt));
      return check_type(value, type);
    }
    default: break;
    }
    // A literal, converted to the parameter's type.
    const ParamType want = type.value_or(ParamType::any);
    switch (want) {
    case ParamType::value:
    case ParamType::any:
      switch (operand.kind) {
      case Operand::Kind::boolean: return Value::boolean(operand.boolean);
      case Operand::Kind::number: return ideal_constant(operand.number);
      case Operand::Kind::string: return Value::string(operand.text);
      default: break;
      }
      break;
    case ParamType::string:
      if (operand.kind == Operand::Kind::string) {
        return Value::string(operand.text);
      }
      return fail(fmt::format("expected string; found {}", operand.describe()));
    case ParamType::uint64:
      if (operand.kind == Operand::Kind::number && operand.number.is_uint) {
        return Value::unsigned_integer(operand.number.uint_value, "uint64");
      }
      return fail(fmt::format("expected unsigned integer; found {}", operand.describe()));
    case ParamType::int64:
      if (operand.kind == Operand::Kind::number && operand.number.is_int) {
        return Value::integer(operand.number.int_value, "int64");
      }
      return fail(fmt::format("expected integer; found {}", operand.describe()));
    case ParamType::time: break;
    }
    return fail(fmt::format("can't handle {} for arg of type {}", operand.describe(), param_type_name(want)));
  }

  // Go's validateType: whether an evaluated value may be passed as `type`.
  util::Result<Value> check_type(const Value& value, std::optional<ParamType> type) const {
    if (!type) {
      return value;
    }
    if (!value.valid()) {
      if (*type == ParamType::any || *type == ParamType::value) {
        return value;
      }
      return fail(fmt::format("invalid value; expected {}", param_type_name(*type)));
    }
    bool ok = false;
    switch (*type) {
    case ParamType::value:
    case ParamType::any: ok = true; break;
    case ParamType::string: ok = value.kind() == Value::Kind::string && value.type() == "string"; break;
    case ParamType::time: ok = value.kind() == Value::Kind::time; break;
    case ParamType::uint64: ok = value.kind() == Value::Kind::unsigned_integer && value.type() == "uint64"; break;
    case ParamType::int64: ok = value.kind() == Value::Kind::signed_integer && value.type() == "int64"; break;
    }
    if (!ok) {
      return fail(fmt::format("wrong type for value; expected {}; got {}", param_type_name(*type), value.type()));
    }
    return value;
  }

  util::Result<Value> call(const Value& dot, const Function& function, const std::string& name,
                           const std::vector<Operand>& all_args, const std::optional<Value>& final) {
    const std::span<const Operand> args =
      all_args.empty() ? std::span<const Operand>() : std::span<const Operand>(all_args).subspan(1);
    const std::size_t count = args.size() + (final ? 1 : 0);
    const std::size_t params = function.params.size();
    std::size_t fixed = args.size();
    if (function.variadic) {
      fixed = params - 1;
      if (count < fixed) {
        return fail(fmt::format("wrong number of args for {}: want at least {} got {}", name, fixed, args.size()));
      }
    } else if (count != params) {
      return fail(fmt::format("wrong number of args for {}: want {} got {}", name, params, count));
    }
    if (function.special != Function::Special::none) {
      const bool is_or = function.special == Function::Special::or_op;
      Value v;
      for (const auto& arg : args) {
        VOLBACK_TRY_ASSIGN(v, argument(dot, ParamType::value, arg));
        if (v.truth() == is_or) {
          return v;
        }
      }
      if (final) {
        VOLBACK_TRY_ASSIGN(v, check_type(*final, ParamType::value));
      }
      return v;
    }
    std::vector<Value> values;
    values.reserve(count);
    std::size_t i = 0;
    for (; i < fixed && i < args.size(); ++i) {
      VOLBACK_TRY_ASSIGN(auto value, argument(dot, function.params[i], args[i]));
      values.push_back(std::move(value));
    }
    if (function.variadic) {
      for (; i < args.size(); ++i) {
        VOLBACK_TRY_ASSIGN(auto value, argument(dot, function.params.back(), args[i]));
        values.push_back(std::move(value));
      }
    }
    if (final) {
      const ParamType type =
        function.variadic && count - 1 >= fixed ? function.params.back() : function.params[count - 1];
      VOLBACK_TRY_ASSIGN(auto value, check_type(*final, type));
      values.push_back(std::move(value));
    }
    auto result = function.call(values);
    if (!result) {
      return fail(fmt::format("error calling {}: {}", name, result.error().message()));
    }
    return std::move(*result);
  }

  const std::map<std::string, Tree, std::less<>>& m_trees;
  const FunctionMap& m_functions;
  ExecLimits m_limits;
  std::string m_out;
  std::vector<Variable> m_vars;
  std::string m_template;
  int m_line = 0;
  int m_depth = 0;
};

}  // namespace

util::Result<std::string> execute_template(const std::map<std::string, Tree, std::less<>>& trees, std::string_view name,
                                           const Value& data, const FunctionMap& functions, ExecLimits limits) {
  return Executor(trees, functions, limits).run(name, data);
}

}  // namespace volback::notify
