// The storage conformance suite against the WebDAV backend over an in-memory WebDAV
// server behind http::Transport (MKCOL, PUT with a streamed or chunked body, MOVE,
// PROPFIND Depth 0/1, ranged GET, DELETE), plus what the suite cannot see: the MOVE of a
// temporary name, basic credentials on every request, the abort's DELETE.

#include <map>
#include <mutex>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <volback/storage/webdav/webdav_backend.hpp>
#include <volback/storage/webdav/webdav_xml.hpp>
#include <volback/testing/storage_conformance.hpp>
#include <volback/util/logging.hpp>

namespace volback::storage::webdav {
namespace {

// The server: collections and files by decoded path, shared by every transport.
struct FakeDav {
  std::mutex mutex;
  std::set<std::string> collections{""};
  std::map<std::string, std::string> files;
  std::vector<std::string> methods;  // "PUT /x", in order
  bool require_auth = true;

  static std::string path_of(const std::string& url) {
    const auto scheme = url.find("://");
    const auto slash = url.find('/', scheme + 3);
    std::string path = percent_decode(slash == std::string::npos ? "/" : url.substr(slash));
    while (!path.empty() && path.back() == '/') {
      path.pop_back();
    }
    return path;
  }
  static std::string parent(const std::string& path) { return path.substr(0, path.rfind('/')); }

  std::string entry_xml(const std::string& path, bool collection, std::size_t size) const {
    return fmt::format(
      "<D:response><D:href>{}{}</D:href><D:propstat><D:prop><D:resourcetype>{}</D:resourcetype>"
      "<D:getcontentlength>{}</D:getcontentlength><D:getlastmodified>Wed, 07 Jan 2026 03:00:01 GMT"
      "</D:getlastmodified></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>",
      http::url_encode(path.empty() ? "/" : path, http::Slash::keep), collection ? "/" : "",
      collection ? "<D:collection/>" : "", size);
  }

  // A streamed PUT body is read before the lock is taken, as a server receives it while
  // serving other requests: the conformance suite lists while an upload is in progress.
  util::Result<http::Response> handle(const http::Request& request, const http::TransportOptions& options) {
    std::string body = request.body;
    if (request.method == "PUT" && request.body_source) {
      std::vector<std::byte> buffer(65536);
      for (;;) {
        VOLBACK_TRY_ASSIGN(const auto n, request.body_source->read(buffer));
        if (n == 0) {
          break;
        }
        body.append(reinterpret_cast<const char*>(buffer.data()), n);
      }
    }
    std::lock_guard lock(mutex);
    const std::string path = path_of(request.url);
    methods.push_back(request.method + " " + path);
    http::Response response;
    if (require_auth && (!options.auth || options.auth->password != "secret")) {
      response.status = 401;
      response.headers.push_back({"www-authenticate", "Basic realm=\"fake\""});
      return response;
    }
    if (request.method == "MKCOL") {
      if (collections.contains(path) || files.contains(path)) {
        response.status = 405;
      } else if (!collections.contains(parent(path))) {
        response.status = 409;
      } else {
        collections.insert(path);
        response.status = 201;
      }
    } else if (request.method == "PUT") {
      if (!collections.contains(parent(path))) {
        response.status = 409;
        return response;
      }
      files[path] = std::move(body);
      response.status = 201;
    } else if (request.method == "MOVE") {
      std::string destination;
      for (const auto& h : request.headers) {
        if (h.name == "Destination") {
          destination = path_of(h.value);
        }
      }
      auto it = files.find(path);
      if (it == files.end()) {
        response.status = 404;
      } else {
        files[destination] = std::move(it->second);
        files.erase(path);
        response.status = 201;
      }
    } else if (request.method == "DELETE") {
      response.status = files.erase(path) > 0 ? 204 : 404;
      if (collections.erase(path) > 0) {
        response.status = 204;
      }
    } else if (request.method == "GET") {
      auto it = files.find(path);
      if (it == files.end()) {
        response.status = 404;
        return response;
      }
      std::uint64_t first = 0;
      std::uint64_t last = it->second.size() - 1;
      for (const auto& h : request.headers) {
        if (h.name == "Range") {
          std::sscanf(h.value.c_str(), "bytes=%lu-%lu", &first, &last);
        }
      }
      response.status = 206;
      response.body = it->second.substr(first, last - first + 1);
    } else if (request.method == "PROPFIND") {
      std::string depth = "1";
      for (const auto& h : request.headers) {
        if (h.name == "Depth") {
          depth = h.value;
        }
      }
      std::string xml = "<?xml version=\"1.0\"?><D:multistatus xmlns:D=\"DAV:\">";
      if (auto f = files.find(path); f != files.end()) {
        xml += entry_xml(path, false, f->second.size());
      } else if (collections.contains(path)) {
        xml += entry_xml(path, true, 0);
        if (depth == "1") {
          for (const auto& c : collections) {
            if (!c.empty() && parent(c) == path) {
              xml += entry_xml(c, true, 0);
            }
          }
          for (const auto& [p, data] : files) {
            if (parent(p) == path) {
              xml += entry_xml(p, false, data.size());
            }
          }
        }
      } else {
        response.status = 404;
        return response;
      }
      response.status = 207;
      response.body = xml + "</D:multistatus>";
    } else {
      response.status = 405;
    }
    return response;
  }
};

class FakeTransport final : public http::Transport {
 public:
  FakeTransport(FakeDav& dav, http::TransportOptions options) : m_dav(dav), m_options(std::move(options)) {}
  util::Result<http::Response> send(const http::Request& request, const http::ResponseSink* sink) override {
    VOLBACK_TRY_ASSIGN(auto response, m_dav.handle(request, m_options));
    if (sink != nullptr && *sink) {
      VOLBACK_TRY((*sink)(std::as_bytes(std::span(response.body.data(), response.body.size()))));
      response.body.clear();
    }
    return response;
  }

