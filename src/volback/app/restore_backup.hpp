#pragma once
// `volback restore [BACKUP|latest] [--backend NAME] [--volume NAME ...]
//                  (--to DIR | --in-place) [--overwrite] [--dry-run]`
//
// Streams a backup from its backend (no local copy) and restores its volumes (the
// directories directly under the archived sources). Safety, in order:
//   1. Each volume's target must be writable and, without --overwrite, empty; checked
//      before anything is written.
//   2. Everything is extracted into a staging directory inside the target,
//      `<target>/.volback-restore-<id>`, hashing every file as it is written. Ownership
//      is numeric, and modes, times, xattrs, ACLs, hard links and sparse files are kept
//      (libarchive's archive_write_disk).
//   3. When the stream ends, the hashes are compared with the manifest. Any mismatch or
//      stream error removes the staging directories: the targets are exactly as before.
//   4. The swap: the old top-level entries move into `<target>/.volback-old-<id>`, the
//      staged ones move in (renames inside one filesystem: a volume directory is a mount
//      point and cannot itself be renamed). A failure moves everything back. Only then
//      are the old entries deleted.
// The command around it (targets, lock, containers) is restore_command.hpp.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <volback/io/source.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

enum class Overwrite { no, yes };
enum class DryRun { no, yes };

struct RestoreTargets {
  // The target directory of a volume, or nullopt to skip the volume.
  std::function<std::optional<std::string>(const std::string& volume)> target_of;
  // Whether a missing target directory may be created (--to) or must exist (--in-place).
  bool create_missing = true;
  Overwrite overwrite = Overwrite::no;
  DryRun dry_run = DryRun::no;
  // Builds the message for a read-only target (the one-off docker command).
  std::function<std::string(const std::string& volume, const std::string& target)> read_only_hint;
};

struct RestoredVolume {
  std::string name;
  std::string target;
  std::uint64_t entries = 0;
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
};

struct RestoreSummary {
  std::vector<RestoredVolume> volumes;
  bool verified = false;  // false for an archive without a manifest (foreign)
};

// Restores from the archive stream `raw`. `id` names the staging and old directories.
// Errors: invalid_argument (a non-empty target without overwrite, a read-only target,
// a missing target with create_missing false), corrupt (hash mismatch, damaged stream,
// a marked archive without manifest), and the source's and the file system's errors.
// On error no target has changed.
util::Result<RestoreSummary> restore_archive(io::Source& raw, const RestoreTargets& targets, const std::string& id,
                                             util::Logger& log, const util::CancelToken& cancel);

}  // namespace volback::app
