#include <volback/storage/azure/azure_backend.hpp>

#include <fmt/format.h>

#include <volback/storage/azure/azure_upload.hpp>
#include <volback/storage/azure/azure_xml.hpp>
#include <volback/storage/http_time.hpp>
#include <volback/storage/ranged_source.hpp>
#include <volback/storage/stale_uploads.hpp>

namespace volback::storage::azure {

namespace {

class AzureBackend final : public storage::Backend {
 public:
  AzureBackend(AzureSettings settings, AzureContext context)
    : m_settings(std::move(settings)),
      m_context(std::move(context)),
      m_client(m_settings, m_context.clock, m_context.cancel, m_context.log, m_context.transports),
      m_journal(m_context.state_dir, "azure-stale-uploads") {}

  std::string_view name() const override { return "Azure"; }

  std::string describe() const override {
    return fmt::format("Azure container {} at {}{}", m_settings.container, m_settings.origin, m_settings.base_path);
  }

  Properties properties() const override { return Properties{true, false}; }

  util::Result<std::unique_ptr<UploadSink>> begin_upload(std::string_view key, const PutOptions& options) override {
    VOLBACK_TRY(check_key(key));
    return make_azure_upload(m_client, m_journal, std::string(key), options);
  }

  util::Result<std::unique_ptr<io::Source>> open(std::string_view key, const ByteRange& range) override {
    VOLBACK_TRY(check_key(key));
    VOLBACK_TRY_ASSIGN(auto info, stat(key));
    if (!info) {
      return util::fail(util::ErrorKind::not_found,
                        fmt::format("Azure blob {} does not exist", m_client.blob_name(key)));
    }
    // Each read-ahead worker gets a connection of its own.
    return make_ranged_source(
      info->size, range,
      [this, blob = m_client.blob_name(key)]() -> RangeFetch {
        auto transport = std::shared_ptr<http::Transport>(m_client.make_transport());
        return [this, transport, blob](std::uint64_t first, std::uint64_t last) -> util::Result<std::string> {
          AzureRequest request;
          request.blob = blob;
          request.headers = {{"x-ms-range", fmt::format("bytes={}-{}", first, last)}};
          VOLBACK_TRY_ASSIGN(auto response, m_client.call(*transport, request, fmt::format("Get Blob {}", blob)));
          return std::move(response.body);
        };
      },
      planned_read_ahead(util::memory_plan()));
  }

  util::Result<void> list(std::string_view prefix,
                          const std::function<util::Result<void>(const ObjectInfo&)>& visit) override {
    const std::string full = m_client.blob_name(prefix);
    const std::size_t strip = m_settings.path.empty() ? 0 : m_settings.path.size() + 1;
    return list_blobs(full, 5000, [&](const ListedBlob& blob) -> util::Result<void> {
      if (blob.partial_marker || blob.name.size() <= strip || !blob.name.starts_with(full)) {
        return {};
      }
      VOLBACK_TRY_ASSIGN(const auto modified, parse_http_date(blob.last_modified));
      return visit(ObjectInfo{blob.name.substr(strip), blob.size, modified});
    });
  }

  util::Result<std::optional<ObjectInfo>> stat(std::string_view key) override {
    VOLBACK_TRY(check_key(key));
    auto transport = m_client.make_transport();
    AzureRequest request;
    request.method = "HEAD";
    request.blob = m_client.blob_name(key);
    auto response = m_client.call(*transport, request, fmt::format("Get Blob Properties {}", request.blob));
    if (!response) {
      if (response.error().kind() == util::ErrorKind::not_found) {
        return std::optional<ObjectInfo>();
      }
      return util::fail(response.error());
    }
    if (response->header("x-ms-meta-volbackpartial") == std::string_view("1")) {
      return std::optional<ObjectInfo>();
    }
    ObjectInfo info;
    info.key = std::string(key);
    if (auto length = response->header("content-length")) {
      info.size = std::stoull(std::string(*length));
    }
    if (auto modified = response->header("last-modified")) {
      VOLBACK_TRY_ASSIGN(info.modified, parse_http_date(*modified));
    }
    return std::optional<ObjectInfo>(std::move(info));
  }

