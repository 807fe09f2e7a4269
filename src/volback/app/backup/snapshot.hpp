#pragma once
// BACKUP_FROM_SNAPSHOT: the copy of BACKUP_SOURCES that the archive is read from, so
// that the containers are stopped only while it is made (fs/snapshot_copy.hpp copies).
//
// Layout: `<spool dir>/.volback-snapshot-<random>/` (0700: only volback enters it) holds
// the copy as `tree`. The run holds an flock on that directory while the Snapshot lives,
// and the Snapshot removes the directory when destroyed: after the archive, on failure and
// on cancellation alike. A run that was killed leaves it behind; sweep_snapshots() at the
// start of the next run removes every such directory whose lock is free, never one that
// another live process sharing the spool directory still holds.

#include <memory>
#include <optional>
#include <string>

#include <volback/archive/exclusion.hpp>
#include <volback/fs/snapshot_copy.hpp>
#include <volback/fs/unique_fd.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

class Snapshot {
 public:
  // Logs offen's deprecation warning and makes the snapshot's (empty, locked) directory in
  // `spool_dir`. Errors name the spool directory; nothing is left behind then.
  static util::Result<std::unique_ptr<Snapshot>> create(const std::string& spool_dir, util::Logger& log);

  // Copies `source` into the snapshot, leaving out what `exclude` (BACKUP_EXCLUDE_REGEXP,
  // may be null) matches, and logs what it copied (bytes, reflinks). Errors: those of
  // fs::copy_tree (the free-space check included), with the spool directory as context;
  // the partial copy stays until the Snapshot is destroyed, so that a caller can restart
  // the containers before it is removed.
  util::Result<void> copy(const std::string& source, const archive::Exclusion* exclude,
                          const util::CancelToken& cancel);
  ~Snapshot();  // removes the copy and logs it
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  // The copy's root: the directory the archive walk reads instead of the source.
  const std::string& path() const { return m_path; }
  // What the copy held and what could not be copied.
  const fs::SnapshotReport& report() const { return m_report; }

 private:
  Snapshot(fs::UniqueFd spool, fs::UniqueFd lock, std::string spool_dir, std::string name, std::string path,
           util::Logger& log)
    : m_spool(std::move(spool)),
      m_spool_dir(std::move(spool_dir)),
      m_lock(std::move(lock)),
      m_name(std::move(name)),
      m_path(std::move(path)),
      m_log(log) {}

  fs::UniqueFd m_spool;     // the spool directory
  std::string m_spool_dir;  // its path, for messages
  fs::UniqueFd m_lock;      // the snapshot's directory, flocked
  std::string m_name;       // its name in the spool directory
  std::string m_path;       // the copy's root
  util::Logger& m_log;
  fs::SnapshotReport m_report;
};

// Removes the snapshot directories of killed runs from `spool_dir`, with a warning each.
// Never fails: a spool directory that does not exist has none, other problems are
// logged.
void sweep_snapshots(const std::string& spool_dir, util::Logger& log);

}  // namespace volback::app
