#include <volback/app/config/confd.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

using volback::testing::TempDir;

util::MapSource env(std::map<std::string, std::string, std::less<>> values) {
  return util::MapSource(std::move(values), "environment");
}

TEST(Confd, MissingDirectoryMeansTheEnvironmentAlone) {
  TempDir dir;
  const auto environment = env({{"VOLBACK_CONFD_DIR", dir / "missing"}, {"BACKUP_FILENAME", "env.tar"}});
  auto loaded = load_schedules(environment);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
  const auto& schedules = loaded->readable;
  ASSERT_EQ(schedules.size(), 1U);
  EXPECT_EQ(schedules[0].source(), "from environment");
  EXPECT_EQ(schedules[0].key(), "environment");
  EXPECT_EQ(schedules[0].settings().raw("BACKUP_FILENAME"), "env.tar");
}

TEST(Confd, EmptyDirectoryIsAnError) {
  TempDir dir;
  std::filesystem::create_directory(dir / "conf.d");
  testing::write_file(dir / "conf.d/.hidden", "A=1\n");
  std::filesystem::create_directory(dir / "conf.d/sub");
  const auto environment = env({{"VOLBACK_CONFD_DIR", dir / "conf.d"}});
  auto schedules = load_schedules(environment);
  ASSERT_FALSE(schedules.has_value());
  EXPECT_NE(schedules.error().message().find("holds no schedule file"), std::string::npos);
  EXPECT_NE(schedules.error().message().find(dir / "conf.d"), std::string::npos);
}

TEST(Confd, OneSchedulePerFileOverridingTheEnvironment) {
  TempDir dir;
  const auto confd = dir / "conf.d";
  std::filesystem::create_directory(confd);
  testing::write_file(confd + "/b.env", "BACKUP_FILENAME=b-$NAME.tar\n");
  testing::write_file(confd + "/a.env", "BACKUP_FILENAME_FILE=/run/secrets/name\n");
  testing::write_file(dir / "target", "BACKUP_RETENTION_DAYS=3\n");
  ASSERT_EQ(::symlink((dir / "target").c_str(), (confd + "/c-link").c_str()), 0);
  testing::write_file(confd + "/.skipped", "BACKUP_FILENAME=hidden\n");
  std::filesystem::create_directory(confd + "/..data");
  const auto environment =
    env({{"VOLBACK_CONFD_DIR", confd}, {"BACKUP_FILENAME", "env.tar"}, {"NAME", "x"}, {"BACKUP_RETENTION_DAYS", "7"}});
  auto loaded = load_schedules(environment);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
  const auto& schedules = loaded->readable;
  ASSERT_EQ(schedules.size(), 3U);
  EXPECT_TRUE(loaded->unreadable.empty());
  EXPECT_EQ(schedules[0].source(), confd + "/a.env");
  EXPECT_EQ(schedules[0].key(), "confd.a.env");
  EXPECT_EQ(schedules[1].settings().get_string({"BACKUP_FILENAME", "", util::Secret::no, ""}).value(), "b-x.tar");
  EXPECT_EQ(schedules[2].settings().raw("BACKUP_RETENTION_DAYS"), "3");
  // The file's NAME_FILE beats the environment's NAME: the higher layer wins whole.
  auto resolved = schedules[0].settings().lookup({"BACKUP_FILENAME", "", util::Secret::no, ""});
  ASSERT_FALSE(resolved.has_value());  // /run/secrets/name does not exist: the file form was chosen
  EXPECT_NE(resolved.error().message().find("BACKUP_FILENAME_FILE"), std::string::npos);
}

TEST(Confd, SyntaxErrorAndMissingFileNameTheFile) {
  TempDir dir;
  const auto environment = env({});
  testing::write_file(dir / "bad.env", "A=1\nthis is not valid\n");
  auto bad = load_confd_file(environment, dir / "bad.env");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find(dir / "bad.env"), std::string::npos);
  EXPECT_NE(bad.error().message().find("line 2"), std::string::npos);
  auto missing = load_confd_file(environment, dir / "missing.env");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(missing.error().message().find(dir / "missing.env"), std::string::npos);
}

TEST(Confd, ASyntaxErrorNeverShowsTheLine) {
  TempDir dir;
  const auto environment = env({});
  testing::write_file(dir / "leak.env", "BACKUP_FILENAME=x.tar.gz\nAWS_SECRET_ACCESS_KEY S3CR3T\n");
  auto bad = load_confd_file(environment, dir / "leak.env");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(),
            fmt::format("conf.d file {}: line 2: expected KEY=VALUE, found no '=' (the line is not shown: it may "
                        "hold a secret)",
                        dir / "leak.env"));
}

TEST(Confd, OnlyRegularFilesUpToTheLimitAreRead) {
  TempDir dir;
  const auto environment = env({});
  ASSERT_EQ(::mkfifo((dir / "fifo.env").c_str(), 0600), 0);
  auto fifo = load_confd_file(environment, dir / "fifo.env");  // would block without O_NONBLOCK
  ASSERT_FALSE(fifo.has_value());
  EXPECT_EQ(fifo.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_EQ(fifo.error().message(),
            fmt::format("conf.d file {0}: \"{0}\" is a FIFO; only a regular file (or a symlink to one) is read",
                        dir / "fifo.env"));

  testing::write_file(dir / "huge.env", std::string(util::k_max_config_file_bytes + 1, '#'));
  auto huge = load_confd_file(environment, dir / "huge.env");
  ASSERT_FALSE(huge.has_value());
  EXPECT_NE(huge.error().message().find("is larger than 4 MiB"), std::string::npos) << huge.error().message();

  // Loading them all sets the FIFO and the huge file aside, fast, and keeps the others.
  testing::write_file(dir / "good.env", "BACKUP_FILENAME=good.tar\n");
  const auto with_dir = env({{"VOLBACK_CONFD_DIR", dir.path()}});
  auto all = load_schedules(with_dir);
  ASSERT_TRUE(all.has_value()) << all.error().message();
  std::vector<std::string> readable;
  for (const auto& schedule : all->readable) {
    readable.push_back(schedule.source());
  }
  EXPECT_NE(std::find(readable.begin(), readable.end(), dir / "good.env"), readable.end());
  std::vector<std::string> unreadable;
  for (const auto& broken : all->unreadable) {
    unreadable.push_back(broken.path);
    EXPECT_EQ(broken.error.kind(), util::ErrorKind::invalid_argument);
  }
  EXPECT_NE(std::find(unreadable.begin(), unreadable.end(), dir / "fifo.env"), unreadable.end());
  EXPECT_NE(std::find(unreadable.begin(), unreadable.end(), dir / "huge.env"), unreadable.end());
}

}  // namespace
}  // namespace volback::app
