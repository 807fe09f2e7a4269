#include <volback/app/run/restore_recovery.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>

#include <fmt/format.h>

#include <volback/app/run/restore_record.hpp>
#include <volback/fs/directory.hpp>
#include <volback/fs/directory_at.hpp>

namespace volback::app {
namespace {

// Opens `name` in `target` if it is the directory the record names: a real directory
// (not a symlink) with the recorded inode; before its inode was recorded, one that this
// user owns with mode 0700, as restore makes it. nullopt when there is nothing of ours.
std::optional<fs::UniqueFd> our_directory(int target, const std::string& name, std::uint64_t inode, util::Logger& log,
                                          const std::string& where) {
  struct stat st {};
  if (::fstatat(target, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return std::nullopt;
  }
  const bool ours =
    S_ISDIR(st.st_mode) && (inode != 0 ? st.st_ino == inode : st.st_uid == ::geteuid() && (st.st_mode & 07777) == 0700);
  if (!ours) {
    log.warn("Left alone what is not the interrupted restore's own directory", {{"target", where}, {"name", name}});
    return std::nullopt;
  }
  auto fd = fs::open_directory_at(target, name);
  struct stat opened {};
  if (!fd || ::fstat(fd->get(), &opened) != 0 || opened.st_ino != st.st_ino || opened.st_dev != st.st_dev) {
    return std::nullopt;  // replaced between the look and the open
  }
  return std::move(*fd);
}

bool has_marker(int old_dir) {
  struct stat st {};
  return ::fstatat(old_dir, std::string(k_old_complete_marker).c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
         S_ISREG(st.st_mode);
}

util::Result<void> repair_target(const RecordedTarget& recorded, const std::string& id, util::Logger& log) {
  auto target = fs::open_directory(recorded.path);
  if (!target) {
    return target.error().kind() == util::ErrorKind::not_found ? util::Result<void>() : util::fail(target.error());
  }
  struct stat st {};
  if (::fstat(target->get(), &st) != 0 || st.st_dev != recorded.device || st.st_ino != recorded.inode) {
    log.warn("Left alone a restore target that is no longer the directory the restore wrote into",
             {{"target", recorded.path}});
    return {};
  }
  const int dir = target->get();
  const std::string staging = staging_name(id);
  const std::string old = old_name(id);
  auto staging_fd = our_directory(dir, staging, recorded.staging_inode, log, recorded.path);
  auto old_fd = our_directory(dir, old, recorded.old_inode, log, recorded.path);
  if (!old_fd) {
    if (staging_fd) {
      staging_fd.reset();
      VOLBACK_TRY(fs::remove_tree_at(dir, staging));
      log.warn("Removed the staging directory of a restore that was interrupted before it changed anything",
               {{"target", recorded.path}});
    }
    return {};
  }
  if (!staging_fd) {
    old_fd.reset();
    VOLBACK_TRY(fs::remove_tree_at(dir, old));
    log.warn("Deleted the old content that a completed but interrupted restore left behind",
             {{"target", recorded.path}});
    return {};
  }
  if (has_marker(old_fd->get())) {
    VOLBACK_TRY(fs::move_entries_at(staging_fd->get(), dir, {}));
    VOLBACK_TRY(fs::fsync_fd(dir, recorded.path));
    staging_fd.reset();
    old_fd.reset();
    VOLBACK_TRY(fs::remove_tree_at(dir, staging));
    VOLBACK_TRY(fs::remove_tree_at(dir, old));
    log.warn("Completed a restore that was interrupted while its verified content moved in",
             {{"target", recorded.path}});
    return {};
  }
  VOLBACK_TRY(fs::move_entries_at(old_fd->get(), dir, {std::string(k_old_complete_marker)}));
  VOLBACK_TRY(fs::fsync_fd(dir, recorded.path));
  staging_fd.reset();
  old_fd.reset();
  VOLBACK_TRY(fs::remove_tree_at(dir, old));
  VOLBACK_TRY(fs::remove_tree_at(dir, staging));
  log.warn("Rolled back a restore that was interrupted while the old content moved out", {{"target", recorded.path}});
  return {};
}

}  // namespace

std::size_t recover_interrupted_restores(const std::string& state_dir, util::Logger& log) {
  std::vector<std::string> unreadable;
  auto records = left_records(state_dir, unreadable);
  for (const auto& problem : unreadable) {
    log.warn("Ignored a restore record that cannot be read", {{"record", problem}});
  }
  if (!records) {
    log.warn("Cannot look for interrupted restores", {{"error", records.error().message()}});
    return 0;
  }
  std::size_t repaired = 0;
  for (auto& left : *records) {
    bool complete = true;
    for (const auto& target : left.targets) {
      if (auto done = repair_target(target, left.record.id(), log); !done) {
        complete = false;
        log.warn(fmt::format("{} holds what an interrupted restore left; run the restore again with --in-place from a "
                             "container that mounts it writable, which repairs it first",
                             target.path),
                 {{"error", done.error().message()}});
      }
    }
    if (complete) {
      left.record.remove();
      ++repaired;
    }
  }
  return repaired;
}

void warn_unrecorded_leftovers(const std::string& root, util::Logger& log) {
  auto volumes = fs::list_directory(root);
  if (!volumes) {
    return;
  }
  for (const auto& volume : *volumes) {
    auto names = fs::list_directory(root + "/" + volume);
    if (!names) {
      continue;
    }
    for (const auto& name : *names) {
      if (name.starts_with(k_staging_prefix) || name.starts_with(k_old_prefix)) {
        log.warn(
          "A name that looks like an interrupted restore's leftover has no record in the state directory: "
          "left alone and backed up as the volume's content",
          {{"volume", volume}, {"name", name}});
      }
    }
  }
}

}  // namespace volback::app
