#include <volback/app/backup/repository_retention.hpp>

#include <gtest/gtest.h>

#include <volback/restic/go_json.hpp>

namespace volback::app {
namespace {

using namespace std::chrono_literals;

const util::TimePoint k_now = util::TimePoint(std::chrono::seconds(1'764'000'000));

restic::StoredSnapshot snapshot_at(std::uint8_t tag, util::TimePoint time, std::string host,
                                   std::vector<std::string> paths = {"/backup"}) {
  restic::StoredSnapshot stored;
  stored.id.bytes.fill(tag);
  stored.snapshot.time = restic::go_time_of(time);
  stored.snapshot.hostname = std::move(host);
  stored.snapshot.paths = std::move(paths);
  return stored;
}

std::vector<restic::StoredSnapshot> daily_snapshots() {
  std::vector<restic::StoredSnapshot> out;
  for (std::uint8_t day = 0; day < 5; ++day) {
    out.push_back(snapshot_at(day + 1, k_now - 24h * day, "vps"));
  }
  out.push_back(snapshot_at(0x10, k_now - 24h * 30, "laptop"));               // another host
  out.push_back(snapshot_at(0x11, k_now - 24h * 30, "vps", {"/elsewhere"}));  // other paths
  return out;
}

std::vector<std::uint8_t> tags_of(const std::vector<restic::Id>& ids) {
  std::vector<std::uint8_t> out;
  for (const auto& id : ids) {
    out.push_back(id.bytes[0]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(RepositoryRetentionTest, GfsForgetsOnlyThisHostsAndPathsSnapshots) {
  retention::RetentionSettings settings;
  settings.gfs.last = 2;
  const auto forget =
    snapshots_to_forget(daily_snapshots(), {"vps", {"/backup"}}, settings, k_now, util::TimeZone::utc());
  EXPECT_EQ(tags_of(forget), (std::vector<std::uint8_t>{3, 4, 5}));
}

TEST(RepositoryRetentionTest, RetentionDaysIsKeepWithin) {
  retention::RetentionSettings settings;
  settings.retention_days = 2;  // within 48h of the newest: days 0, 1 (and 2 exactly is not within)
  const auto forget =
    snapshots_to_forget(daily_snapshots(), {"vps", {"/backup"}}, settings, k_now, util::TimeZone::utc());
  EXPECT_EQ(tags_of(forget), (std::vector<std::uint8_t>{3, 4, 5}));
}

TEST(RepositoryRetentionTest, NoRuleForgetsNothing) {
  const retention::RetentionSettings settings;
  EXPECT_TRUE(
    snapshots_to_forget(daily_snapshots(), {"vps", {"/backup"}}, settings, k_now, util::TimeZone::utc()).empty());
}

}  // namespace
}  // namespace volback::app
