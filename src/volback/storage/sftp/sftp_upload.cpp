#include <volback/storage/sftp/sftp_upload.hpp>

#include <algorithm>
#include <future>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include <volback/fs/random_name.hpp>
#include <volback/storage/partial_name.hpp>

namespace volback::storage::sftp {

namespace {

constexpr unsigned k_max_planned_connections = 4;

// One connection writing chunks of the temporary file at their offsets, each on a thread
// of its own while the stream fills the next.
class WriteLane {
 public:
  WriteLane(std::unique_ptr<SshConnection> connection, Handle handle, const std::string& path,
            const util::CancelToken& cancel)
    : m_connection(std::move(connection)), m_handle(std::move(handle)), m_path(path), m_cancel(cancel) {}

  ~WriteLane() {
    if (m_pending.valid()) {
      m_pending.wait();
    }
  }

  WriteLane(const WriteLane&) = delete;
  WriteLane& operator=(const WriteLane&) = delete;

  // Waits for the chunk in flight, then starts writing `chunk` at `offset`. `chunk`
  // comes back as the lane's previous buffer, emptied, for the caller to fill again.
  util::Result<void> submit(std::vector<std::byte>& chunk, std::uint64_t offset) {
    VOLBACK_TRY(wait());
    std::swap(m_chunk, chunk);
    chunk.clear();
    m_offset = offset;
    m_pending = std::async(std::launch::async, [this] { return write_chunk(); });
    return {};
  }

  // Waits for the chunk in flight; the first error the lane met.
  util::Result<void> wait() {
    if (m_pending.valid()) {
      if (auto written = m_pending.get(); !written && !m_error) {
        m_error = written.error();
      }
    }
    if (m_error) {
      return util::fail(*m_error);
    }
    return {};
  }

  // Closes the file handle, which the server acknowledges once the writes are done.
  util::Result<void> close() {
    if (libssh2_sftp_close_handle(m_handle.release()) != 0) {
      return util::fail(m_connection->sftp_error("close", m_path));
    }
    return {};
  }

  void drop_handle() { m_handle.reset(); }
  SshConnection& connection() { return *m_connection; }
  LIBSSH2_SFTP_HANDLE* handle() { return m_handle.get(); }

 private:
  util::Result<void> write_chunk() {
    libssh2_sftp_seek64(m_handle.get(), m_offset);
    std::size_t done = 0;
    while (done < m_chunk.size()) {
      VOLBACK_TRY(m_cancel.check());
      // Queues what is not yet in flight, returns once the oldest request is acknowledged.
      const ssize_t n =
        libssh2_sftp_write(m_handle.get(), reinterpret_cast<const char*>(m_chunk.data() + done), m_chunk.size() - done);
      if (n < 0) {
        return util::fail(m_connection->sftp_error("write", m_path));
      }
      done += static_cast<std::size_t>(n);
    }
    return {};
  }

  std::unique_ptr<SshConnection> m_connection;
  Handle m_handle;
  std::string m_path;
  const util::CancelToken& m_cancel;
  std::vector<std::byte> m_chunk;  // read by the thread of m_pending
  std::uint64_t m_offset = 0;
  std::future<util::Result<void>> m_pending;
  std::optional<util::Error> m_error;
};

class SftpUpload final : public UploadSink {
 public:
  SftpUpload(ConnectFn connect, const Paths& paths, std::string key, unsigned connections, util::Logger& log,
             const util::CancelToken& cancel)
    : m_connect(std::move(connect)),
      m_key(std::move(key)),
      m_final(paths.of(m_key)),
      m_temp(paths.of(partial_key_beside(m_key, fs::random_suffix()))),
      m_connections(std::max(connections, 1U)),
      m_log(log),
      m_cancel(cancel) {
    m_fill.reserve(k_upload_chunk_bytes);
  }

  ~SftpUpload() override {
    if (!m_finished) {
      abort();
    }
  }

  util::Result<void> start(std::unique_ptr<SshConnection> first, const std::string& dir) {
    VOLBACK_TRY(make_dirs(*first, dir));
    VOLBACK_TRY_ASSIGN(auto handle,
                       open_file(*first, m_temp, LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_TRUNC, 0644));
    m_lanes.push_back(std::make_unique<WriteLane>(std::move(first), std::move(handle), m_temp, m_cancel));
    return {};
  }

