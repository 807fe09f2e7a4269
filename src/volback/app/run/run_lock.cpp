#include <volback/app/run/run_lock.hpp>

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <volback/util/duration.hpp>
#include <volback/util/settings.hpp>

namespace volback::app {

namespace {

constexpr auto k_poll_interval = std::chrono::milliseconds(200);

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> fields;
  while (!line.empty()) {
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) {
      break;
    }
    line.remove_prefix(start);
    const auto end = line.find_first_of(" \t");
    fields.push_back(line.substr(0, end));
    line.remove_prefix(end == std::string_view::npos ? line.size() : end);
  }
  return fields;
}

template <typename T>
std::optional<T> number(std::string_view text, int base = 10) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

// Who holds the flock on `fd`'s file, as "pid 123 (uid 0 (root), another user)"; empty
// when /proc/locks does not say.
std::string describe_holder(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return {};
  }
  const auto locks = util::read_whole_file("/proc/locks");
  if (!locks) {
    return {};
  }
  const auto pid = find_flock_holder(*locks, ::major(st.st_dev), ::minor(st.st_dev), st.st_ino);
  if (!pid) {
    return {};
  }
  std::string text = fmt::format("pid {}", *pid);
  const auto status = util::read_whole_file(fmt::format("/proc/{}/status", *pid));
  if (!status && status.error().kind() == util::ErrorKind::not_found) {
    // flock belongs to the open file: the process that took it has exited, and one that
    // shares its descriptor (a parent shell, a child) still holds it.
    return text + ", which has exited; a process sharing its descriptor holds the lock";
  }
  if (const auto uid = status ? effective_uid_of_status(*status) : std::nullopt) {
    text += fmt::format(" of {}", describe_uid(*uid));
    if (*uid != ::geteuid()) {
      text += ", another user";
    }
  }
  return text;
}

// Why opening the lock file failed, with its owner when it exists.
util::Error open_error(int err, const std::string& path) {
  util::Error error = util::errno_error(err, fmt::format("opening lock file {}", path));
  struct stat st {};
  if ((err == EACCES || err == EPERM) && ::stat(path.c_str(), &st) == 0) {
    return util::Error(
      error.kind(),
      fmt::format("{}: the lock file belongs to {} with mode {:04o}, and volback runs as {}; run "
                  "volback as that user, or remove the file or set VOLBACK_LOCK_FILE elsewhere",
                  error.message(), describe_uid(st.st_uid), st.st_mode & 07777, describe_uid(::geteuid())));
  }
  return error;
}

// Keeps an owned lock file at 0600; warns about one that others can open.
util::Result<void> check_file(int fd, const std::string& path, util::Logger& log) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return util::fail(util::errno_error(errno, fmt::format("checking lock file {}", path)));
  }
  if (!S_ISREG(st.st_mode)) {
    return util::fail(util::ErrorKind::permanent,
                      fmt::format("lock file {} is not a regular file; remove it or set VOLBACK_LOCK_FILE to a "
                                  "file path",
                                  path));
  }
  const mode_t mode = st.st_mode & 07777;
  if (mode == k_lock_file_mode) {
    return {};
  }
  const bool others = (mode & 077) != 0;
  if (st.st_uid != ::geteuid()) {
    if (others) {
      log.warn(
        "The lock file belongs to another user and other users can open it: any of them can hold the lock "
        "and block backups",
        {{"lockfile", path}, {"owner", describe_uid(st.st_uid)}, {"mode", fmt::format("{:04o}", mode)}});
    }
    return {};
  }
  if (::fchmod(fd, k_lock_file_mode) != 0) {
    log.warn("Could not set the lock file's mode to 0600", {{"lockfile", path}, {"error", std::strerror(errno)}});
    return {};
  }
  if (others) {
    log.warn(
      "The lock file could be opened by other users, who could hold the lock and block backups; its mode is "
      "now 0600",
      {{"lockfile", path}, {"mode", fmt::format("{:04o}", mode)}});
  }
  return {};
}

}  // namespace

