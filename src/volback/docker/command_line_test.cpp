#include <volback/docker/command_line.hpp>

#include <gtest/gtest.h>

namespace volback::docker {
namespace {

using Words = std::vector<std::string>;

TEST(SplitCommand, WordsQuotesAndEscapes) {
  EXPECT_EQ(*split_command("pg_dump -U postgres  -f /tmp/x"), (Words{"pg_dump", "-U", "postgres", "-f", "/tmp/x"}));
  EXPECT_EQ(*split_command("/bin/sh -c 'echo \"$HOME\" > /data/x'"),
            (Words{"/bin/sh", "-c", "echo \"$HOME\" > /data/x"}));
  EXPECT_EQ(*split_command(R"(echo "a \"b\" c" d\ e)"), (Words{"echo", "a \"b\" c", "d e"}));
  EXPECT_EQ(*split_command(R"(x"a"'b'c)"), (Words{"xabc"}));
  EXPECT_EQ(*split_command("echo ''"), (Words{"echo", ""}));
}

TEST(SplitCommand, OnlyTheFirstPipelineSegment) {
  EXPECT_EQ(*split_command("cat /etc/passwd | grep root"), (Words{"cat", "/etc/passwd"}));
  EXPECT_EQ(*split_command("echo 'a|b'"), (Words{"echo", "a|b"}));
}

TEST(SplitCommand, Errors) {
  EXPECT_FALSE(split_command("echo 'open"));
  EXPECT_FALSE(split_command("echo \"open"));
  EXPECT_FALSE(split_command("echo \\"));
  EXPECT_FALSE(split_command("echo `id`"));
  EXPECT_EQ(split_command("   ").error().kind(), util::ErrorKind::invalid_argument);
}

}  // namespace
}  // namespace volback::docker
