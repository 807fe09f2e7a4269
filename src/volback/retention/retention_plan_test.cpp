#include <volback/retention/retention_plan.hpp>

#include <gtest/gtest.h>

#include <volback/retention/retention_test_records.hpp>

#include <string>
#include <vector>

namespace volback::retention {
namespace {

using namespace std::chrono_literals;

using test_records::k_now;
using test_records::time_of;

std::vector<BackupRecord> prefixed_daily(int days) {
  return test_records::daily(days, "backup-");
}

std::vector<std::string> removed(const RetentionPlan& plan) {
  return plan.decision.remove;
}

TEST(RetentionPlan, DaysAloneIsOffensRule) {
  RetentionRules rules;
  rules.days = PrunePolicy{7, 0ns, ""};
  const auto records = prefixed_daily(10);
  const auto plan = plan_retention(records, rules, k_now, util::TimeZone::utc());
  const auto offen = decide_prune(records, PrunePolicy{7, 0ns, ""}, k_now, util::TimeZone::utc());
  EXPECT_EQ(removed(plan), offen.remove);
  EXPECT_EQ(plan.decision.deadline, offen.deadline);
  EXPECT_EQ(describe_plan(plan, rules, util::TimeZone::utc())[0].text,
            describe_prune(offen, util::TimeZone::utc())[0].text);
}

TEST(RetentionPlan, GfsAloneRemovesWhatNoRuleKeeps) {
  RetentionRules rules;
  rules.gfs.last = 3;
  const auto plan = plan_retention(prefixed_daily(5), rules, k_now, util::TimeZone::utc());
  EXPECT_EQ(removed(plan), (std::vector<std::string>{"backup-2026-12-28", "backup-2026-12-27"}));
  ASSERT_EQ(plan.verdicts.size(), 5U);
  EXPECT_EQ(plan.verdicts[0].name, "backup-2026-12-31");
  EXPECT_EQ(plan.verdicts[0].kept_by, std::vector<std::string>{"last"});
  EXPECT_TRUE(plan.verdicts[4].remove);
  EXPECT_EQ(describe_plan(plan, rules, util::TimeZone::utc())[0].text,
            "Pruned 2 out of 5 backups that no BACKUP_RETENTION_KEEP_* rule keeps.");
}

TEST(RetentionPlan, WithBothRulesABackupGoesOnlyWhenBothLetItGo) {
  RetentionRules rules;
  rules.days = PrunePolicy{3, 0ns, ""};
  rules.gfs.weekly = 2;
  const auto plan = plan_retention(prefixed_daily(14), rules, k_now, util::TimeZone::utc());
  for (const auto& verdict : plan.verdicts) {
    const bool young = verdict.time >= plan.decision.deadline;
    const bool weekly = std::find(verdict.kept_by.begin(), verdict.kept_by.end(), "weekly") != verdict.kept_by.end();
    EXPECT_EQ(verdict.remove, !young && !weekly) << verdict.name;
    if (young) {
      EXPECT_EQ(verdict.kept_by.front(), "younger than the deadline") << verdict.name;
    }
  }
  // 2026-12-27 is the Sunday that ends ISO week 52: the newest of that week, kept by GFS
  // though older than the deadline.
  const auto sunday = std::find_if(plan.verdicts.begin(), plan.verdicts.end(),
                                   [](const BackupVerdict& v) { return v.name == "backup-2026-12-27"; });
  ASSERT_NE(sunday, plan.verdicts.end());
  EXPECT_FALSE(sunday->remove);
}

TEST(RetentionPlan, RemovingEveryCandidateIsRefused) {
  RetentionRules rules;
  rules.days = PrunePolicy{0, 0ns, ""};
  rules.gfs.within = 1h;  // keeps the newest only when it is the newest: here every backup is old
  auto records = prefixed_daily(3);
  const auto plan = plan_retention(records, rules, k_now + std::chrono::hours(24) * 400, util::TimeZone::utc());
  // keep-within counts from the newest backup, so it still keeps that one: nothing refused.
  EXPECT_FALSE(plan.decision.refused);
  RetentionRules days_only;
  days_only.days = PrunePolicy{0, 0ns, ""};
  const auto refused = plan_retention(records, days_only, k_now, util::TimeZone::utc());
  EXPECT_TRUE(refused.decision.refused);
  EXPECT_TRUE(removed(refused).empty());
  for (const auto& verdict : refused.verdicts) {
    EXPECT_EQ(verdict.kept_by, std::vector<std::string>{"refused"});
  }
}

TEST(RetentionPlan, OnlyThePrefixIsConsidered) {
  RetentionRules rules;
  rules.gfs.last = 1;
  rules.prefix = "backup-";
  auto records = prefixed_daily(3);
  records.push_back({"other-2020.tar.gz", time_of("2020-01-01T00:00:00Z")});
  const auto plan = plan_retention(records, rules, k_now, util::TimeZone::utc());
  EXPECT_EQ(plan.decision.candidates, 3U);
  for (const auto& name : removed(plan)) {
    EXPECT_TRUE(name.starts_with("backup-")) << name;
  }
}

}  // namespace
}  // namespace volback::retention
