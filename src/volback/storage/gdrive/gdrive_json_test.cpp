#include <volback/storage/gdrive/gdrive_json.hpp>

#include <gtest/gtest.h>

#include <volback/storage/gdrive/gdrive_upload.hpp>

namespace volback::storage::gdrive {
namespace {

constexpr std::string_view k_listing = R"({
  "nextPageToken": "tok2",
  "files": [
    {"id": "f1", "name": "backup-1.tar.gz", "size": "1234", "createdTime": "2026-01-02T03:04:05.123Z",
     "modifiedTime": "2026-01-02T03:04:06Z"},
    {"id": "f2", "name": "empty", "createdTime": "2026-01-02T03:04:05Z", "modifiedTime": "2026-01-02T03:04:05Z"}
  ]})";

TEST(GdriveJson, ParsesAPageOfFiles) {
  auto page = parse_file_page(k_listing);
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(page->next_page_token, "tok2");
  ASSERT_EQ(page->files.size(), 2U);
  EXPECT_EQ(page->files[0].id, "f1");
  EXPECT_EQ(page->files[0].name, "backup-1.tar.gz");
  EXPECT_EQ(page->files[0].size, 1234U);
  EXPECT_LT(page->files[0].created, page->files[0].modified);
  EXPECT_EQ(page->files[1].size, 0U);
  auto last = parse_file_page(R"({"files": []})");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->next_page_token, "");
}

TEST(GdriveJson, RefusesHostileListings) {
  const std::vector<std::string> bad{
    "",
    "null",
    "[]",
    R"({"files": {}})",
    R"({"files": [1]})",
    R"({"files": [{"id": 5, "name": "a", "createdTime": "2026-01-02T03:04:05Z", "modifiedTime": "2026-01-02T03:04:05Z"}]})",
    R"({"files": [{"id": "x", "createdTime": "2026-01-02T03:04:05Z", "modifiedTime": "2026-01-02T03:04:05Z"}]})",
    R"({"files": [{"id": "x", "name": "a", "size": "-1", "createdTime": "2026-01-02T03:04:05Z", "modifiedTime": "2026-01-02T03:04:05Z"}]})",
    R"({"files": [{"id": "x", "name": "a", "size": "99999999999999999999", "createdTime": "2026-01-02T03:04:05Z", "modifiedTime": "2026-01-02T03:04:05Z"}]})",
    R"({"files": [{"id": "x", "name": "a", "size": 1.5, "createdTime": "2026-01-02T03:04:05Z", "modifiedTime": "2026-01-02T03:04:05Z"}]})",
    R"({"files": [{"id": "x", "name": "a", "createdTime": "yesterday", "modifiedTime": "2026-01-02T03:04:05Z"}]})",
    R"({"files": [], "nextPageToken": 7})",
    R"({"files": [], "nextPageToken": ")" + std::string(k_max_field_bytes + 1, 'a') + "\"}",
  };
  for (const auto& text : bad) {
    auto page = parse_file_page(text);
    ASSERT_FALSE(page) << text.substr(0, 200);
    EXPECT_EQ(page.error().kind(), util::ErrorKind::corrupt);
  }
}

TEST(GdriveJson, RefusesTooManyFilesOnAPage) {
  std::string text = R"({"files": [)";
  for (std::size_t i = 0; i <= k_max_page_files; ++i) {
    text += (i ? "," : "") +
            std::string(
              R"({"id":"i","name":"n","createdTime":"2026-01-02T03:04:05Z","modifiedTime":"2026-01-02T03:04:05Z"})");
  }
  text += "]}";
  EXPECT_FALSE(parse_file_page(text));
}

TEST(GdriveJson, ParsesAccessTokens) {
  auto token = parse_access_token(R"({"access_token":"ya29.abc","token_type":"Bearer","expires_in":3599})");
  ASSERT_TRUE(token) << token.error().message();
  EXPECT_EQ(token->value, "ya29.abc");
  EXPECT_EQ(token->expires_in, 3599);
  EXPECT_EQ(parse_access_token(R"({"access_token":"t"})")->expires_in, 3600);
  EXPECT_FALSE(parse_access_token(R"({"access_token":"t","token_type":"MAC"})"));
  EXPECT_FALSE(parse_access_token(R"({"access_token":"a b"})"));
  EXPECT_FALSE(parse_access_token(R"({"access_token":"t\r\nX-Evil: 1"})"));
  EXPECT_FALSE(parse_access_token(R"({"access_token":"t","expires_in":"soon"})"));
  EXPECT_FALSE(parse_access_token(R"({"access_token":"t","expires_in":-5})"));
  EXPECT_FALSE(parse_access_token(R"({"token_type":"Bearer"})"));
}

TEST(GdriveJson, ReadsBothErrorShapes) {
  auto drive = parse_error_detail(
    R"({"error":{"code":403,"message":"Rate limit\nexceeded","errors":[{"reason":"rateLimitExceeded","domain":"usageLimits"}]}})");
  EXPECT_EQ(drive.reason, "rateLimitExceeded");
  EXPECT_EQ(drive.message, "Rate limit");
  auto token = parse_error_detail(R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})");
  EXPECT_EQ(token.reason, "invalid_grant");
  EXPECT_EQ(token.message, "Invalid JWT Signature.");
  EXPECT_EQ(parse_error_detail("<html>").reason, "");
  EXPECT_EQ(parse_error_detail(R"({"error":{"errors":[5]}})").reason, "");
  EXPECT_EQ(parse_error_detail(R"({"error":{"message":"\u001b[31mred"}})").message.find('\x1b'), std::string::npos);
}

TEST(GdriveJson, ResumeOffsetFromARange) {
  http::Response response;
  response.status = 308;
  EXPECT_EQ(resume_offset(response), 0U);
  response.headers = {{"range", "bytes=0-262143"}};
  EXPECT_EQ(resume_offset(response), 262144U);
  response.headers = {{"range", "bytes=5-9"}};
  EXPECT_FALSE(resume_offset(response));
  response.headers = {{"range", "bytes=0-x"}};
  EXPECT_FALSE(resume_offset(response));
}

}  // namespace
}  // namespace volback::storage::gdrive
