#include <volback/storage/dropbox/dropbox_backend.hpp>

#include <mutex>

#include <fmt/format.h>

#include <volback/storage/dropbox/dropbox_json.hpp>
#include <volback/storage/dropbox/dropbox_upload.hpp>
#include <volback/storage/ranged_source.hpp>

namespace volback::storage::dropbox {

namespace {

// ASCII case-insensitive prefix test: Dropbox paths are case-insensitive and a listing
// may show the folder's components in another case.
bool starts_with_folder(std::string_view path, std::string_view folder) {
  if (path.size() <= folder.size() || path[folder.size()] != '/') {
    return false;
  }
  return std::equal(folder.begin(), folder.end(), path.begin(), [](char a, char b) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(a) == lower(b);
  });
}

class DropboxBackend final : public storage::Backend {
 public:
  DropboxBackend(DropboxSettings settings, DropboxContext context)
    : m_settings(std::move(settings)),
      m_context(std::move(context)),
      m_client(m_settings, m_context.cancel, m_context.log, m_context.transports) {}

  std::string_view name() const override { return "Dropbox"; }

  std::string describe() const override { return fmt::format("Dropbox folder {}", folder_display()); }

  std::vector<std::string> stored_messages(std::string_view archive) const override {
    return {fmt::format("Uploaded a copy of backup '{}' to Dropbox at path '{}'.", archive, folder_display())};
  }

  Properties properties() const override { return Properties{true, false}; }

  util::Result<std::unique_ptr<UploadSink>> begin_upload(std::string_view key, const PutOptions&) override {
    VOLBACK_TRY(check_key(key));
    VOLBACK_TRY(ensure_folder());
    return make_dropbox_upload(m_client, std::string(key));
  }

  util::Result<std::unique_ptr<io::Source>> open(std::string_view key, const ByteRange& range) override {
    VOLBACK_TRY(check_key(key));
    VOLBACK_TRY_ASSIGN(auto info, stat(key));
    if (!info) {
      return util::fail(util::ErrorKind::not_found,
                        fmt::format("Dropbox file {} does not exist", m_client.path_of(key)));
    }
    auto transport = std::shared_ptr<http::Transport>(m_client.make_transport());
    return make_ranged_source(info->size, range,
                              [this, transport, path = m_client.path_of(key)](
                                std::uint64_t first, std::uint64_t last) -> util::Result<std::string> {
                                DropboxCall call;
                                call.host = DropboxCall::Host::content;
                                call.route = "files/download";
                                call.arg = path_arg(path);
                                call.range = std::make_pair(first, last);
                                VOLBACK_TRY_ASSIGN(auto response,
                                                   m_client.call(*transport, call, fmt::format("download {}", path)));
                                return std::move(response.body);
                              });
  }

  util::Result<void> list(std::string_view prefix,
                          const std::function<util::Result<void>(const ObjectInfo&)>& visit) override {
    auto transport = m_client.make_transport();
    DropboxCall call;
    call.route = "files/list_folder";
    call.arg = list_folder_arg(m_settings.folder, true);
    for (unsigned page_number = 0;; ++page_number) {
      if (page_number == k_max_list_pages) {
        return util::fail(util::ErrorKind::permanent, fmt::format("Dropbox list_folder {}: more than {} pages",
                                                                  folder_display(), k_max_list_pages));
      }
      auto response = m_client.call(*transport, call, fmt::format("{} {}", call.route, folder_display()));
      if (!response) {
        if (response.error().kind() == util::ErrorKind::not_found && page_number == 0) {
          return {};  // no folder yet: no backups
        }
        return util::fail(response.error());
      }
      VOLBACK_TRY_ASSIGN(const auto page, parse_folder_page(response->body));
      for (const auto& entry : page.entries) {
        if (entry.kind != Metadata::Kind::file) {
          continue;
        }
        auto key = key_of(entry.path_display);
        if (key && key->starts_with(prefix)) {
          VOLBACK_TRY(visit(ObjectInfo{std::move(*key), entry.size, entry.server_modified}));
        }
      }
      if (!page.has_more) {
        return {};
      }
      call.route = "files/list_folder/continue";
      call.arg = cursor_arg(page.cursor);
    }
  }

