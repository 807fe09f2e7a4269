#include <volback/util/time_zone.hpp>

#include <gtest/gtest.h>

namespace volback::util {
namespace {

using namespace std::chrono_literals;

TimePoint at(std::string_view rfc3339) {
  const auto t = parse_rfc3339(rfc3339);
  EXPECT_TRUE(t) << rfc3339 << ": " << t.error().message();
  return t.value_or(TimePoint{});
}

TimeZone zone(std::string_view name) {
  const auto z = TimeZone::named(name);
  EXPECT_TRUE(z) << name;
  return z.value_or(TimeZone::utc());
}

TEST(TimeZoneTest, Names) {
  EXPECT_EQ(TimeZone::utc().name(), "UTC");
  EXPECT_EQ(zone("Etc/UTC").name(), "UTC");
  EXPECT_EQ(zone("Europe/Berlin").name(), "Europe/Berlin");
  const auto unknown = TimeZone::named("Mars/Olympus_Mons");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind(), ErrorKind::invalid_argument);
  EXPECT_NE(unknown.error().message().find("Mars/Olympus_Mons"), std::string::npos);
  EXPECT_FALSE(TimeZone::named(""));
  EXPECT_FALSE(TimeZone::system_default().name().empty());
}

TEST(TimeZoneCivilTest, Utc) {
  const CivilTime c = TimeZone::utc().civil(at("2021-08-29T04:05:06.123456789Z"));
  EXPECT_EQ(c.year, 2021);
  EXPECT_EQ(c.month, 8);
  EXPECT_EQ(c.day, 29);
  EXPECT_EQ(c.hour, 4);
  EXPECT_EQ(c.minute, 5);
  EXPECT_EQ(c.second, 6);
  EXPECT_EQ(c.nanosecond, 123456789);
  EXPECT_EQ(c.weekday, 0);  // Sunday
  EXPECT_EQ(c.year_day, 241);
  EXPECT_EQ(c.utc_offset, 0);
  EXPECT_EQ(c.abbreviation, "UTC");
}

TEST(TimeZoneCivilTest, Epoch) {
  const CivilTime c = TimeZone::utc().civil(TimePoint{});
  EXPECT_EQ(c.year, 1970);
  EXPECT_EQ(c.month, 1);
  EXPECT_EQ(c.day, 1);
  EXPECT_EQ(c.weekday, 4);  // Thursday
  EXPECT_EQ(c.year_day, 1);
}

TEST(TimeZoneCivilTest, BeforeTheEpochRoundsDown) {
  const CivilTime c = TimeZone::utc().civil(TimePoint{} - 1ns);
  EXPECT_EQ(c.year, 1969);
  EXPECT_EQ(c.month, 12);
  EXPECT_EQ(c.day, 31);
  EXPECT_EQ(c.hour, 23);
  EXPECT_EQ(c.minute, 59);
  EXPECT_EQ(c.second, 59);
  EXPECT_EQ(c.nanosecond, 999'999'999);
  EXPECT_EQ(c.weekday, 3);
  EXPECT_EQ(c.year_day, 365);
}

TEST(TimeZoneCivilTest, LeapYearDay) {
  const CivilTime c = TimeZone::utc().civil(at("2024-12-31T12:00:00Z"));
  EXPECT_EQ(c.year_day, 366);
  EXPECT_EQ(c.weekday, 2);
}

TEST(TimeZoneCivilTest, BerlinAcrossTheSpringChange) {
  const TimeZone berlin = zone("Europe/Berlin");
  // 2025-03-30: clocks jump from 02:00 CET to 03:00 CEST at 01:00 UTC.
  const CivilTime before = berlin.civil(at("2025-03-30T00:59:59Z"));
  EXPECT_EQ(before.hour, 1);
  EXPECT_EQ(before.minute, 59);
  EXPECT_EQ(before.utc_offset, 3600);
  EXPECT_EQ(before.abbreviation, "CET");
  const CivilTime after = berlin.civil(at("2025-03-30T01:00:00Z"));
  EXPECT_EQ(after.hour, 3);
  EXPECT_EQ(after.minute, 0);
  EXPECT_EQ(after.utc_offset, 7200);
  EXPECT_EQ(after.abbreviation, "CEST");
  EXPECT_EQ(after.day, 30);
  EXPECT_EQ(after.weekday, 0);
}

TEST(TimeZoneCivilTest, BerlinAcrossTheAutumnChange) {
  const TimeZone berlin = zone("Europe/Berlin");
  // 2025-10-26: clocks go back from 03:00 CEST to 02:00 CET at 01:00 UTC; 02:30 happens twice.
  const CivilTime first = berlin.civil(at("2025-10-26T00:30:00Z"));
  EXPECT_EQ(first.hour, 2);
  EXPECT_EQ(first.minute, 30);
  EXPECT_EQ(first.abbreviation, "CEST");
  const CivilTime second = berlin.civil(at("2025-10-26T01:30:00Z"));
  EXPECT_EQ(second.hour, 2);
  EXPECT_EQ(second.minute, 30);
  EXPECT_EQ(second.abbreviation, "CET");
  EXPECT_EQ(second.utc_offset, 3600);
}

TEST(TimeZoneCivilTest, DayChangesWithTheZone) {
  const CivilTime c = zone("America/New_York").civil(at("2022-01-01T03:00:00Z"));
  EXPECT_EQ(c.year, 2021);
  EXPECT_EQ(c.month, 12);
  EXPECT_EQ(c.day, 31);
  EXPECT_EQ(c.hour, 22);
  EXPECT_EQ(c.year_day, 365);
  EXPECT_EQ(c.utc_offset, -5 * 3600);
  EXPECT_EQ(c.abbreviation, "EST");
}

struct AddDaysCase {
  std::string_view zone;
  std::string_view from;
  int days;
  std::string_view expected;   // RFC 3339 in the zone
  std::chrono::hours elapsed;  // |to - from|
};

class AddDaysTest : public ::testing::TestWithParam<AddDaysCase> {};

TEST_P(AddDaysTest, KeepsTheWallClockTime) {
  const auto& c = GetParam();
  const TimeZone z = zone(c.zone);
  const TimePoint from = at(c.from);
  const TimePoint to = z.add_days(from, c.days);
  EXPECT_EQ(format_rfc3339(to, z), c.expected);
  const auto elapsed = to > from ? to - from : from - to;
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::hours>(elapsed).count(), c.elapsed.count());
}

