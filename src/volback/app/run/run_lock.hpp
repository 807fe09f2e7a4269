#pragma once
// The global run lock: an exclusive flock on one file (offen's
// /var/lock/dockervolumebackup.lock by default). Every schedule of the daemon and every
// `docker exec … backup` in the same container takes it, so runs never overlap.
//
// flock needs nothing but an open descriptor, so anyone who can open the file, even only
// for reading, can hold the lock and block every backup. The file is therefore kept at
// mode 0600: created so whatever the umask, and an existing file that volback owns with
// any group or other permission is set back to 0600 (fchmod). A lock that belongs to
// another user, or that a process of another user holds, is reported as such.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

// The mode of the lock file.
inline constexpr mode_t k_lock_file_mode = 0600;

class RunLock {
 public:
  // Takes the lock, creating the file (and its directory) if needed, with mode 0600.
  // An existing regular file owned by the effective user gets mode 0600 if it had any
  // other (a warning is logged when group or others had access). While another process
  // holds it, retries until `timeout` has passed, then fails with ErrorKind::transient
  // "timed out waiting for lockfile to become available: <path>", followed by the
  // holder's pid and user when /proc/locks names them. Returns cancelled if `cancel`
  // fires while waiting. A file that cannot be opened fails as the open did (EACCES is
  // permanent) with its owner's uid and user name and ours; a lock path that is not a
  // regular file is permanent.
  static util::Result<RunLock> acquire(const std::string& path, std::chrono::nanoseconds timeout, util::Logger& log,
                                       const util::CancelToken& cancel);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();  // releases the lock

 private:
  explicit RunLock(int fd) : m_fd(fd) {}
  int m_fd = -1;
};

// The pid of a process holding a FLOCK lock on the file with device `major`:`minor`
// and inode `inode`, from the text of /proc/locks; nullopt when none is listed, or the
// holder's pid is not visible (0 or -1, e.g. in another pid namespace). Lines of
// waiters ("->") are skipped. Pure.
std::optional<pid_t> find_flock_holder(std::string_view proc_locks, unsigned major, unsigned minor,
                                       unsigned long long inode);

// The effective uid on the "Uid:" line of a /proc/<pid>/status text. Pure.
std::optional<uid_t> effective_uid_of_status(std::string_view status);

// "uid 0 (root)", or "uid 1234" when the user database has no name for it.
std::string describe_uid(uid_t uid);

}  // namespace volback::app
