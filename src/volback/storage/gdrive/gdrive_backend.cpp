#include <volback/storage/gdrive/gdrive_backend.hpp>

#include <map>

#include <fmt/format.h>

#include <volback/storage/gdrive/gdrive_files.hpp>
#include <volback/storage/gdrive/gdrive_upload.hpp>
#include <volback/storage/ranged_source.hpp>
#include <volback/util/memory_plan.hpp>

namespace volback::storage::gdrive {

namespace {

class GdriveBackend final : public storage::Backend {
 public:
  GdriveBackend(GdriveSettings settings, GdriveContext context)
    : m_settings(std::move(settings)),
      m_context(std::move(context)),
      m_client(m_settings, m_context.clock, m_context.cancel, m_context.log, m_context.transports) {}

  std::string_view name() const override { return "GoogleDrive"; }

  std::string describe() const override { return describe_location(m_settings); }

  Properties properties() const override { return Properties{true, false}; }

  util::Result<std::unique_ptr<UploadSink>> begin_upload(std::string_view key, const PutOptions& options) override {
    VOLBACK_TRY(check_key(key));
    return make_gdrive_upload(m_client, std::string(key), options);
  }

  util::Result<std::unique_ptr<io::Source>> open(std::string_view key, const ByteRange& range) override {
    VOLBACK_TRY(check_key(key));
    VOLBACK_TRY_ASSIGN(const auto file, newest_named(m_client, *m_client.make_transport(), key));
    if (!file) {
      return util::fail(util::ErrorKind::not_found,
                        fmt::format("no file {} in Google Drive folder {}", key, m_settings.folder_id));
    }
    QueryParams query = drive_params(m_settings, false);
    query.insert(query.begin(), {"alt", "media"});
    const std::string url =
      GdriveClient::url(m_settings.api_base, "files/" + http::url_encode(file->id, http::Slash::encode), query);
    // Each read-ahead worker gets a connection of its own.
    return make_ranged_source(
      file->size, range,
      [this, url, name = file->name]() -> RangeFetch {
        auto transport = std::shared_ptr<http::Transport>(m_client.make_transport());
        return [this, transport, url, name](std::uint64_t first, std::uint64_t last) -> util::Result<std::string> {
          DriveRequest request;
          request.url = url;
          request.headers = {{"Range", fmt::format("bytes={}-{}", first, last)}};
          VOLBACK_TRY_ASSIGN(auto response, m_client.call(*transport, request, fmt::format("files.get {}", name)));
          return std::move(response.body);
        };
      },
      planned_read_ahead(util::memory_plan()));
  }

  util::Result<void> list(std::string_view prefix,
                          const std::function<util::Result<void>(const ObjectInfo&)>& visit) override {
    auto transport = m_client.make_transport();
    // One entry per name, the newest.
    std::map<std::string, DriveFile, std::less<>> newest;
    VOLBACK_TRY(
      list_files(m_client, *transport, prefix, NameMatch::prefix, [&](const DriveFile& file) -> util::Result<void> {
        if (!check_key(file.name)) {
          return {};  // not a name volback writes
        }
        auto [it, inserted] = newest.try_emplace(file.name, file);
        if (!inserted && is_newer(file, it->second)) {
          it->second = file;
        }
        return {};
      }));
    for (const auto& [name, file] : newest) {
      VOLBACK_TRY(visit(ObjectInfo{name, file.size, file.created}));
    }
    return {};
  }

  util::Result<std::optional<ObjectInfo>> stat(std::string_view key) override {
    VOLBACK_TRY(check_key(key));
    auto transport = m_client.make_transport();
    VOLBACK_TRY_ASSIGN(const auto file, newest_named(m_client, *transport, key));
    if (!file) {
      return std::optional<ObjectInfo>();
    }
    return std::optional<ObjectInfo>(ObjectInfo{std::string(key), file->size, file->created});
  }

  util::Result<void> remove(std::string_view key) override {
    VOLBACK_TRY(check_key(key));
    auto transport = m_client.make_transport();
    std::vector<DriveFile> files;
    VOLBACK_TRY(
      list_files(m_client, *transport, key, NameMatch::exact, [&](const DriveFile& file) -> util::Result<void> {
        files.push_back(file);
        return {};
      }));
    for (const auto& file : files) {
      VOLBACK_TRY(delete_file(m_client, *transport, file));
    }
    return {};
  }

  util::Result<void> preflight(ListAccess) override {
    auto transport = m_client.make_transport();
    QueryParams query = drive_params(m_settings, false);
    query.emplace_back("fields", "id,mimeType");
    DriveRequest request;
    request.url = GdriveClient::url(m_settings.api_base,
                                    "files/" + http::url_encode(m_settings.folder_id, http::Slash::encode), query);
    auto folder = m_client.call(*transport, request, fmt::format("files.get folder {}", m_settings.folder_id));
    if (!folder) {
      return util::fail(folder.error().with_context("checking Google Drive"));
    }
    return {};
  }

  util::Result<unsigned> remove_incomplete_uploads() override { return 0U; }

 private:
  GdriveSettings m_settings;
  GdriveContext m_context;
  GdriveClient m_client;
};

}  // namespace

std::string describe_location(const GdriveSettings& settings) {
  return fmt::format("Google Drive folder {}{}{} at {}", settings.folder_id,
                     settings.team_drive_id.empty() ? "" : " in shared drive ", settings.team_drive_id,
                     settings.api_base);
}

std::unique_ptr<storage::Backend> make_gdrive_backend(GdriveSettings settings, GdriveContext context) {
  return std::make_unique<GdriveBackend>(std::move(settings), std::move(context));
}

}  // namespace volback::storage::gdrive
