#pragma once
// GFS retention: restic's `forget` rules as a pure function over a backend's backups.
//
//   keep-last N      the N newest backups
//   keep-hourly N    the newest backup of each of the last N hours that have one
//   keep-daily N     ... of each of the last N days        (calendar days in `zone`)
//   keep-weekly N    ... of each of the last N ISO weeks
//   keep-monthly N   ... of each of the last N months
//   keep-yearly N    ... of each of the last N years
//   keep-within D    every backup less than D older than the newest backup (not `now`)
//
// A count of -1 keeps every period. Backups are taken newest first; a backup opens a new
// period of a rule when its period differs from the last kept one's, and the rule keeps it
// while the rule has counts left. As in restic since 0.16, the oldest backup is also kept
// by a rule that still has counts left when the list ends (that keeps the longest history
// the counts allow). A backup kept by any rule stays; the reasons list every rule that
// keeps it. The newest backup is the newest one not in the future of `now`.

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include <volback/retention/prune_decision.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::retention {

struct GfsPolicy {
  int last = 0;  // each: 0 off, N > 0 that many periods, -1 every period
  int hourly = 0;
  int daily = 0;
  int weekly = 0;
  int monthly = 0;
  int yearly = 0;
  std::chrono::nanoseconds within{0};  // 0: off

  // Whether no rule is set (then GFS keeps nothing and must not be applied).
  bool empty() const;
};

struct GfsVerdict {
  std::string name;
  util::TimePoint time;
  bool keep = false;
  std::vector<std::string> reasons;  // "last", "daily", "oldest weekly", "within 72h0m0s", ...
};

// The verdict on every record, newest first (ties in time: by name, descending). Pure.
std::vector<GfsVerdict> apply_gfs(std::span<const BackupRecord> records, const GfsPolicy& policy, util::TimePoint now,
                                  const util::TimeZone& zone);

}  // namespace volback::retention
