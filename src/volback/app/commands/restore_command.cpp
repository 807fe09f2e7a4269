#include <volback/app/commands/restore_command.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include <volback/app/config/backends.hpp>
#include <volback/app/config/backup_config.hpp>
#include <volback/app/restore/archive_stream.hpp>
#include <volback/app/restore/list_backups.hpp>
#include <volback/app/restore/repository_snapshot.hpp>
#include <volback/app/restore/restore_backup.hpp>
#include <volback/app/restore/restore_target.hpp>
#include <volback/app/run/locked_run.hpp>
#include <volback/app/run/open_repository.hpp>
#include <volback/app/run/restore_recovery.hpp>
#include <volback/app/run/resume_guard.hpp>
#include <volback/archive/entry_names.hpp>
#include <volback/crypto/decryption_keys.hpp>
#include <volback/fs/random_name.hpp>
#include <volback/util/hex_digit.hpp>

namespace volback::app {
namespace {

namespace stdfs = std::filesystem;

std::string with_slash(const std::string& dir) {
  return dir.ends_with('/') ? dir : dir + "/";
}

// The one-off command that restores a volume mounted read-only here: volback's image
// with the volume mounted writable where the image looks for it.
std::string read_only_message(const BackupConfig& config, const Host& host, const std::string& backup,
                              const std::string& volume, const std::string& target) {
  const auto source = host.mount_source_of(config, target);
  std::vector<std::string> words{"docker",
                                 "run",
                                 "--rm",
                                 "-v",
                                 source.value_or("<the volume mounted at " + target + ">") + ":/backup/" + volume,
                                 "-v",
                                 "/var/run/docker.sock:/var/run/docker.sock"};
  if (const auto local = config.local_archive_directory()) {
    const std::string& archive = *local;
    const auto archive_source = host.mount_source_of(config, archive);
    words.insert(words.end(), {"-v", archive_source.value_or(archive) + ":" + archive + ":ro"});
  }
  // The same state directory: the crash journal and the restore's record must outlive the
  // one-off container, so that a killed restore is repaired by the next backup.
  const std::string& state = config.run.state_dir;
  if (const auto state_source = host.mount_source_of(config, state)) {
    words.insert(words.end(), {"-v", *state_source + ":" + state});
  }
  words.insert(words.end(),
               {"--env-file", "<your volback environment file>", "-e", "BACKUP_SOURCES=/backup", "volback:latest",
                "volback", "restore", backup, "--in-place", "--volume", volume, "--overwrite"});
  return fmt::format(
    "volume {}: the target {} is read-only (mounted :ro); nothing was changed. Restore it from "
    "a one-off container that mounts the volume writable:\n  {}",
    volume, target, fmt::join(words, " "));
}

std::string not_empty_message(const std::string& volume, const std::string& target) {
  return fmt::format(
    "volume {}: the target {} is not empty; nothing was changed. Add --overwrite to replace its "
    "content",
    volume, target);
}

// The selected volume directories that exist under `root`: those named by --volume,
// or every directory there.
util::Result<std::vector<std::string>> existing_volumes(const std::string& root,
                                                        const std::vector<std::string>& wanted) {
  std::vector<std::string> volumes;
  std::error_code ec;
  for (stdfs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (wanted.empty() || std::find(wanted.begin(), wanted.end(), name) != wanted.end())) {
      volumes.push_back(name);
    }
  }
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return util::fail(util::errno_error(ec.value(), "cannot read " + root));
  }
  std::sort(volumes.begin(), volumes.end());
  return volumes;
}

// In place: the selected volume directories under the sources, each checked before
// anything is stopped. Errors (invalid_argument) carry the message for the user.
util::Result<std::vector<std::string>> in_place_targets(const BackupConfig& config, const Host& host,
                                                        const RestoreRequest& request, const std::string& backup) {
  const std::string& sources = config.archive.source;
  VOLBACK_TRY_ASSIGN(const auto existing, existing_volumes(sources, request.volumes));
  for (const auto& volume : request.volumes) {
    if (std::find(existing.begin(), existing.end(), volume) == existing.end()) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("volume {}: {} is not a directory; nothing was changed. Restoring in place "
                                    "writes into the volume mounted there",
                                    volume, with_slash(sources) + volume));
    }
  }
  std::vector<std::string> dirs;
  for (const auto& volume : existing) {
    const std::string target = with_slash(sources) + volume;
    if (is_read_only(target)) {
      return util::fail(util::ErrorKind::invalid_argument, read_only_message(config, host, backup, volume, target));
    }
    VOLBACK_TRY_ASSIGN(const bool full, has_content(target));
    if (full && !request.overwrite) {
      return util::fail(util::ErrorKind::invalid_argument, not_empty_message(volume, target));
    }
    std::error_code ec;
    dirs.push_back(stdfs::weakly_canonical(target, ec).string());
  }
  return dirs;
}

