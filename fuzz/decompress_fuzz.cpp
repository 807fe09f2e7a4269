// Fuzzes the decoders of compress::make_decompressor: gzip (ISA-L inflate, several
// members, CRC-32 and length) and zstd (libzstd streaming, several frames, checksums).
// The first byte picks the codec (bit 0), the size of the source's reads and of the
// reader's buffer (the other bits); the rest is the compressed stream, read to its end or
// its first error. Output and reads are capped so that a small input expanding without
// bound (a decompression bomb), read a byte at a time, stays quick.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <volback/compress/codec.hpp>
#include <volback/io/memory_source.hpp>

using namespace volback;

namespace {

constexpr std::uint64_t k_output_cap = std::uint64_t{4} << 20;
constexpr std::uint64_t k_call_cap = 100000;
constexpr std::array<std::size_t, 4> k_source_chunks{1, 13, 4096, std::size_t{1} << 20};
constexpr std::array<std::size_t, 4> k_read_sizes{1, 100, 8192, std::size_t{256} << 10};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::uint8_t control = data[0];
  const auto codec = (control & 1) != 0 ? compress::Codec::zstd : compress::Codec::gzip;
  const std::size_t chunk = k_source_chunks[(control >> 1) & 3];
  const std::size_t read_size = k_read_sizes[(control >> 3) & 3];
  io::MemorySource compressed(std::string(reinterpret_cast<const char*>(data) + 1, size - 1), chunk);
  auto source = compress::make_decompressor(codec, compressed);
  std::vector<std::byte> buffer(read_size);
  std::uint64_t total = 0;
  for (std::uint64_t calls = 0; total < k_output_cap && calls < k_call_cap; ++calls) {
    auto got = source->read(buffer);
    if (!got || *got == 0) {
      break;
    }
    total += *got;
  }
  return 0;
}
