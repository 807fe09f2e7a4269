#include <volback/docker/stream_demux.hpp>

#include <gtest/gtest.h>

namespace volback::docker {
namespace {

std::span<const std::byte> bytes(const std::string& s) {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

TEST(StreamDemux, SplitsStdoutAndStderrAcrossChunks) {
  // Recorded from dockerd 20.10: "echo out; echo err >&2".
  const std::string stream = std::string("\x01\0\0\0\0\0\0\x04out\n", 12) + std::string(
                                                                              "\x02\0\0\0\0\0\0\x04"
                                                                              "err\n",
                                                                              12);
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    StreamDemux demux;
    demux.feed(bytes(stream.substr(0, cut)));
    demux.feed(bytes(stream.substr(cut)));
    EXPECT_EQ(demux.out(), "out\n");
    EXPECT_EQ(demux.err(), "err\n");
    EXPECT_FALSE(demux.incomplete());
  }
  StreamDemux cut_short;
  cut_short.feed(bytes(stream.substr(0, 10)));
  EXPECT_TRUE(cut_short.incomplete());
}

TEST(StreamDemux, KeepsABoundedPrefixOfEachStreamWhateverAFrameDeclares) {
  StreamDemux demux(16);
  // A stdout frame that declares 4 GiB - 1 and sends 100 bytes of it: nothing waits for
  // the whole frame, and only 16 bytes are kept.
  demux.feed(bytes(std::string("\x01\0\0\0\xff\xff\xff\xff", 8)));
  for (int i = 0; i < 10; ++i) {
    demux.feed(bytes(std::string(10, 'x')));
  }
  EXPECT_EQ(demux.out(), std::string(16, 'x') + "\n[84 more bytes of output not kept]\n");
  EXPECT_TRUE(demux.incomplete());
  EXPECT_EQ(demux.err(), "");
}

}  // namespace
}  // namespace volback::docker
