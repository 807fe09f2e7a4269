#include <volback/app/run_lock.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

namespace volback::app {

namespace {

constexpr auto k_poll_interval = std::chrono::milliseconds(200);

}  // namespace

util::Result<RunLock> RunLock::acquire(const std::string& path, std::chrono::nanoseconds timeout,
                                       util::Logger& log, const util::CancelToken& cancel) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::filesystem::create_directories(parent, ec);
  }
  const mode_t old_mask = ::umask(0);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  ::umask(old_mask);
  if (fd < 0) {
    return util::fail(util::errno_error(errno, fmt::format("opening lock file {}", path)));
  }
  RunLock lock(fd);

  // Steady time, not the injected wall clock: this measures a wait, not a date.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool first_attempt = true;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      return util::fail(util::errno_error(errno, fmt::format("locking {}", path)));
    }
    if (first_attempt) {
      log.info("Exclusive lock was not available on first attempt. Will retry until it becomes available or the timeout is exceeded.",
               {{"lockfile", path}});
      first_attempt = false;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return util::fail(util::ErrorKind::transient,
                        fmt::format("timed out waiting for lockfile to become available: {}", path));
    }
    VOLBACK_TRY(cancel.check());
    std::this_thread::sleep_for(k_poll_interval);
  }
  return lock;
}

RunLock::RunLock(RunLock&& other) noexcept : m_fd(other.m_fd) {
  other.m_fd = -1;
}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    m_fd = other.m_fd;
    other.m_fd = -1;
  }
  return *this;
}

RunLock::~RunLock() {
  if (m_fd >= 0) {
    ::close(m_fd);  // closing the descriptor releases the flock
  }
}

}  // namespace volback::app
