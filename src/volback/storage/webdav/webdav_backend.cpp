#include <volback/storage/webdav/webdav_backend.hpp>

#include <fmt/format.h>

#include <volback/storage/http_time.hpp>
#include <volback/storage/partial_name.hpp>
#include <volback/storage/ranged_source.hpp>
#include <volback/storage/webdav/webdav_upload.hpp>

namespace volback::storage::webdav {

namespace {

class WebdavBackend final : public storage::Backend {
 public:
  WebdavBackend(WebdavSettings settings, WebdavContext context)
    : m_settings(std::move(settings)),
      m_context(std::move(context)),
      m_client(m_settings, m_context.cancel, m_context.log, m_context.transports) {}

  std::string_view name() const override { return "WebDAV"; }

  std::string describe() const override { return fmt::format("WebDAV {}{}", m_settings.origin, m_settings.base); }

  std::vector<std::string> stored_messages(std::string_view archive) const override {
    return {
      fmt::format("Uploaded a copy of backup '{}' to '{}' at path '{}'.", archive, m_settings.origin, m_settings.base)};
  }

  Properties properties() const override { return Properties{true, false}; }

  util::Result<std::unique_ptr<UploadSink>> begin_upload(std::string_view key, const PutOptions& options) override {
    VOLBACK_TRY(check_key(key));
    return begin_webdav_upload(m_client, std::string(key), options);
  }

  util::Result<std::unique_ptr<io::Source>> open(std::string_view key, const ByteRange& range) override {
    VOLBACK_TRY(check_key(key));
    VOLBACK_TRY_ASSIGN(auto info, stat(key));
    if (!info) {
      return util::fail(util::ErrorKind::not_found, fmt::format("WebDAV object {} does not exist", m_client.path(key)));
    }
    // Each read-ahead worker gets a connection of its own.
    return make_ranged_source(
      info->size, range,
      [this, key = std::string(key)]() -> RangeFetch {
        auto transport = std::shared_ptr<http::Transport>(m_client.make_transport());
        return [this, transport, key](std::uint64_t first, std::uint64_t last) -> util::Result<std::string> {
          http::Request get;
          get.url = m_client.url(key);
          get.headers = {{"Range", fmt::format("bytes={}-{}", first, last)}};
          VOLBACK_TRY_ASSIGN(auto response, m_client.call(*transport, get, fmt::format("GET {}", m_client.path(key))));
          if (response.status == 200 && first == 0 && response.body.size() >= last + 1) {
            response.body.resize(last + 1);  // a server that ignores Range sends everything
          }
          return std::move(response.body);
        };
      },
      planned_read_ahead(util::memory_plan()));
  }

  util::Result<void> list(std::string_view prefix,
                          const std::function<util::Result<void>(const ObjectInfo&)>& visit) override {
    auto transport = m_client.make_transport();
    // From the deepest collection every match lies in.
    return walk(*transport, key_parent(prefix), prefix, visit);
  }

  util::Result<std::optional<ObjectInfo>> stat(std::string_view key) override {
    VOLBACK_TRY(check_key(key));
    auto transport = m_client.make_transport();
    auto entries = m_client.propfind(*transport, key, 0);
    if (!entries) {
      if (entries.error().kind() == util::ErrorKind::not_found) {
        return std::optional<ObjectInfo>();
      }
      return util::fail(entries.error());
    }
    for (const auto& entry : *entries) {
      if (!entry.collection) {
        return std::optional<ObjectInfo>(info_of(std::string(key), entry));
      }
    }
    return std::optional<ObjectInfo>();
  }

  util::Result<void> remove(std::string_view key) override {
    VOLBACK_TRY(check_key(key));
    auto transport = m_client.make_transport();
    return remove_path(*transport, key);
  }

  util::Result<void> preflight(ListAccess) override {
    auto transport = m_client.make_transport();
    auto entries = m_client.propfind(*transport, "", 0);
    if (!entries && entries.error().kind() != util::ErrorKind::not_found) {
      return util::fail(entries.error());
    }
    return {};
  }

