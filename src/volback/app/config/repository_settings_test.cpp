#include <volback/app/config/repository_settings.hpp>

#include <gtest/gtest.h>

namespace volback::app {
namespace {

using Map = std::map<std::string, std::string, std::less<>>;

TEST(RepositoryLocationTest, ReadsResticsSyntax) {
  struct Case {
    std::string location;
    std::string backend;
    Map implied;
  };
  const Case cases[] = {
    {"/srv/restic", "Local", {}},
    {"local:/srv/restic", "Local", {}},
    {"s3:https://fsn1.example.com/bucket/hosts/vps",
     "S3",
     {{"AWS_ENDPOINT", "https://fsn1.example.com"}, {"AWS_S3_BUCKET_NAME", "bucket"}, {"AWS_S3_PATH", "hosts/vps"}}},
    {"s3:127.0.0.1:8080/bucket",
     "S3",
     {{"AWS_ENDPOINT", "127.0.0.1:8080"}, {"AWS_S3_BUCKET_NAME", "bucket"}, {"AWS_S3_PATH", ""}}},
    {"s3:http://127.0.0.1:8080/b/p/",
     "S3",
     {{"AWS_ENDPOINT", "http://127.0.0.1:8080"}, {"AWS_S3_BUCKET_NAME", "b"}, {"AWS_S3_PATH", "p"}}},
    {"sftp:backup@host.example:/srv/repo",
     "SFTP",
     {{"SSH_HOST_NAME", "host.example"}, {"SSH_REMOTE_PATH", "/srv/repo"}, {"SSH_USER", "backup"}}},
    {"sftp://backup@host.example:2222//srv/repo",
     "SFTP",
     {{"SSH_HOST_NAME", "host.example"},
      {"SSH_PORT", "2222"},
      {"SSH_REMOTE_PATH", "/srv/repo"},
      {"SSH_USER", "backup"}}},
    {"azure:backups:/vps/restic",
     "Azure",
     {{"AZURE_STORAGE_CONTAINER_NAME", "backups"}, {"AZURE_STORAGE_PATH", "vps/restic"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.location);
    const auto parsed = parse_repository_location(c.location);
    ASSERT_TRUE(parsed) << parsed.error().message();
    EXPECT_EQ(parsed->backend, c.backend);
    EXPECT_EQ(parsed->implied, c.implied);
  }
}

TEST(RepositoryLocationTest, RefusesWhatItCannotServe) {
  for (const std::string location :
       {"relative/path", "local:relative", "s3:", "s3:host", "s3:https://host/", "sftp:host",
        "sftp:host:", "azure:", "azure:container", "rest:http://host/", "b2:bucket:path", "rclone:remote:path"}) {
    SCOPED_TRACE(location);
    const auto parsed = parse_repository_location(location);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().kind(), util::ErrorKind::invalid_argument);
    EXPECT_NE(parsed.error().message().find("RESTIC_REPOSITORY"), std::string::npos);
  }
}

struct Fixture {
  explicit Fixture(Map env) : source(std::move(env), "environment"), settings({&source}) {}
  util::MapSource source;
  util::Settings settings;
};

TEST(RepositorySettingsTest, IsOffWithoutARepository) {
  const Fixture f(Map{{"RESTIC_PASSWORD", "x"}});
  const auto parsed = parse_repository_settings(f.settings);
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->has_value());
}

TEST(RepositorySettingsTest, NeedsAPassword) {
  const Fixture f(Map{{"RESTIC_REPOSITORY", "/srv/restic"}});
  const auto parsed = parse_repository_settings(f.settings);
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message().find("RESTIC_PASSWORD"), std::string::npos);
}

TEST(RepositorySettingsTest, MakesALocalBackendForAPath) {
  const Fixture f(Map{{"RESTIC_REPOSITORY", "/srv/restic"}, {"RESTIC_PASSWORD", "secret"}});
  const auto parsed = parse_repository_settings(f.settings);
  ASSERT_TRUE(parsed && parsed->has_value());
  EXPECT_EQ((*parsed)->password, "secret");
  EXPECT_EQ((*parsed)->storage->name(), "Local");
  EXPECT_EQ((*parsed)->storage->local_directory(), "/srv/restic");
}

TEST(RepositorySettingsTest, TakesTheS3CredentialsOfTheArchiveBackend) {
  const Fixture f(Map{{"RESTIC_REPOSITORY", "s3:http://127.0.0.1:8080/repo/vps"},
                      {"RESTIC_PASSWORD", "secret"},
                      {"AWS_ACCESS_KEY_ID", "id"},
                      {"AWS_SECRET_ACCESS_KEY", "key"},
                      {"AWS_S3_BUCKET_NAME", "archives"}});
  const auto parsed = parse_repository_settings(f.settings);
  ASSERT_TRUE(parsed && parsed->has_value()) << (parsed ? "" : parsed.error().message());
  EXPECT_EQ((*parsed)->storage->name(), "S3");
  const auto where = (*parsed)->storage->describe();
  EXPECT_NE(where.find("repo"), std::string::npos) << where;
  EXPECT_EQ(where.find("archives"), std::string::npos) << where;
}

TEST(RepositorySettingsTest, ReportsTheBackendsOwnErrors) {
  const Fixture f(Map{{"RESTIC_REPOSITORY", "s3:127.0.0.1/repo"}, {"RESTIC_PASSWORD", "secret"}});
  const auto parsed = parse_repository_settings(f.settings);
  ASSERT_FALSE(parsed);  // no S3 credentials
  EXPECT_EQ(parsed.error().kind(), util::ErrorKind::invalid_argument);
}

}  // namespace
}  // namespace volback::app
