#include <volback/restic/snapshot_lookup.hpp>

#include <gtest/gtest.h>

namespace volback::restic {
namespace {

StoredSnapshot stored(std::uint8_t tag, std::string host, std::vector<std::string> paths, std::int64_t seconds,
                      std::int32_t offset = 0) {
  StoredSnapshot s;
  s.id.bytes[0] = tag;
  s.snapshot.hostname = std::move(host);
  s.snapshot.paths = std::move(paths);
  s.snapshot.time = GoTime{.unix_seconds = seconds, .utc_offset_seconds = offset};
  return s;
}

TEST(ResticSnapshotLookup, TheParentIsTheNewestOfTheSameHostAndPaths) {
  const std::vector<StoredSnapshot> snapshots = {
    stored(1, "h", {"/a", "/b"}, 100),
    stored(2, "h", {"/b", "/a"}, 300),  // the same set of paths, in another order
    stored(3, "h", {"/a"}, 500),        // other paths
    stored(4, "other", {"/a", "/b"}, 900),
    stored(5, "h", {"/a", "/b"}, 200, 7200),
  };
  const auto parent = latest_snapshot(snapshots, "h", {"/a", "/b"});
  ASSERT_TRUE(parent);
  EXPECT_EQ(parent->id.bytes[0], 2);
  EXPECT_FALSE(latest_snapshot(snapshots, "h", {"/c"}));
  EXPECT_FALSE(latest_snapshot({}, "h", {"/a"}));
}

TEST(ResticSnapshotLookup, SameInstantIgnoresTheZone) {
  EXPECT_TRUE(same_instant({.unix_seconds = 10, .nanoseconds = 5, .utc_offset_seconds = 0},
                           {.unix_seconds = 10, .nanoseconds = 5, .utc_offset_seconds = 3600}));
  EXPECT_TRUE(same_instant({.unix_seconds = 10, .nanoseconds = 1'000'000'005}, {.unix_seconds = 11, .nanoseconds = 5}));
  EXPECT_FALSE(same_instant({.unix_seconds = 10, .nanoseconds = 5}, {.unix_seconds = 10, .nanoseconds = 6}));
}

TEST(ResticSnapshotLookup, FindsLatestAndIdPrefixes) {
  std::vector<StoredSnapshot> snapshots = {stored(1, "h", {"/a"}, 100), stored(2, "h", {"/a"}, 300),
                                           stored(3, "h", {"/b"}, 200)};
  snapshots[0].id.bytes[1] = 0xab;
  snapshots[1].id.bytes[1] = 0xcd;
  snapshots[2].id.bytes[1] = 0xce;
  EXPECT_EQ(find_snapshot(snapshots, "latest").value().id.bytes[0], 2);
  EXPECT_EQ(find_snapshot(snapshots, "01").value().id, snapshots[0].id);
  EXPECT_EQ(find_snapshot(snapshots, "02CD").value().id, snapshots[1].id);
  EXPECT_EQ(find_snapshot(snapshots, snapshots[2].id.hex()).value().id, snapshots[2].id);
  EXPECT_EQ(find_snapshot(snapshots, "0").error().kind(), util::ErrorKind::invalid_argument);  // ambiguous
  EXPECT_EQ(find_snapshot(snapshots, "04").error().kind(), util::ErrorKind::not_found);
  EXPECT_EQ(find_snapshot(snapshots, "").error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_EQ(find_snapshot(snapshots, "newest").error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_EQ(find_snapshot({}, "latest").error().kind(), util::ErrorKind::not_found);
}

}  // namespace
}  // namespace volback::restic
