#include <volback/storage/dropbox/dropbox_client.hpp>

#include <chrono>
#include <deque>
#include <vector>

#include <gtest/gtest.h>

namespace volback::storage::dropbox {
namespace {

// Answers the requests in order from a script and records them.
class DropboxScriptedTransport final : public http::Transport {
 public:
  void answer(long status, std::string body, std::vector<http::Header> headers = {}) {
    m_answers.push_back(http::Response{status, std::move(headers), std::move(body)});
  }

  util::Result<http::Response> send(const http::Request& request, const http::ResponseSink* = nullptr) override {
    http::Request copy = request;
    if (request.body_source) {
      std::string body(request.body_source->size, '\0');
      auto read = request.body_source->read(std::as_writable_bytes(std::span<char>(body)));
      body.resize(read ? *read : 0);
      copy.body = body;
    }
    requests.push_back(std::move(copy));
    if (m_answers.empty()) {
      return util::fail(util::ErrorKind::permanent, "the script has no answer left");
    }
    auto response = m_answers.front();
    m_answers.pop_front();
    return response;
  }

  std::vector<http::Request> requests;

 private:
  std::deque<http::Response> m_answers;
};

std::string header_of(const http::Request& request, std::string_view name) {
  for (const auto& header : request.headers) {
    if (header.name == name) {
      return header.value;
    }
  }
  return {};
}

constexpr const char* k_token_reply = R"({"access_token":"sl.first","token_type":"bearer","expires_in":14400})";

class DropboxClientTest : public ::testing::Test {
 protected:
  DropboxClientTest() {
    settings.refresh_token = "refresh-secret";
    settings.app_key = "app-key";
    settings.app_secret = "app-secret";
    settings.folder = "/backups";
    settings.api_base = "https://api.example/";
    settings.content_base = "https://content.example/";
    settings.token_url = "https://auth.example/oauth2/token";
    settings.retry.max_attempts = 3;
    settings.retry.base_delay = std::chrono::milliseconds(1);
    settings.retry.max_delay = std::chrono::milliseconds(2);
  }

  util::Result<http::Response> rpc(std::string route) {
    DropboxCall call;
    call.route = std::move(route);
    call.arg = R"({"path":"/backups/x"})";
    return client.call(transport, call, "test call");
  }

  DropboxSettings settings;
  util::CancelToken cancel;
  util::CapturingLogger log;
  DropboxClient client{settings, cancel, log};
  DropboxScriptedTransport transport;
};

TEST_F(DropboxClientTest, TheFirstCallFetchesATokenWithTheRefreshGrant) {
  transport.answer(200, k_token_reply);
  transport.answer(200, "{}");
  ASSERT_TRUE(rpc("files/get_metadata"));
  ASSERT_EQ(transport.requests.size(), 2U);
  const auto& token = transport.requests[0];
  EXPECT_EQ(token.method, "POST");
  EXPECT_EQ(token.url, "https://auth.example/oauth2/token");
  EXPECT_EQ(header_of(token, "Authorization"), "Basic YXBwLWtleTphcHAtc2VjcmV0");  // app-key:app-secret
  EXPECT_EQ(token.body, "grant_type=refresh_token&refresh_token=refresh-secret");
  const auto& call = transport.requests[1];
  EXPECT_EQ(call.url, "https://api.example/2/files/get_metadata");
  EXPECT_EQ(header_of(call, "Authorization"), "Bearer sl.first");
  EXPECT_EQ(header_of(call, "Content-Type"), "application/json");
  EXPECT_EQ(call.body, R"({"path":"/backups/x"})");
  // The token is kept for the next call.
  transport.answer(200, "{}");
  ASSERT_TRUE(rpc("files/get_metadata"));
  EXPECT_EQ(transport.requests.size(), 3U);
}

TEST_F(DropboxClientTest, AnExpiredTokenIsRefreshedAndTheCallRetried) {
  transport.answer(200, k_token_reply);
  transport.answer(401, R"({"error_summary":"expired_access_token/..","error":{".tag":"expired_access_token"}})");
  transport.answer(200, R"({"access_token":"sl.second","expires_in":14400})");
  transport.answer(200, "{}");
  ASSERT_TRUE(rpc("files/list_folder"));
  ASSERT_EQ(transport.requests.size(), 4U);
  EXPECT_EQ(transport.requests[2].url, "https://auth.example/oauth2/token");
  EXPECT_EQ(header_of(transport.requests[3], "Authorization"), "Bearer sl.second");
}

TEST_F(DropboxClientTest, ErrorKindsFollowTheStatusAndTheSummary) {
  transport.answer(200, k_token_reply);
  transport.answer(409, R"({"error_summary":"path/not_found/...","error":{".tag":"path"}})");
  auto missing = rpc("files/get_metadata");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind(), util::ErrorKind::not_found);
  EXPECT_EQ(missing.error().message(), "Dropbox test call: HTTP 409 path/not_found/...");
  transport.answer(409, R"({"error_summary":"path/conflict/file/..","error":{".tag":"path"}})");
  EXPECT_EQ(rpc("files/create_folder_v2").error().kind(), util::ErrorKind::permanent);
  transport.answer(401, R"({"error_summary":"invalid_access_token/..","error":{".tag":"invalid_access_token"}})");
  EXPECT_EQ(rpc("files/get_metadata").error().kind(), util::ErrorKind::auth);
  transport.answer(400, "Error in call to API function \"files/get_metadata\": bad path");
  auto bad = rpc("files/get_metadata");
  EXPECT_EQ(bad.error().kind(), util::ErrorKind::permanent);
  EXPECT_NE(bad.error().message().find("bad path"), std::string::npos);
}

TEST_F(DropboxClientTest, ARefusedRefreshIsAnAuthErrorWithoutSecrets) {
  transport.answer(400, R"({"error":"invalid_grant","error_description":"refresh token is invalid"})");
  auto refused = rpc("files/get_metadata");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind(), util::ErrorKind::auth);
  EXPECT_NE(refused.error().message().find("invalid_grant"), std::string::npos);
  EXPECT_EQ(refused.error().message().find("refresh-secret"), std::string::npos);
  EXPECT_EQ(refused.error().message().find("app-secret"), std::string::npos);
  EXPECT_EQ(transport.requests.size(), 1U);  // not retried
}

