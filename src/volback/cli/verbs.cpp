#include <volback/cli/verbs.hpp>

#include <cstdio>

namespace volback::cli {

const std::vector<Verb>& verbs() {
  static const std::vector<Verb> table{
    backup_verb(),  daemon_verb(),       prune_verb(),        list_verb(),        verify_verb(),
    restore_verb(), print_config_verb(), check_config_verb(), healthcheck_verb(),
  };
  return table;
}

VerbRunner default_runner(std::string_view name) {
  for (const auto& verb : verbs()) {
    if (verb.name == name) {
      static CLI::App scratch;  // holds the verb's options at their defaults
      return verb.define(*scratch.add_subcommand(std::string(verb.name)));
    }
  }
  return [](Runtime&) { return as_int(app::ExitCode::usage); };
}

void print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

int as_int(app::ExitCode code) {
  return static_cast<int>(code);
}

}  // namespace volback::cli
