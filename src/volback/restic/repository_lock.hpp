#pragma once
// repository_lock: restic 0.14's repository locks (the format's §10.1) taken, refreshed and
// released on a Repository, so that restic and volback never write, check or prune one
// repository at the same time.
//
// Acquiring, as restic 0.14 does: list locks/ and fail if a lock conflicts (locks_conflict:
// an exclusive lock conflicts with every lock, a non-exclusive one only with an exclusive
// one); write ours; wait `recheck_delay` (200 ms); list again and, if a conflicting lock
// appeared meanwhile, remove ours and fail. Stale locks are NOT skipped while acquiring
// (0.14 does not skip them either): a stale lock blocks until remove_stale_locks or
// `restic unlock` removes it. A lock file that cannot be read or decrypted counts as a
// conflicting lock of unknown kind (0.14 ignores it; newer restic fails): never take a lock
// over something we cannot see. A lock that vanishes between list and read is ignored.
//
// Threading: a RepositoryLock refreshes its lock from a thread of its own every
// `refresh_interval` (restic: 5 minutes): it writes a lock file with a fresh time, then
// removes the old one. That thread never touches the Repository object (one thread at a
// time); it uses the repository's backend and master key only. The master key is read-only
// and thread-safe; the backend must allow calls from several threads at once, as volback's
// backends state (local, S3, SFTP, WebDAV, ...; not testing::MemoryBackend). The Repository
// and its backend must outlive the RepositoryLock.
//
// SIGHUP: `restic unlock` on the same host sends SIGHUP to the PID in each lock to see
// whether it lives. A process that holds a lock must ignore or handle SIGHUP.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <volback/restic/id.hpp>
#include <volback/restic/lock_file.hpp>
#include <volback/restic/repository.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

// Who holds a lock: the fields of a lock file other than its time and kind.
struct LockOwner {
  std::string hostname, username;
  std::int64_t pid = 0;
  std::uint32_t uid = 0, gid = 0;
};

// This process: gethostname, the name of the real uid's passwd entry ("" if it has none),
// getpid, getuid, getgid.
LockOwner this_process();

// Whether process `pid` exists on this host: kill(pid, 0) succeeds or fails with EPERM.
// (restic sends SIGHUP instead; signal 0 checks without disturbing the process.)
bool process_is_alive(std::int64_t pid);

struct LockOptions {
  bool exclusive = false;
  // How long acquire keeps retrying while another lock conflicts; 0 fails at once.
  std::chrono::milliseconds wait{0};
  // The pause between two attempts while waiting (cut short by the end of `wait`).
  std::chrono::milliseconds retry_interval{std::chrono::seconds(5)};
  // The pause between writing our lock and looking again (restic: 200 ms).
  std::chrono::milliseconds recheck_delay{200};
  // How often the lock is refreshed; 0 starts no refresh thread.
  std::chrono::milliseconds refresh_interval{std::chrono::minutes(5)};
  // The time written into lock files and measured against `wait`. Must be thread-safe
  // when refreshing (SystemClock is). nullptr: the system clock.
  const util::Clock* clock = nullptr;
  // Sleeps for acquire's pauses (recheck_delay, retry_interval). Empty: sleeps in slices
  // of at most 100 ms and returns early once `cancel` fires. Tests inject a fake.
  std::function<void(std::chrono::milliseconds)> sleep;
  // The owner written into lock files; nullopt: this_process().
  std::optional<LockOwner> owner;
};

// A lock held on a repository. Move-only; the destructor releases it (errors ignored).
class RepositoryLock {
 public:
  // Takes a lock on `repository`. Errors: transient with the message "repository is
  // already locked [exclusively] by PID <n> on <host> by <user> (UID <u>, GID <g>), created
  // at <time>, storage ID <id8>" (or "... by a lock that cannot be read ...") when a lock
  // still conflicts once `wait` has passed; cancelled when `cancel` fires while waiting;
  // the backend's errors otherwise (after which no lock of ours is left when removing it
  // succeeded).
  static util::Result<RepositoryLock> acquire(Repository& repository, const LockOptions& options,
                                              const util::CancelToken& cancel);

  RepositoryLock(RepositoryLock&&) noexcept;
  RepositoryLock& operator=(RepositoryLock&&) noexcept;
  ~RepositoryLock();

  // The id of our lock file now (a refresh changes it). Thread-safe.
  Id id() const;
  // Writes a lock file with the current time, then removes the previous one. The refresh
  // thread calls this; callers may too. Thread-safe.
  util::Result<void> refresh();
  // The error of the last refresh that failed since the lock was taken, if any.
  std::optional<util::Error> refresh_error() const;
  // Stops the refresh thread and removes our lock file. Idempotent; after it the handle
  // holds nothing.
  util::Result<void> release();

 private:
  struct State;
  explicit RepositoryLock(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

// `restic unlock`: removes the locks lock_is_stale calls stale (older than 30 minutes, or
// taken on `local_hostname` by a process `process_alive` says is gone), or every lock when
// `remove_all` (`restic unlock --remove-all`). Unreadable locks are kept unless
// `remove_all`. Returns how many were removed.
util::Result<std::size_t> remove_stale_locks(Repository& repository, const util::Clock& clock,
                                             std::string_view local_hostname,
                                             bool (*process_alive)(std::int64_t pid) = process_is_alive,
                                             bool remove_all = false);

}  // namespace volback::restic
