#include <volback/retention/prune_decision.hpp>

#include <gtest/gtest.h>

namespace volback::retention {
namespace {

using namespace std::chrono_literals;
using util::LogLevel;
using util::TimePoint;

TimePoint at(std::string_view rfc3339) {
  const auto t = util::parse_rfc3339(rfc3339);
  EXPECT_TRUE(t) << rfc3339;
  return t.value_or(TimePoint{});
}

util::TimeZone zone(std::string_view name) {
  const auto z = util::TimeZone::named(name);
  EXPECT_TRUE(z) << name;
  return z.value_or(util::TimeZone::utc());
}

struct PruneCase {
  std::string_view title;
  std::vector<BackupRecord> records;
  PrunePolicy policy;
  std::string_view now;
  std::string_view zone;
  std::string_view deadline;  // RFC 3339 in the zone
  std::size_t candidates;
  std::vector<std::string> remove;
  bool refused;
};

std::ostream& operator<<(std::ostream& out, const PruneCase& c) {
  return out << c.title;
}

class DecidePruneTest : public ::testing::TestWithParam<PruneCase> {};

TEST_P(DecidePruneTest, Decides) {
  const auto& c = GetParam();
  const util::TimeZone z = zone(c.zone);
  const PruneDecision d = decide_prune(c.records, c.policy, at(c.now), z);
  EXPECT_EQ(util::format_rfc3339(d.deadline, z), c.deadline);
  EXPECT_EQ(d.candidates, c.candidates);
  EXPECT_EQ(d.remove, c.remove);
  EXPECT_EQ(d.refused, c.refused);
}

BackupRecord rec(std::string name, std::string_view time) {
  return BackupRecord{std::move(name), at(time)};
}

// A daily series at 03:00 UTC: backup-0 is today's, backup-N is N days old.
std::vector<BackupRecord> daily_backups(int count, std::string_view prefix = "backup-") {
  std::vector<BackupRecord> out;
  const TimePoint today = at("2026-12-10T03:00:00Z");
  for (int i = 0; i < count; ++i) {
    out.push_back(BackupRecord{std::string(prefix) + std::to_string(i), today - std::chrono::days{i}});
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(
  Table, DecidePruneTest,
  ::testing::Values(
    // offen's example: retention 7, leeway 1m, a daily job keeps 7 files. The deadline is
    // 7 days back plus a minute, so the 7-day-old backup (taken at 03:00:00) is removed and
    // the 6-day-old one is kept.
    PruneCase{"Retention7Leeway1m",
              daily_backups(10),
              {7, 1min, ""},
              "2026-12-10T03:00:30Z",
              "UTC",
              "2026-12-03T03:01:30Z",
              10,
              {"backup-7", "backup-8", "backup-9"},
              false},
    // Without leeway, a run that starts a little earlier than last week's keeps one more.
    PruneCase{"Retention7NoLeewayEarlyRun",
              daily_backups(10),
              {7, 0s, ""},
              "2026-12-10T02:59:59Z",
              "UTC",
              "2026-12-03T02:59:59Z",
              10,
              {"backup-8", "backup-9"},
              false},
    // A large leeway moves the deadline towards now.
    PruneCase{"LeewayOfADay",
              daily_backups(10),
              {7, 24h, ""},
              "2026-12-10T03:00:30Z",
              "UTC",
              "2026-12-04T03:00:30Z",
              10,
              {"backup-6", "backup-7", "backup-8", "backup-9"},
              false},
    // A negative leeway moves it away.
    PruneCase{"NegativeLeeway",
              daily_backups(10),
              {7, -1h, ""},
              "2026-12-10T03:00:30Z",
              "UTC",
              "2026-12-03T02:00:30Z",
              10,
              {"backup-8", "backup-9"},
              false},
    // A backup exactly at the deadline is kept: only "strictly before" is expired.
    PruneCase{
      "ExactDeadlineIsKept",
      {rec("a", "2026-12-03T03:01:00Z"), rec("b", "2026-12-03T03:00:59.999999999Z"), rec("c", "2026-12-10T03:00:00Z")},
      {7, 1min, ""},
      "2026-12-10T03:00:00Z",
      "UTC",
      "2026-12-03T03:01:00Z",
      3,
      {"b"},
      false},
    // Only names starting with the prefix are candidates (and counted).
    PruneCase{"PrefixFilters",
              {rec("daily-1", "2026-11-01T00:00:00Z"), rec("weekly-1", "2026-11-01T00:00:00Z"),
               rec("daily-2", "2026-12-10T00:00:00Z"), rec("xdaily-3", "2026-11-01T00:00:00Z"),
               rec("weekly-2", "2026-12-10T00:00:00Z")},
              {7, 1min, "daily-"},
              "2026-12-10T00:00:00Z",
              "UTC",
              "2026-12-03T00:01:00Z",
              2,
              {"daily-1"},
              false},
    // The prefix is a plain string prefix, case-sensitive.
    PruneCase{"PrefixIsCaseSensitive",
              {rec("Backup-1", "2026-11-01T00:00:00Z"), rec("backup-1", "2026-11-01T00:00:00Z"),
               rec("backup-2", "2026-12-10T00:00:00Z")},
              {7, 1min, "backup-"},
              "2026-12-10T00:00:00Z",
              "UTC",
              "2026-12-03T00:01:00Z",
              2,
              {"backup-1"},
              false},
    // Removal keeps the input order, whatever the times.
    PruneCase{"InputOrder",
              {rec("z", "2026-11-02T00:00:00Z"), rec("new", "2026-12-10T00:00:00Z"), rec("a", "2026-11-03T00:00:00Z"),
               rec("m", "2026-11-01T00:00:00Z")},
              {7, 1min, ""},
              "2026-12-10T00:00:00Z",
              "UTC",
              "2026-12-03T00:01:00Z",
              4,
              {"z", "a", "m"},
              false},
    // Every candidate expired (e.g. after a long outage): refuse to delete anything.
    PruneCase{"RefusesToRemoveAll",
              {rec("backup-1", "2026-11-01T00:00:00Z"), rec("backup-2", "2026-11-02T00:00:00Z"),
               rec("other", "2026-12-10T00:00:00Z")},
              {7, 1min, "backup-"},
              "2026-12-10T00:00:00Z",
              "UTC",
              "2026-12-03T00:01:00Z",
              2,
              {},
              true},
    // Retention 0: the deadline is now + leeway, so the fresh backup expires too: refused.
    PruneCase{"RetentionZeroRefuses",
              daily_backups(3),
              {0, 1min, ""},
              "2026-12-10T03:00:30Z",
              "UTC",
              "2026-12-10T03:01:30Z",
              3,
              {},
              true},
    PruneCase{"RetentionZeroSingleBackupRefuses",
              daily_backups(1),
              {0, 1min, ""},
              "2026-12-10T03:00:30Z",
              "UTC",
              "2026-12-10T03:01:30Z",
              1,
              {},
              true},
    // ... unless a candidate is newer than now + leeway.
    PruneCase{"RetentionZeroWithAFutureBackup",
              {rec("old", "2026-12-09T03:00:00Z"), rec("future", "2026-12-10T04:00:00Z")},
              {0, 1min, ""},
              "2026-12-10T03:00:00Z",
              "UTC",
              "2026-12-10T03:01:00Z",
              2,
              {"old"},
              false},
    // Nothing expired.
    PruneCase{"NothingToRemove",
              daily_backups(5),
              {7, 1min, ""},
              "2026-12-10T03:00:30Z",
              "UTC",
              "2026-12-03T03:01:30Z",
              5,
              {},
              false},
    // No records at all, or none with the prefix: nothing removed, not refused.
    PruneCase{"EmptyInput", {}, {7, 1min, ""}, "2026-12-10T03:00:00Z", "UTC", "2026-12-03T03:01:00Z", 0, {}, false},
    PruneCase{"NoCandidates",
              daily_backups(10),
              {7, 1min, "weekly-"},
              "2026-12-10T03:00:00Z",
              "UTC",
              "2026-12-03T03:01:00Z",
              0,
              {},
              false},
    // Berlin, back across the March change (2026-03-29): the deadline keeps 03:00 wall-clock
    // time, which is 6 d 23 h before now. A backup made at 03:00 CET eight days ago expires;
    // one made at 03:00:30 CET seven days ago (after the deadline) is kept.
    PruneCase{"BerlinAcrossSpringChange",
              {rec("b-8", "2026-03-25T03:00:00+01:00"), rec("b-7", "2026-03-26T03:00:30+01:00"),
               rec("b-7-early", "2026-03-26T02:59:00+01:00"), rec("b-0", "2026-04-02T03:00:00+02:00")},
              {7, 0s, ""},
              "2026-04-02T03:00:00+02:00",
              "Europe/Berlin",
              "2026-03-26T03:00:00+01:00",
              4,
              {"b-8", "b-7-early"},
              false},
    // Berlin, back across the October change (2026-10-25): 7 calendar days are 7 d 1 h, so
    // a backup exactly 7×24 h old is still kept.
    PruneCase{"BerlinAcrossAutumnChange",
              {rec("b-7x24h", "2026-10-22T02:00:00Z"), rec("b-8", "2026-10-21T03:00:00+02:00"),
               rec("b-0", "2026-10-29T03:00:00+01:00")},
              {7, 1min, ""},
              "2026-10-29T03:00:00+01:00",
              "Europe/Berlin",
              "2026-10-22T03:01:00+02:00",
              3,
              {"b-8"},
              false},
    // The same instants in UTC give a deadline 7×24 h back, which removes the 7×24 h one too.
    PruneCase{"SameInstantsInUtc",
              {rec("b-7x24h", "2026-10-22T02:00:00Z"), rec("b-8", "2026-10-21T03:00:00+02:00"),
               rec("b-0", "2026-10-29T03:00:00+01:00")},
              {7, 1min, ""},
              "2026-10-29T02:00:00Z",
              "UTC",
              "2026-10-22T02:01:00Z",
              3,
              {"b-7x24h", "b-8"},
              false}),
  [](const ::testing::TestParamInfo<PruneCase>& param_info) { return std::string(param_info.param.title); });

TEST(DecidePruneTest, DeadlineIsAddDaysPlusLeeway) {
  const util::TimeZone berlin = zone("Europe/Berlin");
  const TimePoint now = at("2026-03-30T00:00:00.123456789+02:00");
  const PruneDecision d = decide_prune({}, PrunePolicy{14, 90s, ""}, now, berlin);
  EXPECT_EQ(d.deadline, berlin.add_days(now, -14) + 90s);
}

TEST(DescribePruneTest, Refused) {
  PruneDecision d;
  d.candidates = 3;
  d.refused = true;
  const auto messages = describe_prune(d, util::TimeZone::utc());
  ASSERT_EQ(messages.size(), 2U);
  EXPECT_EQ(messages[0].level, LogLevel::warn);
  EXPECT_EQ(messages[0].text, "The current configuration would delete all 3 existing backups.");
  EXPECT_EQ(messages[1].level, LogLevel::warn);
  EXPECT_EQ(messages[1].text, "Refusing to do so, please check your configuration.");
}

TEST(DescribePruneTest, NothingPruned) {
  PruneDecision d;
  d.candidates = 5;
  auto messages = describe_prune(d, util::TimeZone::utc());
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].level, LogLevel::info);
  EXPECT_EQ(messages[0].text, "None of 5 existing backups were pruned.");

  d.candidates = 0;
  messages = describe_prune(d, util::TimeZone::utc());
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].text, "None of 0 existing backups were pruned.");
}

