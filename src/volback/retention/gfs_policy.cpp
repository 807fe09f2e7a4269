#include <volback/retention/gfs_policy.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include <date/date.h>
#include <date/iso_week.h>
#include <fmt/format.h>

#include <volback/util/duration.hpp>

namespace volback::retention {
namespace {

enum class Period { each, hour, day, week, month, year };

// A number that is equal for two times exactly when they fall in the same period.
std::int64_t period_of(const util::CivilTime& t, Period period, std::size_t index) {
  switch (period) {
  case Period::each: return static_cast<std::int64_t>(index);
  case Period::hour: return std::int64_t{t.year} * 1000000 + t.month * 10000 + t.day * 100 + t.hour;
  case Period::day: return std::int64_t{t.year} * 10000 + t.month * 100 + t.day;
  case Period::week: {
    const iso_week::year_weeknum_weekday iso{date::sys_days{
      date::year{t.year} / date::month{static_cast<unsigned>(t.month)} / date::day{static_cast<unsigned>(t.day)}}};
    return std::int64_t{static_cast<int>(iso.year())} * 100 + static_cast<unsigned>(iso.weeknum());
  }
  case Period::month: return std::int64_t{t.year} * 100 + t.month;
  case Period::year: return t.year;
  }
  return 0;
}

struct Bucket {
  int count;
  Period period;
  std::string_view reason;
  std::optional<std::int64_t> last{};
};

}  // namespace

bool GfsPolicy::empty() const {
  return last == 0 && hourly == 0 && daily == 0 && weekly == 0 && monthly == 0 && yearly == 0 && within.count() == 0;
}

std::vector<GfsVerdict> apply_gfs(std::span<const BackupRecord> records, const GfsPolicy& policy, util::TimePoint now,
                                  const util::TimeZone& zone) {
  std::vector<GfsVerdict> verdicts;
  verdicts.reserve(records.size());
  for (const auto& record : records) {
    verdicts.push_back({record.name, record.time, false, {}});
  }
  std::sort(verdicts.begin(), verdicts.end(), [](const GfsVerdict& a, const GfsVerdict& b) {
    return a.time != b.time ? a.time > b.time : a.name > b.name;
  });
  if (verdicts.empty()) {
    return verdicts;
  }
  util::TimePoint newest{};
  bool have_newest = false;
  for (const auto& v : verdicts) {
    if (v.time <= now && (!have_newest || v.time > newest)) {
      newest = v.time;
      have_newest = true;
    }
  }
  std::array<Bucket, 6> buckets{{{policy.last, Period::each, "last"},
                                 {policy.hourly, Period::hour, "hourly"},
                                 {policy.daily, Period::day, "daily"},
                                 {policy.weekly, Period::week, "weekly"},
                                 {policy.monthly, Period::month, "monthly"},
                                 {policy.yearly, Period::year, "yearly"}}};
  const std::string within_reason = fmt::format("within {}", util::format_go_duration(policy.within));
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    GfsVerdict& v = verdicts[i];
    const bool oldest = i + 1 == verdicts.size();
    if (policy.within.count() > 0 && have_newest && v.time > newest - policy.within) {
      v.keep = true;
      v.reasons.push_back(within_reason);
    }
    const util::CivilTime civil = zone.civil(v.time);
    for (auto& bucket : buckets) {
      if (bucket.count == 0) {
        continue;
      }
      const std::int64_t period = period_of(civil, bucket.period, i);
      if (bucket.last != period || oldest) {
        v.keep = true;
        v.reasons.push_back(bucket.last == period ? fmt::format("oldest {}", bucket.reason)
                                                  : std::string(bucket.reason));
        bucket.last = period;
        if (bucket.count > 0) {
          --bucket.count;
        }
      }
    }
  }
  return verdicts;
}

}  // namespace volback::retention
