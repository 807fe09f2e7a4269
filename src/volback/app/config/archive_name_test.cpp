#include <volback/app/config/archive_name.hpp>

#include <gtest/gtest.h>

namespace volback::app {
namespace {

util::CivilTime sample_time() {
  util::CivilTime t;
  t.year = 2021;
  t.month = 8;
  t.day = 29;
  t.hour = 4;
  t.weekday = 0;
  t.year_day = 241;
  return t;
}

TEST(ArchiveNameTest, RendersOffensDefault) {
  auto name = render_archive_name("backup-%Y-%m-%dT%H-%M-%S.{{ .Extension }}", "tar.gz", sample_time());
  ASSERT_TRUE(name) << name.error().message();
  EXPECT_EQ(*name, "backup-2021-08-29T04-00-00.tar.gz");
}

TEST(ArchiveNameTest, AcceptsTemplateSpacingVariants) {
  EXPECT_EQ(*render_archive_name("a.{{.Extension}}", "tar.zst", sample_time()), "a.tar.zst");
  EXPECT_EQ(*render_archive_name("a.{{- .Extension -}}", "tar", sample_time()), "a.tar");
}

TEST(ArchiveNameTest, KeepsOnlyTheBaseName) {
  EXPECT_EQ(*render_archive_name("sub/dir/x-%Y.tar", "tar", sample_time()), "x-2021.tar");
}

TEST(ArchiveNameTest, StaticNameOverwritesEachRun) {
  EXPECT_EQ(*render_archive_name("latest.tar.gz", "tar.gz", sample_time()), "latest.tar.gz");
}

TEST(ArchiveNameTest, RejectsOtherTemplateActions) {
  auto name = render_archive_name("x-{{ .Foo }}.tar", "tar", sample_time());
  ASSERT_FALSE(name);
  EXPECT_EQ(name.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_FALSE(render_archive_name("x-{{ .Extension", "tar", sample_time()));
}

TEST(ArchiveNameTest, RejectsUnusableNames) {
  EXPECT_FALSE(render_archive_name("dir/", "tar", sample_time()));
  EXPECT_FALSE(render_archive_name("..", "tar", sample_time()));
  EXPECT_FALSE(render_archive_name(".volback-partial-x", "tar", sample_time()));
}

TEST(ArchiveNameTest, RejectsNamesLongerThanNameMax) {
  const std::string fits(255 - 4, 'a');
  EXPECT_TRUE(render_archive_name(fits + ".tar", "tar", sample_time()));
  auto name = render_archive_name(fits + "a.tar", "tar", sample_time());
  ASSERT_FALSE(name);
  EXPECT_EQ(name.error().message(), "the file name is 256 bytes long; a file name may have at most 255");
  // Only the last component counts.
  EXPECT_TRUE(render_archive_name(std::string(300, 'd') + "/x.tar", "tar", sample_time()));
}

TEST(ArchiveNameTest, MaxLengthCountsTheExtensionAndEachVerbAtItsLongest) {
  EXPECT_EQ(*max_archive_name_length("backup-%Y-%m-%dT%H-%M-%S.{{ .Extension }}", "tar.gz"), 33U);
  EXPECT_EQ(*max_archive_name_length("backup-%Y-%m-%dT%H-%M-%S.{{ .Extension }}", "tar.zst"), 34U);
  EXPECT_EQ(*max_archive_name_length("dir/%A-%B.{{ .Extension }}", "tar"), 9U + 1 + 9 + 4);
  EXPECT_FALSE(max_archive_name_length("x-{{ .Foo }}", "tar"));
}

}  // namespace
}  // namespace volback::app
