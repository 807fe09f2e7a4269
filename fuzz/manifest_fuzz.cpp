// Fuzzes the manifest parsers verify and restore run on the manifest read from an archive:
// archive::parse_manifest (the whole document at once) and archive::ManifestReader fed in
// small chunks, as bytes arrive from an archive. Checks that
//   - both agree: the same document is accepted or refused by both, with the same rows;
//   - what they accept survives the writer's encoding: encode_manifest of the parsed head
//     and rows parses back to the same rows. The round trip is checked only for values the
//     writer can produce (a known type, a hex SHA-256): it never escapes those two fields.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <volback/archive/manifest.hpp>
#include <volback/archive/manifest_reader.hpp>

using namespace volback;

namespace {

bool writer_can_produce(const archive::ManifestEntry& entry) {
  static constexpr std::string_view k_types[] = {"file", "dir",  "symlink", "hardlink",
                                                 "fifo", "char", "block",   "other"};
  bool known = false;
  for (const auto type : k_types) {
    known = known || entry.type == type;
  }
  const bool hex = entry.sha256.find_first_not_of("0123456789abcdef") == std::string::npos;
  return known && hex;
}

bool same_row(const archive::ManifestEntry& a, const archive::ManifestEntry& b) {
  return a.path == b.path && a.type == b.type && a.size == b.size && a.mode == b.mode && a.uid == b.uid &&
         a.gid == b.gid && a.mtime == b.mtime && a.mtime_nsec == b.mtime_nsec && a.link == b.link &&
         a.sha256 == b.sha256;
}

bool same_rows(const std::vector<archive::ManifestEntry>& a, const std::vector<archive::ManifestEntry>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), same_row);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = archive::parse_manifest(text);

  // The same bytes in chunks of 1 to 64 bytes.
  std::vector<archive::ManifestEntry> rows;
  archive::ManifestReader reader([&rows](archive::ManifestEntry&& row) -> util::Result<void> {
    rows.push_back(std::move(row));
    return {};
  });
  const std::size_t chunk = 1 + size % 64;
  bool streamed = true;
  for (std::size_t pos = 0; pos < size && streamed; pos += chunk) {
    streamed = reader.feed(text.substr(pos, chunk)).has_value();
  }
  streamed = streamed && reader.finish().has_value();
  if (streamed != parsed.has_value() || (streamed && !same_rows(rows, parsed->entries))) {
    std::abort();  // chunking changed the verdict
  }
  if (!parsed) {
    return 0;
  }

  for (const auto& entry : parsed->entries) {
    (void)archive::volume_of(entry.path, parsed->info.sources);
    if (!writer_can_produce(entry)) {
      return 0;
    }
  }
  if (parsed->info.format != archive::k_manifest_format_version) {
    return 0;  // the writer only writes the current format
  }
  auto reparsed = archive::parse_manifest(archive::encode_manifest(parsed->info, parsed->entries));
  if (!reparsed || !same_rows(reparsed->entries, parsed->entries)) {
    std::abort();
  }
  return 0;
}
