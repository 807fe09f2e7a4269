#include <volback/storage/s3/s3_backend.hpp>

#include <algorithm>
#include <charconv>
#include <mutex>

#include <fmt/format.h>

#include <volback/storage/digest.hpp>
#include <volback/storage/ranged_source.hpp>
#include <volback/storage/s3/s3_client.hpp>
#include <volback/storage/s3/s3_upload.hpp>
#include <volback/storage/s3/s3_xml.hpp>
#include <volback/storage/stale_uploads.hpp>

namespace volback::storage::s3 {

namespace {

constexpr std::size_t k_delete_batch = 1000;
constexpr auto k_stale_after = std::chrono::hours(24);

class S3Backend final : public storage::Backend {
 public:
  S3Backend(S3Settings settings, S3Context context)
    : m_settings(std::move(settings)),
      m_context(std::move(context)),
      m_client(m_settings, m_context.clock, m_context.cancel, m_context.log, m_context.transports),
      m_journal(m_context.state_dir, "s3-stale-uploads"),
      m_transport(m_client.make_transport()) {}

  std::string_view name() const override { return "S3"; }

  std::string describe() const override {
    return fmt::format("s3://{}/{} at {}://{}", m_settings.bucket, m_settings.path, m_settings.scheme, m_settings.host);
  }

  std::vector<std::string> stored_messages(std::string_view archive) const override {
    return {fmt::format("Uploaded a copy of backup `{}` to bucket `{}`.", archive, m_settings.bucket)};
  }

  Properties properties() const override { return Properties{true, false}; }

  util::Result<std::unique_ptr<UploadSink>> begin_upload(std::string_view key, const PutOptions& options) override {
    VOLBACK_TRY(check_key(key));
    return make_s3_upload(m_client, m_journal, std::string(key), options, m_context.spill_dir);
  }

  util::Result<std::unique_ptr<io::Source>> open(std::string_view key, const ByteRange& range) override {
    VOLBACK_TRY(check_key(key));
    VOLBACK_TRY_ASSIGN(auto info, stat(key));
    if (!info) {
      return util::fail(util::ErrorKind::not_found,
                        fmt::format("S3 object {} does not exist", m_client.object_key(key)));
    }
    // Each read-ahead worker gets a connection of its own.
    return make_ranged_source(
      info->size, range,
      [this, object = m_client.object_key(key)]() -> RangeFetch {
        auto transport = std::shared_ptr<http::Transport>(m_client.make_transport());
        return [this, transport, object](std::uint64_t first, std::uint64_t last) -> util::Result<std::string> {
          S3Request request;
          request.key = object;
          request.headers = {{"Range", fmt::format("bytes={}-{}", first, last)}};
          VOLBACK_TRY_ASSIGN(auto response, m_client.call(*transport, request, fmt::format("GetObject {}", object)));
          return std::move(response.body);
        };
      },
      planned_read_ahead(util::memory_plan()));
  }

  util::Result<void> list(std::string_view prefix,
                          const std::function<util::Result<void>(const ObjectInfo&)>& visit) override {
    const std::string full_prefix = m_client.object_key(prefix);
    const std::size_t strip = m_settings.path.empty() ? 0 : m_settings.path.size() + 1;
    std::string token;
    do {
      VOLBACK_TRY_ASSIGN(auto page, list_page(full_prefix, token, 1000));
      for (const auto& object : page.objects) {
        if (object.key.size() <= strip || object.key.compare(0, full_prefix.size(), full_prefix) != 0) {
          continue;
        }
        VOLBACK_TRY_ASSIGN(const auto modified, parse_iso8601(object.last_modified));
        VOLBACK_TRY(visit(ObjectInfo{object.key.substr(strip), object.size, modified}));
      }
      token = page.truncated ? page.next_continuation_token : std::string();
    } while (!token.empty());
    return {};
  }

  util::Result<std::optional<ObjectInfo>> stat(std::string_view key) override {
    VOLBACK_TRY(check_key(key));
    S3Request request;
    request.method = "HEAD";
    request.key = m_client.object_key(key);
    auto response = call(request, fmt::format("HeadObject {}", request.key));
    if (!response) {
      if (response.error().kind() == util::ErrorKind::not_found) {
        return std::optional<ObjectInfo>();
      }
      return util::fail(response.error());
    }
    ObjectInfo info{std::string(key), 0, util::TimePoint{}};
    if (auto length = response->header("content-length")) {
      std::from_chars(length->data(), length->data() + length->size(), info.size);
    }
    if (auto modified = response->header("last-modified")) {
      VOLBACK_TRY_ASSIGN(info.modified, parse_http_date(*modified));
    }
    return std::optional<ObjectInfo>(info);
  }

  util::Result<void> remove(std::string_view key) override {
    VOLBACK_TRY(check_key(key));
    S3Request request;
    request.method = "DELETE";
    request.key = m_client.object_key(key);
    auto removed = call(request, fmt::format("DeleteObject {}", request.key));
    if (!removed && removed.error().kind() != util::ErrorKind::not_found) {
      return util::fail(removed.error());
    }
    return {};
  }

  util::Result<void> remove_many(std::span<const std::string> keys) override {
    for (std::size_t start = 0; start < keys.size(); start += k_delete_batch) {
      const auto batch = keys.subspan(start, std::min(k_delete_batch, keys.size() - start));
      std::string body = "<Delete><Quiet>true</Quiet>";
      for (const auto& key : batch) {
        body += "<Object><Key>" + xml_escape(m_client.object_key(key)) + "</Key></Object>";
      }
      body += "</Delete>";
      S3Request request;
      request.method = "POST";
      request.query = {{"delete", ""}};
      request.headers = {{"Content-MD5", md5_base64(body)}, {"Content-Type", "application/xml"}};
      request.body = std::move(body);
      VOLBACK_TRY_ASSIGN(auto response, call(request, fmt::format("DeleteObjects ({} keys)", batch.size())));
      VOLBACK_TRY_ASSIGN(const auto result, parse_delete_objects(response.body));
      for (const auto& [key, error] : result.errors) {
        if (error.code != "NoSuchKey") {
          return util::fail(util::ErrorKind::permanent,
                            fmt::format("DeleteObjects: {}: {}: {}", key, error.code, error.message));
        }
      }
    }
    return {};
  }

