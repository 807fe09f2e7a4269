#include <volback/storage/sftp/sftp_backend.hpp>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <vector>

#include <fmt/format.h>

#include <volback/fs/random_name.hpp>
#include <volback/storage/partial_name.hpp>
#include <volback/storage/retry_policy.hpp>
#include <volback/storage/sftp/ssh_connection.hpp>

namespace volback::storage::sftp {

namespace {

// Bytes of writes in flight: libssh2 sends what it is given as 30,000-byte requests and
// returns when the first is acknowledged, so this much stays on the wire.
constexpr std::size_t k_write_window = std::size_t{2} << 20;
constexpr std::size_t k_read_chunk = std::size_t{1} << 20;

std::string parent_of(std::string_view key) {
  const auto slash = key.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(key.substr(0, slash));
}

std::string name_of(std::string_view path) {
  const auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

struct HandleCloser {
  void operator()(LIBSSH2_SFTP_HANDLE* h) const { libssh2_sftp_close_handle(h); }
};
using Handle = std::unique_ptr<LIBSSH2_SFTP_HANDLE, HandleCloser>;

// Paths on the server, relative to the login directory unless absolute.
class Paths {
 public:
  explicit Paths(std::string root) : m_root(std::move(root)) {}
  std::string of(std::string_view rel) const {
    if (m_root.empty()) {
      return rel.empty() ? std::string(".") : std::string(rel);
    }
    return rel.empty() ? m_root : m_root + "/" + std::string(rel);
  }

 private:
  std::string m_root;
};

util::Result<Handle> open_file(SshConnection& c, const std::string& path, unsigned long flags, long mode) {
  LIBSSH2_SFTP_HANDLE* h = libssh2_sftp_open_ex(c.sftp(), path.c_str(), static_cast<unsigned>(path.size()), flags, mode,
                                                LIBSSH2_SFTP_OPENFILE);
  if (h == nullptr) {
    return util::fail(c.sftp_error("open", path));
  }
  return Handle(h);
}

// Creates `dir` and every missing directory above it.
util::Result<void> make_dirs(SshConnection& c, const std::string& dir) {
  if (dir.empty() || dir == "." || dir == "/") {
    return {};
  }
  LIBSSH2_SFTP_ATTRIBUTES attrs{};
  if (libssh2_sftp_stat_ex(c.sftp(), dir.c_str(), static_cast<unsigned>(dir.size()), LIBSSH2_SFTP_STAT, &attrs) == 0) {
    if (!LIBSSH2_SFTP_S_ISDIR(attrs.permissions)) {
      return util::fail(util::ErrorKind::permanent, fmt::format("SFTP: {} exists and is not a directory", dir));
    }
    return {};
  }
  const auto slash = dir.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    VOLBACK_TRY(make_dirs(c, dir.substr(0, slash)));
  }
  if (libssh2_sftp_mkdir_ex(c.sftp(), dir.c_str(), static_cast<unsigned>(dir.size()), 0755) != 0) {
    const auto error = c.sftp_error("mkdir", dir);
    // Made by someone else meanwhile?
    if (libssh2_sftp_stat_ex(c.sftp(), dir.c_str(), static_cast<unsigned>(dir.size()), LIBSSH2_SFTP_STAT, &attrs) ==
          0 &&
        LIBSSH2_SFTP_S_ISDIR(attrs.permissions)) {
      return {};
    }
    return util::fail(error);
  }
  return {};
}

util::Result<void> remove_file(SshConnection& c, const std::string& path) {
  if (libssh2_sftp_unlink_ex(c.sftp(), path.c_str(), static_cast<unsigned>(path.size())) != 0) {
    auto error = c.sftp_error("remove", path);
    if (error.kind() != util::ErrorKind::not_found) {
      return util::fail(error);
    }
  }
  return {};
}

class SftpUpload final : public UploadSink {
 public:
  SftpUpload(std::unique_ptr<SshConnection> connection, const Paths& paths, std::string key, util::Logger& log,
             const util::CancelToken& cancel)
    : m_connection(std::move(connection)),
      m_key(std::move(key)),
      m_final(paths.of(m_key)),
      m_temp(paths.of(parent_of(m_key).empty()
                        ? fmt::format("{}{}", k_partial_prefix, fs::random_suffix())
                        : fmt::format("{}/{}{}", parent_of(m_key), k_partial_prefix, fs::random_suffix()))),
      m_log(log),
      m_cancel(cancel) {}