INSTANTIATE_TEST_SUITE_P(
  Cases, AddDaysTest,
  ::testing::Values(AddDaysCase{"UTC", "2025-03-30T03:00:00Z", -7, "2025-03-23T03:00:00Z", 168h},
                    AddDaysCase{"UTC", "2024-03-01T00:00:00Z", -1, "2024-02-29T00:00:00Z", 24h},
                    AddDaysCase{"UTC", "2025-03-30T03:00:00Z", 0, "2025-03-30T03:00:00Z", 0h},
                    // Zones without transitions: one period from date's earliest to its latest second,
                    // whose bounds overflowed when compared in nanoseconds (signed overflow under UBSan).
                    AddDaysCase{"GMT", "2023-11-14T22:13:20Z", -7, "2023-11-07T22:13:20Z", 168h},
                    AddDaysCase{"Etc/GMT-2", "2023-11-15T00:13:20+02:00", -7, "2023-11-08T00:13:20+02:00", 168h},
                    // Back over the spring change: 7 calendar days are 6 d 23 h.
                    AddDaysCase{"Europe/Berlin", "2025-04-02T03:00:00+02:00", -7, "2025-03-26T03:00:00+01:00", 167h},
                    // Forward over it: one day is 23 h.
                    AddDaysCase{"Europe/Berlin", "2025-03-29T12:00:00+01:00", 1, "2025-03-30T12:00:00+02:00", 23h},
                    // Back over the autumn change: 7 calendar days are 7 d 1 h.
                    AddDaysCase{"Europe/Berlin", "2025-10-29T03:00:00+01:00", -7, "2025-10-22T03:00:00+02:00", 169h},
                    // Forward over it: one day is 25 h.
                    AddDaysCase{"Europe/Berlin", "2025-10-25T12:00:00+02:00", 1, "2025-10-26T12:00:00+01:00", 25h},
                    // Midnight, the default cron time, stays midnight.
                    AddDaysCase{"Europe/Berlin", "2025-11-01T00:00:00+01:00", -14, "2025-10-18T00:00:00+02:00", 337h},
                    AddDaysCase{"Europe/Berlin", "2025-04-05T00:00:00+02:00", -14, "2025-03-22T00:00:00+01:00", 335h},
                    // Many days, across both changes.
                    AddDaysCase{"Europe/Berlin", "2025-12-01T03:00:00+01:00", -365, "2024-12-01T03:00:00+01:00", 8760h},
                    AddDaysCase{"America/New_York", "2025-03-10T09:00:00-04:00", -2, "2025-03-08T09:00:00-05:00",
                                47h}));