 private:
  FakeDav& m_dav;
  http::TransportOptions m_options;
};

struct Fixture {
  FakeDav dav;
  util::CapturingLogger log;
  util::CancelToken cancel;
  WebdavSettings settings() const {
    WebdavSettings s;
    s.origin = "https://dav.example";
    s.base = "/remote.php/dav/backups";
    s.username = "user";
    s.password = "secret";
    s.retry.max_attempts = 1;
    return s;
  }
  std::unique_ptr<Backend> make() {
    return make_webdav_backend(settings(), WebdavContext{log, cancel, [this](http::TransportOptions options) {
                                                           return std::make_unique<FakeTransport>(dav, options);
                                                         }});
  }
};

Fixture& shared_fixture() {
  static Fixture fixture;
  return fixture;
}

using volback::testing::BackendConformance;

INSTANTIATE_TEST_SUITE_P(WebDAV, BackendConformance,
                         ::testing::Values(volback::testing::ConformanceTarget{
                           "WebDAV", [] { return shared_fixture().make(); }, 8 << 20}));

TEST(WebdavBackend, UploadsATemporaryNameAndMovesItIntoPlace) {
  Fixture f;
  auto backend = f.make();
  auto upload = backend->begin_upload("nightly/backup.tar.gz", {});
  ASSERT_TRUE(upload) << upload.error().message();
  const std::string data = "archive bytes";
  ASSERT_TRUE((*upload)->write(std::as_bytes(std::span(data.data(), data.size()))));
  ASSERT_TRUE((*upload)->finish());
  EXPECT_EQ(f.dav.files.at("/remote.php/dav/backups/nightly/backup.tar.gz"), data);
  EXPECT_EQ(f.dav.files.size(), 1u);
  std::vector<std::string> writes;
  for (const auto& m : f.dav.methods) {
    if (m.starts_with("MKCOL") || m.starts_with("PUT") || m.starts_with("MOVE")) {
      writes.push_back(m.substr(0, m.find(' ')) + (m.find(".volback-partial-") != std::string::npos ? " partial" : ""));
    }
  }
  // Every level of the base from the root down, then the PUT of a partial name and its MOVE.
  const std::vector<std::string> expected{"MKCOL", "MKCOL", "MKCOL", "MKCOL", "PUT partial", "MOVE partial"};
  EXPECT_EQ(writes, expected);
}

TEST(WebdavBackend, LogsOffensLineForAStoredCopy) {
  Fixture f;
  const std::vector<std::string> expected{
    "Uploaded a copy of backup 'backup.tar.gz' to 'https://dav.example' at path '/remote.php/dav/backups'."};
  EXPECT_EQ(f.make()->stored_messages("backup.tar.gz"), expected);
}

TEST(WebdavBackend, AnAbandonedUploadDeletesItsTemporaryObject) {
  Fixture f;
  auto backend = f.make();
  {
    auto upload = backend->begin_upload("x.tar", {});
    ASSERT_TRUE(upload);
    const std::string data(100000, 'x');
    ASSERT_TRUE((*upload)->write(std::as_bytes(std::span(data.data(), data.size()))));
  }
  EXPECT_TRUE(f.dav.files.empty());
  EXPECT_TRUE(f.log.contains("Removed the unfinished WebDAV upload"));
}

TEST(WebdavBackend, WrongCredentialsAreAnAuthErrorAtThePreflight) {
  Fixture f;
  auto settings = f.settings();
  settings.password = "wrong";
  auto backend = make_webdav_backend(settings, WebdavContext{f.log, f.cancel, [&f](http::TransportOptions options) {
                                                               return std::make_unique<FakeTransport>(f.dav, options);
                                                             }});
  auto checked = backend->preflight(ListAccess::needed);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().kind(), util::ErrorKind::auth);
  EXPECT_EQ(checked.error().message().find("wrong"), std::string::npos);
}

TEST(WebdavBackend, LeftoversOfAKilledRunAreRemoved) {
  Fixture f;
  f.dav.collections.insert("/remote.php");
  f.dav.collections.insert("/remote.php/dav");
  f.dav.collections.insert("/remote.php/dav/backups");
  f.dav.collections.insert("/remote.php/dav/backups/sub");
  f.dav.files["/remote.php/dav/backups/.volback-partial-abc"] = "half";
  f.dav.files["/remote.php/dav/backups/sub/.volback-partial-def"] = "half";
  f.dav.files["/remote.php/dav/backups/keep.tar"] = "whole";
  auto backend = f.make();
  auto removed = backend->remove_incomplete_uploads();
  ASSERT_TRUE(removed) << removed.error().message();
  EXPECT_EQ(*removed, 2u);
  EXPECT_EQ(f.dav.files.size(), 1u);
}

}  // namespace
}  // namespace volback::storage::webdav
