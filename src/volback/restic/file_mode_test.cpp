#include <volback/restic/file_mode.hpp>

#include <sys/stat.h>

#include <gtest/gtest.h>

namespace volback::restic {
namespace {

// The modes restic 0.14 stored for these files (testdata/trees/).
TEST(ResticFileMode, MatchesWhatResticStores) {
  EXPECT_EQ(go_file_mode_from_posix(S_IFREG | 0644), 420U);
  EXPECT_EQ(go_file_mode_from_posix(S_IFREG | 04755), 8389101U);
  EXPECT_EQ(go_file_mode_from_posix(S_IFDIR | 0755), 2147484141U);
  EXPECT_EQ(go_file_mode_from_posix(S_IFDIR | 01777), 2148532735U);
  EXPECT_EQ(go_file_mode_from_posix(S_IFDIR | 02750), 2151678440U);
  EXPECT_EQ(go_file_mode_from_posix(S_IFLNK | 0777), 134218239U);
  EXPECT_EQ(go_file_mode_from_posix(S_IFIFO | 0644), 33554852U);
  EXPECT_EQ(go_file_mode_from_posix(S_IFBLK | 0644), 67109284U);
  EXPECT_EQ(go_file_mode_from_posix(S_IFCHR | 0644), 69206436U);
  EXPECT_EQ(go_file_mode_from_posix(S_IFSOCK | 0755), k_go_mode_socket | 0755);
}

TEST(ResticFileMode, ConvertsBackToPosix) {
  for (const std::uint32_t posix :
       {S_IFREG | 0644U, S_IFREG | 07777U, S_IFDIR | 0755U, S_IFDIR | 01777U, S_IFDIR | 02750U, S_IFLNK | 0777U,
        S_IFIFO | 0600U, S_IFBLK | 0660U, S_IFCHR | 0620U, S_IFSOCK | 0755U}) {
    EXPECT_EQ(posix_mode_from_go_file_mode(go_file_mode_from_posix(posix)), posix) << std::oct << posix;
  }
  EXPECT_EQ(posix_mode_from_go_file_mode(k_go_mode_char_device | 0600), S_IFCHR | 0600U);
  EXPECT_EQ(posix_mode_from_go_file_mode(k_go_mode_irregular | 0600), S_IFREG | 0600U);
  // A POSIX st_mode stored unconverted keeps its permissions only.
  EXPECT_EQ(posix_mode_from_go_file_mode(S_IFREG | 04644U), S_IFREG | 0644U);
}

}  // namespace
}  // namespace volback::restic
