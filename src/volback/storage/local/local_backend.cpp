#include <volback/storage/local/local_backend.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>

#include <fmt/format.h>

#include <volback/fs/directory.hpp>
#include <volback/fs/file_sink.hpp>
#include <volback/fs/file_source.hpp>
#include <volback/fs/random_name.hpp>
#include <volback/fs/unique_fd.hpp>
#include <volback/fs/writeback_window.hpp>
#include <volback/storage/partial_name.hpp>

namespace volback::storage::local {

namespace {

// A fresh random name collides only by extraordinary bad luck; a few attempts make a
// stale file of the same name harmless.
constexpr int k_create_attempts = 5;

util::TimePoint to_time_point(const struct timespec& ts) {
  using std::chrono::duration_cast;
  return util::TimePoint(
    duration_cast<util::TimePoint::duration>(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec)));
}

std::string join(const std::string& dir, std::string_view name) {
  if (!dir.empty() && dir.back() == '/') {
    return fmt::format("{}{}", dir, name);
  }
  return fmt::format("{}/{}", dir, name);
}

std::string partial_path(const std::string& dir) {
  return join(dir, fmt::format("{}{}", k_partial_prefix, fs::random_suffix()));
}

// The directory of `key` below `root` ("a/b/c" -> "<root>/a/b"), created when `create`.
util::Result<std::string> key_directory(const std::string& root, std::string_view key, bool create) {
  std::string dir = root;
  std::string_view rest = key;
  for (auto slash = rest.find('/'); slash != std::string_view::npos; slash = rest.find('/')) {
    dir = join(dir, rest.substr(0, slash));
    rest.remove_prefix(slash + 1);
    if (create && ::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
      return util::fail(util::errno_error(errno, "create " + dir));
    }
  }
  return dir;
}

// Calls `visit(key, stat)` for every regular file below `dir` (key relative to the
// root, `base` its prefix so far) that can start with `prefix`, skipping names that
// start with '.' (partial files), symlinks and the directories that cannot match.
util::Result<void> walk(const std::string& dir, const std::string& base, std::string_view prefix,
                        const std::function<util::Result<void>(const std::string&, const struct stat&)>& visit) {
  auto names = fs::list_directory(dir);
  if (!names) {
    // A directory removed since its parent was read is empty now.
    return names.error().kind() == util::ErrorKind::not_found && !base.empty() ? util::Result<void>()
                                                                               : util::fail(names.error());
  }
  for (const auto& entry : *names) {
    const std::string key = base + entry;
    if (entry.starts_with('.')) {
      continue;
    }
    struct stat st {};
    const std::string path = join(dir, entry);
    if (::lstat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) {
        continue;  // removed since the directory was read
      }
      return util::fail(util::errno_error(errno, "stat " + path));
    }
    if (S_ISDIR(st.st_mode)) {
      const std::string below = key + "/";
      if (below.starts_with(prefix) || prefix.starts_with(below)) {
        VOLBACK_TRY(walk(path, below, prefix, visit));
      }
    } else if (S_ISREG(st.st_mode) && key.starts_with(prefix)) {
      VOLBACK_TRY(visit(key, st));
    }
  }
  return {};
}

ObjectInfo object_info(std::string_view key, const struct stat& st) {
  return ObjectInfo{std::string(key), static_cast<std::uint64_t>(st.st_size), to_time_point(st.st_mtim)};
}

util::Result<void> check_key(std::string_view key, const std::optional<std::string>& latest_symlink) {
  VOLBACK_TRY(storage::check_key(key));
  if (latest_symlink && key == *latest_symlink) {
    return util::fail(util::ErrorKind::invalid_argument,
                      fmt::format("invalid key \"{}\" for the local backend: it is the name of the "
                                  "latest symlink (BACKUP_LATEST_SYMLINK)",
                                  key));
  }
  return {};
}

// Points `<dir>/<link_name>` at `target` atomically: a new symlink under a temporary
// name is renamed over the old one, so readers never see the link missing.
util::Result<void> replace_symlink(const std::string& dir, const std::string& link_name, const std::string& target) {
  for (int attempt = 0;; ++attempt) {
    const std::string temp = partial_path(dir);
    if (::symlink(target.c_str(), temp.c_str()) != 0) {
      if (errno == EEXIST && attempt + 1 < k_create_attempts) {
        continue;
      }
      return util::fail(util::errno_error(errno, "symlink " + temp));
    }
    const std::string link = join(dir, link_name);
    if (::rename(temp.c_str(), link.c_str()) != 0) {
      const int err = errno;
      ::unlink(temp.c_str());
      return util::fail(util::errno_error(err, fmt::format("rename {} to {}", temp, link)));
    }
    return {};
  }
}

