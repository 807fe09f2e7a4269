// The storage conformance suite against the Google Drive backend over an in-memory Drive
// behind http::Transport (the token grant, resumable sessions with 308 and status
// queries, files.list with pages, files.get with alt=media and Range, files.delete), plus
// what the suite cannot see: chunk sizes and offsets, a connection dropped mid-chunk and
// resumed from the offset Drive reports, a token refused with 401 mid-upload, the session
// cancelled when an upload is abandoned, an upload replacing the older file of its name,
// and a session URL on another host.

#include <map>
#include <mutex>
#include <regex>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <volback/storage/gdrive/gdrive_backend.hpp>
#include <volback/storage/gdrive/gdrive_test_key.hpp>
#include <volback/testing/fake_http.hpp>
#include <volback/testing/storage_conformance.hpp>
#include <volback/util/logging.hpp>

namespace volback::storage::gdrive {
namespace {

constexpr std::size_t k_fake_unit = 256 * 1024;

// The string literal after `marker` in a q ("name = 'a\'b'" -> "a'b"), or nullopt.
std::optional<std::string> fake_literal_after(const std::string& q, const std::string& marker) {
  const auto at = q.find(marker);
  if (at == std::string::npos) {
    return std::nullopt;
  }
  std::string out;
  for (std::size_t i = at + marker.size(); i < q.size() && q[i] != '\''; ++i) {
    if (q[i] == '\\' && i + 1 < q.size()) {
      ++i;
    }
    out += q[i];
  }
  return out;
}

struct FakeFile {
  std::string id;
  std::string name;
  std::string data;
  int created = 0;
};

struct FakeSession {
  std::string name;
  std::string data;
};

// The service: one folder "folder1", files by id, sessions by upload id.
struct FakeDrive {
  std::mutex mutex;
  std::map<std::string, FakeFile> files;
  std::map<std::string, FakeSession> sessions;
  std::vector<std::string> requests;  // "METHOD path Content-Range"
  int next = 0;
  int tokens_issued = 0;
  std::string valid_token;
  std::string session_host = "https://www.googleapis.com";
  unsigned page_size = 2;
  // Failures to inject, once each.
  std::optional<std::size_t> drop_chunk_after;  // bytes of a session: keep the aligned part, then fail
  bool refuse_next_chunk_token = false;         // answer the next chunk 401

  static http::Response answer(long status, std::string body = {}, std::vector<http::Header> headers = {}) {
    http::Response response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    return response;
  }

  static std::string resource(const FakeFile& file) {
    const auto time = fmt::format("2026-01-01T00:{:02}:{:02}.000Z", file.created / 60 % 60, file.created % 60);
    return nlohmann::json{{"id", file.id},
                          {"name", file.name},
                          {"size", std::to_string(file.data.size())},
                          {"createdTime", time},
                          {"modifiedTime", time}}
      .dump();
  }

