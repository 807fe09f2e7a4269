#include <volback/app/archive_name.hpp>

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

}  // namespace
}  // namespace volback::app