  util::Result<void> write(std::span<const std::byte> data) override {
    while (!data.empty()) {
      VOLBACK_TRY(m_cancel.check());
      const std::size_t n = std::min(k_upload_chunk_bytes - m_fill.size(), data.size());
      m_fill.insert(m_fill.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
      data = data.subspan(n);
      if (m_fill.size() == k_upload_chunk_bytes) {
        VOLBACK_TRY(send_fill());
      }
    }
    return {};
  }

  util::Result<void> finish() override {
    if (!m_fill.empty()) {
      VOLBACK_TRY(send_fill());
    }
    for (auto& lane : m_lanes) {
      VOLBACK_TRY(lane->wait());
    }
    // fsync@openssh.com where offered; a server without it keeps the data as it does.
    libssh2_sftp_fsync(m_lanes.front()->handle());
    for (auto& lane : m_lanes) {
      VOLBACK_TRY(lane->close());
    }
    VOLBACK_TRY(rename_into_place());
    m_finished = true;
    m_result = ObjectInfo{m_key, m_size, util::TimePoint{}};
    return {};
  }

  ObjectInfo result() const override { return m_result; }

 private:
  // Hands the filled chunk to the next lane in turn, opening that lane first if the
  // stream has not reached it before.
  util::Result<void> send_fill() {
    std::size_t index = m_chunks % m_connections;
    if (index == m_lanes.size()) {
      if (auto opened = open_lane(); !opened) {
        m_log.warn("Could not open another SFTP connection; the upload goes on with those it has",
                   {{"connections", std::to_string(m_lanes.size())}, {"error", opened.error().message()}});
        m_connections = static_cast<unsigned>(m_lanes.size());
        index = m_chunks % m_connections;
      }
    }
    const std::uint64_t size = m_fill.size();
    VOLBACK_TRY(m_lanes[index]->submit(m_fill, m_size));
    m_fill.reserve(k_upload_chunk_bytes);  // a lane's first buffer comes back without capacity
    m_size += size;
    ++m_chunks;
    return {};
  }

  util::Result<void> open_lane() {
    VOLBACK_TRY_ASSIGN(auto connection, m_connect());
    VOLBACK_TRY_ASSIGN(auto handle, open_file(*connection, m_temp, LIBSSH2_FXF_WRITE, 0644));
    m_lanes.push_back(std::make_unique<WriteLane>(std::move(connection), std::move(handle), m_temp, m_cancel));
    return {};
  }

  util::Result<void> rename_into_place() {
    auto& c = m_lanes.front()->connection();
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
    if (m_lanes.empty()) {
      return;
    }
    for (auto& lane : m_lanes) {
      static_cast<void>(lane->wait());
      lane->drop_handle();
    }
    if (auto removed = remove_file(m_lanes.front()->connection(), m_temp); !removed) {
      m_log.warn("Could not remove the unfinished SFTP upload; the next run will",
                 {{"path", m_temp}, {"error", removed.error().message()}});
      return;
    }
    m_log.info("Removed the unfinished SFTP upload", {{"path", m_temp}});
  }

  ConnectFn m_connect;
  std::string m_key;
  std::string m_final;
  std::string m_temp;
  unsigned m_connections;
  util::Logger& m_log;
  const util::CancelToken& m_cancel;
  std::vector<std::unique_ptr<WriteLane>> m_lanes;
  std::vector<std::byte> m_fill;  // the chunk the stream fills
  std::uint64_t m_chunks = 0;
  std::uint64_t m_size = 0;
  bool m_finished = false;
  ObjectInfo m_result;
};

}  // namespace

unsigned planned_upload_connections(const util::MemoryPlan& plan, unsigned cores) {
  const std::uint64_t chunks = plan.part_buffer_bytes / k_upload_chunk_bytes;
  const std::uint64_t by_memory = chunks > 1 ? chunks - 1 : 1;
  return static_cast<unsigned>(
    std::max<std::uint64_t>(1, std::min<std::uint64_t>({by_memory, cores, k_max_planned_connections})));
}

util::Result<std::unique_ptr<UploadSink>> start_upload(std::unique_ptr<SshConnection> first, ConnectFn connect,
                                                       const Paths& paths, std::string key, unsigned connections,
                                                       util::Logger& log, const util::CancelToken& cancel) {
  const std::string dir = paths.of(key_parent(key));
  auto upload = std::make_unique<SftpUpload>(std::move(connect), paths, std::move(key), connections, log, cancel);
  VOLBACK_TRY(upload->start(std::move(first), dir));
  return std::unique_ptr<UploadSink>(std::move(upload));
}

}  // namespace volback::storage::sftp
