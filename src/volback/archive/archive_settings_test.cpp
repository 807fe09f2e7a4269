#include <volback/archive/archive_settings.hpp>

#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

#include <volback/archive/test_support.hpp>

namespace volback::archive {
namespace {

using test::TempDir;

util::Result<ArchiveSettings> parse(std::map<std::string, std::string, std::less<>> values) {
  util::MapSource env(std::move(values), "environment");
  util::Settings settings({&env});
  return parse_archive_settings(settings);
}

TEST(ArchiveSettings, SpecsAndDefaults) {
  const auto specs = archive_setting_specs();
  ASSERT_EQ(specs.size(), 4u);
  EXPECT_EQ(specs[0].name, "BACKUP_SOURCES");
  EXPECT_EQ(specs[0].default_value, "/backup");
  EXPECT_EQ(specs[1].name, "BACKUP_EXCLUDE_REGEXP");
  EXPECT_EQ(specs[1].default_value, "");
  EXPECT_EQ(specs[2].name, "VOLBACK_TAR_SPARSE");
  EXPECT_EQ(specs[2].default_value, "false");
  EXPECT_EQ(specs[3].name, "VOLBACK_TAR_OWNER_NAMES");
  EXPECT_EQ(specs[3].default_value, "false");
}

TEST(ArchiveSettings, TarLayoutSwitches) {
  TempDir dir;
  auto s = parse({{"BACKUP_SOURCES", dir.path()}});
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_FALSE(s->sparse);
  EXPECT_FALSE(s->owner_names);
  s = parse({{"BACKUP_SOURCES", dir.path()}, {"VOLBACK_TAR_SPARSE", "true"}, {"VOLBACK_TAR_OWNER_NAMES", "1"}});
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_TRUE(s->sparse);
  EXPECT_TRUE(s->owner_names);
  s = parse({{"BACKUP_SOURCES", dir.path()}, {"VOLBACK_TAR_SPARSE", "maybe"}});
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("VOLBACK_TAR_SPARSE"), std::string::npos);
}

TEST(ArchiveSettings, ReadsAnExistingDirectory) {
  TempDir dir;
  auto s = parse({{"BACKUP_SOURCES", dir.path() + "//sub/..///"}});
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->source, dir.path());
  EXPECT_FALSE(s->exclude_pattern);
}

TEST(ArchiveSettings, DefaultSourceIsSlashBackup) {
  auto s = parse({});
  if (::access("/backup", F_OK) == 0) {
    ASSERT_TRUE(s);
    EXPECT_EQ(s->source, "/backup");
  } else {
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().message(), "invalid value \"/backup\" for BACKUP_SOURCES: no such directory");
  }
}

TEST(ArchiveSettings, MissingSourceIsNamed) {
  auto s = parse({{"BACKUP_SOURCES", "/x/does-not-exist"}});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_EQ(s.error().message(), "invalid value \"/x/does-not-exist\" for BACKUP_SOURCES: no such directory");
}

TEST(ArchiveSettings, SourceMustBeADirectory) {
  TempDir dir;
  test::write_file(dir / "file", "x");
  auto s = parse({{"BACKUP_SOURCES", dir / "file"}});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message(), "invalid value \"" + (dir / "file") + "\" for BACKUP_SOURCES: not a directory");
}

TEST(ArchiveSettings, RelativeSourceIsMadeAbsolute) {
  TempDir dir;
  test::make_dirs(dir / "data/app");
  char old_cwd[4096];
  ASSERT_NE(::getcwd(old_cwd, sizeof(old_cwd)), nullptr);
  ASSERT_EQ(::chdir((dir / "data").c_str()), 0);
  auto s = parse({{"BACKUP_SOURCES", "./app/"}});
  ASSERT_EQ(::chdir(old_cwd), 0);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->source, dir / "data/app");
}

TEST(ArchiveSettings, ExcludeRegexpMustCompile) {
  TempDir dir;
  auto ok = parse({{"BACKUP_SOURCES", dir.path()}, {"BACKUP_EXCLUDE_REGEXP", R"(\.(me|you)$)"}});
  ASSERT_TRUE(ok);
  ASSERT_TRUE(ok->exclude_pattern);
  EXPECT_EQ(*ok->exclude_pattern, R"(\.(me|you)$)");

  auto bad = parse({{"BACKUP_SOURCES", dir.path()}, {"BACKUP_EXCLUDE_REGEXP", "(a"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_EQ(bad.error().message().rfind("invalid value \"(a\" for BACKUP_EXCLUDE_REGEXP: ", 0), 0u)
    << bad.error().message();
}

TEST(ArchiveSettings, CleansPathsLikeGo) {
  EXPECT_EQ(absolute_clean_path("/", "/cwd"), "/");
  EXPECT_EQ(absolute_clean_path("/a/b/../c/./d/", "/cwd"), "/a/c/d");
  EXPECT_EQ(absolute_clean_path("/../..", "/cwd"), "/");
  EXPECT_EQ(absolute_clean_path("x/y", "/cwd/sub"), "/cwd/sub/x/y");
  EXPECT_EQ(absolute_clean_path(".", "/cwd"), "/cwd");
  EXPECT_EQ(absolute_clean_path("..", "/cwd"), "/");
  EXPECT_EQ(absolute_clean_path("//a//b", "/cwd"), "/a/b");
}

}  // namespace
}  // namespace volback::archive
