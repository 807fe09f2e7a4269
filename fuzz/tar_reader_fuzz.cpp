// Fuzzes archive::TarReader (libarchive's tar reader behind volback's interface, and
// volback's own parsing of the PAX global header) on an in-memory tar stream: every
// entry, every data block of every regular file, and the global header's records.
//
// Bounded per input: at most k_byte_cap bytes of content and k_call_cap reads in all, so
// that a (sparse) entry declaring terabytes does not make an input slow. The input's size
// picks the source's read size, so that headers split across reads are covered too.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include <volback/archive/tar_reader.hpp>
#include <volback/io/memory_source.hpp>

using namespace volback;

namespace {

constexpr std::uint64_t k_byte_cap = std::uint64_t{64} << 20;
constexpr std::uint64_t k_call_cap = 100000;
constexpr std::array<std::size_t, 3> k_source_chunks{std::size_t{1} << 20, 512, 7};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  io::MemorySource in(std::string(reinterpret_cast<const char*>(data), size), k_source_chunks[size % 3]);
  volback::archive::TarReader reader(in);
  std::uint64_t bytes = 0;
  std::uint64_t calls = 0;
  while (bytes < k_byte_cap && calls < k_call_cap) {
    ++calls;
    auto entry = reader.next();
    if (!entry || !*entry) {
      break;
    }
    (void)reader.global_records();
    if ((*entry)->type != "file") {
      continue;
    }
    bool failed = false;
    while (bytes < k_byte_cap && calls < k_call_cap) {
      ++calls;
      auto block = reader.read_block();
      if (!block) {
        failed = true;
        break;
      }
      if (!*block) {
        break;
      }
      bytes += (*block)->data.size();
    }
    if (failed) {
      break;
    }
  }
  (void)reader.source_failed();
  return 0;
}
