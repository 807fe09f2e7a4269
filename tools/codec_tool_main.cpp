// volback-codec-tool: the compress module's codecs on stdin/stdout, for the integration
// tests (tests/integration/perf) that check them against gzip, pigz, zstd and GNU tar.
// Not part of volback itself.
//
//   volback-codec-tool compress gz|zst|none LEVEL THREADS   stdin -> stdout
//   volback-codec-tool decompress gz|zst|none               stdin -> stdout
//   volback-codec-tool generate BYTES SEED                  deterministic test data -> stdout
//
// `generate` writes 64 KiB pieces that alternate between pseudo-random bytes and text
// (fast enough to stream gigabytes), so a stream both compresses and exercises the
// stored-block paths. Exit status: 0 ok, 1 failure (message on stderr), 2 usage.

#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <volback/compress/codec.hpp>

namespace {

using volback::compress::Codec;
namespace util = volback::util;

class FdSink final : public volback::io::Sink {
 public:
  explicit FdSink(int fd) : m_fd(fd) {}
  util::Result<void> write(std::span<const std::byte> data) override {
    while (!data.empty()) {
      const ssize_t n = ::write(m_fd, data.data(), data.size());
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        return util::fail(util::errno_error(errno, "write"));
      }
      data = data.subspan(static_cast<std::size_t>(n));
    }
    return {};
  }
  util::Result<void> finish() override { return {}; }

 private:
  int m_fd;
};

class FdSource final : public volback::io::Source {
 public:
  explicit FdSource(int fd) : m_fd(fd) {}
  util::Result<std::size_t> read(std::span<std::byte> buf) override {
    for (;;) {
      const ssize_t n = ::read(m_fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        return util::fail(util::errno_error(errno, "read"));
      }
      return static_cast<std::size_t>(n);
    }
  }

 private:
  int m_fd;
};

bool parse_codec(std::string_view name, Codec& codec) {
  if (name == "gz") {
    codec = Codec::gzip;
  } else if (name == "zst") {
    codec = Codec::zstd;
  } else if (name == "none") {
    codec = Codec::none;
  } else {
    return false;
  }
  return true;
}

int report(const util::Error& error) {
  std::fprintf(stderr, "volback-codec-tool: %s\n", error.message().c_str());
  return 1;
}

int compress(Codec codec, int level, unsigned threads) {
  FdSink out(STDOUT_FILENO);
  auto sink = volback::compress::make_compressor(codec, {.level = level, .threads = threads}, out);
  FdSource in(STDIN_FILENO);
  std::vector<std::byte> buf(std::size_t{1} << 20);
  for (;;) {
    auto n = in.read(buf);
    if (!n) {
      return report(n.error());
    }
    if (*n == 0) {
      break;
    }
    if (auto r = sink->write(std::span(buf).first(*n)); !r) {
      return report(r.error());
    }
  }
  if (auto r = sink->finish(); !r) {
    return report(r.error());
  }
  return 0;
}

int decompress(Codec codec) {
  FdSource in(STDIN_FILENO);
  auto source = volback::compress::make_decompressor(codec, in);
  FdSink out(STDOUT_FILENO);
  std::vector<std::byte> buf(std::size_t{1} << 20);
  for (;;) {
    auto n = source->read(buf);
    if (!n) {
      return report(n.error());
    }
    if (*n == 0) {
      return 0;
    }
    if (auto r = out.write(std::span(buf).first(*n)); !r) {
      return report(r.error());
    }
  }
}

int generate(std::uint64_t bytes, std::uint64_t seed) {
  constexpr std::size_t k_piece = 64 * 1024;
  FdSink out(STDOUT_FILENO);
  std::vector<std::uint64_t> words(k_piece / 8);
  std::uint64_t state = seed * 0x9e3779b97f4a7c15ULL + 1;
  std::uint64_t piece = 0;
  static constexpr std::string_view k_text = "INSERT INTO pgbench_accounts VALUES (42, 7, 0, '    ');\n{\"id\": 1}\n";
  while (bytes > 0) {
    auto* raw = reinterpret_cast<char*>(words.data());
    if (piece % 2 == 0) {
      for (auto& w : words) {  // xorshift64*
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        w = state * 0x2545f4914f6cdd1dULL;
      }
    } else {
      for (std::size_t i = 0; i < k_piece; ++i) {
        raw[i] = k_text[(i + piece) % k_text.size()];
      }
    }
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(bytes, k_piece));
    if (auto r = out.write(std::as_bytes(std::span(raw, n))); !r) {
      return report(r.error());
    }
    bytes -= n;
    ++piece;
  }
  return 0;
}

int usage() {
  std::fprintf(stderr,
               "usage: volback-codec-tool compress gz|zst|none LEVEL THREADS\n"
               "       volback-codec-tool decompress gz|zst|none\n"
               "       volback-codec-tool generate BYTES SEED\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  Codec codec = Codec::none;
  if (args.size() == 4 && args[0] == "compress" && parse_codec(args[1], codec)) {
    return compress(codec, std::atoi(argv[3]), static_cast<unsigned>(std::strtoul(argv[4], nullptr, 10)));
  }
  if (args.size() == 2 && args[0] == "decompress" && parse_codec(args[1], codec)) {
    return decompress(codec);
  }
  if (args.size() == 3 && args[0] == "generate") {
    return generate(std::strtoull(argv[2], nullptr, 10), std::strtoull(argv[3], nullptr, 10));
  }
  return usage();
}
