#include <volback/restic/index_file.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace volback::restic {
namespace {

const std::filesystem::path k_restic_docs = std::filesystem::path(VOLBACK_RESTIC_TESTDATA) / "restic_docs";

std::string read_index_test_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Id index_test_id(char fill) {
  return Id::parse(std::string(64, fill)).value();
}

const std::string k_hex_a(64, 'a');
const std::string k_hex_b(64, 'b');
const std::string k_hex_c(64, 'c');

IndexFile sample_index() {
  IndexFile index;
  index.supersedes = {index_test_id('c')};
  index.packs.push_back(IndexedPack{index_test_id('a'),
                                    {PackedBlob{BlobType::data, index_test_id('b'), 0, 42, 1},
                                     PackedBlob{BlobType::tree, index_test_id('c'), 42, 1169, std::nullopt}}});
  return index;
}

const std::string k_sample_json =
  R"({"supersedes":[")" + k_hex_c + R"("],"packs":[{"id":")" + k_hex_a + R"(","blobs":[{"id":")" + k_hex_b +
  R"(","type":"data","offset":0,"length":42,"uncompressed_length":1},{"id":")" + k_hex_c +
  R"(","type":"tree","offset":42,"length":1169}]}]})"
  "\n";

std::string index_with_blob(std::string_view blob_fields) {
  return R"({"packs":[{"id":")" + k_hex_a + R"(","blobs":[{)" + std::string(blob_fields) + "}]}]}";
}

std::string blob_fields(std::string_view extra) {
  return R"("id":")" + k_hex_b + R"(","type":"data","offset":0)" + std::string(extra);
}

TEST(ResticIndexFile, WritesResticsShape) {
  EXPECT_EQ(serialize_index(sample_index()), k_sample_json);
  EXPECT_EQ(parse_index(k_sample_json).value(), sample_index());
  EXPECT_EQ(serialize_index(IndexFile{}), "{\"packs\":[]}\n");
}

// Index files written by restic 0.14 (`restic cat index`, its extra newline removed): parsed
// and written again, they come back byte for byte.
TEST(ResticIndexFile, RoundTripsIndexesResticWrote) {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(k_restic_docs)) {
    if (entry.path().filename().string().rfind("index-", 0) != 0) {
      continue;
    }
    const std::string json = read_index_test_file(entry.path());
    auto index = parse_index(json);
    ASSERT_TRUE(index) << entry.path() << ": " << index.error().message();
    EXPECT_FALSE(index->packs.empty());
    EXPECT_EQ(serialize_index(*index), json) << entry.path();
    ++files;
  }
  EXPECT_EQ(files, 3u);
}

TEST(ResticIndexFile, AcceptsWhatRestic014Accepts) {
  const std::string packs =
    R"("packs":[{"id":")" + k_hex_a + R"(","blobs":[{)" + blob_fields(R"(,"length":32)") + "}]}]";
  EXPECT_TRUE(parse_index(R"({"supersedes":null,)" + packs + "}").value().supersedes.empty());
  EXPECT_TRUE(parse_index(R"({"supersedes":[],)" + packs + "}").value().supersedes.empty());
  EXPECT_TRUE(parse_index(R"({"packs":null})").value().packs.empty());
  EXPECT_TRUE(parse_index(R"({})").value().packs.empty());
  // Unknown keys, nested or not, are skipped; whitespace and key order do not matter.
  auto extra = parse_index(" {\"x\":{\"packs\":[1,{\"y\":[]}]},\n" + packs + R"(,"z":true} )");
  ASSERT_TRUE(extra) << extra.error().message();
  ASSERT_EQ(extra->packs.size(), 1u);
  EXPECT_EQ(extra->packs[0].blobs.at(0).length, 32u);
  auto reordered = parse_index(index_with_blob(R"("length":40,"future":[{}],"offset":7,"type":"tree","id":")" +
                                               k_hex_b + R"(","uncompressed_length":null)"));
  ASSERT_TRUE(reordered) << reordered.error().message();
  EXPECT_EQ(reordered->packs[0].blobs[0], (PackedBlob{BlobType::tree, index_test_id('b'), 7, 40, std::nullopt}));
  // Overlaps and gaps are for restic check to report, not for the parser.
  const std::string overlapping = R"({"packs":[{"id":")" + k_hex_a + R"(","blobs":[{)" +
                                  blob_fields(R"(,"length":50)") + R"(},{"id":")" + k_hex_c +
                                  R"(","type":"data","offset":10,"length":50}]}]})";
  EXPECT_TRUE(parse_index(overlapping));
  // The same id as a data and as a tree blob are two blobs.
  const std::string both_types = R"({"packs":[{"id":")" + k_hex_a + R"(","blobs":[{)" + blob_fields(R"(,"length":50)") +
                                 R"(},{"id":")" + k_hex_b + R"(","type":"tree","offset":50,"length":50}]}]})";
  EXPECT_TRUE(parse_index(both_types));
}

TEST(ResticIndexFile, AcceptsTheObsoleteArrayFormat) {
  const std::string old = R"([{"id":")" + k_hex_a + R"(","blobs":[{)" + blob_fields(R"(,"length":42)") + "}]}]";
  auto index = parse_index(old);
  ASSERT_TRUE(index) << index.error().message();
  ASSERT_EQ(index->packs.size(), 1u);
  EXPECT_EQ(index->packs[0].id, index_test_id('a'));
  EXPECT_TRUE(index->supersedes.empty());
}