  util::Result<std::optional<ObjectInfo>> stat(std::string_view key) override {
    VOLBACK_TRY(check_key(key));
    auto transport = m_client.make_transport();
    VOLBACK_TRY_ASSIGN(auto metadata, get_metadata(*transport, m_client.path_of(key)));
    if (!metadata || metadata->kind != Metadata::Kind::file) {
      return std::optional<ObjectInfo>();
    }
    return std::optional<ObjectInfo>(ObjectInfo{std::string(key), metadata->size, metadata->server_modified});
  }

  util::Result<void> remove(std::string_view key) override {
    VOLBACK_TRY(check_key(key));
    auto transport = m_client.make_transport();
    DropboxCall call;
    call.route = "files/delete_v2";
    call.arg = path_arg(m_client.path_of(key));
    auto removed = m_client.call(*transport, call, fmt::format("delete_v2 {}", m_client.path_of(key)));
    if (!removed && removed.error().kind() != util::ErrorKind::not_found) {
      return util::fail(removed.error());
    }
    return {};
  }

  util::Result<void> preflight(ListAccess) override {
    auto transport = m_client.make_transport();
    if (m_settings.folder.empty()) {
      // The root has no metadata: list one entry of it instead.
      DropboxCall call;
      call.route = "files/list_folder";
      call.arg = list_folder_arg("", false);
      auto listed = m_client.call(*transport, call, "list_folder /");
      return listed ? util::Result<void>() : util::fail(listed.error().with_context("checking Dropbox"));
    }
    auto metadata = get_metadata(*transport, m_settings.folder);
    if (!metadata) {
      return util::fail(metadata.error().with_context(fmt::format("checking Dropbox folder {}", m_settings.folder)));
    }
    if (*metadata && (*metadata)->kind != Metadata::Kind::folder) {
      return util::fail(util::ErrorKind::invalid_argument,
                        fmt::format("DROPBOX_REMOTE_PATH {} is a file, not a folder", m_settings.folder));
    }
    return {};
  }

  util::Result<unsigned> remove_incomplete_uploads() override { return 0U; }

 private:
  std::string folder_display() const { return m_settings.folder.empty() ? "/" : m_settings.folder; }

  // The key of a listed path below the folder; nullopt for anything else.
  std::optional<std::string> key_of(std::string_view path) const {
    if (!starts_with_folder(path, m_settings.folder)) {
      return std::nullopt;
    }
    std::string key(path.substr(m_settings.folder.size() + 1));
    if (!check_key(key)) {
      return std::nullopt;
    }
    return key;
  }

  util::Result<std::optional<Metadata>> get_metadata(http::Transport& transport, const std::string& path) {
    DropboxCall call;
    call.route = "files/get_metadata";
    call.arg = path_arg(path);
    auto response = m_client.call(transport, call, fmt::format("get_metadata {}", path));
    if (!response) {
      if (response.error().kind() == util::ErrorKind::not_found) {
        return std::optional<Metadata>();
      }
      return util::fail(response.error());
    }
    VOLBACK_TRY_ASSIGN(auto metadata, parse_metadata(response->body));
    return std::optional<Metadata>(std::move(metadata));
  }

  util::Result<void> ensure_folder() {
    std::lock_guard lock(m_folder_mutex);
    if (m_folder_ready || m_settings.folder.empty()) {
      return {};
    }
    auto transport = m_client.make_transport();
    DropboxCall call;
    call.route = "files/create_folder_v2";
    call.arg = create_folder_arg(m_settings.folder);
    auto created = m_client.call(*transport, call, fmt::format("create_folder_v2 {}", m_settings.folder));
    if (!created) {
      // 409 path/conflict/folder: it exists already.
      if (created.error().message().find("path/conflict/folder") == std::string::npos) {
        return util::fail(created.error());
      }
      m_context.log.debug("The Dropbox folder exists already", {{"path", m_settings.folder}});
    } else {
      m_context.log.info("Created the Dropbox folder", {{"path", m_settings.folder}});
    }
    m_folder_ready = true;
    return {};
  }

  DropboxSettings m_settings;
  DropboxContext m_context;
  DropboxClient m_client;
  std::mutex m_folder_mutex;
  bool m_folder_ready = false;  // guarded by m_folder_mutex
};

}  // namespace

std::unique_ptr<storage::Backend> make_dropbox_backend(DropboxSettings settings, DropboxContext context) {
  return std::make_unique<DropboxBackend>(std::move(settings), std::move(context));
}

}  // namespace volback::storage::dropbox
