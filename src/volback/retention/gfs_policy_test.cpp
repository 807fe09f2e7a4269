#include <volback/retention/gfs_policy.hpp>

#include <gtest/gtest.h>

#include <volback/retention/retention_test_records.hpp>

#include <string>
#include <vector>

namespace volback::retention {
namespace {

using namespace std::chrono_literals;

using test_records::daily;
using test_records::k_now;
using test_records::time_of;

std::vector<std::string> kept(const std::vector<GfsVerdict>& verdicts) {
  std::vector<std::string> out;
  for (const auto& v : verdicts) {
    if (v.keep) {
      out.push_back(v.name);
    }
  }
  return out;
}

TEST(Gfs, KeepLastKeepsTheNewest) {
  const auto verdicts = apply_gfs(daily(5), {.last = 3}, k_now, util::TimeZone::utc());
  EXPECT_EQ(kept(verdicts), (std::vector<std::string>{"2026-12-31", "2026-12-30", "2026-12-29"}));
  EXPECT_EQ(verdicts[0].reasons, std::vector<std::string>{"last"});
}

TEST(Gfs, KeepDailyKeepsTheNewestOfEachDay) {
  auto records = daily(10);
  records.push_back({"2026-12-31-evening", time_of("2026-12-31T20:00:00Z")});
  const auto verdicts = apply_gfs(records, {.daily = 3}, k_now, util::TimeZone::utc());
  EXPECT_EQ(kept(verdicts), (std::vector<std::string>{"2026-12-31-evening", "2026-12-30", "2026-12-29"}));
}

TEST(Gfs, WeeksAreIsoWeeks) {
  // 2026-12-31 is a Thursday of ISO week 2026-W53; 2026-12-27 (Sunday) closes W52;
  // 2026-12-20 closes W51.
  const auto verdicts = apply_gfs(daily(21), {.weekly = 3}, k_now, util::TimeZone::utc());
  EXPECT_EQ(kept(verdicts), (std::vector<std::string>{"2026-12-31", "2026-12-27", "2026-12-20"}));
}

TEST(Gfs, MonthsAndYears) {
  const auto verdicts = apply_gfs(daily(400), {.monthly = 2, .yearly = 2}, k_now, util::TimeZone::utc());
  // The newest of December (both rules), of November (monthly), of 2025 (yearly).
  EXPECT_EQ(kept(verdicts), (std::vector<std::string>{"2026-12-31", "2026-11-30", "2025-12-31"}));
  EXPECT_EQ(verdicts[0].reasons, (std::vector<std::string>{"monthly", "yearly"}));
}

TEST(Gfs, RulesCombineAsOr) {
  const auto verdicts = apply_gfs(daily(60), {.last = 2, .daily = 3, .weekly = 2}, k_now, util::TimeZone::utc());
  EXPECT_EQ(kept(verdicts), (std::vector<std::string>{"2026-12-31", "2026-12-30", "2026-12-29", "2026-12-27"}));
}

TEST(Gfs, TheOldestIsKeptWhileARuleHasCountsLeft) {
  // Ten daily periods wanted, five days of backups, two on the oldest day: each day's
  // newest, and the oldest backup too ("oldest daily").
  auto records = daily(5);
  records.push_back({"2026-12-27-early", time_of("2026-12-27T01:00:00Z")});
  const auto verdicts = apply_gfs(records, {.daily = 10}, k_now, util::TimeZone::utc());
  EXPECT_EQ(kept(verdicts).size(), 6U);
  EXPECT_EQ(verdicts.back().name, "2026-12-27-early");
  EXPECT_EQ(verdicts.back().reasons, std::vector<std::string>{"oldest daily"});
}

TEST(Gfs, UnlimitedKeepsEveryPeriod) {
  const auto verdicts = apply_gfs(daily(40), {.monthly = -1}, k_now, util::TimeZone::utc());
  EXPECT_EQ(kept(verdicts), (std::vector<std::string>{"2026-12-31", "2026-11-30", "2026-11-22"}));
  EXPECT_EQ(verdicts.back().reasons, std::vector<std::string>{"oldest monthly"});
}

TEST(Gfs, WithinCountsFromTheNewestBackupNotFromNow) {
  // The newest backup is 30 days old; within 72h keeps it and the two before it.
  const auto records = daily(10);
  const auto verdicts = apply_gfs(records, {.within = 72h}, time_of("2027-01-30T00:00:00Z"), util::TimeZone::utc());
  EXPECT_EQ(kept(verdicts), (std::vector<std::string>{"2026-12-31", "2026-12-30", "2026-12-29"}));
  EXPECT_EQ(verdicts[0].reasons, std::vector<std::string>{"within 72h0m0s"});
}

TEST(Gfs, ABackupInTheFutureIsNotTheNewest) {
  auto records = daily(5);
  records.push_back({"future", time_of("2027-06-01T00:00:00Z")});
  const auto verdicts = apply_gfs(records, {.within = 36h}, k_now, util::TimeZone::utc());
  EXPECT_EQ(kept(verdicts), (std::vector<std::string>{"future", "2026-12-31", "2026-12-30"}));
}

TEST(Gfs, DaysFollowTheZone) {
  // 23:30 UTC is already the next day in Berlin: two backups, one Berlin day.
  const std::vector<BackupRecord> records{{"a", time_of("2026-07-01T23:30:00Z")},
                                          {"b", time_of("2026-07-02T21:00:00Z")}};
  const auto berlin = util::TimeZone::named("Europe/Berlin");
  ASSERT_TRUE(berlin);
  EXPECT_EQ(kept(apply_gfs(records, {.daily = 1}, k_now, *berlin)), std::vector<std::string>{"b"});
  EXPECT_EQ(kept(apply_gfs(records, {.daily = 1}, k_now, util::TimeZone::utc())), std::vector<std::string>{"b"});
  EXPECT_EQ(kept(apply_gfs(records, {.daily = 2}, k_now, util::TimeZone::utc())), (std::vector<std::string>{"b", "a"}));
  // In Berlin both are one day, so the second daily count keeps only the oldest.
  EXPECT_EQ(apply_gfs(records, {.daily = 2}, k_now, *berlin).back().reasons, std::vector<std::string>{"oldest daily"});
}

TEST(Gfs, EmptyPolicyAndEmptyList) {
  EXPECT_TRUE(GfsPolicy{}.empty());
  EXPECT_FALSE(GfsPolicy{.within = 1h}.empty());
  EXPECT_TRUE(apply_gfs({}, {.last = 1}, k_now, util::TimeZone::utc()).empty());
}

}  // namespace
}  // namespace volback::retention