  util::Result<http::Response> handle(const http::Request& request) {
    std::lock_guard lock(mutex);
    const auto url = testing::split_fake_url(request.url);
    const std::string& path = url.path;
    std::map<std::string, std::string> query(url.query.begin(), url.query.end());
    std::string body = request.body;
    if (request.body_source) {
      body.clear();
      std::vector<std::byte> buffer(64 * 1024);
      for (;;) {
        VOLBACK_TRY_ASSIGN(const auto n, request.body_source->read(buffer));
        if (n == 0) {
          break;
        }
        body.append(reinterpret_cast<const char*>(buffer.data()), n);
      }
    }
    std::string range;
    std::string authorization;
    for (const auto& header : request.headers) {
      if (header.name == "Content-Range") {
        range = header.value;
      } else if (header.name == "Authorization") {
        authorization = header.value;
      }
    }
    requests.push_back(request.method + " " + path + (range.empty() ? "" : " " + range));
    if (path == "/token") {
      EXPECT_NE(body.find("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="),
                std::string::npos);
      valid_token = fmt::format("tok{}", ++tokens_issued);
      return answer(200,
                    fmt::format(R"({{"access_token":"{}","expires_in":3599,"token_type":"Bearer"}})", valid_token));
    }
    if (authorization != "Bearer " + valid_token) {
      return answer(401, R"({"error":{"code":401,"message":"Invalid Credentials","errors":[{"reason":"authError"}]}})");
    }
    EXPECT_EQ(query["supportsAllDrives"] == "true" || query.count("upload_id") > 0, true) << request.url;
    if (path == "/upload/drive/v3/files" && query.count("upload_id")) {
      return session(request.method, query["upload_id"], range, body);
    }
    if (path == "/upload/drive/v3/files" && request.method == "POST") {
      EXPECT_EQ(query["uploadType"], "resumable");
      const auto metadata = nlohmann::json::parse(body);
      EXPECT_EQ(metadata["parents"], nlohmann::json::array({"folder1"}));
      const auto id = fmt::format("s{}", ++next);
      sessions[id] = FakeSession{metadata["name"].get<std::string>(), {}};
      return answer(200, "",
                    {{"location", session_host + "/upload/drive/v3/files?uploadType=resumable&upload_id=" + id}});
    }
    if (path == "/drive/v3/files" && request.method == "GET") {
      return list(query);
    }
    const std::string id = path.substr(std::string("/drive/v3/files/").size());
    if (id == "folder1") {
      return answer(200, R"({"id":"folder1","mimeType":"application/vnd.google-apps.folder"})");
    }
    const auto it = files.find(id);
    if (it == files.end()) {
      return answer(404, R"({"error":{"code":404,"message":"File not found","errors":[{"reason":"notFound"}]}})");
    }
    if (request.method == "DELETE") {
      files.erase(it);
      return answer(204);
    }
    EXPECT_EQ(query["alt"], "media");
    std::string wanted;
    for (const auto& header : request.headers) {
      if (header.name == "Range") {
        wanted = header.value;
      }
    }
    std::smatch m;
    const auto& data = it->second.data;
    if (!std::regex_match(wanted, m, std::regex(R"(bytes=(\d+)-(\d+))")) || std::stoull(m[1]) >= data.size()) {
      return answer(416);
    }
    const auto first = std::stoull(m[1]);
    const auto last = std::min<std::uint64_t>(std::stoull(m[2]), data.size() - 1);
    return answer(206, data.substr(first, last - first + 1));
  }

  util::Result<http::Response> session(const std::string& method, const std::string& id, const std::string& range,
                                       const std::string& body) {
    const auto it = sessions.find(id);
    if (it == sessions.end()) {
      return answer(404, R"({"error":{"code":404,"message":"no session"}})");
    }
    auto& s = it->second;
    if (method == "DELETE") {
      sessions.erase(it);
      return answer(499);
    }
    std::smatch m;
    if (!std::regex_match(range, m, std::regex(R"(bytes (?:(\d+)-(\d+)|\*)/(\d+|\*))"))) {
      ADD_FAILURE() << "bad Content-Range " << range;
      return answer(400);
    }
    const std::optional<std::uint64_t> total =
      m[3] == "*" ? std::nullopt : std::optional<std::uint64_t>(std::stoull(m[3]));
    if (m[1].matched) {
      const auto first = std::stoull(m[1]);
      const auto last = std::stoull(m[2]);
      EXPECT_EQ(first, s.data.size()) << "a chunk that does not start where the session stands";
      EXPECT_EQ(last - first + 1, body.size());
      const bool final = total && last + 1 == *total;
      if (!final) {
        EXPECT_EQ(body.size() % k_fake_unit, 0U) << "a chunk that is not a multiple of 256 KiB";
      }
      if (refuse_next_chunk_token) {
        refuse_next_chunk_token = false;
        valid_token.clear();
        return answer(401, R"({"error":{"code":401,"message":"Invalid Credentials"}})");
      }
      if (drop_chunk_after && s.data.size() + body.size() > *drop_chunk_after) {
        const auto keep = (*drop_chunk_after - s.data.size()) / k_fake_unit * k_fake_unit;
        s.data += body.substr(0, keep);
        drop_chunk_after.reset();
        return util::fail(util::ErrorKind::transient, "connection reset");
      }
      s.data += body;
    } else {
      EXPECT_TRUE(body.empty());
    }
    if (total && s.data.size() == *total) {
      FakeFile file{fmt::format("f{}", ++next), s.name, s.data, next};
      files[file.id] = file;
      sessions.erase(it);
      return answer(200, resource(file));
    }
    if (s.data.empty()) {
      return answer(308);
    }
    return answer(308, "", {{"range", fmt::format("bytes=0-{}", s.data.size() - 1)}});
  }