  ~SftpUpload() override {
    if (!m_finished) {
      abort();
    }
  }

  util::Result<void> start(const std::string& dir) {
    VOLBACK_TRY(make_dirs(*m_connection, dir));
    VOLBACK_TRY_ASSIGN(
      m_handle, open_file(*m_connection, m_temp, LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_TRUNC, 0644));
    m_buffer.reserve(2 * k_write_window);
    return {};
  }

  util::Result<void> write(std::span<const std::byte> data) override {
    while (!data.empty()) {
      VOLBACK_TRY(m_cancel.check());
      const std::size_t room = 2 * k_write_window - (m_buffer.size() - m_start);
      const std::size_t n = std::min(room, data.size());
      if (m_start > 0 && m_buffer.size() + n > m_buffer.capacity()) {
        m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(m_start));
        m_start = 0;
      }
      m_buffer.insert(m_buffer.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
      data = data.subspan(n);
      m_size += n;
      while (m_buffer.size() - m_start >= k_write_window) {
        VOLBACK_TRY(pump());
      }
    }
    return {};
  }

  util::Result<void> finish() override {
    while (m_start < m_buffer.size()) {
      VOLBACK_TRY(m_cancel.check());
      VOLBACK_TRY(pump());
    }
    // fsync@openssh.com where offered; a server without it keeps the data as it does.
    libssh2_sftp_fsync(m_handle.get());
    if (libssh2_sftp_close_handle(m_handle.release()) != 0) {
      return util::fail(m_connection->sftp_error("close", m_temp));
    }
    VOLBACK_TRY(rename_into_place());
    m_finished = true;
    m_result = ObjectInfo{m_key, m_size, util::TimePoint{}};
    return {};
  }

  ObjectInfo result() const override { return m_result; }

 private:
  // One libssh2 write: queues what is buffered beyond what is in flight, returns once the
  // oldest request is acknowledged.
  util::Result<void> pump() {
    const ssize_t n = libssh2_sftp_write(m_handle.get(), reinterpret_cast<const char*>(m_buffer.data() + m_start),
                                         m_buffer.size() - m_start);
    if (n < 0) {
      return util::fail(m_connection->sftp_error("write", m_temp));
    }
    m_start += static_cast<std::size_t>(n);
    if (m_start == m_buffer.size()) {
      m_buffer.clear();
      m_start = 0;
    }
    return {};
  }

  util::Result<void> rename_into_place() {
    auto& c = *m_connection;
    const auto rename = [&] {
      return libssh2_sftp_rename_ex(
        c.sftp(), m_temp.c_str(), static_cast<unsigned>(m_temp.size()), m_final.c_str(),
        static_cast<unsigned>(m_final.size()),
        LIBSSH2_SFTP_RENAME_OVERWRITE | LIBSSH2_SFTP_RENAME_ATOMIC | LIBSSH2_SFTP_RENAME_NATIVE);
    };
    if (rename() == 0) {
      return {};
    }
    // SFTP version 3 (OpenSSH) refuses to rename over an existing file: replace it.
    LIBSSH2_SFTP_ATTRIBUTES attrs{};
    if (libssh2_sftp_stat_ex(c.sftp(), m_final.c_str(), static_cast<unsigned>(m_final.size()), LIBSSH2_SFTP_LSTAT,
                             &attrs) == 0) {
      VOLBACK_TRY(remove_file(c, m_final));
      if (rename() == 0) {
        return {};
      }
    }
    return util::fail(c.sftp_error("rename", m_temp + " to " + m_final));
  }

  void abort() {
    m_handle.reset();
    if (auto removed = remove_file(*m_connection, m_temp); !removed) {
      m_log.warn("Could not remove the unfinished SFTP upload; the next run will",
                 {{"path", m_temp}, {"error", removed.error().message()}});
      return;
    }
    m_log.info("Removed the unfinished SFTP upload", {{"path", m_temp}});
  }