std::optional<pid_t> find_flock_holder(std::string_view proc_locks, unsigned major, unsigned minor,
                                       unsigned long long inode) {
  while (!proc_locks.empty()) {
    const auto newline = proc_locks.find('\n');
    const std::string_view line = proc_locks.substr(0, newline);
    proc_locks.remove_prefix(newline == std::string_view::npos ? proc_locks.size() : newline + 1);
    // "2: FLOCK  ADVISORY  WRITE 7938 fe:00:1097873 0 EOF"
    const auto f = fields_of(line);
    if (f.size() < 6 || f[1] != "FLOCK") {
      continue;  // other lock kinds, and waiters ("2: -> FLOCK ...")
    }
    const std::string_view id = f[5];
    const auto c1 = id.find(':');
    const auto c2 = c1 == std::string_view::npos ? c1 : id.find(':', c1 + 1);
    if (c2 == std::string_view::npos) {
      continue;
    }
    const auto maj = number<unsigned>(id.substr(0, c1), 16);
    const auto min = number<unsigned>(id.substr(c1 + 1, c2 - c1 - 1), 16);
    const auto ino = number<unsigned long long>(id.substr(c2 + 1));
    if (maj != major || min != minor || ino != inode) {
      continue;
    }
    const auto pid = number<pid_t>(f[4]);
    if (pid && *pid > 0) {
      return pid;
    }
  }
  return std::nullopt;
}

std::optional<uid_t> effective_uid_of_status(std::string_view status) {
  while (!status.empty()) {
    const auto newline = status.find('\n');
    const std::string_view line = status.substr(0, newline);
    status.remove_prefix(newline == std::string_view::npos ? status.size() : newline + 1);
    if (!line.starts_with("Uid:")) {
      continue;
    }
    const auto f = fields_of(line.substr(4));  // real, effective, saved, filesystem
    return f.size() >= 2 ? number<uid_t>(f[1]) : std::nullopt;
  }
  return std::nullopt;
}

std::string describe_uid(uid_t uid) {
  passwd entry{};
  passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_name != nullptr) {
    return fmt::format("uid {} ({})", uid, found->pw_name);
  }
  return fmt::format("uid {}", uid);
}

util::Result<RunLock> RunLock::acquire(const std::string& path, std::chrono::nanoseconds timeout, util::Logger& log,
                                       const util::CancelToken& cancel) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::filesystem::create_directories(parent, ec);
  }
  // O_NONBLOCK: a FIFO at the path must not hang the open (it is refused below).
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, k_lock_file_mode);
  if (fd < 0) {
    return util::fail(open_error(errno, path));
  }
  RunLock lock(fd);
  VOLBACK_TRY(check_file(fd, path, log));

  // Steady time, not the injected wall clock: this measures a wait, not a date.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool first_attempt = true;
  std::string holder;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      return util::fail(util::errno_error(errno, fmt::format("locking {}", path)));
    }
    if (first_attempt) {
      holder = describe_holder(fd);
      log.info(fmt::format("Exclusive lock was not available on first attempt. Will retry until it becomes available "
                           "or the timeout of {} is exceeded.",
                           util::format_go_duration(timeout)),
               {{"lockfile", path}, {"holder", holder.empty() ? std::string("unknown") : holder}});
      first_attempt = false;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      const std::string now_holding = describe_holder(fd);
      return util::fail(util::ErrorKind::transient,
                        fmt::format("timed out waiting for lockfile to become available: {}{}", path,
                                    now_holding.empty() ? std::string{} : " (held by " + now_holding + ")"));
    }
    VOLBACK_TRY(cancel.check());
    std::this_thread::sleep_for(k_poll_interval);
  }
  if (!first_attempt) {
    log.info("Acquired exclusive lock on subsequent attempt, ready to continue.", {{"lockfile", path}});
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
