#include <zlib.h>
#include <zstd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <volback/compress/codec.hpp>
#include <volback/compress/test_support.hpp>
#include <volback/io/memory_sink.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::compress {
namespace {

using test::random_bytes;

// Records every call and forwards to a MemorySink.
class RecordingSink final : public io::Sink {
 public:
  util::Result<void> write(std::span<const std::byte> data) override {
    ++m_writes;
    return m_memory.write(data);
  }
  util::Result<void> finish() override {
    ++m_finishes;
    return m_memory.finish();
  }

  const std::string& data() const { return m_memory.data(); }
  int writes() const { return m_writes; }
  int finishes() const { return m_finishes; }

 private:
  io::MemorySink m_memory;
  int m_writes = 0;
  int m_finishes = 0;
};

// Fails every write, or only finish().
enum class FailAt { write, finish };

class FailingSink final : public io::Sink {
 public:
  explicit FailingSink(FailAt at) : m_at(at) {}
  util::Result<void> write(std::span<const std::byte>) override {
    if (m_at == FailAt::write) {
      return util::fail(util::ErrorKind::transient, "disk on fire");
    }
    return {};
  }
  util::Result<void> finish() override {
    ++m_finishes;
    return util::fail(util::ErrorKind::transient, "disk on fire");
  }
  int finishes() const { return m_finishes; }

 private:
  FailAt m_at;
  int m_finishes = 0;
};

// Decompresses zstd frames spanning all of `compressed`; the last frame must be complete.
std::string unzstd(const std::string& compressed) {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
  std::string out;
  std::vector<char> buf(ZSTD_DStreamOutSize());
  std::size_t rc = 0;
  while (in.pos < in.size) {
    ZSTD_outBuffer o{buf.data(), buf.size(), 0};
    rc = ZSTD_decompressStream(dctx, &o, &in);
    EXPECT_FALSE(ZSTD_isError(rc)) << ZSTD_getErrorName(rc);
    if (ZSTD_isError(rc)) {
      break;
    }
    out.append(buf.data(), o.pos);
  }
  // Drain output still held by the decoder.
  while (rc != 0 && !ZSTD_isError(rc)) {
    ZSTD_outBuffer o{buf.data(), buf.size(), 0};
    rc = ZSTD_decompressStream(dctx, &o, &in);
    out.append(buf.data(), o.pos);
    if (o.pos == 0) {
      break;
    }
  }
  EXPECT_EQ(rc, 0U) << "incomplete zstd frame";
  ZSTD_freeDCtx(dctx);
  return out;
}

std::string decompress(Codec codec, const std::string& data) {
  switch (codec) {
  case Codec::none: return data;
  case Codec::gzip: return test::gunzip_one_member(data);
  case Codec::zstd: return unzstd(data);
  }
  return data;
}

struct Input {
  std::string name;
  std::string data;
  std::size_t write_size;  // split the input into writes of this size
};

std::vector<Input> inputs() {
  return {
    {"empty", "", 1},
    {"one_byte", "x", 1},
    {"one_mib_zeros", std::string(1 << 20, '\0'), 1 << 20},
    {"three_mib_random", random_bytes(3 << 20, 1), 3 << 20},
    {"three_mib_random_64k_writes", random_bytes(3 << 20, 2), 1 << 16},
    {"many_small_writes", random_bytes(20000, 3) + std::string(50000, 'a'), 7},
  };
}

std::string compress_all(Codec codec, const CompressOptions& options, const Input& input, RecordingSink& next) {
  auto sink = make_compressor(codec, options, next);
  std::string_view rest = input.data;
  while (!rest.empty()) {
    const auto n = std::min(rest.size(), input.write_size);
    auto r = sink->write(io::as_bytes(rest.substr(0, n)));
    EXPECT_TRUE(r) << r.error().message();
    rest.remove_prefix(n);
  }
  EXPECT_EQ(next.finishes(), 0);
  auto r = sink->finish();
  EXPECT_TRUE(r) << r.error().message();
  EXPECT_EQ(next.finishes(), 1);
  return next.data();
}

class CodecRoundTrip : public ::testing::TestWithParam<Codec> {};

TEST_P(CodecRoundTrip, AllInputs) {
  for (const auto& input : inputs()) {
    SCOPED_TRACE(input.name);
    RecordingSink next;
    const std::string compressed = compress_all(GetParam(), {}, input, next);
    EXPECT_EQ(decompress(GetParam(), compressed), input.data);
  }
}

TEST_P(CodecRoundTrip, ExplicitLevel) {
  RecordingSink next;
  const Input input{"text", std::string(100000, 'q') + "end", 1000};
  const std::string compressed = compress_all(GetParam(), {.level = 1, .threads = 1}, input, next);
  EXPECT_EQ(decompress(GetParam(), compressed), input.data);
}

TEST_P(CodecRoundTrip, FinishPropagatesNextError) {
  FailingSink next(FailAt::finish);
  auto sink = make_compressor(GetParam(), {}, next);
  ASSERT_TRUE(sink->write(io::as_bytes("hello")));
  auto r = sink->finish();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), util::ErrorKind::transient);
  EXPECT_EQ(r.error().message(), "disk on fire");
  EXPECT_EQ(next.finishes(), 1);
}

