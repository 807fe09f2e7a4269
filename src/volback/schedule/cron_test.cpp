#include <volback/schedule/cron.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace volback::schedule {
namespace {

using util::TimeZone;

util::TimePoint at(std::string_view rfc3339) {
  auto t = util::parse_rfc3339(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return *t;
}

std::string utc(util::TimePoint t) {
  return util::format_rfc3339(t, TimeZone::utc());
}

TimeZone zone(std::string_view name) {
  auto z = TimeZone::named(name);
  EXPECT_TRUE(z.has_value()) << name;
  return z ? *z : TimeZone::utc();
}

// The next `count` fire times after `from`, each computed from the previous one, as the
// daemon does.
std::vector<std::string> fires(std::string_view expression, std::string_view zone_name, std::string_view from,
                               int count) {
  auto schedule = parse_cron(expression, zone(zone_name));
  EXPECT_TRUE(schedule.has_value()) << expression << ": " << schedule.error().message();
  std::vector<std::string> out;
  if (!schedule) {
    return out;
  }
  auto t = at(from);
  for (int i = 0; i < count; ++i) {
    const auto next = next_fire(*schedule, t);
    if (!next) {
      out.emplace_back("never");
      break;
    }
    out.push_back(utc(*next));
    t = *next;
  }
  return out;
}

struct FireCase {
  std::string_view expression;
  std::string_view zone;
  std::string_view from;
  std::vector<std::string> expected;  // UTC
};

class NextFire : public ::testing::TestWithParam<FireCase> {};

TEST_P(NextFire, MatchesRobfigCron) {
  const auto& c = GetParam();
  EXPECT_EQ(fires(c.expression, c.zone, c.from, static_cast<int>(c.expected.size())), c.expected)
    << c.expression << " in " << c.zone << " after " << c.from;
}

INSTANTIATE_TEST_SUITE_P(
  Table, NextFire,
  ::testing::Values(
    // The reference deployment: daily at 03:00, across the October DST change.
    FireCase{"0 3 * * *",
             "UTC",
             "2026-10-23T12:00:00Z",
             {"2026-10-24T03:00:00Z", "2026-10-25T03:00:00Z", "2026-10-26T03:00:00Z", "2026-10-27T03:00:00Z",
              "2026-10-28T03:00:00Z"}},
    FireCase{"0 3 * * *",
             "Europe/Berlin",
             "2026-10-23T12:00:00Z",
             {"2026-10-24T01:00:00Z", "2026-10-25T02:00:00Z", "2026-10-26T02:00:00Z", "2026-10-27T02:00:00Z",
              "2026-10-28T02:00:00Z"}},
    // Spring forward (02:00 CET → 03:00 CEST on 2026-03-29): 02:30 does not exist that
    // day and is skipped, as robfig does.
    FireCase{"30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", {"2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z"}},
    FireCase{"0 3 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", {"2026-03-29T01:00:00Z", "2026-03-30T01:00:00Z"}},
    FireCase{"0 * * * *", "Europe/Berlin", "2026-03-29T00:30:00Z", {"2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"}},
    // Fall back (03:00 CEST → 02:00 CET on 2026-10-25): 02:30 happens twice and fires
    // at both instants, as robfig does.
    FireCase{"30 2 * * *",
             "Europe/Berlin",
             "2026-10-24T22:00:00Z",
             {"2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", "2026-10-26T01:30:00Z"}},
    FireCase{"0 * * * *",
             "Europe/Berlin",
             "2026-10-24T23:30:00Z",
             {"2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z"}},
    // Feb 29 and the 31st.
    FireCase{"0 0 29 2 *", "UTC", "2026-01-01T00:00:00Z", {"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"}},
    FireCase{"0 0 31 * *",
             "UTC",
             "2026-01-31T00:00:00Z",
             {"2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z", "2026-08-31T00:00:00Z"}},
    FireCase{"0 12 31 12 *", "Europe/Berlin", "2026-06-01T00:00:00Z", {"2026-12-31T11:00:00Z"}},
    // Sunday as 0, 7 or SUN (2026-11-26 is a Thursday).
    FireCase{"0 12 * * 0", "UTC", "2026-11-26T13:00:00Z", {"2026-11-29T12:00:00Z", "2026-12-06T12:00:00Z"}},
    FireCase{"0 12 * * 7", "UTC", "2026-11-26T13:00:00Z", {"2026-11-29T12:00:00Z", "2026-12-06T12:00:00Z"}},
    FireCase{"0 12 * * sun", "UTC", "2026-11-26T13:00:00Z", {"2026-11-29T12:00:00Z"}},
    FireCase{"0 12 * * 5-7",
             "UTC",
             "2026-11-26T13:00:00Z",
             {"2026-11-27T12:00:00Z", "2026-11-28T12:00:00Z", "2026-11-29T12:00:00Z", "2026-12-04T12:00:00Z"}},
    FireCase{"0 12 * * MON-FRI", "UTC", "2026-11-27T13:00:00Z", {"2026-11-30T12:00:00Z"}},
    // Day of month OR day of week when both are restricted; AND when one is * or ?.
    FireCase{"0 0 13 * 5",
             "UTC",
             "2026-11-26T01:00:00Z",
             {"2026-11-27T00:00:00Z", "2026-12-04T00:00:00Z", "2026-12-11T00:00:00Z", "2026-12-13T00:00:00Z"}},
    FireCase{"0 0 13 * ?", "UTC", "2026-11-26T01:00:00Z", {"2026-12-13T00:00:00Z"}},
    // Seconds, steps, lists, names.
    FireCase{"*/2 * * * * *", "UTC", "2026-11-26T10:00:00.3Z", {"2026-11-26T10:00:02Z", "2026-11-26T10:00:04Z"}},
    FireCase{"0 5/15 * * * *", "UTC", "2026-11-26T10:06:00Z", {"2026-11-26T10:20:00Z", "2026-11-26T10:35:00Z"}},
    FireCase{"0 0 1 JAN,jul *", "UTC", "2026-02-01T00:00:00Z", {"2026-07-01T00:00:00Z", "2027-01-01T00:00:00Z"}},
    FireCase{"0 22-23/1,3 * * *", "UTC", "2026-11-26T22:30:00Z", {"2026-11-26T23:00:00Z", "2026-11-27T03:00:00Z"}},
    // Descriptors.
    FireCase{"@daily", "UTC", "2026-11-26T10:00:00Z", {"2026-11-27T00:00:00Z"}},
    FireCase{"@midnight", "Europe/Berlin", "2026-11-26T10:00:00Z", {"2026-11-26T23:00:00Z"}},
    FireCase{"@hourly", "UTC", "2026-11-26T10:00:00Z", {"2026-11-26T11:00:00Z"}},
    FireCase{"@weekly", "UTC", "2026-11-26T10:00:00Z", {"2026-11-29T00:00:00Z"}},
    FireCase{"@monthly", "UTC", "2026-11-26T10:00:00Z", {"2026-12-01T00:00:00Z"}},
    FireCase{"@yearly", "UTC", "2026-11-26T10:00:00Z", {"2027-01-01T00:00:00Z"}},
    FireCase{"@annually", "UTC", "2026-11-26T10:00:00Z", {"2027-01-01T00:00:00Z"}},
    FireCase{"@every 90s", "UTC", "2026-11-26T10:00:00.5Z", {"2026-11-26T10:01:30Z", "2026-11-26T10:03:00Z"}},
    FireCase{"@every 1.5s", "UTC", "2026-11-26T10:00:00Z", {"2026-11-26T10:00:01Z"}},
    FireCase{"@every 1s", "UTC", "2026-11-26T10:00:00Z", {"2026-11-26T10:00:01Z", "2026-11-26T10:00:02Z"}},
    // Zone prefixes override the default zone.
    FireCase{"CRON_TZ=Europe/Berlin 0 3 * * *", "UTC", "2026-11-26T00:00:00Z", {"2026-11-26T02:00:00Z"}},
    FireCase{"TZ=America/New_York 0 3 * * *", "Europe/Berlin", "2026-11-26T00:00:00Z", {"2026-11-26T08:00:00Z"}},
    // Never.
    FireCase{"0 0 5 31 2 ?", "UTC", "2026-11-26T00:00:00Z", {"never"}},
    FireCase{"0 0 30 2 *", "Europe/Berlin", "2026-11-26T00:00:00Z", {"never"}}));

TEST(NeverFires, RecognisesImpossibleDatesWithoutFalseAlarms) {
  const auto now = at("2026-11-26T10:00:00Z");
  for (const auto* never : {"0 0 5 31 2 ?", "0 0 31 4 *", "0 0 0 30 2 *", "CRON_TZ=Europe/Berlin 0 0 31 11 *"}) {
    auto s = parse_cron(never, TimeZone::utc());
    ASSERT_TRUE(s.has_value()) << never;
    EXPECT_TRUE(never_fires(*s, now)) << never;
  }
  for (const auto* fine :
       {"*/2 * * * * *", "0 0 3 * * *", "0 3 * * *", "0 0 29 2 *", "@daily", "@every 1h", "0 0 0 31 12 ?"}) {
    auto s = parse_cron(fine, TimeZone::utc());
    ASSERT_TRUE(s.has_value()) << fine;
    EXPECT_FALSE(never_fires(*s, now)) << fine;
  }
}

TEST(NextFire, EveryPastTheLastRepresentableTimeIsNever) {
  // Found by fuzz/cron_fuzz.cpp: 2.1 million hours (240 years) is a valid Go duration, and
  // adding it to a time point in nanoseconds overflowed (undefined behaviour) instead of
  // saying never.
  auto s = parse_cron("@every 2100000h", TimeZone::utc());
  ASSERT_TRUE(s.has_value()) << s.error().message();
  EXPECT_EQ(next_fire(*s, at("2026-11-26T10:00:00Z")), std::nullopt);
  EXPECT_TRUE(never_fires(*s, at("2026-11-26T10:00:00Z")));
  auto max = parse_cron("@every 2562047h47m16s", TimeZone::utc());  // Go's longest duration
  ASSERT_TRUE(max.has_value()) << max.error().message();
  EXPECT_EQ(next_fire(*max, at("2026-11-26T10:00:00Z")), std::nullopt);
  // 200 years from 2026 is still representable.
  auto far = parse_cron("@every 1752000h", TimeZone::utc());
  ASSERT_TRUE(far.has_value());
  const auto next = next_fire(*far, at("2026-11-26T10:00:00Z"));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(*next, at("2026-11-26T10:00:00Z") + std::chrono::hours(1752000));
}

struct BadCase {
  std::string_view expression;
  std::string_view reason;
};

class ParseError : public ::testing::TestWithParam<BadCase> {};

TEST_P(ParseError, NamesTheProblem) {
  const auto& c = GetParam();
  auto s = parse_cron(c.expression, TimeZone::utc());
  ASSERT_FALSE(s.has_value()) << c.expression;
  EXPECT_EQ(s.error().kind(), util::ErrorKind::invalid_argument);
  EXPECT_NE(s.error().message().find(c.reason), std::string::npos) << s.error().message();
}

INSTANTIATE_TEST_SUITE_P(
  Table, ParseError,
  ::testing::Values(
    BadCase{"", "empty spec string"}, BadCase{"   ", "empty spec string"},
    BadCase{"* * * *", "expected 5 to 6 fields, found 4"}, BadCase{"* * * * * * *", "expected 5 to 6 fields, found 7"},
    BadCase{"60 * * * * *", "end of range (60) above maximum (59): 60"},
    BadCase{"0 24 * * *", "end of range (24) above maximum (23)"},
    BadCase{"0 0 0 * *", "beginning of range (0) below minimum (1)"}, BadCase{"0 0 * 13 *", "above maximum (12)"},
    BadCase{"0 0 * * 8", "above maximum (7)"}, BadCase{"0 0 * * MON-SUN", "beyond end of range"},
    BadCase{"5-3 * * * *", "beyond end of range"}, BadCase{"*/0 * * * *", "step of range should be a positive number"},
    BadCase{"1-2-3 * * * *", "too many hyphens"}, BadCase{"*/2/3 * * * *", "too many slashes"},
    BadCase{"a * * * *", "failed to parse int from a"}, BadCase{"0 0 * * FOO", "failed to parse int from FOO"},
    BadCase{"@fortnightly", "unrecognized descriptor"}, BadCase{"@every 1d", "failed to parse duration"},
    BadCase{"@every 0s", "the interval of @every 0s is below the minimum of 1s"},
    BadCase{"@every 0", "below the minimum of 1s"}, BadCase{"@every 100ms", "below the minimum of 1s"},
    BadCase{"@every 999ms", "below the minimum of 1s"}, BadCase{"@every -5m", "below the minimum of 1s"},
    BadCase{"CRON_TZ=Mars/Base 0 3 * * *", "provided bad location Mars/Base"},
    BadCase{"CRON_TZ=Europe/Berlin", "missing fields"}));

TEST(ParseCron, KeepsExpressionAndZone) {
  auto s = parse_cron("  CRON_TZ=Europe/Berlin 0 3 * * *  ", TimeZone::utc());
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->expression(), "CRON_TZ=Europe/Berlin 0 3 * * *");
  EXPECT_EQ(s->zone().name(), "Europe/Berlin");
  auto plain = parse_cron("@daily", zone("Europe/Berlin"));
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->zone().name(), "Europe/Berlin");
}

}  // namespace
}  // namespace volback::schedule