TEST(AddDaysTest, GapMovesForwardByTheGapAsGoDoes) {
  const TimeZone berlin = zone("Europe/Berlin");
  // 02:30 on 2025-03-30 does not exist in Berlin; Go's AddDate gives 03:30 CEST.
  const TimePoint to = berlin.add_days(at("2025-03-29T02:30:00+01:00"), 1);
  EXPECT_EQ(format_rfc3339(to, berlin), "2025-03-30T03:30:00+02:00");
}

TEST(AddDaysTest, OverlapResolvesToTheLaterInstantAsGoDoes) {
  const TimeZone berlin = zone("Europe/Berlin");
  // 02:30 on 2025-10-26 happens twice in Berlin; Go's AddDate takes the second (CET).
  const TimePoint to = berlin.add_days(at("2025-10-25T02:30:00+02:00"), 1);
  EXPECT_EQ(format_rfc3339(to, berlin), "2025-10-26T02:30:00+01:00");
  EXPECT_EQ(to, at("2025-10-26T01:30:00Z"));
}

TEST(AddDaysTest, TheZonesFirstPeriodWorks) {
  // Before 1893 Berlin kept local mean time: the tz database's first period, which begins
  // at its earliest instant (no nanosecond time point can hold it).
  const TimeZone berlin = zone("Europe/Berlin");
  const TimePoint to = berlin.add_days(at("1800-01-01T12:00:00Z"), 1);
  EXPECT_EQ(to, at("1800-01-02T12:00:00Z"));
}

TEST(FormatRfc3339Test, NanosecondFractionWithoutTrailingZeros) {
  const TimeZone berlin = zone("Europe/Berlin");
  EXPECT_EQ(format_rfc3339(at("2025-01-02T03:04:05.5+01:00"), berlin, Fraction::nanoseconds),
            "2025-01-02T03:04:05.5+01:00");
  EXPECT_EQ(format_rfc3339(at("2025-01-02T03:04:05.000000123Z"), TimeZone::utc(), Fraction::nanoseconds),
            "2025-01-02T03:04:05.000000123Z");
  EXPECT_EQ(format_rfc3339(at("2025-01-02T03:04:05Z"), TimeZone::utc(), Fraction::nanoseconds), "2025-01-02T03:04:05Z");
}

TEST(AddDaysTest, KeepsSubsecondPrecision) {
  const TimeZone berlin = zone("Europe/Berlin");
  const TimePoint from = at("2025-04-02T03:00:00.123456789+02:00");
  const TimePoint to = berlin.add_days(from, -7);
  EXPECT_EQ(from - to, 167h);
}