class LocalUploadSink final : public UploadSink {
 public:
  LocalUploadSink(const LocalSettings& settings, std::string key, std::string partial, fs::UniqueFd fd,
                  util::Logger& log)
    : m_settings(settings), m_key(std::move(key)), m_partial(std::move(partial)), m_fd(std::move(fd)), m_log(log) {}

  ~LocalUploadSink() override {
    if (m_state == State::committed) {
      return;
    }
    m_fd.reset();
    if (::unlink(m_partial.c_str()) != 0 && errno != ENOENT) {
      m_log.warn("Could not remove a partial file", {{"file", m_partial}, {"error", std::strerror(errno)}});
    }
  }

  LocalUploadSink(const LocalUploadSink&) = delete;
  LocalUploadSink& operator=(const LocalUploadSink&) = delete;

  util::Result<void> write(std::span<const std::byte> data) override {
    VOLBACK_TRY(check_writing());
    if (auto written = fs::write_all(m_fd.get(), data, m_partial); !written) {
      return fail(written.error());
    }
    m_writeback.advance(m_fd.get(), data.size());
    return {};
  }

  util::Result<void> finish() override {
    VOLBACK_TRY(check_writing());
    // The data must be on disk before the rename makes it visible under the key.
    if (::fsync(m_fd.get()) != 0) {
      return fail(util::errno_error(errno, "fsync " + m_partial));
    }
    struct stat st {};
    if (::fstat(m_fd.get(), &st) != 0) {
      return fail(util::errno_error(errno, "stat " + m_partial));
    }
    // close() can report delayed write errors (NFS), so it is checked, not left to UniqueFd.
    if (::close(m_fd.release()) != 0) {
      return fail(util::errno_error(errno, "close " + m_partial));
    }
    const std::string final_path = join(m_settings.directory, m_key);
    if (::rename(m_partial.c_str(), final_path.c_str()) != 0) {
      return fail(util::errno_error(errno, fmt::format("rename {} to {}", m_partial, final_path)));
    }
    // From here on the complete file is visible; later errors are reported but do not
    // remove it.
    m_state = State::committed;
    m_final_path = final_path;
    m_info = object_info(m_key, st);

    util::Result<void> symlink_result;
    if (m_settings.latest_symlink) {
      symlink_result = replace_symlink(m_settings.directory, *m_settings.latest_symlink, m_key);
    }
    VOLBACK_TRY(fs::fsync_directory(final_path.substr(0, final_path.rfind('/'))));
    if (m_settings.latest_symlink) {
      VOLBACK_TRY(fs::fsync_directory(m_settings.directory));
    }
    return symlink_result;
  }

  ObjectInfo result() const override { return m_info; }

  std::optional<std::string> local_path() const override {
    return m_state == State::committed ? m_final_path : m_partial;
  }

 private:
  enum class State { writing, failed, committed };

  util::Result<void> check_writing() const {
    if (m_state != State::writing) {
      return util::fail(util::ErrorKind::permanent,
                        fmt::format("upload of {} is no longer writable (finished or failed)", m_key));
    }
    return {};
  }

  tl::unexpected<util::Error> fail(util::Error error) {
    m_state = State::failed;
    return util::fail(std::move(error));
  }

  LocalSettings m_settings;
  std::string m_key;
  std::string m_partial;
  std::string m_final_path;
  fs::UniqueFd m_fd;
  fs::WritebackWindow m_writeback;
  util::Logger& m_log;
  State m_state = State::writing;
  ObjectInfo m_info;
};

class LocalBackend final : public Backend {
 public:
  LocalBackend(LocalSettings settings, util::Logger& log) : m_settings(std::move(settings)), m_log(log) {}

  std::string_view name() const override { return "Local"; }

  std::string describe() const override { return m_settings.directory; }

  std::vector<std::string> stored_messages(std::string_view archive) const override {
    std::vector<std::string> lines{fmt::format("Stored copy of backup `{}` in `{}`.", archive, m_settings.directory)};
    if (m_settings.latest_symlink) {
      lines.push_back(fmt::format("Created/Updated symlink `{}` for latest backup.", *m_settings.latest_symlink));
    }
    return lines;
  }

  Properties properties() const override {
    Properties p;
    p.streaming_upload = true;
    p.local_disk = true;
    return p;
  }

