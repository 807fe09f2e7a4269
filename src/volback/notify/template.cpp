#include <volback/notify/template.hpp>

#include <volback/notify/template_parser.hpp>

namespace volback::notify {

TemplateSet::TemplateSet(FunctionMap functions) : m_functions(builtin_functions()) {
  for (auto& [name, function] : functions) {
    m_functions[name] = std::move(function);
  }
}

util::Result<void> TemplateSet::add(std::string_view file, std::string_view text) {
  const auto is_function = [this](std::string_view name) { return m_functions.contains(name); };
  VOLBACK_TRY_ASSIGN(auto trees, parse_template(file, text, is_function));
  for (auto& tree : trees) {
    const auto it = m_trees.find(tree.name);
    if (it != m_trees.end() && is_empty_tree(tree.root)) {
      continue;  // an empty definition never replaces one (Go's associate)
    }
    std::string name = tree.name;
    m_trees.insert_or_assign(std::move(name), std::move(tree));
  }
  return {};
}

util::Result<std::string> TemplateSet::execute(std::string_view name, const Value& data, ExecLimits limits) const {
  return execute_template(m_trees, name, data, m_functions, limits);
}

}  // namespace volback::notify
