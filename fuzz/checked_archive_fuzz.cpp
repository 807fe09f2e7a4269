// Fuzzes the one read path of verify and restore: compress::AutoDecompressor (the codec
// recognised by the first bytes, gzip and zstd decoded) in front of
// archive::CheckedTarReader (the name rules, the sparse-hole budget, hashing, the
// manifest read line by line and compared with every entry, the stream read to its end).
// Every entry is taken and every block of every admitted file read, as restore does.
//
// Bounded per input: the hole allowance is 64 MiB instead of 16 GiB, and at most
// k_byte_cap bytes of content are read, so that no input takes seconds. Spills go to
// anonymous temporary files in /tmp (nothing is left behind).
#include <cstddef>
#include <cstdint>
#include <string>

#include <volback/archive/checked_tar_reader.hpp>
#include <volback/compress/auto_decompressor.hpp>
#include <volback/io/memory_source.hpp>

using namespace volback;

namespace {

constexpr std::uint64_t k_byte_cap = std::uint64_t{64} << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  io::MemorySource raw(std::string(reinterpret_cast<const char*>(data), size), size % 2 == 0 ? 4096 : 1 << 20);
  auto stream = compress::AutoDecompressor::open(raw);
  if (!stream) {
    return 0;
  }
  const util::CancelToken cancel;
  volback::archive::CheckedTarReader reader(**stream,
                                            {.stream_name = std::string(compress::stream_name((*stream)->codec())),
                                             .spill_dir = "/tmp",
                                             .compare_manifest = true,
                                             .hole_allowance = std::uint64_t{64} << 20},
                                            cancel);
  std::uint64_t bytes = 0;
  for (;;) {
    auto next = reader.next();
    if (!next || !*next) {
      if (next) {
        (void)reader.finish();
      }
      return 0;
    }
    if ((*next)->refusal) {
      continue;
    }
    for (;;) {
      auto block = reader.read_block();
      if (!block || !*block) {
        break;
      }
      bytes += (*block)->data.size();
      if (bytes > k_byte_cap) {
        return 0;
      }
    }
    if (bytes > k_byte_cap) {
      return 0;
    }
  }
}