// Opens the backup far enough to find its decryption key (the encryption's header only).
util::Result<void> check_decryption(storage::Backend& backend, const std::string& name,
                                    const crypto::DecryptionKeys& keys) {
  VOLBACK_TRY_ASSIGN(auto source, backend.open(name));
  VOLBACK_TRY(open_archive_stream(*source, keys));
  return {};
}

// Whether the restore reads a snapshot of the repository: --backend repository, or a
// repository configured without any archive backend, or a snapshot id (hex, as archives
// are named backup-….tar.gz) when both are.
bool restores_snapshot(const BackupConfig& config, const RestoreRequest& request) {
  if (!config.repository) {
    return false;
  }
  if (!request.backend.empty()) {
    return names_repository(request.backend);
  }
  if (config.backends.empty()) {
    return true;
  }
  return request.backup.size() >= 4 && std::all_of(request.backup.begin(), request.backup.end(),
                                                   [](char c) { return util::hex_digit_value(c) >= 0; });
}

// What a restore reads: a backup of an archive backend or a snapshot of the repository.
struct RestoreInput {
  std::string name;   // the backup's name, or "snapshot <id>"
  std::string where;  // the backend's name, or "repository <location>"
  Verify verify = Verify::yes;
  std::function<util::Result<std::unique_ptr<io::Source>>()> open;
  // Checks that the keys decrypt it before anything is stopped; empty: nothing to check.
  std::function<util::Result<void>()> check_key;
  std::unique_ptr<RepositorySnapshot> snapshot;  // kept open for `open`
};

