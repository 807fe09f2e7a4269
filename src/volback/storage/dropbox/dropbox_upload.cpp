#include <volback/storage/dropbox/dropbox_upload.hpp>

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include <volback/storage/dropbox/dropbox_json.hpp>
#include <volback/storage/part_pool.hpp>
#include <volback/util/memory_plan.hpp>

namespace volback::storage::dropbox {

namespace {

struct Chunk {
  std::uint64_t offset = 0;
  std::vector<std::byte> data;
};

class DropboxUpload final : public UploadSink {
 public:
  DropboxUpload(DropboxClient& client, std::string key)
    : m_client(client),
      m_key(std::move(key)),
      m_path(client.path_of(m_key)),
      m_control(client.make_transport()),
      // Chunks in memory: one filling and those queued or in flight, within the memory plan.
      m_pool(PartBudget{std::max(2 * k_chunk_bytes, std::min((client.settings().concurrency + 1) * k_chunk_bytes,
                                                             util::memory_plan().part_buffer_bytes)),
                        0}) {}

  ~DropboxUpload() override { m_pool.stop(); }

  util::Result<void> write(std::span<const std::byte> data) override {
    while (!data.empty()) {
      VOLBACK_TRY(check());
      if (!m_filling) {
        VOLBACK_TRY(m_pool.acquire(PartCost{k_chunk_bytes, 0}));
        m_current.offset = m_size;
        m_current.data.reserve(k_chunk_bytes);
        m_filling = true;
      } else if (m_current.data.size() == k_chunk_bytes) {
        // More data after a full chunk: it is not the last one.
        VOLBACK_TRY(submit_current());
        continue;
      }
      const std::size_t n = std::min<std::size_t>(k_chunk_bytes - m_current.data.size(), data.size());
      m_current.data.insert(m_current.data.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
      data = data.subspan(n);
      m_size += n;
    }
    return {};
  }

  util::Result<void> finish() override {
    VOLBACK_TRY(check());
    if (m_session.empty()) {
      VOLBACK_TRY(upload_whole());
    } else {
      VOLBACK_TRY(m_pool.wait_idle());
      VOLBACK_TRY(append(*m_control, m_current, true, nullptr));
      VOLBACK_TRY(commit());
    }
    m_pool.stop();
    m_current = Chunk{};
    m_result = ObjectInfo{m_key, m_size, util::TimePoint{}};
    return {};
  }

  ObjectInfo result() const override { return m_result; }

 private:
  util::Result<void> check() {
    VOLBACK_TRY(m_client.cancel().check());
    return m_pool.check();
  }

  bool concurrent() const { return m_client.settings().concurrency > 1; }

  util::Result<void> start_session() {
    DropboxCall call;
    call.host = DropboxCall::Host::content;
    call.route = "files/upload_session/start";
    call.arg = session_start_arg(concurrent());
    VOLBACK_TRY_ASSIGN(auto response, m_client.call(*m_control, call, fmt::format("upload_session/start {}", m_path)));
    VOLBACK_TRY_ASSIGN(m_session, parse_session_id(response.body));
    m_client.log().debug("Started a Dropbox upload session", {{"path", m_path}, {"concurrent", concurrent()}});
    m_pool.start(m_client.settings().concurrency, [this] {
      return [this, transport = std::shared_ptr<http::Transport>(m_client.make_transport())](Chunk& chunk) {
        return append(*transport, chunk, false, m_pool.stop_flag());
      };
    });
    return {};
  }

  util::Result<void> submit_current() {
    if (m_session.empty()) {
      VOLBACK_TRY(start_session());
    }
    m_pool.submit(std::move(m_current), PartCost{k_chunk_bytes, 0});
    m_current = Chunk{};
    m_filling = false;
    return {};
  }

  util::Result<void> append(http::Transport& transport, const Chunk& chunk, bool close, const std::atomic<bool>* stop) {
    DropboxCall call;
    call.host = DropboxCall::Host::content;
    call.route = "files/upload_session/append_v2";
    call.arg = append_arg(m_session, chunk.offset, close);
    call.upload = chunk.data;
    call.done_at_offset = chunk.offset + chunk.data.size();
    m_client.log().debug("Appending to the Dropbox upload session",
                         {{"path", m_path}, {"offset", chunk.offset}, {"size", chunk.data.size()}, {"close", close}});
    VOLBACK_TRY(
      m_client.call(transport, call, fmt::format("upload_session/append_v2 {} at {}", m_path, chunk.offset), stop));
    return {};
  }

  util::Result<void> commit() {
    DropboxCall call;
    call.host = DropboxCall::Host::content;
    call.route = "files/upload_session/finish";
    call.arg = finish_arg(m_session, m_size, m_path);
    VOLBACK_TRY(m_client.call(*m_control, call, fmt::format("upload_session/finish {}", m_path)));
    return {};
  }

  util::Result<void> upload_whole() {
    DropboxCall call;
    call.host = DropboxCall::Host::content;
    call.route = "files/upload";
    call.arg = upload_arg(m_path);
    call.upload = m_current.data;
    VOLBACK_TRY(m_client.call(*m_control, call, fmt::format("upload {}", m_path)));
    return {};
  }

  DropboxClient& m_client;
  std::string m_key;
  std::string m_path;
  std::unique_ptr<http::Transport> m_control;  // start, the last append, finish, a single upload

  Chunk m_current;
  bool m_filling = false;  // m_current holds its budget
  std::uint64_t m_size = 0;
  std::string m_session;  // empty until the first full chunk is followed by more data
  ObjectInfo m_result;
  PartPool<Chunk> m_pool;  // last: its workers use the members above
};

}  // namespace

std::unique_ptr<UploadSink> make_dropbox_upload(DropboxClient& client, std::string key) {
  return std::make_unique<DropboxUpload>(client, std::move(key));
}

}  // namespace volback::storage::dropbox
