#include <volback/restic/repository_lock.hpp>

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <volback/restic/unpacked_file.hpp>

namespace volback::restic {

namespace {

constexpr std::chrono::milliseconds k_lock_sleep_slice{100};

const util::Clock& system_clock_instance() {
  static const util::SystemClock clock;
  return clock;
}

std::string describe_lock_holder(const Lock& lock, const Id& id) {
  return fmt::format(
    "repository is already locked {}by PID {} on {} by {} (UID {}, GID {}), lock created at {}, "
    "storage ID {}",
    lock.exclusive ? "exclusively " : "", lock.pid, lock.hostname, lock.username, lock.uid, lock.gid,
    format_rfc3339_nano(lock.time), id.hex().substr(0, 8));
}

// The message of the first lock other than `ours` that stops us, or nullopt when none does.
util::Result<std::optional<std::string>> find_lock_conflict(Repository& repository, bool want_exclusive,
                                                            const std::optional<Id>& ours) {
  VOLBACK_TRY_ASSIGN(const auto listed, repository.list(FileType::lock));
  for (const auto& file : listed) {
    if (ours && file.id == *ours) {
      continue;
    }
    auto json = repository.load_unpacked(FileType::lock, file.id);
    if (!json && json.error().kind() == util::ErrorKind::not_found) {
      continue;  // released between list and read
    }
    if (!json) {
      return fmt::format("repository is already locked by a lock that cannot be read (storage ID {}: {})",
                         file.id.hex().substr(0, 8), json.error().message());
    }
    auto lock = parse_lock(*json);
    if (!lock) {
      return fmt::format("repository is already locked by a lock that cannot be read (storage ID {}: {})",
                         file.id.hex().substr(0, 8), lock.error().message());
    }
    if (locks_conflict(*lock, want_exclusive)) {
      return describe_lock_holder(*lock, file.id);
    }
  }
  return std::optional<std::string>();
}

// Seals and stores a lock file without the Repository object (the refresh thread's path).
util::Result<Id> store_lock_file(storage::Backend& backend, const MasterKey& key, unsigned repo_version,
                                 const Lock& lock) {
  VOLBACK_TRY_ASSIGN(const std::string file, seal_unpacked(key, serialize_lock(lock), repo_version));
  const Id id = Id::of(file);
  VOLBACK_TRY_ASSIGN(auto sink, backend.begin_upload(file_key(FileType::lock, id), {.size = file.size()}));
  VOLBACK_TRY(sink->write(std::as_bytes(std::span(file.data(), file.size()))));
  VOLBACK_TRY(sink->finish());
  return id;
}

util::Result<void> remove_lock_file(storage::Backend& backend, const Id& id) {
  auto removed = backend.remove(file_key(FileType::lock, id));
  if (!removed && removed.error().kind() != util::ErrorKind::not_found) {
    return removed;
  }
  return {};
}

}  // namespace

LockOwner this_process() {
  LockOwner owner;
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) {
    owner.hostname = host;
  }
  owner.uid = ::getuid();
  owner.gid = ::getgid();
  owner.pid = ::getpid();
  std::vector<char> buffer(16 * 1024);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(owner.uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) {
    owner.username = found->pw_name;
  }
  return owner;
}

