#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include <volback/storage/local/local_settings.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::storage::local {
namespace {

class LocalSettingsTest : public ::testing::Test {
 protected:
  static util::Result<std::optional<LocalSettings>> parse(std::map<std::string, std::string, std::less<>> env) {
    const util::MapSource source(std::move(env), "environment");
    const util::Settings settings({&source});
    return parse_local_settings(settings);
  }

  volback::testing::TempDir m_temp{"volback-local-settings"};
  std::string m_dir = m_temp.path();
};

TEST_F(LocalSettingsTest, MissingDirectoryDisablesTheBackend) {
  auto s = parse({{"BACKUP_ARCHIVE", m_dir + "/missing"}});
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_FALSE(*s);
}

TEST_F(LocalSettingsTest, ExistingDirectory) {
  auto s = parse({{"BACKUP_ARCHIVE", m_dir}});
  ASSERT_TRUE(s) << s.error().message();
  ASSERT_TRUE(*s);
  EXPECT_EQ((*s)->directory, m_dir);
  EXPECT_FALSE((*s)->latest_symlink);
}

TEST_F(LocalSettingsTest, SymlinkToDirectoryCounts) {
  ASSERT_EQ(::symlink(m_dir.c_str(), (m_dir + "/self").c_str()), 0);
  auto s = parse({{"BACKUP_ARCHIVE", m_dir + "/self"}});
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_TRUE(*s);
}

TEST_F(LocalSettingsTest, LatestSymlink) {
  auto s = parse({{"BACKUP_ARCHIVE", m_dir}, {"BACKUP_LATEST_SYMLINK", "backup-latest.tar.gz"}});
  ASSERT_TRUE(s) << s.error().message();
  ASSERT_TRUE(*s);
  EXPECT_EQ((*s)->latest_symlink, "backup-latest.tar.gz");
}

TEST_F(LocalSettingsTest, LatestSymlinkMustBeAPlainName) {
  for (const char* bad : {"sub/latest", "/abs/latest", "..", ".", ".volback-partial-x"}) {
    auto s = parse({{"BACKUP_ARCHIVE", m_dir}, {"BACKUP_LATEST_SYMLINK", bad}});
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().kind(), util::ErrorKind::invalid_argument);
    EXPECT_NE(s.error().message().find("BACKUP_LATEST_SYMLINK"), std::string::npos) << s.error().message();
  }
}

TEST_F(LocalSettingsTest, FileIsNotADirectory) {
  const std::string file = m_dir + "/file";
  std::ofstream(file) << "x";
  auto s = parse({{"BACKUP_ARCHIVE", file}});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(s.error().message().find("BACKUP_ARCHIVE"), std::string::npos) << s.error().message();
}

TEST_F(LocalSettingsTest, Specs) {
  const auto specs = local_setting_specs();
  ASSERT_EQ(specs.size(), 2U);
  EXPECT_EQ(specs[0].name, "BACKUP_ARCHIVE");
  EXPECT_EQ(specs[0].default_value, "/archive");
  EXPECT_EQ(specs[1].name, "BACKUP_LATEST_SYMLINK");
  EXPECT_EQ(specs[1].default_value, "");
}

}  // namespace
}  // namespace volback::storage::local
