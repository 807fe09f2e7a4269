#include <volback/storage/dropbox/dropbox_json.hpp>

#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace volback::storage::dropbox {
namespace {

TEST(DropboxJson, TokenReply) {
  auto reply = parse_token_reply(R"({"access_token":"sl.abc","token_type":"bearer","expires_in":14400})");
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_EQ(reply->access_token, "sl.abc");
  EXPECT_EQ(reply->expires_in, 14400);
  auto without_expiry = parse_token_reply(R"({"access_token":"sl.abc"})");
  ASSERT_TRUE(without_expiry);
  EXPECT_FALSE(without_expiry->expires_in);
}

TEST(DropboxJson, HostileTokenRepliesAreClearErrors) {
  for (const std::string& body :
       std::vector<std::string>{"", "null", "[]", "not json", R"({"access_token":5})", R"({"expires_in":10})",
                                R"({"access_token":""})", R"({"access_token":"t","expires_in":"soon"})",
                                R"({"access_token":"t","expires_in":-1})", std::string(40, '[')}) {
    auto reply = parse_token_reply(body);
    ASSERT_FALSE(reply) << body;
    EXPECT_EQ(reply.error().kind(), util::ErrorKind::permanent);
    EXPECT_TRUE(reply.error().message().starts_with("Dropbox token reply: ")) << reply.error().message();
  }
  auto huge = parse_token_reply(std::string(k_max_reply_bytes + 1, ' '));
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().message().find("too large"), std::string::npos);
}

TEST(DropboxJson, ErrorReplies) {
  const auto not_found =
    parse_error_reply(R"({"error_summary":"path/not_found/..","error":{".tag":"path","path":{".tag":"not_found"}}})");
  EXPECT_EQ(not_found.summary, "path/not_found/..");
  EXPECT_EQ(not_found.tag, "path");
  const auto offset = parse_error_reply(
    R"({"error_summary":"incorrect_offset/..","error":{".tag":"incorrect_offset","correct_offset":8388608}})");
  EXPECT_EQ(offset.correct_offset, 8388608U);
  const auto nested = parse_error_reply(
    R"({"error_summary":"lookup_failed/incorrect_offset/..","error":{".tag":"lookup_failed","lookup_failed":{".tag":"incorrect_offset","correct_offset":4}}})");
  EXPECT_EQ(nested.correct_offset, 4U);
  const auto limited = parse_error_reply(
    R"({"error_summary":"too_many_requests/..","error":{"reason":{".tag":"too_many_requests"},"retry_after":3}})");
  EXPECT_EQ(limited.retry_after, 3);
  const auto expired =
    parse_error_reply(R"({"error_summary":"expired_access_token/..","error":{".tag":"expired_access_token"}})");
  EXPECT_EQ(expired.tag, "expired_access_token");
  const auto oauth = parse_error_reply(R"({"error":"invalid_grant","error_description":"refresh token is invalid"})");
  EXPECT_EQ(oauth.tag, "invalid_grant");
  EXPECT_EQ(oauth.summary, "invalid_grant: refresh token is invalid");
  EXPECT_EQ(parse_error_reply("Error in call to API function \"files/x\": bad\nmore").summary,
            "Error in call to API function \"files/x\": bad");
  EXPECT_EQ(parse_error_reply(std::string(1000, 'x')).summary.size(), 200U);
  const auto wrong_types = parse_error_reply(R"({"error_summary":7,"error":{".tag":[],"correct_offset":"9"}})");
  EXPECT_EQ(wrong_types.summary, "");
  EXPECT_FALSE(wrong_types.correct_offset);
}

TEST(DropboxJson, FileAndFolderMetadata) {
  auto file = parse_metadata(
    R"({".tag":"file","name":"backup.tar.gz","path_display":"/Backups/backup.tar.gz","id":"id:1",)"
    R"("client_modified":"2026-01-02T03:04:05Z","server_modified":"2026-01-02T03:04:06Z","size":1234,"rev":"a1"})");
  ASSERT_TRUE(file) << file.error().message();
  EXPECT_EQ(file->kind, Metadata::Kind::file);
  EXPECT_EQ(file->path_display, "/Backups/backup.tar.gz");
  EXPECT_EQ(file->size, 1234U);
  auto folder = parse_metadata(R"({".tag":"folder","name":"Backups","path_display":"/Backups","id":"id:2"})");
  ASSERT_TRUE(folder);
  EXPECT_EQ(folder->kind, Metadata::Kind::folder);
}