  std::unique_ptr<SshConnection> m_connection;
  std::string m_key;
  std::string m_final;
  std::string m_temp;
  util::Logger& m_log;
  const util::CancelToken& m_cancel;
  Handle m_handle;
  std::vector<std::byte> m_buffer;  // [m_start, end) not yet acknowledged
  std::size_t m_start = 0;
  std::uint64_t m_size = 0;
  bool m_finished = false;
  ObjectInfo m_result;
};

class SftpSource final : public io::Source {
 public:
  SftpSource(std::unique_ptr<SshConnection> connection, Handle handle, std::string path, std::uint64_t remaining)
    : m_connection(std::move(connection)),
      m_handle(std::move(handle)),
      m_path(std::move(path)),
      m_remaining(remaining) {}

  util::Result<std::size_t> read(std::span<std::byte> buf) override {
    if (m_pos == m_buffer.size()) {
      if (m_remaining == 0 || buf.empty()) {
        return 0;
      }
      // Large reads let libssh2 keep several requests in flight.
      m_buffer.resize(static_cast<std::size_t>(std::min<std::uint64_t>(k_read_chunk, m_remaining)));
      std::size_t filled = 0;
      while (filled < m_buffer.size()) {
        const ssize_t n = libssh2_sftp_read(m_handle.get(), reinterpret_cast<char*>(m_buffer.data() + filled),
                                            m_buffer.size() - filled);
        if (n < 0) {
          return util::fail(m_connection->sftp_error("read", m_path));
        }
        if (n == 0) {
          break;
        }
        filled += static_cast<std::size_t>(n);
      }
      if (filled == 0) {
        m_remaining = 0;
        return 0;
      }
      m_buffer.resize(filled);
      m_remaining -= filled;
      m_pos = 0;
    }
    const std::size_t n = std::min(buf.size(), m_buffer.size() - m_pos);
    std::copy_n(m_buffer.begin() + static_cast<std::ptrdiff_t>(m_pos), n, buf.begin());
    m_pos += n;
    return n;
  }

 private:
  std::unique_ptr<SshConnection> m_connection;
  Handle m_handle;
  std::string m_path;
  std::uint64_t m_remaining;
  std::vector<std::byte> m_buffer;
  std::size_t m_pos = 0;
};

class SftpBackend final : public storage::Backend {
 public:
  SftpBackend(SftpSettings settings, SftpContext context)
    : m_settings(std::move(settings)), m_context(std::move(context)), m_paths(m_settings.remote_path) {}

  std::string_view name() const override { return "SSH"; }

  std::string describe() const override {
    return fmt::format("SFTP {}@{}:{}:{}", m_settings.user, m_settings.host, m_settings.port,
                       m_settings.remote_path.empty() ? "." : m_settings.remote_path);
  }

  std::vector<std::string> stored_messages(std::string_view archive) const override {
    return {fmt::format("Uploaded a copy of backup `{}` to '{}' at path '{}'.", archive, m_settings.host,
                        m_settings.remote_path)};
  }

  Properties properties() const override { return Properties{true, false}; }

  util::Result<std::unique_ptr<UploadSink>> begin_upload(std::string_view key, const PutOptions&) override {
    VOLBACK_TRY(check_key(key));
    return retry_value<std::unique_ptr<UploadSink>>(
      m_settings.retry, m_context.cancel, log_as(), fmt::format("upload {}", m_paths.of(key)),
      [&]() -> util::Result<std::unique_ptr<UploadSink>> {
        VOLBACK_TRY_ASSIGN(auto connection, connect());
        auto upload = std::make_unique<SftpUpload>(std::move(connection), m_paths, std::string(key), m_context.log,
                                                   m_context.cancel);
        VOLBACK_TRY(upload->start(m_paths.of(parent_of(key))));
        return std::unique_ptr<UploadSink>(std::move(upload));
      });
  }

