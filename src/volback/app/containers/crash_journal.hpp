#pragma once
// The crash journal: what a run has stopped, kept on disk so that the next run can
// bring it back if this one dies (SIGKILL, OOM, a host reboot) before its restart.
//
// It lives at <VOLBACK_STATE_DIR>/docker-stopped.json and is written (atomically, with
// fsync) before anything is stopped, and removed once everything is back. It is only
// read and written while the global run lock is held, so a journal whose run is still
// alive is never touched.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::app {

struct JournalContainer {
  std::string id;
  std::string name;
  std::string started_at;                 // State.StartedAt when it was stopped
  std::optional<std::string> service_id;  // a Swarm task: restarted by a force-update
};

struct JournalService {
  std::string id;
  std::string name;
  std::uint64_t replicas = 0;  // to scale back to
};

struct CrashJournal {
  std::vector<JournalContainer> containers;
  std::vector<JournalService> services;

  bool empty() const { return containers.empty() && services.empty(); }
};

// The journal's path in `state_dir`.
std::string crash_journal_path(const std::string& state_dir);

// Writes the journal atomically (temporary file, fsync, rename), creating the
// directory if needed. Errors: permanent or not_found from the file system.
util::Result<void> write_crash_journal(const std::string& path, const CrashJournal& journal);

// Reads it; nullopt when there is none. A journal that cannot be parsed is corrupt.
util::Result<std::optional<CrashJournal>> read_crash_journal(const std::string& path);

// Removes it; no journal is not an error.
util::Result<void> remove_crash_journal(const std::string& path);

}  // namespace volback::app
