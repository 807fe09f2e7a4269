// Fuzzes restic::parse_tree, the reader of restic's tree blobs (restic/tree.hpp): JSON,
// Go-quoted names, RFC 3339 times, ids and base64. What it accepts is written again with
// serialize_tree, which must parse back to the same nodes and be written again identically.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <volback/restic/tree.hpp>

using namespace volback::restic;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  const auto nodes = parse_tree(json);
  if (!nodes) {
    return 0;
  }
  const std::string written = serialize_tree(*nodes);
  const auto again = parse_tree(written);
  if (!again || *again != *nodes || serialize_tree(*again) != written) {
    std::abort();
  }
  return 0;
}
