#include <volback/cli/archive_commands.hpp>

#include <cstdio>
#include <optional>

#include <volback/app/restore/list_backups.hpp>
#include <volback/app/restore/verify_backup.hpp>
#include <volback/app/config/confd.hpp>
#include <volback/app/containers/docker_quiescer.hpp>
#include <volback/app/run/exit_code.hpp>
#include <volback/app/containers/own_container.hpp>
#include <volback/app/commands/restore_command.hpp>
#include <volback/cli/environment.hpp>
#include <volback/cli/make_logger.hpp>
#include <volback/cli/signals.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/settings.hpp>

namespace volback::cli {

void add_archive_commands(CLI::App& cli, ArchiveCommands& state) {
  auto* list = cli.add_subcommand("list", "List the backups on every configured backend, newest first")
                 ->callback([&state] { state.chosen = ArchiveCommands::Chosen::list; })
                 ->footer("Exit codes: 0 listed, 1 a backend could not be listed, 2 bad configuration.");
  list->add_flag("--json", state.json, "Print a JSON array instead of a table");
  auto* verify =
    cli.add_subcommand("verify", "Read a backup from its backend and check every file against its manifest")
      ->callback([&state] { state.chosen = ArchiveCommands::Chosen::verify; })
      ->footer("Exit codes: 0 intact (also a foreign archive, with a warning: readable, no manifest),\n"
               "1 corrupt or unreadable (each failing entry is named), 2 bad usage or configuration.");
  verify->add_option("backup", state.backup, "The backup's name, or latest (the default)");
  verify->add_option("--backend", state.backend, "Read from this backend (Local, S3, ...); default: the first holding it");
  auto* restore = cli.add_subcommand("restore", "Restore volumes from a backup, checked against its manifest first")
                    ->callback([&state] { state.chosen = ArchiveCommands::Chosen::restore; })
                    ->footer("Exit codes: 0 restored, 1 failed (no target changed), 2 bad usage, a refused target\n"
                             "(not empty without --overwrite, read-only) or bad configuration.");
  restore->add_option("backup", state.backup, "The backup's name, or latest (the default)");
  restore->add_option("--backend", state.backend, "Read from this backend; default: the first holding it");
  restore->add_option("--volume", state.volumes, "Restore only this volume (repeatable); default: all");
  auto* to = restore->add_option("--to", state.to, "Restore the volumes into DIR/<volume>")->type_name("DIR");
  auto* in_place = restore->add_flag("--in-place", state.in_place,
                                     "Restore into the live volume directories under BACKUP_SOURCES, stopping the "
                                     "labelled containers and every other container using those volumes meanwhile");
  to->excludes(in_place);
  restore->add_flag("--overwrite", state.overwrite, "Replace the content of non-empty targets");
  restore->add_flag("--no-verify", state.no_verify,
                    "Restore an archive that has no volback manifest (made by offen or GNU tar), or without "
                    "comparing with its manifest: skips the check of content hashes, metadata and completeness; "
                    "the name rules and the checks of every write still apply");
  restore->add_flag("--dry-run", state.dry_run,
                    "Read and check the backup, print what would be restored and which containers would be "
                    "stopped, change nothing");
  for (auto* command : {list, verify, restore}) {
    command->add_option("--config", state.config_file, "Use the settings of this conf.d file (over the environment)")
      ->type_name("FILE");
  }
}

std::optional<int> run_chosen(const ArchiveCommands& state) {
  if (state.chosen == ArchiveCommands::Chosen::none) {
    return std::nullopt;
  }
  const util::MapSource env = environment_source();
  std::optional<app::ScheduleConfig> schedule;  // --config: a conf.d file over the environment
  if (!state.config_file.empty()) {
    auto loaded = app::load_confd_file(env, state.config_file);
    if (!loaded) {
      make_logger(util::Settings({&env}), util::SystemClock())->error(loaded.error().message());
      return static_cast<int>(app::ExitCode::usage);
    }
    schedule.emplace(std::move(*loaded));
  }
  // Only an in-place restore reads the sources: elsewhere (a verification machine has no
  // volumes) their check is satisfied with "/", over every other layer.
  const util::MapSource reading_only({{"BACKUP_SOURCES", "/"}}, "list/verify/restore --to");
  std::vector<const util::ConfigSource*> layers{&env};
  if (schedule) {
    layers.push_back(schedule->file());
  }
  if (state.chosen != ArchiveCommands::Chosen::restore || !state.in_place) {
    layers.push_back(&reading_only);
  }
  const util::Settings settings(layers);
  const util::SystemClock clock;
  const auto log = make_logger(settings, clock);
  util::CancelToken cancel;
  const CancelOnSignals on_signals(cancel);
  switch (state.chosen) {
  case ArchiveCommands::Chosen::list: {
    const auto result = app::run_list_command(settings, *log, clock, cancel, {.json = state.json});
    std::fputs(result.text.c_str(), stdout);
    return static_cast<int>(result.exit_code);
  }
  case ArchiveCommands::Chosen::verify: {
    const auto result =
      app::run_verify_command(settings, *log, clock, cancel, {.backup = state.backup, .backend = state.backend});
    std::fputs(result.text.c_str(), stdout);
    return static_cast<int>(result.exit_code);
  }
  case ArchiveCommands::Chosen::restore: {
    app::RestoreRequest request{.backup = state.backup,
                                .backend = state.backend,
                                .volumes = state.volumes,
                                .to = state.to.empty() ? std::nullopt : std::optional(state.to),
                                .in_place = state.in_place,
                                .overwrite = state.overwrite,
                                .dry_run = state.dry_run,
                                .no_verify = state.no_verify};
    const app::RestoreHost host{
      .make_quiescer = [&](std::vector<std::string> dirs) {
        return app::make_quiescer(settings, *log, cancel, "/var/run/docker.sock", std::move(dirs));
      },
      .mount_source_of = [&](const std::string& dir) { return app::docker_mount_source_of(settings, dir); }};
    const auto result = app::run_restore_command(settings, *log, clock, cancel, host, request);
    std::fputs(result.text.c_str(), stdout);
    return static_cast<int>(result.exit_code);
  }
  case ArchiveCommands::Chosen::none: break;
  }
  return std::nullopt;
}

}  // namespace volback::cli
