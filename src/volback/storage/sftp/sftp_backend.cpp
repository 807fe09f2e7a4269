#include <volback/storage/sftp/sftp_backend.hpp>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <vector>

#include <fmt/format.h>

#include <volback/storage/partial_name.hpp>
#include <volback/storage/retry_policy.hpp>
#include <volback/storage/sftp/sftp_files.hpp>
#include <volback/storage/sftp/sftp_upload.hpp>
#include <volback/storage/sftp/ssh_connection.hpp>
#include <volback/util/cores.hpp>
#include <volback/util/memory_plan.hpp>

namespace volback::storage::sftp {

namespace {

constexpr std::size_t k_read_chunk = std::size_t{1} << 20;

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
        return start_upload(
          std::move(connection), [this] { return connect(); }, m_paths, std::string(key), upload_connections(),
          m_context.log, m_context.cancel);
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
        c, key_parent(prefix),
        [&](const std::string& rel, const LIBSSH2_SFTP_ATTRIBUTES& attrs) {
          if (rel.starts_with(prefix) && key_name(rel).front() != '.') {
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
          if (key_name(rel).starts_with(k_partial_prefix)) {
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

  unsigned upload_connections() const {
    return m_settings.upload_connections != 0 ? m_settings.upload_connections
                                              : planned_upload_connections(util::memory_plan(), util::usable_cores());
  }

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
