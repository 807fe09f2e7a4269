#include <volback/cli/verbs.hpp>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include <volback/cli/make_logger.hpp>

namespace volback::cli {
namespace {

TEST(VerbLogStreamTest, BackupAndTheDaemonLogToStdoutAsOffenDoes) {
  ASSERT_NE(find_verb("backup"), nullptr);
  ASSERT_NE(find_verb("daemon"), nullptr);
  EXPECT_EQ(find_verb("backup")->logs, LogStream::out);
  EXPECT_EQ(find_verb("daemon")->logs, LogStream::out);
}

TEST(VerbLogStreamTest, VerbsWhoseStdoutIsTheirResultLogToStderr) {
  for (const auto& verb : verbs()) {
    if (verb.name != "backup" && verb.name != "daemon") {
      EXPECT_EQ(verb.logs, LogStream::err) << verb.name;
    }
  }
}

TEST(VerbLogStreamTest, FindVerbKnowsOnlyTheTable) {
  EXPECT_EQ(find_verb("print-config")->name, "print-config");
  EXPECT_EQ(find_verb("nope"), nullptr);
}

TEST(VerbLogStreamTest, FileOfNamesTheStandardStreams) {
  EXPECT_EQ(file_of(LogStream::out), stdout);
  EXPECT_EQ(file_of(LogStream::err), stderr);
}

// What `make_logger(..., stream)` writes to file descriptor `fd` while it is redirected
// to a temporary file.
std::string logged_on(int fd, LogStream stream) {
  std::FILE* capture = std::tmpfile();
  EXPECT_NE(capture, nullptr);
  std::fflush(nullptr);
  const int saved = ::dup(fd);
  ::dup2(fileno(capture), fd);
  {
    const util::MapSource env({{"LOG_LEVEL", "info"}}, "test");
    const util::Settings settings({&env});
    const util::FixedClock clock(util::TimePoint{});
    make_logger(settings, clock, stream)->info("Backup completed successfully");
  }
  std::fflush(nullptr);
  ::dup2(saved, fd);
  ::close(saved);
  std::rewind(capture);
  std::string text;
  std::array<char, 256> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), capture) != nullptr) {
    text += buffer.data();
  }
  std::fclose(capture);
  return text;
}

TEST(MakeLoggerTest, WritesToTheChosenStreamOnly) {
  EXPECT_NE(logged_on(STDOUT_FILENO, LogStream::out).find("msg=\"Backup completed successfully\"\n"),
            std::string::npos);
  EXPECT_EQ(logged_on(STDERR_FILENO, LogStream::out), "");
  EXPECT_NE(logged_on(STDERR_FILENO, LogStream::err).find("msg=\"Backup completed successfully\"\n"),
            std::string::npos);
  EXPECT_EQ(logged_on(STDOUT_FILENO, LogStream::err), "");
}

}  // namespace
}  // namespace volback::cli
