#pragma once
// offen's notification templates: its default titles and bodies, its template functions,
// and the overrides read from notifications.d.
//
// Templates: title_failure/body_failure (the run failed), title_success/body_success, and
// volback's title_warning/body_warning (NOTIFICATION_LEVEL=warn: a run that ended with exit
// code 3 or 4, or whose pruning was refused). Functions: formatTime (RFC 3339),
// formatBytesDec ("7.1 MB"), formatBytesBin ("6.7 MiB"), env, toJson, toPrettyJson.

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <volback/notify/message.hpp>
#include <volback/notify/template.hpp>
#include <volback/notify/template_value.hpp>
#include <volback/util/result.hpp>

namespace volback::notify {

// offen's notifications.tmpl, plus the warning templates.
extern const std::string_view k_default_templates;

// The name offen's defaults are parsed under.
inline constexpr std::string_view k_default_templates_name = "notifications.tmpl";

struct TemplateFile {
  std::string name;  // the file's name, for messages
  std::string text;
};

enum class Outcome { success, warning, failure };

std::string_view title_template(Outcome outcome);
std::string_view body_template(Outcome outcome);

// What `env` returns for a variable: its value, or "" when unset.
using EnvLookup = std::function<std::string(std::string_view name)>;

// offen's template functions; `env` answers {{ env "NAME" }}.
FunctionMap offen_template_functions(EnvLookup env);

// offen's formatBytes: "999 B", "1.0 kB"/"1.0 KiB", … up to EB/EiB. Pure.
std::string format_bytes(std::uint64_t bytes, bool decimal);

// The override files of `dir`: every regular file (or symlink to one) whose name does
// not start with '.', in name order, each read whole (at most 4 MiB). A directory that
// does not exist has none. Errors name the file.
util::Result<std::vector<TemplateFile>> read_template_dir(const std::string& dir);

// offen's defaults, then `overrides` in order, as one template set. Errors name the file
// and line.
util::Result<TemplateSet> build_templates(std::span<const TemplateFile> overrides, EnvLookup env);

// The title and body of `outcome` for `data` (notification_data.hpp).
util::Result<Message> render_message(const TemplateSet& templates, Outcome outcome, const Value& data);

}  // namespace volback::notify
