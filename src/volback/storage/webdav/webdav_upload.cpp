#include <volback/storage/webdav/webdav_upload.hpp>

#include <optional>
#include <thread>

#include <fmt/format.h>

#include <volback/fs/random_name.hpp>
#include <volback/io/byte_pipe.hpp>
#include <volback/storage/partial_name.hpp>
#include <volback/storage/retry_policy.hpp>

namespace volback::storage::webdav {

namespace {

constexpr std::size_t k_pipe_bytes = 4 << 20;

class WebdavUpload final : public UploadSink {
 public:
  WebdavUpload(WebdavClient& client, std::string key, const PutOptions& options)
    : m_client(client),
      m_key(std::move(key)),
      m_options(options),
      m_temp(partial_key_beside(m_key, fs::random_suffix())),
      m_pipe(k_pipe_bytes) {}

  ~WebdavUpload() override {
    if (!m_finished) {
      abort();
    }
  }

  util::Result<void> start() {
    auto transport = m_client.make_transport();
    VOLBACK_TRY(m_client.make_collections(*transport, key_parent(m_key)));
    m_sender = std::thread([this] { send(); });
    return {};
  }

  util::Result<void> write(std::span<const std::byte> data) override {
    VOLBACK_TRY(m_client.cancel().check());
    VOLBACK_TRY(m_pipe.write(data));
    m_size += data.size();
    return {};
  }

  util::Result<void> finish() override {
    VOLBACK_TRY(m_client.cancel().check());
    if (m_options.size && *m_options.size != m_size) {
      return util::fail(util::ErrorKind::permanent,
                        fmt::format("WebDAV PUT {}: {} bytes written where {} were announced", m_client.path(m_temp),
                                    m_size, *m_options.size));
    }
    m_pipe.close();
    m_sender.join();
    if (m_put_error) {
      return util::fail(*m_put_error);
    }
    auto transport = m_client.make_transport();
    http::Request move;
    move.method = "MOVE";
    move.url = m_client.url(m_temp);
    move.headers = {{"Destination", m_client.url(m_key)}, {"Overwrite", "T"}};
    VOLBACK_TRY(
      m_client.call(*transport, move, fmt::format("MOVE {} to {}", m_client.path(m_temp), m_client.path(m_key))));
    m_finished = true;
    m_result = ObjectInfo{m_key, m_size, util::TimePoint{}};
    return {};
  }

  ObjectInfo result() const override { return m_result; }

 private:
  // The PUT, on its own thread: the body comes from the pipe.
  void send() {
    auto transport = m_client.make_transport();
    http::Request put;
    put.method = "PUT";
    put.url = m_client.url(m_temp);
    // With digest authentication libcurl first sends the request without a body and
    // answers the challenge; 100-continue keeps it from starting the body meanwhile.
    put.headers = {{"Content-Type", m_options.content_type}, {"Expect", "100-continue"}};
    http::BodySource body;
    body.read = [this](std::span<std::byte> buffer) { return m_pipe.read(buffer); };
    body.rewind = [this]() -> util::Result<void> {
      if (m_pipe.consumed()) {
        return util::fail(util::ErrorKind::permanent, "the stream cannot be sent again");
      }
      return {};
    };
    body.chunked = !m_options.size.has_value();
    body.size = m_options.size.value_or(0);
    put.body_source = body;
    const std::string what = fmt::format("PUT {}", m_client.path(m_temp));
    auto sent = retry(m_client.settings().retry, m_client.cancel(), RetryLog{m_client.log(), "Retrying WebDAV request"},
                      what, [&]() -> util::Result<void> {
                        auto result = m_client.call_once(*transport, put, what);
                        if (!result && m_pipe.consumed() && result.error().kind() == util::ErrorKind::transient) {
                          // The stream cannot be sent again.
                          return util::fail(util::ErrorKind::permanent,
                                            result.error().message() + " (after part of the body was sent)");
                        }
                        return result ? util::Result<void>() : util::fail(result.error());
                      });
    if (!sent) {
      m_put_error = sent.error();
      m_pipe.fail_reader(sent.error());
    }
  }

  void abort() {
    if (m_sender.joinable()) {
      m_pipe.close_with_error(util::Error(util::ErrorKind::cancelled, "the upload was abandoned"));
      m_sender.join();
    }
    auto transport = m_client.make_transport(WebdavClient::Cancellation::ignore);
    http::Request remove;
    remove.method = "DELETE";
    remove.url = m_client.url(m_temp);
    auto removed = m_client.call_once(*transport, remove, fmt::format("DELETE {}", m_client.path(m_temp)));
    if (removed || removed.error().kind() == util::ErrorKind::not_found) {
      m_client.log().info("Removed the unfinished WebDAV upload", {{"path", m_client.path(m_temp)}});
      return;
    }
    m_client.log().warn("Could not remove the unfinished WebDAV upload; the next run will",
                        {{"path", m_client.path(m_temp)}, {"error", removed.error().message()}});
  }

  WebdavClient& m_client;
  std::string m_key;
  PutOptions m_options;
  std::string m_temp;
  io::BytePipe m_pipe;
  std::thread m_sender;
  std::optional<util::Error> m_put_error;  // set by the sender before it ends
  std::uint64_t m_size = 0;
  bool m_finished = false;
  ObjectInfo m_result;
};

}  // namespace

util::Result<std::unique_ptr<UploadSink>> begin_webdav_upload(WebdavClient& client, std::string key,
                                                              const PutOptions& options) {
  auto upload = std::make_unique<WebdavUpload>(client, std::move(key), options);
  VOLBACK_TRY(upload->start());
  return std::unique_ptr<UploadSink>(std::move(upload));
}

}  // namespace volback::storage::webdav
