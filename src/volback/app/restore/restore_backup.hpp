#pragma once
// `volback restore [BACKUP|latest] [--backend NAME] [--volume NAME ...]
//                  (--to DIR | --in-place) [--overwrite] [--dry-run] [--no-verify]`
//
// Streams a backup from its backend (no local copy) and restores its volumes (the
// directories directly under the archived sources). It reads through the one checked
// read path (archive::CheckedTarReader), so every check that verify makes holds here.
// Safety, in order:
//   1. Each volume's target must be a writable directory and, without --overwrite,
//      empty; checked before anything is written. The restore's record goes into the
//      state directory first (restore_record.hpp).
//   2. Every entry's name is checked before it is written; an unsafe one stops the
//      restore. Everything is extracted into a staging directory inside the target,
//      `<target>/.volback-restore-<id>` (mode 0700), made and then only reached through
//      descriptors. Ownership is numeric, and modes, times, xattrs, ACLs, hard links
//      and sparse files are kept (libarchive's archive_write_disk, which also refuses
//      to write through symlinks). Every write is checked: a short write, ENOSPC,
//      EDQUOT or EIO fails the restore, and a file that cannot fit in the free space
//      left is refused before its data is written.
//   3. When the stream ends, every entry is compared with the manifest (content, type,
//      mode, owner, size, link target, missing and extra entries, anything after the
//      manifest), each requested volume must have been found, and the staged data is
//      synced to disk (syncfs reports write-back errors). Any problem removes the
//      staging directories: the targets are exactly as before, their mtime included.
//      An archive without volback's mark restores only with --no-verify, which skips
//      the comparison with the manifest and nothing else.
//   4. The swap: the old top-level entries move into `<target>/.volback-old-<id>`, the
//      staged ones move in (renames inside one file system: a volume directory is a
//      mount point and cannot itself be renamed). A failure moves everything back.
//      Only then are the old entries deleted.
// The command around it (targets, lock, containers) is restore_command.hpp.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <volback/crypto/decryption_keys.hpp>
#include <volback/io/source.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

enum class Overwrite { no, yes };
enum class DryRun { no, yes };
enum class Verify { yes, no };

struct RestoreTargets {
  // The target directory of a volume, or nullopt to skip the volume.
  std::function<std::optional<std::string>(const std::string& volume)> target_of;
  // Whether a missing target directory may be created (--to) or must exist (--in-place).
  bool create_missing = true;
  Overwrite overwrite = Overwrite::no;
  DryRun dry_run = DryRun::no;
  // Volumes that the backup must hold (--volume); one it lacks fails the restore with
  // invalid_argument before anything changes.
  std::vector<std::string> required;
  // Builds the message for a read-only target (the one-off docker command).
  std::function<std::string(const std::string& volume, const std::string& target)> read_only_hint;
};

struct RestoreOptions {
  std::string id;         // names the staging and old-content directories and the record
  std::string state_dir;  // where the record goes (VOLBACK_STATE_DIR)
  std::string spill_dir;  // temporary files of the manifest check
  Verify verify = Verify::yes;
  // What decrypts an encrypted backup (not owned; it must outlive the restore); null: no
  // key, so an encrypted backup fails with auth before anything is written.
  const crypto::DecryptionKeys* keys = nullptr;
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
  bool verified = false;  // compared with a manifest (false with --no-verify)
};

// Restores from the archive stream `raw`. Errors: invalid_argument (a non-empty target
// without overwrite, a read-only or non-directory target, a missing target with
// create_missing false, a required volume not in the backup, an archive without
// volback's mark and Verify::yes), corrupt (an unsafe entry, a difference from the
// manifest, a damaged stream), and the source's and the file system's errors (no space
// included), auth for a wrong or missing key (found before anything is written). On
// error no target has changed.
util::Result<RestoreSummary> restore_archive(io::Source& raw, const RestoreTargets& targets,
                                             const RestoreOptions& options, util::Logger& log,
                                             const util::CancelToken& cancel);

}  // namespace volback::app
