#include <volback/restic/snapshot.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace volback::restic {
namespace {

const std::filesystem::path k_snapshot_docs = std::filesystem::path(VOLBACK_RESTIC_TESTDATA) / "restic_docs";

std::string read_snapshot_test_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A snapshot file as restic 0.14 wrote it (decrypted and decompressed).
const std::string k_snapshot_written_by_restic =
  R"({"time":"2026-12-02T11:37:53.53340808Z","tree":"fbc1f8d1625b484e25ea18c92510b13b7844890f49c033f8d649aef6eeff77fe",)"
  R"("paths":["/tmp/rks"],"hostname":"h1","username":"root"})";

TEST(ResticSnapshot, RoundTripsWhatResticWrote) {
  auto snapshot = parse_snapshot(k_snapshot_written_by_restic);
  ASSERT_TRUE(snapshot) << snapshot.error().message();
  EXPECT_EQ(snapshot->time, parse_rfc3339("2026-12-02T11:37:53.53340808Z").value());
  EXPECT_EQ(snapshot->tree.hex(), "fbc1f8d1625b484e25ea18c92510b13b7844890f49c033f8d649aef6eeff77fe");
  EXPECT_EQ(snapshot->paths, std::vector<std::string>{"/tmp/rks"});
  EXPECT_EQ(snapshot->hostname, "h1");
  EXPECT_EQ(snapshot->username, "root");
  EXPECT_FALSE(snapshot->parent);
  EXPECT_EQ(serialize_snapshot(*snapshot), k_snapshot_written_by_restic);
}

TEST(ResticSnapshot, WritesEveryFieldInResticsOrder) {
  Snapshot snapshot;
  snapshot.time = parse_rfc3339("2026-12-02T12:37:53+01:00").value();
  snapshot.parent = Id::parse(std::string(64, 'a')).value();
  snapshot.tree = Id::parse(std::string(64, 'b')).value();
  snapshot.paths = {"/srv/a", "/srv/\"b\""};
  snapshot.hostname = "h<1>";
  snapshot.username = "u";
  snapshot.uid = 1000;
  snapshot.gid = 1001;
  snapshot.excludes = {"*.tmp"};
  snapshot.tags = {"t1", "x y"};
  snapshot.original = Id::parse(std::string(64, 'c')).value();
  const std::string expected = R"({"time":"2026-12-02T12:37:53+01:00","parent":")" + std::string(64, 'a') +
                               R"(","tree":")" + std::string(64, 'b') +
                               R"(","paths":["/srv/a","/srv/\"b\""],"hostname":"h\u003c1\u003e","username":"u",)"
                               R"("uid":1000,"gid":1001,"excludes":["*.tmp"],"tags":["t1","x y"],"original":")" +
                               std::string(64, 'c') + "\"}";
  EXPECT_EQ(serialize_snapshot(snapshot), expected);
  EXPECT_EQ(parse_snapshot(expected).value(), snapshot);
  EXPECT_EQ(serialize_snapshot(Snapshot{}),
            R"({"time":"0001-01-01T00:00:00Z","tree":")" + std::string(64, '0') + R"(","paths":null})");
}

// Snapshots restic 0.14 wrote, as `restic cat snapshot` pretty-prints them: parsed and
// written again, they equal the compact form of the same document (keys in their order).
TEST(ResticSnapshot, ReadsSnapshotsResticWrote) {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(k_snapshot_docs)) {
    if (entry.path().filename().string().rfind("snapshot-", 0) != 0) {
      continue;
    }
    const std::string pretty = read_snapshot_test_file(entry.path());
    auto snapshot = parse_snapshot(pretty);
    ASSERT_TRUE(snapshot) << entry.path() << ": " << snapshot.error().message();
    EXPECT_EQ(serialize_snapshot(*snapshot), nlohmann::ordered_json::parse(pretty).dump()) << entry.path();
    ++files;
  }
  EXPECT_EQ(files, 3u);
}

TEST(ResticSnapshot, IgnoresFieldsOfLaterVersions) {
  std::string later = k_snapshot_written_by_restic;
  later.insert(later.size() - 1, R"(,"program_version":"restic 0.17.0","summary":{"backup_start":"x","files_new":3})");
  EXPECT_EQ(serialize_snapshot(parse_snapshot(later).value()), k_snapshot_written_by_restic);
}

TEST(ResticSnapshot, RefusesHostileSnapshots) {
  const std::string tree = R"("tree":")" + std::string(64, 'b') + "\"";
  EXPECT_TRUE(parse_snapshot("{" + tree + "}"));
  for (const std::string& json :
       {std::string(""), std::string("[]"), std::string("{}"), std::string(R"({"tree":null})"),
        std::string(R"({"tree":"abc"})"), "{" + tree + R"(,"parent":"zz"})", "{" + tree + R"(,"original":5})",
        "{" + tree + R"(,"time":"2026-13-01T00:00:00Z"})", "{" + tree + R"(,"time":5})", "{" + tree + R"(,"uid":-1})",
        "{" + tree + R"(,"gid":4294967296})", "{" + tree + R"(,"paths":"/"})", "{" + tree + R"(,"tags":[1]})",
        "{" + tree + R"(,"hostname":[]})",
        "{" + tree + R"(,"x":)" + std::string(40, '[') + std::string(40, ']') + "}"}) {
    auto snapshot = parse_snapshot(json);
    ASSERT_FALSE(snapshot) << json;
    EXPECT_EQ(snapshot.error().kind(), util::ErrorKind::corrupt) << json;
  }
}

}  // namespace
}  // namespace volback::restic