  http::Response list(std::map<std::string, std::string>& query) {
    const auto& q = query["q"];
    EXPECT_NE(q.find("'folder1' in parents and trashed = false"), std::string::npos) << q;
    const auto exact = fake_literal_after(q, "name = '");
    const auto prefix = fake_literal_after(q, "name contains '");
    std::vector<const FakeFile*> found;
    for (const auto& [id, file] : files) {
      if ((!exact || file.name == *exact) && (!prefix || file.name.starts_with(*prefix))) {
        found.push_back(&file);
      }
    }
    const std::size_t start = query.count("pageToken") ? std::stoul(query["pageToken"]) : 0;
    std::string body = R"({"files":[)";
    for (std::size_t i = start; i < found.size() && i < start + page_size; ++i) {
      body += (i > start ? "," : "") + resource(*found[i]);
    }
    body += "]";
    if (start + page_size < found.size()) {
      body += fmt::format(R"(,"nextPageToken":"{}")", start + page_size);
    }
    return answer(200, body + "}");
  }
};

class FakeDriveTransport final : public http::Transport {
 public:
  explicit FakeDriveTransport(std::shared_ptr<FakeDrive> drive) : m_drive(std::move(drive)) {}
  util::Result<http::Response> send(const http::Request& request, const http::ResponseSink* sink) override {
    VOLBACK_TRY_ASSIGN(auto response, m_drive->handle(request));
    if (sink) {
      VOLBACK_TRY((*sink)(std::as_bytes(std::span(response.body.data(), response.body.size()))));
      response.body.clear();
    }
    return response;
  }

