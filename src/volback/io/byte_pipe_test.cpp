#include <volback/io/byte_pipe.hpp>

#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace volback::io {
namespace {

TEST(BytePipe, CarriesEveryByteInOrderThroughASmallRing) {
  BytePipe pipe(7);
  std::string sent;
  for (int i = 0; i < 5000; ++i) {
    sent += static_cast<char>('a' + i % 26);
  }
  std::thread writer([&] {
    for (std::size_t at = 0; at < sent.size(); at += 13) {
      const auto piece = std::string_view(sent).substr(at, 13);
      ASSERT_TRUE(pipe.write(std::as_bytes(std::span(piece.data(), piece.size()))));
    }
    pipe.close();
  });
  std::string got;
  std::vector<std::byte> buffer(5);
  for (;;) {
    auto n = pipe.read(buffer);
    ASSERT_TRUE(n);
    if (*n == 0) {
      break;
    }
    got.append(reinterpret_cast<const char*>(buffer.data()), *n);
  }
  writer.join();
  EXPECT_EQ(got, sent);
  EXPECT_TRUE(pipe.consumed());
}

TEST(BytePipe, AFailedReaderStopsTheWriterAndAnAbortStopsTheReader) {
  BytePipe pipe(4);
  EXPECT_FALSE(pipe.consumed());
  pipe.fail_reader(util::Error(util::ErrorKind::transient, "reset"));
  const std::string data = "0123456789";
  auto written = pipe.write(std::as_bytes(std::span(data.data(), data.size())));
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().message(), "reset");

  BytePipe aborted(4);
  aborted.close_with_error(util::Error(util::ErrorKind::cancelled, "aborted"));
  std::vector<std::byte> buffer(4);
  auto read = aborted.read(buffer);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().kind(), util::ErrorKind::cancelled);
}

}  // namespace
}  // namespace volback::io
