#pragma once
// The global run lock: an exclusive flock on one file (offen's
// /var/lock/dockervolumebackup.lock by default). Every schedule of the daemon and every
// `docker exec … backup` in the same container takes it, so runs never overlap.

#include <chrono>
#include <string>

#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>

namespace volback::app {

class RunLock {
public:
  // Takes the lock, creating the file (and its directory) if needed. While another
  // process holds it, retries until `timeout` has passed, then fails with
  // ErrorKind::transient "timed out waiting for lockfile to become available". Returns
  // cancelled if `cancel` fires while waiting. The file is opened with mode 0666 so
  // non-root runs can share it.
  static util::Result<RunLock> acquire(const std::string& path, std::chrono::nanoseconds timeout,
                                       util::Logger& log, const util::CancelToken& cancel);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();  // releases the lock

private:
  explicit RunLock(int fd) : m_fd(fd) {}
  int m_fd = -1;
};

}  // namespace volback::app
