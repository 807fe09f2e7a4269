#include <volback/cli/verbs.hpp>

#include <algorithm>
#include <cstdio>

namespace volback::cli {

const std::vector<Verb>& verbs() {
  static const std::vector<Verb> table{
    backup_verb(),       daemon_verb(),       prune_verb(),       list_verb(),      verify_verb(),
    restore_verb(),      drill_verb(),        init_verb(),        snapshots_verb(), check_verb(),
    print_config_verb(), check_config_verb(), healthcheck_verb(),
  };
  return table;
}

const Verb* find_verb(std::string_view name) {
  const auto& table = verbs();
  const auto found = std::find_if(table.begin(), table.end(), [&](const Verb& verb) { return verb.name == name; });
  return found == table.end() ? nullptr : &*found;
}

int run_verb(LogStream logs, const VerbRunner& runner) {
  Runtime runtime(logs);
  return runner(runtime);
}

int run_default_verb(std::string_view name) {
  const Verb* verb = find_verb(name);
  if (verb == nullptr) {
    return as_int(app::ExitCode::usage);
  }
  CLI::App scratch;  // holds the verb's options at their defaults
  return run_verb(verb->logs, verb->define(*scratch.add_subcommand(std::string(verb->name))));
}

void print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

int as_int(app::ExitCode code) {
  return static_cast<int>(code);
}

}  // namespace volback::cli
