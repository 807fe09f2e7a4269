#include <volback/app/config/archive_name.hpp>

#include <fmt/format.h>

#include <volback/util/strftime.hpp>

namespace volback::app {

namespace {

// Replaces every "{{ .Extension }}" (any spacing inside the braces) with `extension`.
util::Result<std::string> render_template(std::string_view text, std::string_view extension) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const auto open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      out.append(text.substr(pos));
      return out;
    }
    const auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return util::fail(util::ErrorKind::invalid_argument, "unclosed \"{{\" in the file name template");
    }
    std::string_view action = text.substr(open + 2, close - open - 2);
    while (!action.empty() && (action.front() == ' ' || action.front() == '-'))
      action.remove_prefix(1);
    while (!action.empty() && (action.back() == ' ' || action.back() == '-'))
      action.remove_suffix(1);
    if (action != ".Extension") {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("unsupported template action \"{{{{{}}}}}\"; only {{{{ .Extension }}}} is known",
                                    text.substr(open + 2, close - open - 2)));
    }
    out.append(text.substr(pos, open - pos));
    out.append(extension);
    pos = close + 2;
  }
}

}  // namespace

util::Result<std::string> render_archive_name(std::string_view name_template, std::string_view extension,
                                              const util::CivilTime& time) {
  VOLBACK_TRY_ASSIGN(const std::string templated, render_template(name_template, extension));
  std::string name = util::strftime_offen(templated, time);
  if (const auto slash = name.rfind('/'); slash != std::string::npos) {
    name.erase(0, slash + 1);
  }
  if (name.empty() || name == "." || name == "..") {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("\"{}\" does not give a file name", name_template));
  }
  if (name.starts_with(".volback-")) {
    return util::fail(util::ErrorKind::invalid_argument,
                      "names starting with \".volback-\" are reserved for volback's partial files");
  }
  if (name.size() > k_max_archive_name_bytes) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("the file name is {} bytes long; a file name may have at most {}", name.size(),
                                  k_max_archive_name_bytes));
  }
  return name;
}

util::Result<std::size_t> max_archive_name_length(std::string_view name_template, std::string_view extension) {
  VOLBACK_TRY_ASSIGN(const std::string templated, render_template(name_template, extension));
  return util::strftime_offen_max_length(templated).last_component;
}

}  // namespace volback::app