TEST(DropboxJson, HostileMetadataIsAClearError) {
  for (const std::string& body : std::vector<std::string>{
         R"({".tag":"file","name":"a","path_display":"/a","server_modified":"2026-01-02T03:04:06Z"})",
         R"({".tag":"file","name":"a","path_display":"/a","size":-1,"server_modified":"2026-01-02T03:04:06Z"})",
         R"({".tag":"file","name":"a","path_display":"/a","size":"1","server_modified":"2026-01-02T03:04:06Z"})",
         R"({".tag":"file","name":"a","path_display":"/a","size":1,"server_modified":"yesterday"})",
         R"({".tag":"file","name":"a","size":1,"server_modified":"2026-01-02T03:04:06Z"})",
         R"({".tag":"symlink","name":"a","path_display":"/a"})",
         R"({"name":"a"})",
       }) {
    auto parsed = parse_metadata(body);
    ASSERT_FALSE(parsed) << body;
    EXPECT_EQ(parsed.error().kind(), util::ErrorKind::permanent);
    EXPECT_TRUE(parsed.error().message().starts_with("Dropbox metadata reply: ")) << parsed.error().message();
  }
}

TEST(DropboxJson, FolderPages) {
  auto page = parse_folder_page(
    R"({"entries":[{".tag":"folder","name":"d","path_display":"/b/d"},)"
    R"({".tag":"file","name":"x","path_display":"/b/x","size":3,"server_modified":"2026-01-02T03:04:06Z"}],)"
    R"("cursor":"c1","has_more":true})");
  ASSERT_TRUE(page) << page.error().message();
  ASSERT_EQ(page->entries.size(), 2U);
  EXPECT_TRUE(page->has_more);
  EXPECT_EQ(page->cursor, "c1");
  for (const std::string& body : std::vector<std::string>{
         R"({"entries":{},"has_more":false})", R"({"entries":[],"has_more":"no"})", R"({"entries":[],"has_more":true})",
         R"({"entries":[1],"has_more":false})", R"({"has_more":false})"}) {
    auto bad = parse_folder_page(body);
    ASSERT_FALSE(bad) << body;
    EXPECT_TRUE(bad.error().message().starts_with("Dropbox list_folder reply: ")) << bad.error().message();
  }
  std::string many = R"({"has_more":false,"entries":[)";
  for (std::size_t i = 0; i <= k_max_page_entries; ++i) {
    many += i == 0 ? "{}" : ",{}";
  }
  many += "]}";
  auto too_many = parse_folder_page(many);
  ASSERT_FALSE(too_many);
  EXPECT_NE(too_many.error().message().find("too large"), std::string::npos);
}

TEST(DropboxJson, SessionId) {
  auto id = parse_session_id(R"({"session_id":"1234faaf0678bcde"})");
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, "1234faaf0678bcde");
  EXPECT_FALSE(parse_session_id(R"({"session_id":null})"));
}

TEST(DropboxJson, ArgumentsAreAsciiJson) {
  const std::string arg = path_arg("/Backups/café.tar");
  EXPECT_EQ(arg, R"({"path":"/Backups/caf\u00e9.tar"})");
  const auto finish = nlohmann::json::parse(finish_arg("s1", 42, "/b/x"));
  EXPECT_EQ(finish["cursor"]["session_id"], "s1");
  EXPECT_EQ(finish["cursor"]["offset"], 42);
  EXPECT_EQ(finish["commit"]["path"], "/b/x");
  EXPECT_EQ(finish["commit"]["mode"][".tag"], "overwrite");
  const auto start = nlohmann::json::parse(session_start_arg(true));
  EXPECT_EQ(start["session_type"][".tag"], "concurrent");
  EXPECT_EQ(start["close"], false);
  const auto append = nlohmann::json::parse(append_arg("s1", 4194304, true));
  EXPECT_EQ(append["cursor"]["offset"], 4194304);
  EXPECT_EQ(append["close"], true);
}

}  // namespace
}  // namespace volback::storage::dropbox