TEST_F(DropboxClientTest, TransientAnswersAreRetriedAndRetryAfterIsWaitedFor) {
  transport.answer(200, k_token_reply);
  transport.answer(503, "busy");
  transport.answer(429, R"({"error_summary":"too_many_requests/..","error":{"reason":{".tag":"too_many_requests"}}})",
                   {{"retry-after", "1"}});
  transport.answer(200, "{}");
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(rpc("files/list_folder"));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
  EXPECT_EQ(transport.requests.size(), 4U);
  EXPECT_TRUE(log.contains("Retrying Dropbox request"));
}

TEST_F(DropboxClientTest, ContentCallsCarryTheArgumentHeaderAndTheBytes) {
  transport.answer(200, k_token_reply);
  transport.answer(200, "null");
  const std::string bytes = "chunk of data";
  DropboxCall append;
  append.host = DropboxCall::Host::content;
  append.route = "files/upload_session/append_v2";
  append.arg = R"({"cursor":{"session_id":"s","offset":0},"close":false})";
  append.upload = std::as_bytes(std::span<const char>(bytes));
  ASSERT_TRUE(client.call(transport, append, "append"));
  const auto& sent = transport.requests[1];
  EXPECT_EQ(sent.url, "https://content.example/2/files/upload_session/append_v2");
  EXPECT_EQ(header_of(sent, "Dropbox-API-Arg"), append.arg);
  EXPECT_EQ(header_of(sent, "Content-Type"), "application/octet-stream");
  EXPECT_EQ(sent.body, bytes);

  transport.answer(206, "abc");
  DropboxCall download;
  download.host = DropboxCall::Host::content;
  download.route = "files/download";
  download.arg = R"({"path":"/backups/x"})";
  download.range = std::make_pair(std::uint64_t{10}, std::uint64_t{12});
  auto got = client.call(transport, download, "download");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->body, "abc");
  EXPECT_EQ(header_of(transport.requests[2], "Range"), "bytes=10-12");
}

TEST_F(DropboxClientTest, AnAppendWhoseAnswerWasLostCountsAsDone) {
  transport.answer(200, k_token_reply);
  transport.answer(
    409, R"({"error_summary":"incorrect_offset/..","error":{".tag":"incorrect_offset","correct_offset":8388608}})");
  DropboxCall append;
  append.host = DropboxCall::Host::content;
  append.route = "files/upload_session/append_v2";
  append.done_at_offset = 8388608;
  EXPECT_TRUE(client.call(transport, append, "append"));
  // Another correct offset is a real error.
  transport.answer(409,
                   R"({"error_summary":"incorrect_offset/..","error":{".tag":"incorrect_offset","correct_offset":4}})");
  EXPECT_FALSE(client.call(transport, append, "append"));
}

TEST_F(DropboxClientTest, PathsJoinTheFolderAndTheKey) {
  EXPECT_EQ(client.path_of("backup.tar.gz"), "/backups/backup.tar.gz");
  EXPECT_EQ(client.path_of("a/b"), "/backups/a/b");
  EXPECT_EQ(client.path_of(""), "/backups");
}

}  // namespace
}  // namespace volback::storage::dropbox
