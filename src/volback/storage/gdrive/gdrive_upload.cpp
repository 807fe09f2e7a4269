#include <volback/storage/gdrive/gdrive_upload.hpp>

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <volback/http/url.hpp>
#include <volback/storage/gdrive/gdrive_files.hpp>
#include <volback/storage/gdrive/gdrive_json.hpp>
#include <volback/storage/retry_policy.hpp>

namespace volback::storage::gdrive {

namespace {

constexpr std::uint64_t k_chunk_unit = 256 * 1024;

bool is_digits(std::string_view text) {
  return !text.empty() && text.size() <= 19 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class GdriveUpload final : public UploadSink {
 public:
  GdriveUpload(GdriveClient& client, std::string key, const PutOptions& options)
    : m_client(client),
      m_key(std::move(key)),
      m_options(options),
      m_chunk(client.settings().chunk_size),
      m_transport(client.make_transport()) {
    m_buffer.reserve(m_chunk);
  }

  ~GdriveUpload() override {
    if (!m_finished) {
      cancel_session();
    }
  }

  util::Result<void> write(std::span<const std::byte> data) override {
    while (!data.empty()) {
      VOLBACK_TRY(m_client.cancel().check());
      const std::size_t n = std::min<std::size_t>(m_chunk - m_buffer.size(), data.size());
      m_buffer.insert(m_buffer.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
      data = data.subspan(n);
      m_written += n;
      if (m_buffer.size() == m_chunk) {
        VOLBACK_TRY(send(false));
      }
    }
    return {};
  }

  util::Result<void> finish() override {
    VOLBACK_TRY(m_client.cancel().check());
    VOLBACK_TRY(send(true));
    if (!m_file) {
      return util::fail(util::ErrorKind::permanent,
                        fmt::format("Google Drive did not confirm the upload of {}", m_key));
    }
    if (m_file->size != m_written) {
      return util::fail(util::ErrorKind::corrupt, fmt::format("Google Drive holds {} bytes of {}, volback sent {}",
                                                              m_file->size, m_key, m_written));
    }
    m_finished = true;
    m_result = ObjectInfo{m_key, m_written, m_file->created};
    remove_older();
    return {};
  }

  ObjectInfo result() const override { return m_result; }

 private:
  // The total, once finish() knows it.
  std::string total_text(bool last) const { return last ? std::to_string(m_written) : std::string("*"); }

  util::Result<void> open_session(bool last) {
    const auto& settings = m_client.settings();
    QueryParams query = drive_params(settings, false);
    query.insert(query.begin(), {"uploadType", "resumable"});
    query.emplace_back("fields", std::string(k_file_fields));
    DriveRequest request;
    request.method = "POST";
    request.url = GdriveClient::url(settings.upload_base, "files", query);
    const nlohmann::json metadata = {{"name", m_key}, {"parents", {settings.folder_id}}};
    request.body = metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    request.headers = {{"Content-Type", "application/json; charset=UTF-8"},
                       {"X-Upload-Content-Type", m_options.content_type}};
    if (last) {
      request.headers.push_back({"X-Upload-Content-Length", std::to_string(m_written)});
    }
    VOLBACK_TRY_ASSIGN(const auto response,
                       m_client.call(*m_transport, request, fmt::format("starting the upload of {}", m_key)));
    const auto location = response.header("location");
    if (!location) {
      return util::fail(util::ErrorKind::permanent,
                        fmt::format("Google Drive opened no upload session for {} (no Location)", m_key));
    }
    // The session URL gets the access token: it must be on the upload endpoint's host.
    const auto session = http::parse_url(location->substr(0, location->find('?')));
    const auto upload = http::parse_url(settings.upload_base.substr(0, settings.upload_base.size() - 1));
    if (!session || !upload || session->origin() != upload->origin()) {
      return util::fail(util::ErrorKind::permanent,
                        fmt::format("Google Drive's upload session for {} is on another host", m_key));
    }
    m_session = std::string(*location);
    m_client.log().debug("Opened a Google Drive upload session", {{"name", m_key}});
    return {};
  }

  // Learns from `response` (a 308) how much Drive holds and drops that from the buffer.
  util::Result<void> take_progress(const http::Response& response, std::uint64_t sent_end) {
    const auto held = resume_offset(response);
    if (!held || *held < m_offset || *held > sent_end) {
      return util::fail(util::ErrorKind::permanent,
                        fmt::format("Google Drive reports an impossible offset for the upload of {}", m_key));
    }
    const auto taken = static_cast<std::size_t>(*held - m_offset);
    m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(taken));
    m_offset = *held;
    return {};
  }

  // Handles an answer of the session; sets m_unsure for what warrants a status query.
  util::Result<void> take_answer(const http::Response& response, std::uint64_t sent_end, bool last) {
    if (response.status == 200 || response.status == 201) {
      if (!last) {
        return util::fail(util::ErrorKind::permanent,
                          fmt::format("Google Drive completed the upload of {} before its end", m_key));
      }
      VOLBACK_TRY_ASSIGN(auto file, parse_drive_file(response.body));
      m_file = std::move(file);
      m_buffer.clear();
      m_offset = m_written;
      return {};
    }
    if (response.status == 308) {
      return take_progress(response, sent_end);
    }
    auto error = classify_drive_response(response, fmt::format("upload of {}", m_key));
    if (response.status == 404 || response.status == 410) {
      return util::fail(
        util::ErrorKind::permanent,
        fmt::format("Google Drive no longer knows the upload session of {} (HTTP {})", m_key, response.status));
    }
    if (error.kind() == util::ErrorKind::transient) {
      m_unsure = true;
      m_client.honour_retry_after(response);
    }
    return util::fail(std::move(error));
  }

  // Asks Drive how much it holds (a PUT without a body).
  util::Result<void> query_status(bool last) {
    DriveRequest request;
    request.method = "PUT";
    request.url = m_session;
    request.empty_put = true;
    request.headers = {{"Content-Range", "bytes */" + total_text(last)}};
    VOLBACK_TRY_ASSIGN(const auto response, m_client.send(*m_transport, request));
    m_unsure = false;
    return take_answer(response, m_offset + m_buffer.size(), last);
  }

  // One request: the status query if the last one failed, then what may be sent.
  util::Result<void> attempt(bool last) {
    if (m_unsure) {
      auto status = query_status(last);
      if (!status) {
        if (status.error().kind() == util::ErrorKind::transient) {
          m_unsure = true;
        }
        return status;
      }
      if (m_file) {
        return {};
      }
    }
    const std::uint64_t length = last ? m_buffer.size() : (m_buffer.size() / k_chunk_unit) * k_chunk_unit;
    if (!last && length == 0) {
      return {};
    }
    DriveRequest request;
    request.method = "PUT";
    request.url = m_session;
    if (length == 0) {
      request.empty_put = true;
      request.headers = {{"Content-Range", "bytes */" + total_text(true)}};
    } else {
      request.body_bytes = std::span<const std::byte>(m_buffer.data(), static_cast<std::size_t>(length));
      request.headers = {
        {"Content-Range", fmt::format("bytes {}-{}/{}", m_offset, m_offset + length - 1, total_text(last))}};
    }
    const std::uint64_t before = m_offset;
    auto response = m_client.send(*m_transport, request);
    if (!response) {
      if (response.error().kind() == util::ErrorKind::transient) {
        m_unsure = true;
      }
      return util::fail(response.error());
    }
    VOLBACK_TRY(take_answer(*response, m_offset + length, last));
    if (!m_file && m_offset == before) {
      m_unsure = true;
      return util::fail(util::ErrorKind::transient,
                        fmt::format("Google Drive took none of a chunk of the upload of {}", m_key));
    }
    return {};
  }

  // Sends what the buffer holds: the full chunks (last = false), or everything and the
  // total (last = true), until Drive has it all or the retry budget is spent.
  util::Result<void> send(bool last) {
    if (m_session.empty()) {
      VOLBACK_TRY(open_session(last));
    }
    const std::string what = fmt::format("upload of {}", m_key);
    while (!m_file && (last || m_buffer.size() >= k_chunk_unit)) {
      m_client.log().debug("Uploading chunk", {{"name", m_key}, {"offset", m_offset}, {"size", m_buffer.size()}});
      const auto before = m_offset;
      VOLBACK_TRY(retry(m_client.settings().retry, m_client.cancel(),
                        RetryLog{m_client.log(), "Retrying Google Drive request"}, what,
                        [&] { return attempt(last); }));
      if (!last && m_offset == before) {
        break;
      }
    }
    return {};
  }

  void remove_older() {
    auto older =
      list_files(m_client, *m_transport, m_key, NameMatch::exact, [&](const DriveFile& file) -> util::Result<void> {
        if (file.id == m_file->id || is_newer(file, *m_file)) {
          return {};
        }
        m_client.log().debug("Removing the file the upload replaces", {{"name", m_key}, {"id", file.id}});
        return delete_file(m_client, *m_transport, file);
      });
    if (!older) {
      m_client.log().warn("Could not remove an older Google Drive file of the same name; listings show the newest",
                          {{"name", m_key}, {"error", older.error().message()}});
    }
  }

  void cancel_session() {
    if (m_session.empty()) {
      return;
    }
    // Its own transport, which a cancelled run does not interrupt.
    const auto transport = m_client.make_transport(GdriveClient::Cancellation::ignore);
    DriveRequest request;
    request.method = "DELETE";
    request.url = m_session;
    auto cancelled = m_client.send(*transport, request);
    if (!cancelled) {
      m_client.log().debug("Could not cancel the Google Drive upload session; Drive discards it within a week",
                           {{"name", m_key}, {"error", cancelled.error().message()}});
      return;
    }
    m_client.log().debug("Cancelled the Google Drive upload session", {{"name", m_key}, {"status", cancelled->status}});
  }

  GdriveClient& m_client;
  std::string m_key;
  PutOptions m_options;
  std::uint64_t m_chunk;
  std::unique_ptr<http::Transport> m_transport;

  std::string m_session;            // the session URL; empty until opened. Never logged: it authorizes.
  std::vector<std::byte> m_buffer;  // bytes from m_offset on, not yet held by Drive
  std::uint64_t m_offset = 0;       // how much Drive holds
  std::uint64_t m_written = 0;      // how much write() took
  bool m_unsure = false;            // the last request failed: ask for the status first
  std::optional<DriveFile> m_file;  // the finished file
  bool m_finished = false;
  ObjectInfo m_result;
};

}  // namespace

std::optional<std::uint64_t> resume_offset(const http::Response& response) {
  const auto range = response.header("range");
  if (!range) {
    return std::uint64_t{0};
  }
  std::string_view text = *range;
  if (!text.starts_with("bytes=0-")) {
    return std::nullopt;
  }
  text.remove_prefix(8);
  if (!is_digits(text)) {
    return std::nullopt;
  }
  return std::stoull(std::string(text)) + 1;
}

std::unique_ptr<UploadSink> make_gdrive_upload(GdriveClient& client, std::string key, const PutOptions& options) {
  return std::make_unique<GdriveUpload>(client, std::move(key), options);
}

}  // namespace volback::storage::gdrive