  util::Result<void> preflight(ListAccess list_access) override {
    auto page = list_page(m_client.object_key(""), "", 1);
    if (page) {
      return {};
    }
    if (page.error().kind() == util::ErrorKind::auth && list_access == ListAccess::optional &&
        page.error().message().find("AccessDenied") != std::string::npos) {
      m_context.log.warn("The S3 credentials may not list the bucket; uploads can still work, pruning could not",
                         {{"error", page.error().message()}});
      return {};
    }
    return util::fail(page.error().with_context(fmt::format("checking S3 bucket {}", m_settings.bucket)));
  }

  util::Result<unsigned> remove_incomplete_uploads() override {
    unsigned removed = 0;
    VOLBACK_TRY_ASSIGN(const auto recorded, m_journal.load());
    std::vector<StaleUpload> keep;
    for (const auto& upload : recorded) {
      if (upload.container != m_settings.bucket) {
        keep.push_back(upload);
        continue;
      }
      auto aborted = abort_upload(upload.key, upload.upload_id);
      if (aborted) {
        ++removed;
      } else {
        keep.push_back(upload);
        m_context.log.warn(
          "Could not abort a recorded multipart upload",
          {{"key", upload.key}, {"upload_id", upload.upload_id}, {"error", aborted.error().message()}});
      }
    }
    VOLBACK_TRY(m_journal.store(keep));
    auto old = abort_old_uploads();
    if (!old) {
      // Write-only credentials may not list uploads; the backup itself can still work.
      if (old.error().kind() == util::ErrorKind::auth) {
        m_context.log.warn("Cannot list incomplete multipart uploads; old ones are not cleaned up",
                           {{"backend", "S3"}, {"error", old.error().message()}});
        return removed;
      }
      return util::fail(old.error());
    }
    return removed + *old;
  }

 private:
  static util::Result<void> check_key(std::string_view key) { return storage::check_key(key); }

  util::Result<http::Response> call(const S3Request& request, std::string_view what) {
    std::lock_guard lock(m_transport_mutex);
    return m_client.call(*m_transport, request, what);
  }

  util::Result<ListObjectsPage> list_page(const std::string& prefix, const std::string& token, unsigned max_keys) {
    S3Request request;
    request.query = {{"list-type", "2"}, {"max-keys", std::to_string(max_keys)}, {"prefix", prefix}};
    if (!token.empty()) {
      request.query.emplace_back("continuation-token", token);
    }
    VOLBACK_TRY_ASSIGN(auto response,
                       call(request, fmt::format("ListObjectsV2 s3://{}/{}", m_settings.bucket, prefix)));
    return parse_list_objects_v2(response.body);
  }

  // Aborts an upload; one that no longer exists counts as aborted.
  util::Result<void> abort_upload(const std::string& key, const std::string& upload_id) {
    S3Request request;
    request.method = "DELETE";
    request.key = key;
    request.query = {{"uploadId", upload_id}};
    auto aborted = call(request, fmt::format("AbortMultipartUpload {}", key));
    if (!aborted && aborted.error().kind() != util::ErrorKind::not_found) {
      return util::fail(aborted.error());
    }
    m_context.log.info("Aborted a stale multipart upload", {{"backend", "S3"}, {"key", key}, {"upload_id", upload_id}});
    return {};
  }

  // Aborts incomplete uploads under the backend's prefix that began more than a day ago:
  // no live run of this volback can own them (the caller holds the run lock, and no
  // upload takes a day to start its parts).
  util::Result<unsigned> abort_old_uploads() {
    const std::string prefix = m_settings.path.empty() ? std::string() : m_settings.path + "/";
    const auto now = m_context.clock.now();
    unsigned removed = 0;
    std::string key_marker;
    std::string id_marker;
    while (true) {
      S3Request request;
      request.query = {{"uploads", ""}, {"prefix", prefix}};
      if (!key_marker.empty()) {
        request.query.emplace_back("key-marker", key_marker);
        request.query.emplace_back("upload-id-marker", id_marker);
      }
      VOLBACK_TRY_ASSIGN(auto response, call(request, "ListMultipartUploads"));
      VOLBACK_TRY_ASSIGN(const auto page, parse_list_multipart_uploads(response.body));
      for (const auto& upload : page.uploads) {
        const auto initiated = parse_iso8601(upload.initiated);
        if (initiated && now - *initiated > k_stale_after) {
          VOLBACK_TRY(abort_upload(upload.key, upload.upload_id));
          ++removed;
        }
      }
      if (!page.truncated || page.next_key_marker.empty()) {
        break;
      }
      key_marker = page.next_key_marker;
      id_marker = page.next_upload_id_marker;
    }
    return removed;
  }

  S3Settings m_settings;
  S3Context m_context;
  S3Client m_client;
  StaleUploadJournal m_journal;
  std::mutex m_transport_mutex;
  std::unique_ptr<http::Transport> m_transport;  // guarded by m_transport_mutex
};

}  // namespace

std::unique_ptr<storage::Backend> make_s3_backend(S3Settings settings, S3Context context) {
  return std::make_unique<S3Backend>(std::move(settings), std::move(context));
}

}  // namespace volback::storage::s3