TEST_P(CodecRoundTrip, WritePropagatesNextError) {
  FailingSink next(FailAt::write);
  auto sink = make_compressor(GetParam(), {}, next);
  // Incompressible data larger than the 1 MiB output buffer forces a write to `next`.
  const std::string data = random_bytes(3 << 20, 4);
  util::Result<void> r = sink->write(io::as_bytes(data));
  if (r) {
    r = sink->finish();
  }
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), util::ErrorKind::transient);
  EXPECT_EQ(r.error().message(), "disk on fire");
  if (GetParam() != Codec::none) {
    // A compressor stays failed and never finishes `next`; the passthrough has no state
    // and leaves that to `next`.
    EXPECT_FALSE(sink->write(io::as_bytes("more")));
    EXPECT_FALSE(sink->finish());
    EXPECT_EQ(next.finishes(), 0);
  }
}

TEST_P(CodecRoundTrip, DestroyingUnfinishedLeavesNextAlone) {
  RecordingSink next;
  {
    auto sink = make_compressor(GetParam(), {}, next);
    ASSERT_TRUE(sink->write(io::as_bytes(std::string(1000, 'z'))));
  }
  EXPECT_EQ(next.finishes(), 0);
}

TEST_P(CodecRoundTrip, WriteAfterFinishFails) {
  RecordingSink next;
  auto sink = make_compressor(GetParam(), {}, next);
  ASSERT_TRUE(sink->finish());
  EXPECT_FALSE(sink->write(io::as_bytes("late")));
  EXPECT_FALSE(sink->finish());
  EXPECT_EQ(next.finishes(), 1);
}

INSTANTIATE_TEST_SUITE_P(Codecs, CodecRoundTrip, ::testing::Values(Codec::none, Codec::gzip, Codec::zstd),
                         [](const ::testing::TestParamInfo<Codec>& param_info) {
                           switch (param_info.param) {
                           case Codec::none: return std::string("none");
                           case Codec::gzip: return std::string("gzip");
                           case Codec::zstd: return std::string("zstd");
                           }
                           return std::string("unknown");
                         });

TEST(CodecTest, NonePassesBytesThroughUnchanged) {
  RecordingSink next;
  auto sink = make_compressor(Codec::none, {}, next);
  ASSERT_TRUE(sink->write(io::as_bytes("abc")));
  ASSERT_TRUE(sink->write(io::as_bytes("")));
  ASSERT_TRUE(sink->write(io::as_bytes("def")));
  ASSERT_TRUE(sink->finish());
  EXPECT_EQ(next.data(), "abcdef");
  EXPECT_EQ(next.finishes(), 1);
}

TEST(CodecTest, ZstdWithWorkerThreads) {
  RecordingSink next;
  const Input input{"mixed", random_bytes(3 << 20, 5) + std::string(2 << 20, 'z'), 1 << 18};
  const std::string compressed = compress_all(Codec::zstd, {.level = 0, .threads = 2}, input, next);
  EXPECT_EQ(unzstd(compressed), input.data);
}

TEST(CodecTest, ZstdFrameHasChecksum) {
  RecordingSink next;
  compress_all(Codec::zstd, {}, {"x", "some data", 9}, next);
  // RFC 8878: 4 magic bytes, then the Frame_Header_Descriptor whose bit 2 is
  // Content_Checksum_flag.
  ASSERT_GE(next.data().size(), 5U);
  EXPECT_EQ(next.data().substr(0, 4), "\x28\xb5\x2f\xfd");
  EXPECT_NE(static_cast<unsigned char>(next.data()[4]) & 0x04U, 0U);
}

TEST(CodecTest, GzipOutputIsBuffered) {
  RecordingSink next;
  auto sink = make_compressor(Codec::gzip, {}, next);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(sink->write(io::as_bytes("tiny")));
  }
  EXPECT_EQ(next.writes(), 0);
  ASSERT_TRUE(sink->finish());
  // Header, the one compressed block, trailer.
  EXPECT_LE(next.writes(), 3);
}

TEST(CodecTest, GzipRejectsBadLevel) {
  RecordingSink next;
  auto sink = make_compressor(Codec::gzip, {.level = 12, .threads = 1}, next);
  auto r = sink->write(io::as_bytes("x"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_FALSE(sink->finish());
  EXPECT_EQ(next.finishes(), 0);
}

TEST(CodecTest, ExtensionsAndContentTypes) {
  EXPECT_EQ(archive_extension(Codec::none), "tar");
  EXPECT_EQ(archive_extension(Codec::gzip), "tar.gz");
  EXPECT_EQ(archive_extension(Codec::zstd), "tar.zst");
  EXPECT_EQ(content_type(Codec::none), "application/x-tar");
  EXPECT_EQ(content_type(Codec::gzip), "application/gzip");
  EXPECT_EQ(content_type(Codec::zstd), "application/zstd");
}

// The command-line tools accept the output: what users restore with.
TEST(CodecTest, CommandLineToolsAcceptOutput) {
  const volback::testing::TempDir dir("volback-codec");
  struct Tool {
    Codec codec;
    const char* binary;
    const char* test_command;
  };
  const Tool tools[] = {{Codec::gzip, "/usr/bin/gzip", "/usr/bin/gzip -t "},
                        {Codec::zstd, "/usr/bin/zstd", "/usr/bin/zstd -q -t "}};
  for (const auto& tool : tools) {
    ASSERT_TRUE(std::filesystem::exists(tool.binary)) << tool.binary << " is a test dependency";
    RecordingSink next;
    compress_all(tool.codec, {}, {"data", random_bytes(1 << 20, 6) + std::string(1 << 20, 'y'), 4096}, next);
    const std::string file = dir / ("out." + std::string(archive_extension(tool.codec)));
    volback::testing::write_file(file, next.data());
    EXPECT_EQ(std::system((tool.test_command + file).c_str()), 0) << tool.binary;
  }
}

}  // namespace
}  // namespace volback::compress