  util::Result<std::unique_ptr<io::Source>> open(std::string_view key, const ByteRange& range) override {
    VOLBACK_TRY(check_key(key));
    const std::string path = m_paths.of(key);
    return retry_value<std::unique_ptr<io::Source>>(
      m_settings.retry, m_context.cancel, log_as(), fmt::format("read {}", path),
      [&]() -> util::Result<std::unique_ptr<io::Source>> {
        VOLBACK_TRY_ASSIGN(auto connection, connect());
        LIBSSH2_SFTP_ATTRIBUTES attrs{};
        if (libssh2_sftp_stat_ex(connection->sftp(), path.c_str(), static_cast<unsigned>(path.size()),
                                 LIBSSH2_SFTP_STAT, &attrs) != 0 ||
            !LIBSSH2_SFTP_S_ISREG(attrs.permissions)) {
          return util::fail(util::ErrorKind::not_found, fmt::format("SFTP object {} does not exist", path));
        }
        VOLBACK_TRY_ASSIGN(auto handle, open_file(*connection, path, LIBSSH2_FXF_READ, 0));
        const std::uint64_t size = attrs.filesize;
        const std::uint64_t offset = std::min(range.offset, size);
        const std::uint64_t length = range.length ? std::min(*range.length, size - offset) : size - offset;
        libssh2_sftp_seek64(handle.get(), offset);
        return std::unique_ptr<io::Source>(
          std::make_unique<SftpSource>(std::move(connection), std::move(handle), path, length));
      });
  }

  util::Result<void> list(std::string_view prefix,
                          const std::function<util::Result<void>(const ObjectInfo&)>& visit) override {
    // The visitor may fail on its own; only the walk is retried, before anything was visited.
    std::vector<ObjectInfo> found;
    VOLBACK_TRY(with_connection("list", [&](SshConnection& c) -> util::Result<void> {
      found.clear();
      return walk(
        c, parent_of(prefix),
        [&](const std::string& rel, const LIBSSH2_SFTP_ATTRIBUTES& attrs) {
          if (rel.starts_with(prefix) && name_of(rel).front() != '.') {
            found.push_back(ObjectInfo{rel, attrs.filesize,
                                       util::TimePoint{std::chrono::seconds(static_cast<long long>(attrs.mtime))}});
          }
        },
        prefix);
    }));
    for (const auto& info : found) {
      VOLBACK_TRY(visit(info));
    }
    return {};
  }

  util::Result<std::optional<ObjectInfo>> stat(std::string_view key) override {
    VOLBACK_TRY(check_key(key));
    std::optional<ObjectInfo> out;
    VOLBACK_TRY(with_connection("stat", [&](SshConnection& c) -> util::Result<void> {
      const std::string path = m_paths.of(key);
      LIBSSH2_SFTP_ATTRIBUTES attrs{};
      if (libssh2_sftp_stat_ex(c.sftp(), path.c_str(), static_cast<unsigned>(path.size()), LIBSSH2_SFTP_STAT, &attrs) !=
          0) {
        auto error = c.sftp_error("stat", path);
        return error.kind() == util::ErrorKind::not_found ? util::Result<void>() : util::fail(error);
      }
      if (LIBSSH2_SFTP_S_ISREG(attrs.permissions)) {
        out = ObjectInfo{std::string(key), attrs.filesize,
                         util::TimePoint{std::chrono::seconds(static_cast<long long>(attrs.mtime))}};
      }
      return {};
    }));
    return out;
  }

  util::Result<void> remove(std::string_view key) override {
    VOLBACK_TRY(check_key(key));
    return with_connection("remove", [&](SshConnection& c) { return remove_file(c, m_paths.of(key)); });
  }

  util::Result<void> remove_many(std::span<const std::string> keys) override {
    for (const auto& key : keys) {
      VOLBACK_TRY(check_key(key));
    }
    return with_connection("remove", [&](SshConnection& c) -> util::Result<void> {
      for (const auto& key : keys) {
        VOLBACK_TRY(remove_file(c, m_paths.of(key)));
      }
      return {};
    });
  }

  util::Result<void> preflight(ListAccess) override {
    return with_connection("check", [&](SshConnection& c) -> util::Result<void> {
      const std::string root = m_paths.of("");
      LIBSSH2_SFTP_ATTRIBUTES attrs{};
      if (libssh2_sftp_stat_ex(c.sftp(), root.c_str(), static_cast<unsigned>(root.size()), LIBSSH2_SFTP_STAT, &attrs) !=
          0) {
        auto error = c.sftp_error("stat", root);
        return error.kind() == util::ErrorKind::not_found ? util::Result<void>() : util::fail(error);
      }
      if (!LIBSSH2_SFTP_S_ISDIR(attrs.permissions)) {
        return util::fail(util::ErrorKind::permanent, fmt::format("SFTP: {} is not a directory", root));
      }
      return {};
    });
  }

