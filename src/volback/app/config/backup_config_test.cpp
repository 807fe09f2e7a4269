#include <volback/app/config/backup_config.hpp>

#include <filesystem>

#include <gtest/gtest.h>

#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

namespace fsys = std::filesystem;

class BackupConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_root = m_temp.path();
    fsys::create_directories(m_root / "backup");
    fsys::create_directories(m_root / "archive");
  }

  util::Result<BackupConfig> load(std::map<std::string, std::string, std::less<>> vars,
                                  util::Result<BackupConfig> (*loader)(const util::Settings&) = load_backup_config) {
    vars.try_emplace("BACKUP_SOURCES", (m_root / "backup").string());
    vars.try_emplace("BACKUP_ARCHIVE", (m_root / "archive").string());
    const util::MapSource env(std::move(vars), "environment");
    const util::Settings settings({&env});
    return loader(settings);
  }

  volback::testing::TempDir m_temp{"volback-config"};
  fsys::path m_root;
};

TEST_F(BackupConfigTest, DefaultsAreOffens) {
  auto config = load({});
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_EQ(config->compression.codec, compress::Codec::gzip);
  EXPECT_EQ(config->run.filename_template, "backup-%Y-%m-%dT%H-%M-%S.{{ .Extension }}");
  EXPECT_EQ(config->run.lock_file, "/var/lock/dockervolumebackup.lock");
  EXPECT_EQ(config->run.lock_timeout, std::chrono::minutes(60));
  EXPECT_FALSE(config->retention.enabled());
  ASSERT_TRUE(config->local_archive_directory());
}

TEST_F(BackupConfigTest, ErrorsNameTheVariable) {
  const std::pair<const char*, const char*> cases[] = {
    {"BACKUP_COMPRESSION", "bz2"},
    {"BACKUP_EXCLUDE_REGEXP", "("},
    {"BACKUP_RETENTION_DAYS", "x"},
    {"LOCK_TIMEOUT", "1d"},
    {"TZ", "Mars/Olympus"},
    {"BACKUP_FILENAME", "x-{{ .Y }}"},
    {"BACKUP_SOURCES", "/nonexistent-volback"},
    {"GZIP_PARALLELISM", "-1"},
  };
  for (const auto& [name, value] : cases) {
    auto config = load({{name, value}});
    ASSERT_FALSE(config) << name;
    EXPECT_EQ(config.error().kind(), util::ErrorKind::invalid_argument) << name;
    EXPECT_NE(config.error().message().find(name), std::string::npos) << config.error().message();
  }
}

TEST_F(BackupConfigTest, AFileNameThatCanExceedNameMaxIsRefused) {
  const auto too_long = load({{"BACKUP_FILENAME", std::string(300, 'a') + ".{{ .Extension }}"}});
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(too_long.error().message().find("BACKUP_FILENAME"), std::string::npos);
  EXPECT_NE(too_long.error().message().find("more than the 255 bytes"), std::string::npos)
    << too_long.error().message();

  // 240 + "-" + "%A" (9 at its longest, "Wednesday") + ".tar.gz" = 257: fine on a Monday, refused now.
  const std::string weekday = std::string(240, 'a') + "-%A.{{ .Extension }}";
  const auto by_date = load({{"BACKUP_FILENAME", weekday}});
  ASSERT_FALSE(by_date);
  EXPECT_NE(by_date.error().message().find("can be 257 bytes long"), std::string::npos) << by_date.error().message();
  EXPECT_TRUE(load({{"BACKUP_FILENAME", weekday}, {"BACKUP_COMPRESSION", "none"}}));  // ".tar": 254

  // The extension counts: 248 + ".tar.zst" = 256, 248 + ".tar.gz" = 255.
  const std::string name = std::string(248, 'b') + ".{{ .Extension }}";
  EXPECT_TRUE(load({{"BACKUP_FILENAME", name}}));
  EXPECT_FALSE(load({{"BACKUP_FILENAME", name}, {"BACKUP_COMPRESSION", "zst"}}));
}

TEST_F(BackupConfigTest, NoBackendIsValidForABackupButNotForReadingBackups) {
  auto config = load({{"BACKUP_ARCHIVE", "/nonexistent-volback-archive"}});
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_TRUE(config->backends.empty());
  auto stored = load({{"BACKUP_ARCHIVE", "/nonexistent-volback-archive"}}, load_storage_config);
  ASSERT_FALSE(stored);
  EXPECT_NE(stored.error().message().find("no storage backend"), std::string::npos);
}

