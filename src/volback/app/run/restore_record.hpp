#pragma once
// A restore's record in the state directory, the proof that lets the repair of a killed
// restore (restore_recovery.hpp) touch only what that restore made.
//
//   <VOLBACK_STATE_DIR>/restores/<id>.lock   held (flock) by the restore while it runs
//   <VOLBACK_STATE_DIR>/restores/<id>.json   the targets, and the inodes of the staging
//                                            and old-content directories it made in them
//
// The record is written (atomically, synced) before each directory is made and again
// once its inode is known, so a crash at any point leaves a record naming everything the
// restore left. A record whose lock is free belongs to a restore that is not running any
// more. Directories planted by someone else (a `.volback-old-x` symlink, a directory
// with another id or another inode) are never named by a record, so nothing acts on them.

#include <cstdint>
#include <string>
#include <vector>

#include <volback/fs/unique_fd.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

inline constexpr std::string_view k_staging_prefix = ".volback-restore-";
inline constexpr std::string_view k_old_prefix = ".volback-old-";
// Written into `.volback-old-<id>` once every old entry has moved there.
inline constexpr std::string_view k_old_complete_marker = ".volback-old-complete";

struct RecordedTarget {
  std::string path;          // the target directory, canonical
  std::uint64_t device = 0;  // of the target directory
  std::uint64_t inode = 0;
  std::uint64_t staging_inode = 0;  // of <path>/.volback-restore-<id>; 0 before it exists
  std::uint64_t old_inode = 0;      // of <path>/.volback-old-<id>; 0 before it exists
};

// The names of a restore's directories inside each target.
std::string staging_name(const std::string& id);
std::string old_name(const std::string& id);

struct LeftRecord;

class RestoreRecord {
 public:
  // Creates the record of restore `id` under `state_dir` and holds its lock until
  // destroyed. Errors: the state directory cannot be written (the message says how to
  // choose another: VOLBACK_STATE_DIR).
  static util::Result<RestoreRecord> create(const std::string& state_dir, const std::string& id);

  RestoreRecord(RestoreRecord&&) = default;
  RestoreRecord& operator=(RestoreRecord&&) = default;

  const std::string& id() const { return m_id; }

  // Replaces the recorded targets (atomically, synced). Errors: the file system's.
  util::Result<void> save(const std::vector<RecordedTarget>& targets);

  // Deletes the record and its lock: nothing of the restore is left to repair.
  void remove();

 private:
  friend util::Result<std::vector<LeftRecord>> left_records(const std::string& state_dir,
                                                            std::vector<std::string>& unreadable);
  RestoreRecord(std::string dir, std::string id, fs::UniqueFd lock)
    : m_dir(std::move(dir)), m_id(std::move(id)), m_lock(std::move(lock)) {}

  std::string m_dir;  // <state_dir>/restores
  std::string m_id;
  fs::UniqueFd m_lock;
};

// A record left by a restore that is no longer running, its lock now held by the caller.
struct LeftRecord {
  RestoreRecord record;
  std::vector<RecordedTarget> targets;
};

// The records in `state_dir` whose restore is not running (their lock could be taken).
// A record that cannot be parsed is reported as an error naming it, never acted on.
// Errors: the directory cannot be read (a missing one is no records).
util::Result<std::vector<LeftRecord>> left_records(const std::string& state_dir, std::vector<std::string>& unreadable);

}  // namespace volback::app