 private:
  std::shared_ptr<FakeDrive> m_drive;
};

GdriveSettings fake_settings() {
  GdriveSettings settings;
  settings.account = *parse_service_account(testkey::service_account_json(), "V");
  settings.folder_id = "folder1";
  settings.api_base = "https://www.googleapis.com/drive/v3/";
  settings.upload_base = "https://www.googleapis.com/upload/drive/v3/";
  settings.token_url = "https://oauth2.googleapis.com/token";
  settings.chunk_size = std::uint64_t{1} << 20;
  settings.retry.base_delay = std::chrono::milliseconds(1);
  settings.retry.max_delay = std::chrono::milliseconds(5);
  return settings;
}

util::SystemClock& fake_clock() {
  static util::SystemClock clock;
  return clock;
}
util::CancelToken& fake_cancel() {
  static util::CancelToken cancel;
  return cancel;
}
util::CapturingLogger& fake_log() {
  static util::CapturingLogger log;
  return log;
}

std::unique_ptr<storage::Backend> fake_backend(const std::shared_ptr<FakeDrive>& drive) {
  return make_gdrive_backend(fake_settings(),
                             GdriveContext{fake_log(), fake_clock(), fake_cancel(), [drive](const util::CancelToken*) {
                                             return std::make_unique<FakeDriveTransport>(drive);
                                           }});
}

std::unique_ptr<storage::Backend> fake_conformance_backend() {
  static const auto drive = std::make_shared<FakeDrive>();
  return fake_backend(drive);
}

using volback::testing::BackendConformance;

INSTANTIATE_TEST_SUITE_P(GoogleDrive, BackendConformance,
                         ::testing::Values(testing::ConformanceTarget{"GoogleDrive", fake_conformance_backend,
                                                                      std::uint64_t{3} << 20}));

std::size_t fake_count(const std::vector<std::string>& requests, const std::string& start) {
  return static_cast<std::size_t>(
    std::count_if(requests.begin(), requests.end(), [&](const std::string& r) { return r.starts_with(start); }));
}

TEST(GdriveUpload, ResumesFromTheOffsetDriveReportsAfterADroppedConnection) {
  auto drive = std::make_shared<FakeDrive>();
  drive->drop_chunk_after = (std::size_t{1} << 20) + 300 * 1024;  // in the second chunk, not on 256 KiB
  auto backend = fake_backend(drive);
  const auto data = testing::conformance::bytes_of((std::uint64_t{7} << 19) + 123);  // 3.5 MiB and a bit
  ASSERT_TRUE(testing::conformance::put(*backend, "backup-1.tar.gz", data));
  ASSERT_EQ(drive->files.size(), 1U);
  EXPECT_EQ(drive->files.begin()->second.data, data);
  const auto& r = drive->requests;
  // The second chunk was cut after 256 KiB; the status query learns that, and the rest of
  // that chunk follows from there.
  EXPECT_EQ(fake_count(r, "PUT /upload/drive/v3/files bytes */*"), 1U);
  EXPECT_EQ(fake_count(r, "PUT /upload/drive/v3/files bytes 1310720-2097151/*"), 1U);
  EXPECT_EQ(fake_count(r, "PUT /upload/drive/v3/files bytes 0-1048575/*"), 1U);
  EXPECT_EQ(fake_count(r, fmt::format("PUT /upload/drive/v3/files bytes 3145728-{}/{}", data.size() - 1, data.size())),
            1U);
  EXPECT_TRUE(drive->sessions.empty());
}

TEST(GdriveUpload, AChunkRefusedWith401GoesAgainWithAFreshToken) {
  auto drive = std::make_shared<FakeDrive>();
  auto backend = fake_backend(drive);
  const auto data = testing::conformance::bytes_of(std::uint64_t{2} << 20);
  auto upload = backend->begin_upload("k", {});
  ASSERT_TRUE(upload);
  ASSERT_TRUE((*upload)->write(std::as_bytes(std::span(data.data(), std::size_t{1} << 20))));
  drive->refuse_next_chunk_token = true;
  ASSERT_TRUE((*upload)->write(std::as_bytes(std::span(data.data() + (1 << 20), std::size_t{1} << 20))));
  ASSERT_TRUE((*upload)->finish());
  EXPECT_EQ(drive->tokens_issued, 2);
  EXPECT_EQ(drive->files.begin()->second.data, data);
}

TEST(GdriveUpload, AnAbandonedUploadCancelsItsSession) {
  auto drive = std::make_shared<FakeDrive>();
  auto backend = fake_backend(drive);
  const auto data = testing::conformance::bytes_of(std::uint64_t{3} << 20);
  {
    auto upload = backend->begin_upload("k", {});
    ASSERT_TRUE(upload);
    ASSERT_TRUE((*upload)->write(std::as_bytes(std::span(data.data(), data.size()))));
  }
  EXPECT_EQ(fake_count(drive->requests, "DELETE /upload/drive/v3/files"), 1U);
  EXPECT_TRUE(drive->sessions.empty());
  EXPECT_TRUE(drive->files.empty());
}

TEST(GdriveUpload, AnUploadReplacesTheOlderFileOfItsName) {
  auto drive = std::make_shared<FakeDrive>();
  auto backend = fake_backend(drive);
  ASSERT_TRUE(testing::conformance::put(*backend, "same", "first"));
  ASSERT_TRUE(testing::conformance::put(*backend, "same", "second"));
  ASSERT_EQ(drive->files.size(), 1U);
  EXPECT_EQ(drive->files.begin()->second.data, "second");
}

TEST(GdriveUpload, ListingShowsTheNewestOfSeveralFilesOfOneName) {
  auto drive = std::make_shared<FakeDrive>();
  auto backend = fake_backend(drive);
  drive->files["a1"] = FakeFile{"a1", "dup", "old", 1};
  drive->files["a2"] = FakeFile{"a2", "dup", "newest", 3};
  drive->files["a3"] = FakeFile{"a3", "dup", "middle", 2};
  drive->next = 10;
  std::vector<ObjectInfo> seen;
  ASSERT_TRUE(backend->list("", [&](const ObjectInfo& info) -> util::Result<void> {
    seen.push_back(info);
    return {};
  }));
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen[0].size, 6U);
  auto read = testing::conformance::get(*backend, "dup");
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, "newest");
  ASSERT_TRUE(backend->remove("dup"));
  EXPECT_TRUE(drive->files.empty());
}

TEST(GdriveUpload, ASessionOnAnotherHostIsRefused) {
  auto drive = std::make_shared<FakeDrive>();
  drive->session_host = "https://attacker.example";
  auto backend = fake_backend(drive);
  const auto put = testing::conformance::put(*backend, "k", "data");
  ASSERT_FALSE(put);
  EXPECT_NE(put.error().message().find("another host"), std::string::npos) << put.error().message();
  EXPECT_EQ(fake_count(drive->requests, "PUT"), 0U);
}

TEST(GdriveBackend, PreflightReadsTheFolderOnly) {
  auto drive = std::make_shared<FakeDrive>();
  auto backend = fake_backend(drive);
  ASSERT_TRUE(backend->preflight(ListAccess::needed));
  EXPECT_EQ(drive->requests, (std::vector<std::string>{"POST /token", "GET /drive/v3/files/folder1"}));
}

}  // namespace
}  // namespace volback::storage::gdrive
