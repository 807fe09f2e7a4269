#pragma once
// `print-config`: shows the configuration a run would use, as offen's print-config
// does, but with every secret replaced by ***.

#include <string>

#include <volback/app/run/exit_code.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

struct RenderedConfig {
  std::string text;    // what to print on stdout
  ExitCode exit_code;  // usage when the configuration is invalid
};

// The output starts with "source=<description of the top layer>", then one line per
// declared setting in the form NAME=value, followed by "  # <origin>" for values that
// do not come from the default. An invalid configuration adds "error: <message>" and
// gives ExitCode::usage. Values are shown through util::Settings::display_value:
// secrets print as ***, and the user info of a URL ("https://user:pass@host") as ***.
RenderedConfig render_config(const util::Settings& settings, const std::string& source);

}  // namespace volback::app