TEST(FormatRfc3339Test, Offsets) {
  const TimePoint t = at("2026-12-10T02:00:00.999Z");
  EXPECT_EQ(format_rfc3339(t, TimeZone::utc()), "2026-12-10T02:00:00Z");
  EXPECT_EQ(format_rfc3339(t, zone("Europe/Berlin")), "2026-12-10T03:00:00+01:00");
  EXPECT_EQ(format_rfc3339(t, zone("America/New_York")), "2026-12-09T21:00:00-05:00");
  EXPECT_EQ(format_rfc3339(t, zone("Asia/Kolkata")), "2026-12-10T07:30:00+05:30");
  EXPECT_EQ(format_rfc3339(t, zone("America/St_Johns")), "2026-12-09T22:30:00-03:30");
  EXPECT_EQ(format_rfc3339(at("2026-07-10T02:00:00Z"), zone("Europe/Berlin")), "2026-07-10T04:00:00+02:00");
}

TEST(ParseRfc3339Test, Accepts) {
  EXPECT_EQ(at("1970-01-01T00:00:00Z"), TimePoint{});
  EXPECT_EQ(at("1970-01-01T01:00:00+01:00"), TimePoint{});
  EXPECT_EQ(at("1969-12-31T19:00:00-05:00"), TimePoint{});
  EXPECT_EQ(at("1970-01-01T00:00:00z"), TimePoint{});
  EXPECT_EQ(at("1970-01-01T00:00:00.5Z"), TimePoint{} + 500ms);
  EXPECT_EQ(at("1970-01-01T01:00:00.5+01:00"), TimePoint{} + 500ms);
  EXPECT_EQ(at("1970-01-01T00:00:00.000000001Z"), TimePoint{} + 1ns);
  EXPECT_EQ(at("2026-12-10T04:00:00+01:00"), at("2026-12-10T03:00:00Z"));
  EXPECT_EQ(at("2026-12-10t03:00:00Z"), at("2026-12-10T03:00:00Z"));
  // Digits beyond nanoseconds are ignored, as Go does.
  EXPECT_EQ(at("1970-01-01T00:00:00.1234567899Z"), TimePoint{} + 123456789ns);
  EXPECT_EQ(at("1678-01-01T00:00:00Z").time_since_epoch().count() < 0, true);
  EXPECT_EQ(format_rfc3339(at("2261-12-31T23:59:59Z"), TimeZone::utc()), "2261-12-31T23:59:59Z");
}

TEST(ParseRfc3339Test, Rejects) {
  for (const char* bad : {"",
                          "2026-12-10",
                          "2026-12-10T03:00:00",
                          "2026-12-10 03:00:00Z",
                          "2026-12-10T03:00Z",
                          "2026-12-10T03:00:00Zjunk",
                          "2026-12-10T03:00:00+01:00Z",
                          "2026-13-10T03:00:00Z",
                          "2026-12-32T03:00:00Z",
                          "2026-12-10T24:00:00Z",
                          "2026-12-10T03:60:00Z",
                          "2026-12-10T03:00:61Z",
                          "not a time",
                          "2026-12-10T03:00:00+0100",
                          "2026-12-10T03:00:00+01",
                          "2026-12-10T3:00:00Z",
                          "2026-2-10T03:00:00Z",
                          "2026-12-10T03:00:00.Z",
                          " 2026-12-10T03:00:00Z",
                          "2026-12-10T03:00:00+1:00",
                          "2026-12-10T03:00:00+01:0",
                          "0999-01-01T00:00:00Z",
                          "2262-06-01T00:00:00Z",
                          "1677-01-01T00:00:00Z",
                          "2026-12-10T03:00:00+01:00 "}) {
    const auto parsed = parse_rfc3339(bad);
    EXPECT_FALSE(parsed) << "accepted \"" << bad << "\"";
    if (!parsed) {
      EXPECT_EQ(parsed.error().kind(), ErrorKind::invalid_argument);
    }
  }
}

TEST(ParseRfc3339Test, RoundTripsFormat) {
  for (const char* text : {"2026-12-10T03:00:00+01:00", "2026-07-10T04:00:00+02:00"}) {
    EXPECT_EQ(format_rfc3339(at(text), zone("Europe/Berlin")), text);
  }
  EXPECT_EQ(format_rfc3339(at("2026-12-10T03:00:00Z"), TimeZone::utc()), "2026-12-10T03:00:00Z");
}

}  // namespace
}  // namespace volback::util