  util::Result<void> remove(std::string_view key) override {
    VOLBACK_TRY(check_key(key));
    auto transport = m_client.make_transport();
    return remove_blob(*transport, m_client.blob_name(key));
  }

  util::Result<void> preflight(ListAccess) override {
    auto page = list_page(m_client.blob_name(""), "", 1);
    if (!page) {
      return util::fail(page.error().with_context(fmt::format("checking Azure container {}", m_settings.container)));
    }
    return {};
  }

  util::Result<unsigned> remove_incomplete_uploads() override {
    unsigned removed = 0;
    auto transport = m_client.make_transport();
    VOLBACK_TRY_ASSIGN(const auto recorded, m_journal.load());
    std::vector<StaleUpload> keep;
    for (const auto& upload : recorded) {
      if (upload.container != m_settings.container) {
        keep.push_back(upload);
        continue;
      }
      auto cleaned = remove_staged_blocks(m_client, *transport, upload.key);
      if (!cleaned) {
        m_context.log.warn("Could not remove the blocks of an unfinished Azure upload",
                           {{"blob", upload.key}, {"error", cleaned.error().message()}});
        keep.push_back(upload);
        continue;
      }
      m_context.log.info("Removed the blocks of an unfinished Azure upload", {{"blob", upload.key}});
      ++removed;
    }
    VOLBACK_TRY(m_journal.store(keep));
    // Placeholders of a clean-up that was interrupted between its two requests.
    std::vector<std::string> placeholders;
    VOLBACK_TRY(list_blobs(m_client.blob_name(""), 5000, [&](const ListedBlob& blob) -> util::Result<void> {
      if (blob.partial_marker) {
        placeholders.push_back(blob.name);
      }
      return {};
    }));
    for (const auto& name : placeholders) {
      VOLBACK_TRY(remove_blob(*transport, name));
      ++removed;
    }
    return removed;
  }

 private:
  util::Result<void> remove_blob(http::Transport& transport, const std::string& blob) {
    AzureRequest request;
    request.method = "DELETE";
    request.blob = blob;
    auto removed = m_client.call(transport, request, fmt::format("Delete Blob {}", blob));
    if (!removed && removed.error().kind() != util::ErrorKind::not_found) {
      return util::fail(removed.error());
    }
    return {};
  }

  util::Result<BlobPage> list_page(const std::string& prefix, const std::string& marker, unsigned max) {
    AzureRequest request;
    request.query = {
      {"restype", "container"}, {"comp", "list"}, {"include", "metadata"}, {"maxresults", std::to_string(max)}};
    if (!prefix.empty()) {
      request.query.emplace_back("prefix", prefix);
    }
    if (!marker.empty()) {
      request.query.emplace_back("marker", marker);
    }
    auto transport = m_client.make_transport();
    VOLBACK_TRY_ASSIGN(
      auto response, m_client.call(*transport, request, fmt::format("List Blobs {}/{}", m_settings.container, prefix)));
    return parse_blob_page(response.body);
  }

  util::Result<void> list_blobs(const std::string& prefix, unsigned page_size,
                                const std::function<util::Result<void>(const ListedBlob&)>& visit) {
    std::string marker;
    do {
      VOLBACK_TRY_ASSIGN(auto page, list_page(prefix, marker, page_size));
      for (const auto& blob : page.blobs) {
        VOLBACK_TRY(visit(blob));
      }
      marker = std::move(page.next_marker);
    } while (!marker.empty());
    return {};
  }

  AzureSettings m_settings;
  AzureContext m_context;
  AzureClient m_client;
  StaleUploadJournal m_journal;
};

}  // namespace

std::unique_ptr<storage::Backend> make_azure_backend(AzureSettings settings, AzureContext context) {
  return std::make_unique<AzureBackend>(std::move(settings), std::move(context));
}

}  // namespace volback::storage::azure