std::string names_or_none(const std::vector<std::string>& names) {
  return names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

RestoreCommandResult run_restore_command(const util::Settings& settings, const CommandDeps& deps,
                                         const RestoreRequest& request) {
  auto& log = deps.log;
  const auto& clock = deps.clock;
  const auto& cancel = deps.cancel;
  RestoreCommandResult result;
  const auto usage = [&](const std::string& message) {
    log.error(message);
    result.exit_code = ExitCode::usage;
    return result;
  };
  const auto failed = [&](const std::string& message, const util::Error& error) {
    log.error(message, {{"error", error.message()}});
    result.exit_code = error.kind() == util::ErrorKind::invalid_argument ? ExitCode::usage : ExitCode::failed;
    return result;
  };
  if (request.in_place == request.to.has_value()) {
    return usage("restore needs exactly one of --to DIR and --in-place");
  }
  for (const auto& volume : request.volumes) {
    if (!archive::is_valid_volume_name(volume)) {
      return usage(
        fmt::format("--volume {:?} is not a volume name: a volume is one directory name, not empty, . "
                    "or .., without /",
                    volume));
    }
  }
  if (request.to) {
    struct stat st {};
    if (::stat(request.to->c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
      return usage(fmt::format("--to {}: not a directory; nothing was changed", *request.to));
    }
  }
  auto config = load_storage_config(settings);
  if (!config) {
    return usage(config.error().message());
  }
  const auto keys = crypto::DecryptionKeys::load(settings, request.identity);
  if (!keys) {
    return usage(keys.error().message());
  }
  auto all = create_backends(*config, log, clock, cancel);
  std::unique_ptr<RestoreInput> input;
  if (restores_snapshot(*config, request)) {
    auto snapshot = RepositorySnapshot::open(*config, request.backup,
                                             {log, clock, cancel, config->run.state_dir, config->run.spool_dir});
    if (!snapshot) {
      return failed("Restore failed", snapshot.error());
    }
    input = std::make_unique<RestoreInput>();
    input->name = (*snapshot)->name();
    input->where = (*snapshot)->where();
    input->verify = Verify::no;  // every blob is checked against its id instead
    input->open = [raw = snapshot->get(), &cancel]() { return raw->stream(cancel); };
    input->snapshot = std::move(*snapshot);
  } else {
    auto chosen = resolve_backup(all, request.backend, request.backup, config->retention.prefix, log);
    if (!chosen) {
      log.error(chosen.error().message());
      result.exit_code =
        chosen.error().kind() == util::ErrorKind::invalid_argument ? ExitCode::usage : ExitCode::failed;
      return result;
    }
    input = std::make_unique<RestoreInput>();
    input->name = chosen->name;
    input->where = std::string(chosen->backend->name());
    input->verify = request.no_verify ? Verify::no : Verify::yes;
    input->open = [backend = chosen->backend, name = chosen->name]() { return backend->open(name); };
    input->check_key = [backend = chosen->backend, name = chosen->name, &keys]() {
      return check_decryption(*backend, name, *keys);
    };
  }
  const std::string backup_name = input->name;

  const auto selected = [&request](const std::string& volume) {
    return request.volumes.empty() ||
           std::find(request.volumes.begin(), request.volumes.end(), volume) != request.volumes.end();
  };
  const std::string root = with_slash(request.to ? *request.to : config->archive.source);
  RestoreTargets targets;
  targets.target_of = [&](const std::string& volume) -> std::optional<std::string> {
    return selected(volume) ? std::optional<std::string>(root + volume) : std::nullopt;
  };
  targets.create_missing = !request.in_place;
  targets.required = request.volumes;
  targets.overwrite = request.overwrite ? Overwrite::yes : Overwrite::no;
  targets.dry_run = request.dry_run ? DryRun::yes : DryRun::no;
  targets.read_only_hint = [&](const std::string& volume, const std::string& target) {
    return read_only_message(*config, deps.host, backup_name, volume, target);
  };

  const auto restore = [&]() -> util::Result<RestoreSummary> {
    log.info(request.dry_run ? "Dry run: reading the backup, changing nothing" : "Restoring backup",
             {{"name", backup_name}, {"backend", input->where}});
    VOLBACK_TRY_ASSIGN(auto source, input->open());
    const RestoreOptions options{.id = fs::random_suffix(12),
                                 .state_dir = config->run.state_dir,
                                 .spill_dir = config->run.spool_dir,
                                 .verify = input->verify,
                                 .keys = &*keys};
    return restore_archive(*source, targets, options, log, cancel);
  };

  std::optional<util::Result<RestoreSummary>> summary;
  Quiesced quiesced;
  if (!request.in_place) {
    // Into a directory of its own: no lock, no containers. The records of dead restores
    // are repaired first (a running restore holds its record's lock).
    if (!request.dry_run) {
      recover_interrupted_restores(config->run.state_dir, log);
    }
    summary.emplace(restore());
  } else {
    // In place the live data changes: every target is checked before any container is
    // stopped, no backup may run meanwhile (the lock), what killed runs left is repaired
    // first, and the containers using the volumes are stopped through the crash-safe
    // journal, and restarted on every path.
    auto dirs = in_place_targets(*config, deps.host, request, backup_name);
    if (!dirs) {
      return usage(dirs.error().message());
    }
    if (!request.dry_run) {
      // A wrong or missing key fails now, before any container is stopped.
      if (input->check_key) {
        if (auto checked = input->check_key(); !checked) {
          return failed("Restore failed", checked.error());
        }
      }
    }
    const auto quiescer = deps.host.make_quiescer(*config, std::move(*dirs));
    if (request.dry_run) {
      auto planned = quiescer->plan();
      if (!planned) {
        return failed("Restore failed: cannot tell which containers would be stopped", planned.error());
      }
      quiesced = std::move(*planned);
      summary.emplace(restore());
    } else {
      auto locked = run_locked(config->run, *quiescer, log, cancel, [&]() -> util::Result<void> {
        auto stopped = quiescer->quiesce();
        if (!stopped) {
          return util::fail(stopped.error().with_context("could not stop the containers"));
        }
        quiesced = std::move(*stopped);
        ResumeGuard resume(*quiescer, log);
        summary.emplace(restore());
        if (!resume.resume()) {
          result.exit_code = ExitCode::failed;
        }
        return {};
      });
      if (!locked) {
        return failed("Restore failed", locked.error());
      }
    }
  }
  if (!*summary) {
    return failed("Restore failed", summary->error());
  }
  const auto& restored = **summary;
  for (const auto& vol : restored.volumes) {
    result.text += fmt::format("{}{} -> {} ({} entries, {} files, {} bytes)\n",
                               request.dry_run ? "would restore " : "restored ", util::escape_for_terminal(vol.name),
                               util::escape_for_terminal(vol.target), vol.entries, vol.files, vol.bytes);
  }
  if (request.in_place) {
    const std::string_view verb = request.dry_run ? "would be stopped" : "stopped";
    result.text += fmt::format("containers {} meanwhile: {}\n", verb, names_or_none(quiesced.containers));
    if (!quiesced.services.empty()) {
      result.text += fmt::format("services {} (scaled to 0) meanwhile: {}\n", verb, names_or_none(quiesced.services));
    }
  }
  if (restored.volumes.empty()) {
    log.warn("No volume of the backup matched: nothing was restored");
  }
  return result;
}

}  // namespace volback::app
