#include <volback/app/commands/print_config.hpp>

#include <fmt/format.h>

#include <volback/app/config/backup_config.hpp>
#include <volback/util/memory_plan.hpp>
#include <volback/util/redact.hpp>

namespace volback::app {

namespace {

std::string render_line(const util::Settings& settings, const util::SettingSpec& spec) {
  auto value = settings.lookup(spec);
  if (!value) {
    return fmt::format("{}=<{}>\n", spec.name, util::redact_url_userinfo(value.error().message()));
  }
  if (!*value) {
    return fmt::format("{}=\n", spec.name);
  }
  const auto& resolved = **value;
  const std::string shown = util::Settings::display_value(spec, resolved.value);
  if (resolved.origin == util::Origin::default_value) {
    return fmt::format("{}={}\n", spec.name, shown);
  }
  return fmt::format("{}={}  # {} ({})\n", spec.name, shown, util::to_string(resolved.origin), resolved.where);
}

}  // namespace

RenderedConfig render_config(const util::Settings& settings, const std::string& source) {
  RenderedConfig out{fmt::format("source={}\n", source), ExitCode::ok};
  for (const auto specs : backup_setting_specs()) {
    for (const auto& spec : specs) {
      out.text += render_line(settings, spec);
    }
  }
  // How the defaults above that depend on memory were chosen (util/memory_plan.hpp).
  out.text += fmt::format("memory plan: {}\n", util::describe(util::memory_plan()));
  if (auto config = load_backup_config(settings); !config) {
    out.text += fmt::format("error: {}\n", util::redact_url_userinfo(config.error().message()));
    out.exit_code = ExitCode::usage;
  } else if (config->run.expand_filename) {
    // What BACKUP_FILENAME_EXPAND made of the name, before the timestamp is filled in.
    out.text += fmt::format("resolved: BACKUP_FILENAME={}\n",
                            util::Settings::display_value(k_backup_filename, config->run.filename_template));
  }
  return out;
}

}  // namespace volback::app
