#pragma once
// Backup lists for the retention module's tests (not part of the library).

#include <string>
#include <string_view>
#include <vector>

#include <volback/retention/prune_decision.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/time_zone.hpp>

namespace volback::retention::test_records {

inline util::TimePoint time_of(std::string_view text) {
  return *util::parse_rfc3339(text);
}

// The tests' "now": just after the last backup of daily().
inline const util::TimePoint k_now = time_of("2027-01-01T00:00:00Z");

// One backup a day at 03:00 UTC, `days` of them ending on 2026-12-31, named
// `<prefix><date>`, newest first.
inline std::vector<BackupRecord> daily(int days, std::string_view prefix = "") {
  std::vector<BackupRecord> out;
  const auto last = time_of("2026-12-31T03:00:00Z");
  for (int i = 0; i < days; ++i) {
    const auto t = last - std::chrono::hours(24) * i;
    out.push_back({std::string(prefix) + util::format_rfc3339(t, util::TimeZone::utc()).substr(0, 10), t});
  }
  return out;
}

}  // namespace volback::retention::test_records