  util::Result<unsigned> remove_incomplete_uploads() override {
    unsigned removed = 0;
    auto cleaned = with_connection("clean up", [&](SshConnection& c) -> util::Result<void> {
      std::vector<std::string> partial;
      VOLBACK_TRY(walk(
        c, "",
        [&](const std::string& rel, const LIBSSH2_SFTP_ATTRIBUTES&) {
          if (name_of(rel).starts_with(k_partial_prefix)) {
            partial.push_back(rel);
          }
        },
        ""));
      for (const auto& rel : partial) {
        VOLBACK_TRY(remove_file(c, m_paths.of(rel)));
        m_context.log.info("Removed an incomplete SFTP upload", {{"path", m_paths.of(rel)}});
        ++removed;
      }
      return {};
    });
    if (!cleaned) {
      return util::fail(cleaned.error());
    }
    return removed;
  }

 private:
  using FileVisit = std::function<void(const std::string& rel, const LIBSSH2_SFTP_ATTRIBUTES& attrs)>;

  RetryLog log_as() const { return RetryLog{m_context.log, "Retrying SFTP operation"}; }

  util::Result<std::unique_ptr<SshConnection>> connect() const {
    return SshConnection::open(m_settings, m_context.state_dir, m_context.log);
  }

  // Runs `body` on the backend's shared connection (made on first use), retrying
  // transient errors on a new connection.
  util::Result<void> with_connection(std::string_view what,
                                     const std::function<util::Result<void>(SshConnection&)>& body) {
    std::lock_guard lock(m_mutex);
    return retry(m_settings.retry, m_context.cancel, log_as(), fmt::format("{} {}", what, m_paths.of("")),
                 [&]() -> util::Result<void> {
                   if (!m_connection) {
                     VOLBACK_TRY_ASSIGN(m_connection, connect());
                   }
                   auto result = body(*m_connection);
                   if (!result && result.error().kind() == util::ErrorKind::transient) {
                     m_connection.reset();
                   }
                   return result;
                 });
  }

  // Every regular file below `dir` (recursively) whose key could start with `prefix`;
  // a missing `dir` has none.
  util::Result<void> walk(SshConnection& c, const std::string& dir, const FileVisit& visit, std::string_view prefix) {
    const std::string path = m_paths.of(dir);
    LIBSSH2_SFTP_HANDLE* raw =
      libssh2_sftp_open_ex(c.sftp(), path.c_str(), static_cast<unsigned>(path.size()), 0, 0, LIBSSH2_SFTP_OPENDIR);
    if (raw == nullptr) {
      auto error = c.sftp_error("opendir", path);
      return error.kind() == util::ErrorKind::not_found ? util::Result<void>() : util::fail(error);
    }
    Handle handle(raw);
    std::vector<std::string> subdirs;
    std::vector<char> name(4096);
    for (;;) {
      LIBSSH2_SFTP_ATTRIBUTES attrs{};
      const int n = libssh2_sftp_readdir_ex(handle.get(), name.data(), name.size(), nullptr, 0, &attrs);
      if (n < 0) {
        return util::fail(c.sftp_error("readdir", path));
      }
      if (n == 0) {
        break;
      }
      const std::string entry(name.data(), static_cast<std::size_t>(n));
      if (entry == "." || entry == "..") {
        continue;
      }
      const std::string rel = dir.empty() ? entry : dir + "/" + entry;
      if (LIBSSH2_SFTP_S_ISDIR(attrs.permissions)) {
        const std::string as_dir = rel + "/";
        if (as_dir.starts_with(prefix) || prefix.starts_with(as_dir)) {
          subdirs.push_back(rel);
        }
      } else if (LIBSSH2_SFTP_S_ISREG(attrs.permissions)) {
        visit(rel, attrs);
      }
    }
    handle.reset();
    for (const auto& sub : subdirs) {
      VOLBACK_TRY(walk(c, sub, visit, prefix));
    }
    return {};
  }

  SftpSettings m_settings;
  SftpContext m_context;
  Paths m_paths;
  std::mutex m_mutex;
  std::unique_ptr<SshConnection> m_connection;  // guarded by m_mutex
};

}  // namespace

std::unique_ptr<storage::Backend> make_sftp_backend(SftpSettings settings, SftpContext context) {
  return std::make_unique<SftpBackend>(std::move(settings), std::move(context));
}

}  // namespace volback::storage::sftp
