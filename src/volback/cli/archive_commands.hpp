#pragma once
// The commands that read backups back: `volback list`, `volback verify` and
// `volback restore`. add_archive_commands() declares them on the CLI11 app and records
// the choice in an ArchiveCommands; run_chosen() runs it with the real environment.

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace volback::cli {

struct ArchiveCommands {
  enum class Chosen { none, list, verify, restore };
  Chosen chosen = Chosen::none;
  bool json = false;
  std::string backup = "latest";  // verify: a backup name or "latest"
  std::string backend;            // verify: a backend name; empty: the first holding it
  std::string config_file;        // --config: a conf.d file's settings over the environment
  // restore
  std::vector<std::string> volumes;
  std::string to;
  bool in_place = false;
  bool overwrite = false;
  bool dry_run = false;
  bool no_verify = false;
};

// Declares the subcommands on `cli`. `state` must outlive the parse.
void add_archive_commands(CLI::App& cli, ArchiveCommands& state);

// Runs the command the parse chose and returns its exit code, or nullopt when none of
// these commands was chosen. Prints results on stdout and logs on stderr.
std::optional<int> run_chosen(const ArchiveCommands& state);

}  // namespace volback::cli