TEST_F(BackupConfigTest, OffensLastBackendVariablesAreNoLongerRefused) {
  // The refusal itself is tested on a table of its own (offen_variables_test.cpp).
  auto config =
    load({{"GOOGLE_DRIVE_FOLDER_ID", "folder"}, {"DROPBOX_REMOTE_PATH", "/b"}, {"BACKUP_COMPRESSION", "bz2"}});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message().find("not supported by volback yet"), std::string::npos)
    << config.error().message();
  EXPECT_NE(config.error().message().find("BACKUP_COMPRESSION"), std::string::npos) << config.error().message();
}

TEST_F(BackupConfigTest, BackupFromSnapshotIsABoolean) {
  auto off = load({});
  ASSERT_TRUE(off) << off.error().message();
  EXPECT_FALSE(off->run.from_snapshot);
  auto on = load({{"BACKUP_FROM_SNAPSHOT", "true"}});
  ASSERT_TRUE(on) << on.error().message();
  EXPECT_TRUE(on->run.from_snapshot);
  auto bad = load({{"BACKUP_FROM_SNAPSHOT", "maybe"}});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("BACKUP_FROM_SNAPSHOT"), std::string::npos) << bad.error().message();
}

TEST_F(BackupConfigTest, EncryptionFollowsCompressionInTheNameAndType) {
  auto gpg = load({{"GPG_PASSPHRASE", "secret"}});
  ASSERT_TRUE(gpg) << gpg.error().message();
  EXPECT_EQ(gpg->stream().extension(), "tar.gz");
  EXPECT_EQ(gpg->stream().name_suffix(), ".gpg");
  EXPECT_EQ(gpg->stream().content_type(), "application/pgp-encrypted");
  auto age = load({{"AGE_PASSPHRASE", "secret"}, {"BACKUP_COMPRESSION", "zst"}});
  ASSERT_TRUE(age) << age.error().message();
  EXPECT_EQ(age->stream().extension(), "tar.zst");
  EXPECT_EQ(age->stream().name_suffix(), ".age");
  auto plain = load({{"AGE_PASSPHRASE", "secret"}, {"BACKUP_COMPRESSION", "none"}});
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->stream().extension(), "tar");
  EXPECT_EQ(plain->stream().name_suffix(), ".age");
}

TEST_F(BackupConfigTest, TwoEncryptionMethodsAreRefusedBeforeAnythingRuns) {
  auto both = load({{"GPG_PASSPHRASE", "a"}, {"AGE_PASSPHRASE", "b"}});
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(both.error().message().find("not both GPG_PASSPHRASE and AGE_PASSPHRASE"), std::string::npos);
}

TEST_F(BackupConfigTest, TheEncryptedExtensionCountsInTheNameLimit) {
  const std::string name = std::string(249, 'b') + ".{{ .Extension }}";
  EXPECT_TRUE(load({{"BACKUP_FILENAME", name}, {"BACKUP_COMPRESSION", "none"}}));
  EXPECT_FALSE(load({{"BACKUP_FILENAME", name}, {"BACKUP_COMPRESSION", "none"}, {"AGE_PASSPHRASE", "x"}}));
  const std::string fixed(252, 'c');  // no {{ .Extension }}: ".gpg" is appended all the same
  EXPECT_TRUE(load({{"BACKUP_FILENAME", fixed}}));
  EXPECT_FALSE(load({{"BACKUP_FILENAME", fixed}, {"GPG_PASSPHRASE", "x"}}));
}

TEST_F(BackupConfigTest, ExpandsNamesWhenAsked) {
  auto config = load({{"BACKUP_FILENAME_EXPAND", "true"},
                      {"BACKUP_FILENAME", "$HOSTNAME-%Y.tar"},
                      {"HOSTNAME", "db1"},
                      {"BACKUP_PRUNING_PREFIX", "${HOSTNAME}-"}});
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_EQ(config->run.filename_template, "db1-%Y.tar");
  EXPECT_EQ(config->retention.prefix, "db1-");
}

TEST_F(BackupConfigTest, LeavesDollarsAloneWithoutExpand) {
  auto config = load({{"BACKUP_FILENAME", "$HOSTNAME-%Y.tar"}, {"HOSTNAME", "db1"}});
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_EQ(config->run.filename_template, "$HOSTNAME-%Y.tar");
}

}  // namespace
}  // namespace volback::app