TEST(ResticIndexFile, RefusesCorruptIndexes) {
  const auto refused = [](const std::string& json) {
    auto index = parse_index(json);
    if (index) {
      return ::testing::AssertionFailure() << "accepted " << json;
    }
    if (index.error().kind() != util::ErrorKind::corrupt) {
      return ::testing::AssertionFailure() << "not corrupt: " << index.error().message();
    }
    return ::testing::AssertionSuccess() << index.error().message();
  };
  EXPECT_TRUE(refused(""));
  EXPECT_TRUE(refused("{"));
  EXPECT_TRUE(refused("null"));
  EXPECT_TRUE(refused("42"));
  EXPECT_TRUE(refused(k_sample_json + "{}"));
  EXPECT_TRUE(refused(R"({"packs":{}})"));
  EXPECT_TRUE(refused(R"({"packs":[1]})"));
  EXPECT_TRUE(refused(R"({"supersedes":"x","packs":[]})"));
  EXPECT_TRUE(refused(R"({"supersedes":["abc"],"packs":[]})"));
  EXPECT_TRUE(refused(R"({"packs":[{"blobs":[]}]})"));
  EXPECT_TRUE(refused(R"({"packs":[{"id":"zz","blobs":[]}]})"));
  EXPECT_TRUE(refused(R"({"packs":[{"id":")" + k_hex_a + R"(","blobs":{}}]})"));
  EXPECT_TRUE(refused(R"({"packs":[{"id":")" + k_hex_a + R"(","blobs":[null]}]})"));
  EXPECT_TRUE(refused(index_with_blob(blob_fields(R"(,"length":31)"))));
  EXPECT_TRUE(refused(index_with_blob(blob_fields(""))));
  EXPECT_TRUE(refused(index_with_blob(blob_fields(R"(,"length":-40)"))));
  EXPECT_TRUE(refused(index_with_blob(blob_fields(R"(,"length":40.5)"))));
  EXPECT_TRUE(refused(index_with_blob(blob_fields(R"(,"length":1e3)"))));
  EXPECT_TRUE(refused(index_with_blob(blob_fields(R"(,"length":"40")"))));
  EXPECT_TRUE(refused(index_with_blob(blob_fields(R"(,"length":4294967296)"))));
  EXPECT_TRUE(refused(index_with_blob(blob_fields(R"(,"length":40,"uncompressed_length":0)"))));
  EXPECT_TRUE(refused(index_with_blob(blob_fields(R"(,"length":40,"uncompressed_length":99999999999999999999)"))));
  EXPECT_TRUE(refused(index_with_blob(R"("type":"data","offset":0,"length":40)")));
  EXPECT_TRUE(refused(index_with_blob(R"("id":")" + k_hex_b + R"(","offset":0,"length":40)")));
  EXPECT_TRUE(refused(index_with_blob(R"("id":")" + k_hex_b + R"(","type":"Data","length":40)")));
  EXPECT_TRUE(refused(index_with_blob(R"("id":")" + k_hex_b + R"(","type":1,"length":40)")));
  EXPECT_TRUE(refused(index_with_blob(R"("id":")" + std::string(63, 'b') + R"(","type":"data","length":40)")));
  const std::string duplicate = R"({"packs":[{"id":")" + k_hex_a + R"(","blobs":[{)" + blob_fields(R"(,"length":50)") +
                                R"(},{"id":")" + k_hex_b + R"(","type":"data","offset":50,"length":50}]}]})";
  EXPECT_TRUE(refused(duplicate));
  EXPECT_TRUE(refused(std::string(100000, '[') + std::string(100000, ']')));
}

long index_test_peak_rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      return std::stol(line.substr(6));
    }
  }
  return -1;
}

// A full index file as restic 0.14 writes it in repository version 2: 150 000 blobs, 20 MB of
// JSON. The result takes 52 bytes per blob (7.8 MB) plus the vectors' spare capacity; the
// parser's own state is a few strings. Run alone (--gtest_filter=*ParsesALargeIndex), the peak
// resident size grew by 10 MiB while parsing (measured: 10236 KiB), near the size of the
// result; a DOM of the same document takes several times the document's size.
TEST(ResticIndexFile, ParsesALargeIndex) {
  std::string json;
  json.reserve(21'000'000);
  json += "{\"packs\":[";
  for (std::uint32_t p = 0; p < 3000; ++p) {
    json += p == 0 ? "{\"id\":\"" : ",{\"id\":\"";
    json += Id::of("pack" + std::to_string(p)).hex() + "\",\"blobs\":[";
    std::uint32_t offset = 0;
    for (std::uint32_t b = 0; b < 50; ++b) {
      const std::uint32_t length = 1000 + b * 7;
      json += b == 0 ? "{\"id\":\"" : ",{\"id\":\"";
      json += Id::of(std::to_string(p) + "/" + std::to_string(b)).hex();
      json += b % 5 == 0 ? "\",\"type\":\"tree\"" : "\",\"type\":\"data\"";
      json += ",\"offset\":" + std::to_string(offset) + ",\"length\":" + std::to_string(length);
      if (b % 2 == 0) {
        json += ",\"uncompressed_length\":" + std::to_string(length * 3);
      }
      json += '}';
      offset += length;
    }
    json += "]}";
  }
  json += "]}\n";
  const long peak_before = index_test_peak_rss_kib();
  const auto start = std::chrono::steady_clock::now();
  auto parsed = parse_index(json);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const long peak_after = index_test_peak_rss_kib();
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->packs.size(), 3000u);
  EXPECT_EQ(serialize_index(*parsed), json);
  std::printf("index of 150000 blobs: %zu bytes of JSON, parsed in %lld ms, peak RSS grew by %ld KiB\n", json.size(),
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()),
              peak_after - peak_before);
}

}  // namespace
}  // namespace volback::restic
