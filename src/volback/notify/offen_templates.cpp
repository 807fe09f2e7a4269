#include <volback/notify/offen_templates.hpp>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include <volback/notify/go_format.hpp>
#include <volback/notify/go_json.hpp>
#include <volback/notify/go_time.hpp>
#include <volback/util/settings.hpp>

namespace volback::notify {

std::string_view title_template(Outcome outcome) {
  switch (outcome) {
  case Outcome::success: return "title_success";
  case Outcome::warning: return "title_warning";
  case Outcome::failure: return "title_failure";
  }
  return "title_failure";
}

std::string_view body_template(Outcome outcome) {
  switch (outcome) {
  case Outcome::success: return "body_success";
  case Outcome::warning: return "body_warning";
  case Outcome::failure: return "body_failure";
  }
  return "body_failure";
}

std::string format_bytes(std::uint64_t bytes, bool decimal) {
  const std::uint64_t unit = decimal ? 1000 : 1024;
  if (bytes < unit) {
    return fmt::format("{} B", bytes);
  }
  std::uint64_t div = unit;
  int exp = 0;
  for (std::uint64_t n = bytes / unit; n >= unit; n /= unit) {
    div *= unit;
    ++exp;
  }
  const std::string number = format_go_float(static_cast<double>(bytes) / static_cast<double>(div), 'f', 1);
  return fmt::format("{} {}{}", number, "kMGTPE"[exp], decimal ? "B" : "iB");
}

FunctionMap offen_template_functions(EnvLookup env) {
  FunctionMap f;
  f["formatTime"] = Function{{ParamType::time}, false, Function::Special::none, [](auto a) -> util::Result<Value> {
                               return Value::string(format_go_time(a[0].time_point(), a[0].zone(), k_go_rfc3339));
                             }};
  f["formatBytesDec"] =
    Function{{ParamType::uint64}, false, Function::Special::none, [](auto a) -> util::Result<Value> {
               return Value::string(format_bytes(a[0].as_uint(), true));
             }};
  f["formatBytesBin"] =
    Function{{ParamType::uint64}, false, Function::Special::none, [](auto a) -> util::Result<Value> {
               return Value::string(format_bytes(a[0].as_uint(), false));
             }};
  f["env"] = Function{
    {ParamType::string}, false, Function::Special::none, [env = std::move(env)](auto a) -> util::Result<Value> {
      return Value::string(env(a[0].text()));
    }};
  f["toJson"] = Function{{ParamType::any}, false, Function::Special::none, [](auto a) -> util::Result<Value> {
                           return Value::string(go_json(a[0]));
                         }};
  f["toPrettyJson"] = Function{{ParamType::any}, false, Function::Special::none, [](auto a) -> util::Result<Value> {
                                 return Value::string(go_json_indented(a[0]));
                               }};
  return f;
}

util::Result<std::vector<TemplateFile>> read_template_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(dir, ec);
  if (ec || !fs::exists(status)) {
    return std::vector<TemplateFile>{};
  }
  if (!fs::is_directory(status)) {
    return util::fail(util::ErrorKind::invalid_argument, fmt::format("{} is not a directory", dir));
  }
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with('.')) {
      continue;
    }
    std::error_code type_error;
    if (fs::is_directory(it->path(), type_error)) {
      continue;
    }
    names.push_back(name);
  }
  if (ec) {
    return util::fail(util::ErrorKind::invalid_argument, fmt::format("cannot list {}: {}", dir, ec.message()));
  }
  std::sort(names.begin(), names.end());
  std::vector<TemplateFile> files;
  for (const auto& name : names) {
    const std::string path = (fs::path(dir) / name).string();
    auto text = util::read_whole_file(path);
    if (!text) {
      return util::fail(util::ErrorKind::invalid_argument, text.error().message());
    }
    files.push_back({path, std::move(*text)});
  }
  return files;
}

util::Result<TemplateSet> build_templates(std::span<const TemplateFile> overrides, EnvLookup env) {
  TemplateSet set(offen_template_functions(std::move(env)));
  VOLBACK_TRY(set.add(k_default_templates_name, k_default_templates));
  for (const auto& file : overrides) {
    VOLBACK_TRY(set.add(file.name, file.text));
  }
  return set;
}

util::Result<Message> render_message(const TemplateSet& templates, Outcome outcome, const Value& data) {
  Message message;
  VOLBACK_TRY_ASSIGN(message.title, templates.execute(title_template(outcome), data));
  VOLBACK_TRY_ASSIGN(message.body, templates.execute(body_template(outcome), data));
  return message;
}

}  // namespace volback::notify