  util::Result<unsigned> remove_incomplete_uploads() override {
    auto transport = m_client.make_transport();
    unsigned removed = 0;
    std::vector<std::string> partial;
    VOLBACK_TRY(walk_all(*transport, "", [&](const std::string& rel, const DavEntry&) -> util::Result<void> {
      if (key_name(rel).starts_with(k_partial_prefix)) {
        partial.push_back(rel);
      }
      return {};
    }));
    for (const auto& rel : partial) {
      VOLBACK_TRY(remove_path(*transport, rel));
      m_context.log.info("Removed an incomplete WebDAV upload", {{"path", m_client.path(rel)}});
      ++removed;
    }
    return removed;
  }

 private:
  using EntryVisit = std::function<util::Result<void>(const std::string& rel, const DavEntry& entry)>;

  ObjectInfo info_of(std::string key, const DavEntry& entry) const {
    util::TimePoint modified{};
    if (auto parsed = parse_http_date(entry.last_modified)) {
      modified = *parsed;
    }
    return ObjectInfo{std::move(key), entry.size, modified};
  }

  util::Result<void> remove_path(http::Transport& transport, std::string_view rel) {
    http::Request request;
    request.method = "DELETE";
    request.url = m_client.url(rel);
    auto removed = m_client.call(transport, request, fmt::format("DELETE {}", m_client.path(rel)));
    if (!removed && removed.error().kind() != util::ErrorKind::not_found) {
      return util::fail(removed.error());
    }
    return {};
  }

  // Every non-collection entry below `dir` (recursively), with its path relative to the
  // base. A missing `dir` has nothing.
  util::Result<void> walk_all(http::Transport& transport, const std::string& dir, const EntryVisit& visit) {
    auto entries = m_client.propfind(transport, dir, 1);
    if (!entries) {
      return entries.error().kind() == util::ErrorKind::not_found ? util::Result<void>() : util::fail(entries.error());
    }
    const std::string self = m_client.path(dir);
    for (const auto& entry : *entries) {
      if (entry.path == self || !entry.path.starts_with(self + "/")) {
        continue;  // the collection itself (or a stray href)
      }
      const std::string rel = entry.path.substr(m_settings.base.size() + 1);
      if (entry.collection) {
        VOLBACK_TRY(walk_all(transport, rel, visit));
      } else {
        VOLBACK_TRY(visit(rel, entry));
      }
    }
    return {};
  }

  // The complete objects below `dir` whose key starts with `prefix`; collections that
  // cannot hold such a key are not entered, partial objects are skipped.
  util::Result<void> walk(http::Transport& transport, const std::string& dir, std::string_view prefix,
                          const std::function<util::Result<void>(const ObjectInfo&)>& visit) {
    auto entries = m_client.propfind(transport, dir, 1);
    if (!entries) {
      return entries.error().kind() == util::ErrorKind::not_found ? util::Result<void>() : util::fail(entries.error());
    }
    const std::string self = m_client.path(dir);
    for (const auto& entry : *entries) {
      if (entry.path == self || !entry.path.starts_with(self + "/")) {
        continue;
      }
      const std::string rel = entry.path.substr(m_settings.base.size() + 1);
      if (key_name(rel).starts_with('.')) {
        continue;
      }
      if (entry.collection) {
        const std::string as_dir = rel + "/";
        if (as_dir.starts_with(prefix) || prefix.starts_with(as_dir)) {
          VOLBACK_TRY(walk(transport, rel, prefix, visit));
        }
      } else if (rel.starts_with(prefix)) {
        VOLBACK_TRY(visit(info_of(rel, entry)));
      }
    }
    return {};
  }

  WebdavSettings m_settings;
  WebdavContext m_context;
  WebdavClient m_client;
};

}  // namespace

std::unique_ptr<storage::Backend> make_webdav_backend(WebdavSettings settings, WebdavContext context) {
  return std::make_unique<WebdavBackend>(std::move(settings), std::move(context));
}

}  // namespace volback::storage::webdav
