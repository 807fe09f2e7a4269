#include <volback/archive/entry_names.hpp>

#include <gtest/gtest.h>

#include <vector>

namespace volback::archive {
namespace {

TarEntry entry(std::string path, std::string type = "file", std::string link = {}) {
  TarEntry e;
  e.path = std::move(path);
  e.type = std::move(type);
  e.link = std::move(link);
  return e;
}

// A ledger that has admitted the usual start of a volback archive.
class NameLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ledger.admit(entry("backup", "dir")));
    ASSERT_TRUE(ledger.admit(entry("backup/vol", "dir")));
  }
  std::string refusal(const TarEntry& e) {
    auto admitted = ledger.admit(e);
    if (admitted) {
      return "admitted";
    }
    EXPECT_EQ(admitted.error().kind(), util::ErrorKind::corrupt);
    return admitted.error().message();
  }
  NameLedger ledger;
};

TEST(EntryNames, CleanNames) {
  EXPECT_EQ(*clean_entry_name("backup/vol/x"), "backup/vol/x");
  EXPECT_EQ(*clean_entry_name("./backup/vol/"), "backup/vol");
  EXPECT_EQ(*clean_entry_name("./"), "");
  EXPECT_EQ(*clean_entry_name("."), "");
  for (const char* bad : {"/etc/passwd", "backup/../x", "backup/./x", "backup//x", "..", "backup/vol/.."}) {
    EXPECT_FALSE(clean_entry_name(bad)) << bad;
  }
}

TEST(EntryNames, VolumeNames) {
  EXPECT_TRUE(is_valid_volume_name("app_data"));
  EXPECT_TRUE(is_valid_volume_name(".hidden"));
  for (const std::string& bad :
       std::vector<std::string>{"", ".", "..", "a/b", std::string("a\0b", 3), std::string(256, 'x')}) {
    EXPECT_FALSE(is_valid_volume_name(bad)) << bad;
  }
}

TEST_F(NameLedgerTest, TakesTheNamesApart) {
  const auto file = ledger.admit(entry("backup/vol/dir/file"));
  ASSERT_TRUE(file);
  EXPECT_EQ(*file->volume, "vol");
  EXPECT_EQ(file->relative, "dir/file");
  const auto link = ledger.admit(entry("backup/vol/hard", "hardlink", "backup/vol/dir/file"));
  ASSERT_TRUE(link) << link.error().message();
  EXPECT_EQ(link->link_relative, "dir/file");
  EXPECT_EQ(ledger.sources(), "backup");
  EXPECT_TRUE(ledger.has_entry("backup/vol/dir/file"));
  EXPECT_FALSE(ledger.has_entry("backup/vol/dir"));  // only implied
}

TEST_F(NameLedgerTest, RefusesNamesOutsideTheSources) {
  EXPECT_NE(refusal(entry("backup/../x")).find("unsafe entry"), std::string::npos);
  EXPECT_NE(refusal(entry("/etc/x")).find("absolute"), std::string::npos);
  EXPECT_NE(refusal(entry("other/x")).find("outside the archived sources"), std::string::npos);
  EXPECT_NE(refusal(entry("backup/..", "dir")).find("\"..\" component"), std::string::npos);
  EXPECT_NE(refusal(entry("backup/vol/a/../../../x")).find("unsafe"), std::string::npos);
  EXPECT_NE(refusal(entry("backup", "dir")).find("repeats"), std::string::npos);
}

TEST_F(NameLedgerTest, AVolumeIsADirectory) {
  EXPECT_NE(refusal(entry("backup/file.txt")).find("a volume must be a directory"), std::string::npos);
}

TEST_F(NameLedgerTest, NothingBeneathASymlinkOrAFile) {
  ASSERT_EQ(refusal(entry("backup/vol/link", "symlink", "/etc")), "admitted");
  EXPECT_NE(refusal(entry("backup/vol/link/passwd")).find("not a directory"), std::string::npos);
  ASSERT_EQ(refusal(entry("backup/vol/f")), "admitted");
  EXPECT_NE(refusal(entry("backup/vol/f/x")).find("not a directory"), std::string::npos);
}

TEST_F(NameLedgerTest, EveryNameOnce) {
  ASSERT_EQ(refusal(entry("backup/vol/a")), "admitted");
  EXPECT_NE(refusal(entry("backup/vol/a")).find("second entry"), std::string::npos);
  ASSERT_EQ(refusal(entry("backup/vol/d", "dir")), "admitted");
  EXPECT_NE(refusal(entry("backup/vol/d", "symlink", "/")).find("second entry"), std::string::npos);
  EXPECT_NE(refusal(entry("backup/vol/d", "dir")).find("second entry"), std::string::npos);
  // A directory may come after the entries that implied it.
  ASSERT_EQ(refusal(entry("backup/vol/implied/x")), "admitted");
  EXPECT_EQ(refusal(entry("backup/vol/implied", "dir")), "admitted");
  ASSERT_EQ(refusal(entry("backup/vol/implied2/x")), "admitted");
  EXPECT_NE(refusal(entry("backup/vol/implied2", "symlink", "/")).find("second entry"), std::string::npos);
}

TEST_F(NameLedgerTest, HardLinksOnlyToEarlierFilesOfTheSameVolume) {
  ASSERT_TRUE(ledger.admit(entry("backup/other", "dir")));
  ASSERT_EQ(refusal(entry("backup/other/f")), "admitted");
  ASSERT_EQ(refusal(entry("backup/vol/d", "dir")), "admitted");
  for (const char* target : {"backup/other/f", "../../outside/f", "/etc/passwd", "backup/vol", "backup/vol/d",
                             "backup/vol/later", "backup"}) {
    EXPECT_NE(refusal(entry("backup/vol/h", "hardlink", target)).find("not an earlier regular file"), std::string::npos)
      << target;
  }
}

TEST(EntryNames, TheFirstEntryIsTheSourcesDirectory) {
  NameLedger ledger;
  const auto refused = ledger.admit(entry("backup/vol/x"));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("first entry"), std::string::npos);
}

TEST(EntryNames, DotSlashArchivesHaveTheirVolumesAtTheTop) {
  NameLedger ledger;
  ASSERT_TRUE(ledger.admit(entry("./", "dir")));
  const auto file = ledger.admit(entry("./vol/x"));
  ASSERT_TRUE(file) << file.error().message();
  EXPECT_EQ(*file->volume, "vol");
  EXPECT_EQ(file->path, "vol/x");
}

}  // namespace
}  // namespace volback::archive
