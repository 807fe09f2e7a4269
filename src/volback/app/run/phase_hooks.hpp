#pragma once
// Commands around the phases of a run (offen's exec labels): `<phase>-pre` before a
// phase, `<phase>-post` after it.
//
// Semantics (offen's): a failing pre fails the run and skips the phase and its post; a
// post runs after its phase whether the phase succeeded or not, and a failing post
// fails the run. On volback's streaming data path the phases overlap (docs/docker.md):
//
//   archive-pre, process-pre, copy-pre (uploads start with the stream on every route)
//   stream to every backend (nothing stopped):
//     → stream → copy-post, process-post, archive-post
//   through the local file or the spool (something stopped):
//     → stop → stream → seal → restart → process-post, archive-post → the uploads
//     finish → copy-post
//   with BACKUP_FROM_SNAPSHOT (something stopped):
//     → stop → copy the sources → restart → stream the copy → copy-post, process-post,
//     archive-post
//   then: prune-pre → prune → prune-post.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

enum class Phase { archive, process, copy, prune };

// Receives a hook command's output when EXEC_FORWARD_OUTPUT is on: (stdout, stderr).
// Without one, the output is logged at info level instead.
using OutputForwarder = std::function<void(std::string_view out, std::string_view err)>;

std::string_view to_string(Phase phase);

class PhaseHooks {
 public:
  virtual ~PhaseHooks() = default;

  // The sealed archive's local path (the local backend's file or the spool), given to
  // the commands as COMMAND_RUNTIME_ARCHIVE_FILEPATH; nullopt while streaming.
  virtual void set_archive_path(std::optional<std::string> path) = 0;
  virtual util::Result<void> pre(Phase phase) = 0;
  virtual util::Result<void> post(Phase phase) = 0;
  // Whether a command runs once the archive is sealed (archive-post, process-post,
  // copy-post, prune-pre or prune-post) and so may read COMMAND_RUNTIME_ARCHIVE_FILEPATH:
  // the run then writes the archive to a file even when it could stream it.
  virtual util::Result<bool> has_commands_after_seal() = 0;
};

// Runs nothing.
class NoPhaseHooks final : public PhaseHooks {
 public:
  void set_archive_path(std::optional<std::string>) override {}
  util::Result<void> pre(Phase) override { return {}; }
  util::Result<void> post(Phase) override { return {}; }
  util::Result<bool> has_commands_after_seal() override { return false; }
};

// Tracks which phases have begun, so that every begun phase gets its post exactly
// once: by end(), or by finish() on the way out of a run (in reverse order).
class PhaseTracker {
 public:
  // `hooks` may be null (no hooks). `hooks` and `log` must outlive the tracker.
  PhaseTracker(PhaseHooks* hooks, util::Logger& log) : m_hooks(hooks), m_log(log) {}
  PhaseTracker(const PhaseTracker&) = delete;
  PhaseTracker& operator=(const PhaseTracker&) = delete;
  ~PhaseTracker() { (void)finish(); }

  // Runs the phase's pre; on success the phase has begun.
  util::Result<void> begin(Phase phase);
  // Runs the post of a begun phase (a no-op for a phase not begun, or ended already).
  util::Result<void> end(Phase phase);
  // Ends every phase still begun, latest first; returns the first error.
  util::Result<void> finish();
  void set_archive_path(std::optional<std::string> path);

 private:
  PhaseHooks* m_hooks;
  util::Logger& m_log;
  std::vector<Phase> m_open;
};

}  // namespace volback::app
