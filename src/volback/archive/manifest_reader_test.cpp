#include <volback/archive/manifest_reader.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace volback::archive {
namespace {

ManifestEntry row(std::string path, std::string type = "file") {
  ManifestEntry e;
  e.path = std::move(path);
  e.type = std::move(type);
  e.size = 3;
  e.mode = 0644;
  e.sha256 = std::string(64, 'a');
  return e;
}

// Feeds `text` in chunks of `chunk` bytes; the rows read, or the error.
util::Result<std::vector<ManifestEntry>> read(std::string_view text, std::size_t chunk = 7) {
  std::vector<ManifestEntry> rows;
  ManifestReader reader([&rows](ManifestEntry&& r) -> util::Result<void> {
    rows.push_back(std::move(r));
    return {};
  });
  for (std::size_t at = 0; at < text.size(); at += chunk) {
    VOLBACK_TRY(reader.feed(text.substr(at, chunk)));
  }
  VOLBACK_TRY(reader.finish());
  return rows;
}

std::string doc(const std::vector<ManifestEntry>& rows) {
  ManifestInfo info;
  info.sources = "backup";
  return encode_manifest(info, rows);
}

TEST(ManifestReader, ReadsTheWritersLayoutInAnyChunking) {
  const auto text = doc({row("backup", "dir"), row("backup/v/a"), row("backup/v/b")});
  for (std::size_t chunk : {1u, 7u, 4096u}) {
    const auto rows = read(text, chunk);
    ASSERT_TRUE(rows) << rows.error().message();
    ASSERT_EQ(rows->size(), 3u);
    EXPECT_EQ((*rows)[2].path, "backup/v/b");
  }
  EXPECT_TRUE(read(doc({})));
}

TEST(ManifestReader, RefusesOtherLayoutsAndTrailingData) {
  const auto text = doc({row("backup/v/a"), row("backup/v/b")});
  EXPECT_FALSE(read(text + "x"));
  EXPECT_FALSE(read(text + "\n"));
  EXPECT_FALSE(read(text.substr(0, text.size() - 4)));  // cut off
  EXPECT_FALSE(read("{\"manifest_version\":1,\"entries\":[]}"));
  // A row count that differs from entry_count.
  ManifestInfo info;
  info.entry_count = 5;
  std::string lying = encode_manifest_head(info) + encode_entry_row(row("x")) + std::string(manifest_tail());
  const auto r = read(lying);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("entry_count"), std::string::npos);
}

TEST(ManifestReader, AnOverlongLineIsCorruptWithoutBeingBuffered) {
  ManifestInfo info;
  info.volback_version = std::string(k_max_manifest_line + 10, 'v');
  const auto r = read(encode_manifest(info, {}), 65536);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), util::ErrorKind::corrupt);
  EXPECT_NE(r.error().message().find("longer than"), std::string::npos);
}

TEST(ManifestReader, RowsThatAreNotRowsAreCorrupt) {
  ManifestInfo info;
  info.entry_count = 1;
  for (const char* bad :
       {"[1,2]", "{\"type\":5,\"path\":\"x\"}", "{\"path\":\"x\"}", "{\"type\":\"file\",\"path_hex\":\"zz\"}",
        // Numbers a field's type cannot hold are corrupt, never converted.
        "{\"type\":\"file\",\"path\":\"x\",\"mtime\":1e300}", "{\"type\":\"file\",\"path\":\"x\",\"size\":-1}",
        "{\"type\":\"file\",\"path\":\"x\",\"mode\":4294967296}",
        "{\"type\":\"file\",\"path\":\"x\",\"mtime_nsec\":\"7\"}"}) {
    const auto r = read(encode_manifest_head(info) + bad + std::string(manifest_tail()));
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().kind(), util::ErrorKind::corrupt) << bad;
  }
}

}  // namespace
}  // namespace volback::archive