TEST(DescribePruneTest, Pruned) {
  PruneDecision d;
  d.deadline = at("2026-12-03T02:01:00.5Z");
  d.candidates = 2;
  d.remove = {"backup-old"};
  auto messages = describe_prune(d, util::TimeZone::utc());
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].level, LogLevel::info);
  EXPECT_EQ(messages[0].text,
            "Pruned 1 out of 2 backups as they were older than the given deadline of "
            "2026-12-03T02:01:00.5Z.");
  messages = describe_prune(d, zone("Europe/Berlin"));
  EXPECT_EQ(messages[0].text,
            "Pruned 1 out of 2 backups as they were older than the given deadline of "
            "2026-12-03T03:01:00.5+01:00.");
}

TEST(DescribePruneTest, EndToEndWithDecide) {
  const util::TimeZone berlin = zone("Europe/Berlin");
  const std::vector<BackupRecord> records{rec("backup-new", "2026-12-10T03:00:00+01:00"),
                                          rec("backup-old", "2026-11-01T03:00:00+01:00")};
  const auto d = decide_prune(records, PrunePolicy{7, 1min, "backup-"}, at("2026-12-10T03:00:05+01:00"), berlin);
  const auto messages = describe_prune(d, berlin);
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].text,
            "Pruned 1 out of 2 backups as they were older than the given deadline of "
            "2026-12-03T03:01:05+01:00.");

  const auto refused = decide_prune(records, PrunePolicy{0, 1min, "backup-"}, at("2026-12-10T03:00:05+01:00"), berlin);
  const auto warnings = describe_prune(refused, berlin);
  ASSERT_EQ(warnings.size(), 2U);
  EXPECT_EQ(warnings[0].text, "The current configuration would delete all 2 existing backups.");
}

}  // namespace
}  // namespace volback::retention
