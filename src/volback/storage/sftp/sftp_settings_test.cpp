#include <volback/storage/sftp/sftp_settings.hpp>

#include <gtest/gtest.h>

namespace volback::storage::sftp {
namespace {

util::Result<std::optional<SftpSettings>> parse(std::map<std::string, std::string, std::less<>> env) {
  const util::MapSource source(std::move(env), "environment");
  const util::Settings settings({&source});
  return parse_sftp_settings(settings);
}

TEST(SftpSettings, OffWithoutTheHost) {
  auto parsed = parse({{"SSH_USER", "me"}});
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->has_value());
}

TEST(SftpSettings, OffensDefaults) {
  auto parsed = parse({{"SSH_HOST_NAME", "storage.example.com"}, {"SSH_USER", "u1"}, {"SSH_REMOTE_PATH", "/backups/"}});
  ASSERT_TRUE(parsed) << parsed.error().message();
  ASSERT_TRUE(parsed->has_value());
  const auto& s = **parsed;
  EXPECT_EQ(s.port, 22u);
  EXPECT_EQ(s.identity_file, "/root/.ssh/id_rsa");
  EXPECT_EQ(s.remote_path, "/backups");
  EXPECT_TRUE(s.password.empty());
  EXPECT_FALSE(s.known_hosts_file);
  EXPECT_EQ(s.upload_connections, 0u);  // planned
}

TEST(SftpSettings, UploadConnectionsFromOneToEight) {
  auto three = parse({{"SSH_HOST_NAME", "h"}, {"SSH_USER", "u"}, {"SSH_UPLOAD_CONNECTIONS", "3"}});
  ASSERT_TRUE(three) << three.error().message();
  EXPECT_EQ((*three)->upload_connections, 3u);
  EXPECT_FALSE(parse({{"SSH_HOST_NAME", "h"}, {"SSH_USER", "u"}, {"SSH_UPLOAD_CONNECTIONS", "0"}}));
  EXPECT_FALSE(parse({{"SSH_HOST_NAME", "h"}, {"SSH_USER", "u"}, {"SSH_UPLOAD_CONNECTIONS", "9"}}));
}

TEST(SftpSettings, RefusesBadValues) {
  EXPECT_FALSE(parse({{"SSH_HOST_NAME", "h"}}));
  EXPECT_FALSE(parse({{"SSH_HOST_NAME", "h"}, {"SSH_USER", "u"}, {"SSH_PORT", "0"}}));
  EXPECT_FALSE(parse({{"SSH_HOST_NAME", "u@h"}, {"SSH_USER", "u"}}));
  EXPECT_FALSE(parse({{"SSH_HOST_NAME", "h"}, {"SSH_USER", "u"}, {"SSH_KNOWN_HOSTS_FILE", "/nonexistent/known"}}));
  auto secret = parse({{"SSH_HOST_NAME", "h"}, {"SSH_USER", "u"}, {"SSH_PORT", "x"}, {"SSH_PASSWORD", "hunter2"}});
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().message().find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace volback::storage::sftp
