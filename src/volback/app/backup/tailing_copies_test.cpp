#include <volback/app/backup/tailing_copies.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <thread>

#include <gtest/gtest.h>

#include <volback/testing/memory_backend.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

void append(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fd);
}

std::string read_all(io::Source& source) {
  std::string out;
  std::byte buffer[7];
  while (true) {
    auto n = source.read(buffer);
    if (!n || *n == 0) {
      EXPECT_TRUE(n) << n.error().message();
      return out;
    }
    out.append(reinterpret_cast<const char*>(buffer), *n);
  }
}

TEST(GrowingFileSource, ReadsWhatIsWrittenUntilSealed) {
  testing::TempDir dir;
  const std::string path = dir / "growing";
  append(path, "first ");
  GrowthState state;
  util::CancelToken cancel;
  auto source = GrowingFileSource::open(path, state, cancel);
  ASSERT_TRUE(source);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    append(path, "second ");
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    append(path, "third");
    state.seal();
  });
  EXPECT_EQ(read_all(**source), "first second third");
  writer.join();
}

TEST(GrowingFileSource, FailsWhenTheWriterFails) {
  testing::TempDir dir;
  const std::string path = dir / "growing";
  append(path, "partial");
  GrowthState state;
  util::CancelToken cancel;
  auto source = GrowingFileSource::open(path, state, cancel);
  ASSERT_TRUE(source);
  state.fail(util::Error(util::ErrorKind::permanent, "disk full"));
  std::byte buffer[64];
  auto n = (*source)->read(buffer);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().message(), "disk full");
}

TEST(TailingCopies, UploadsTheFileWhileItGrows) {
  testing::TempDir dir;
  const std::string path = dir / "archive";
  append(path, "");
  util::FixedClock clock(util::TimePoint{});
  testing::MemoryBackend remote(clock, "Remote");
  util::CancelToken cancel;
  TailingCopies copies({&remote}, "backup.tar.gz", {}, cancel);
  copies.start(path);
  append(path, std::string(100'000, 'a'));
  append(path, std::string(50'000, 'b'));
  copies.seal();
  EXPECT_FALSE(copies.result_for(&remote));
  ASSERT_EQ(remote.objects.count("backup.tar.gz"), 1U);
  EXPECT_EQ(remote.objects.at("backup.tar.gz").data.size(), 150'000U);
}

TEST(TailingCopies, AWriterFailureLeavesNothing) {
  testing::TempDir dir;
  const std::string path = dir / "archive";
  append(path, "some bytes");
  util::FixedClock clock(util::TimePoint{});
  testing::MemoryBackend remote(clock, "Remote");
  util::CancelToken cancel;
  {
    TailingCopies copies({&remote}, "backup.tar.gz", {}, cancel);
    copies.start(path);
  }  // destroyed unsealed: the writer failed
  EXPECT_TRUE(remote.objects.empty());
}

}  // namespace
}  // namespace volback::app