bool process_is_alive(std::int64_t pid) {
  if (pid <= 0 || pid > std::numeric_limits<pid_t>::max()) {
    return false;
  }
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

struct RepositoryLock::State {
  storage::Backend* backend = nullptr;
  const MasterKey* key = nullptr;
  unsigned repo_version = 2;
  const util::Clock* clock = nullptr;
  Lock lock;  // its time is set on every write
  std::chrono::milliseconds refresh_interval{0};

  mutable std::mutex file_mutex;  // guards id, held and refresh_error; held across writes
  Id id;
  bool held = true;
  std::optional<util::Error> refresh_error;

  std::mutex wake_mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::thread refresher;

  void refresh_loop() {
    std::unique_lock waiting(wake_mutex);
    while (!wake.wait_for(waiting, refresh_interval, [this] { return stopping; })) {
      waiting.unlock();
      (void)refresh();
      waiting.lock();
    }
  }

  util::Result<void> refresh() {
    std::lock_guard guard(file_mutex);
    if (!held) {
      return util::fail(util::ErrorKind::invalid_argument, "the repository lock was released");
    }
    Lock fresh = lock;
    fresh.time = go_time_of(clock->now());
    auto written = store_lock_file(*backend, *key, repo_version, fresh);
    if (!written) {
      refresh_error = written.error();
      return util::fail(written.error());
    }
    const Id old = id;
    id = *written;
    auto removed = remove_lock_file(*backend, old);
    if (!removed) {
      refresh_error = removed.error();
      return removed;
    }
    return {};
  }

  util::Result<void> release() {
    {
      std::lock_guard guard(wake_mutex);
      stopping = true;
    }
    wake.notify_all();
    if (refresher.joinable()) {
      refresher.join();
    }
    std::lock_guard guard(file_mutex);
    if (!held) {
      return {};
    }
    held = false;
    return remove_lock_file(*backend, id);
  }
};

RepositoryLock::RepositoryLock(std::unique_ptr<State> state) : m_state(std::move(state)) {}
RepositoryLock::RepositoryLock(RepositoryLock&&) noexcept = default;

RepositoryLock& RepositoryLock::operator=(RepositoryLock&& other) noexcept {
  if (this != &other) {
    if (m_state) {
      (void)m_state->release();
    }
    m_state = std::move(other.m_state);
  }
  return *this;
}

RepositoryLock::~RepositoryLock() {
  if (m_state) {
    (void)m_state->release();
  }
}

Id RepositoryLock::id() const {
  std::lock_guard guard(m_state->file_mutex);
  return m_state->id;
}

util::Result<void> RepositoryLock::refresh() {
  return m_state->refresh();
}

std::optional<util::Error> RepositoryLock::refresh_error() const {
  std::lock_guard guard(m_state->file_mutex);
  return m_state->refresh_error;
}

util::Result<void> RepositoryLock::release() {
  return m_state ? m_state->release() : util::Result<void>();
}

util::Result<RepositoryLock> RepositoryLock::acquire(Repository& repository, const LockOptions& options,
                                                     const util::CancelToken& cancel) {
  const util::Clock& clock = options.clock != nullptr ? *options.clock : system_clock_instance();
  const auto sleep = [&](std::chrono::milliseconds duration) {
    if (options.sleep) {
      options.sleep(duration);
      return;
    }
    while (duration.count() > 0 && !cancel.requested()) {
      const auto slice = std::min(duration, k_lock_sleep_slice);
      std::this_thread::sleep_for(slice);
      duration -= slice;
    }
  };
  const LockOwner owner = options.owner ? *options.owner : this_process();
  Lock lock{.exclusive = options.exclusive,
            .hostname = owner.hostname,
            .username = owner.username,
            .pid = owner.pid,
            .uid = owner.uid,
            .gid = owner.gid};
  const util::TimePoint deadline = clock.now() + options.wait;
  for (;;) {
    VOLBACK_TRY(cancel.check());
    VOLBACK_TRY_ASSIGN(auto conflict, find_lock_conflict(repository, options.exclusive, std::nullopt));
    if (!conflict) {
      lock.time = go_time_of(clock.now());
      VOLBACK_TRY_ASSIGN(const Id ours,
                         store_lock_file(repository.backend(), repository.key(), repository.config().version, lock));
      sleep(options.recheck_delay);
      if (cancel.requested()) {
        VOLBACK_TRY(remove_lock_file(repository.backend(), ours));
        return util::fail(cancel.check().error());
      }
      auto again = find_lock_conflict(repository, options.exclusive, ours);
      if (again && !*again) {
        auto state = std::make_unique<State>();
        state->backend = &repository.backend();
        state->key = &repository.key();
        state->repo_version = repository.config().version;
        state->clock = &clock;
        state->lock = lock;
        state->refresh_interval = options.refresh_interval;
        state->id = ours;
        if (options.refresh_interval.count() > 0) {
          state->refresher = std::thread([raw = state.get()] { raw->refresh_loop(); });
        }
        return RepositoryLock(std::move(state));
      }
      VOLBACK_TRY(remove_lock_file(repository.backend(), ours));
      if (!again) {
        return util::fail(again.error());
      }
      conflict = std::move(*again);
    }
    const util::TimePoint now = clock.now();
    if (now >= deadline) {
      return util::fail(util::ErrorKind::transient, *conflict);
    }
    sleep(std::min(options.retry_interval, std::chrono::ceil<std::chrono::milliseconds>(deadline - now)));
  }
}

util::Result<std::size_t> remove_stale_locks(Repository& repository, const util::Clock& clock,
                                             std::string_view local_hostname, bool (*process_alive)(std::int64_t pid),
                                             bool remove_all) {
  VOLBACK_TRY_ASSIGN(const auto listed, repository.list(FileType::lock));
  const GoTime now = go_time_of(clock.now());
  std::size_t removed = 0;
  for (const auto& file : listed) {
    if (!remove_all) {
      auto json = repository.load_unpacked(FileType::lock, file.id);
      if (!json) {
        continue;
      }
      auto lock = parse_lock(*json);
      if (!lock || !lock_is_stale(*lock, now, local_hostname, process_alive)) {
        continue;
      }
    }
    VOLBACK_TRY(remove_lock_file(repository.backend(), file.id));
    ++removed;
  }
  return removed;
}

}  // namespace volback::restic
