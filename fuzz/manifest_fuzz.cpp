// Fuzzes archive::parse_manifest, the parser verify and restore run on the manifest read
// from an archive, and checks that what it accepts survives the writer's encoding: the
// rows and header re-encoded by encode_entry_row / encode_manifest_head parse back to the
// same entries. The round trip is checked only for values the writer can produce (a known
// type, a hex SHA-256): the writer never escapes those two fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <volback/archive/manifest.hpp>

using namespace volback;

namespace {

bool writer_can_produce(const archive::ManifestEntry& entry) {
  static constexpr std::string_view k_types[] = {"file", "dir", "symlink", "hardlink",
                                                 "fifo", "char", "block", "other"};
  bool known = false;
  for (const auto type : k_types) {
    known = known || entry.type == type;
  }
  const bool hex = entry.sha256.find_first_not_of("0123456789abcdef") == std::string::npos;
  return known && hex;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = archive::parse_manifest(text);
  if (!parsed) {
    return 0;
  }
  for (const auto& entry : parsed->entries) {
    (void)archive::volume_of(entry.path, parsed->info.sources);
  }
  if (parsed->info.format != archive::k_manifest_format_version) {
    return 0;  // the writer only writes the current format
  }
  for (const auto& entry : parsed->entries) {
    if (!writer_can_produce(entry)) {
      return 0;
    }
  }
  std::string again = archive::encode_manifest_head(parsed->info);
  for (std::size_t i = 0; i < parsed->entries.size(); ++i) {
    again += archive::encode_entry_row(parsed->entries[i]);
    if (i + 1 < parsed->entries.size()) {
      again += ",\n";
    }
  }
  again += archive::manifest_tail();
  auto reparsed = archive::parse_manifest(again);
  if (!reparsed || reparsed->entries.size() != parsed->entries.size()) {
    std::abort();
  }
  for (std::size_t i = 0; i < parsed->entries.size(); ++i) {
    const auto& a = parsed->entries[i];
    const auto& b = reparsed->entries[i];
    if (a.path != b.path || a.type != b.type || a.size != b.size || a.mode != b.mode || a.uid != b.uid ||
        a.gid != b.gid || a.mtime != b.mtime || a.mtime_nsec != b.mtime_nsec || a.link != b.link) {
      std::abort();
    }
  }
  return 0;
}