  util::Result<std::unique_ptr<UploadSink>> begin_upload(std::string_view key, const PutOptions&) override {
    VOLBACK_TRY(check_key(key, m_settings.latest_symlink));
    // The partial file goes where the object will be: the rename stays in one directory.
    VOLBACK_TRY_ASSIGN(const std::string dir, key_directory(m_settings.directory, key, /*create=*/true));
    for (int attempt = 0;; ++attempt) {
      std::string partial = partial_path(dir);
      // 0666 minus the umask, like any file a program creates (offen's os.Create).
      fs::UniqueFd fd(::open(partial.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666));
      if (fd.valid()) {
        return std::make_unique<LocalUploadSink>(m_settings, std::string(key), std::move(partial), std::move(fd),
                                                 m_log);
      }
      if (errno != EEXIST || attempt + 1 >= k_create_attempts) {
        return util::fail(util::errno_error(errno, "create " + partial));
      }
    }
  }

  util::Result<std::unique_ptr<io::Source>> open(std::string_view key, const ByteRange& range) override {
    VOLBACK_TRY(check_key(key, m_settings.latest_symlink));
    VOLBACK_TRY_ASSIGN(auto source, fs::FileSource::open(join(m_settings.directory, key), range.offset, range.length));
    return std::unique_ptr<io::Source>(std::move(source));
  }

  util::Result<void> list(std::string_view prefix,
                          const std::function<util::Result<void>(const ObjectInfo&)>& visit) override {
    // Symlinks (the latest symlink among them), dotfiles (partial files) and directories
    // are not objects; nested keys are listed by their full name.
    return walk(m_settings.directory, "", prefix,
                [&visit](const std::string& key, const struct stat& st) { return visit(object_info(key, st)); });
  }

  util::Result<std::optional<ObjectInfo>> stat(std::string_view key) override {
    VOLBACK_TRY(check_key(key, m_settings.latest_symlink));
    struct stat st {};
    const std::string path = join(m_settings.directory, key);
    if (::lstat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) {
        return std::optional<ObjectInfo>();
      }
      return util::fail(util::errno_error(errno, "stat " + path));
    }
    // Consistent with list(): only regular files are objects.
    if (!S_ISREG(st.st_mode)) {
      return std::optional<ObjectInfo>();
    }
    return std::optional<ObjectInfo>(object_info(key, st));
  }

  util::Result<void> remove(std::string_view key) override {
    VOLBACK_TRY(check_key(key, m_settings.latest_symlink));
    const std::string path = join(m_settings.directory, key);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return util::fail(util::errno_error(errno, "remove " + path));
    }
    return {};
  }

  util::Result<unsigned> remove_incomplete_uploads() override { return remove_partials(m_settings.directory); }

  // The directory must exist and be writable by this process.
  util::Result<void> preflight(ListAccess) override {
    const std::string& dir = m_settings.directory;
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
      return util::fail(util::errno_error(errno, dir));
    }
    if (!S_ISDIR(st.st_mode)) {
      return util::fail(util::ErrorKind::permanent, fmt::format("{}: not a directory", dir));
    }
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
      return util::fail(util::errno_error(errno, fmt::format("{}: not writable", dir)));
    }
    return {};
  }

 private:
  // Removes the partial files in `dir` and in the directories below it (nested keys).
  util::Result<unsigned> remove_partials(const std::string& dir) {
    VOLBACK_TRY_ASSIGN(const auto names, fs::list_directory(dir));
    unsigned removed = 0;
    for (const auto& entry : names) {
      const std::string path = join(dir, entry);
      struct stat st {};
      if (::lstat(path.c_str(), &st) != 0) {
        continue;
      }
      if (S_ISDIR(st.st_mode) && !entry.starts_with('.')) {
        VOLBACK_TRY_ASSIGN(const unsigned below, remove_partials(path));
        removed += below;
        continue;
      }
      if (!entry.starts_with(k_partial_prefix)) {
        continue;
      }
      if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT) {
          continue;
        }
        return util::fail(util::errno_error(errno, "remove " + path));
      }
      m_log.warn("Removed a partial file left by an interrupted run", {{"file", path}});
      ++removed;
    }
    return removed;
  }

  LocalSettings m_settings;
  util::Logger& m_log;
};

}  // namespace

std::unique_ptr<storage::Backend> make_local_backend(LocalSettings settings, util::Logger& log) {
  return std::make_unique<LocalBackend>(std::move(settings), log);
}

}  // namespace volback::storage::local
