#include <volback/util/strftime.hpp>

#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace volback::util {
namespace {

// The civil time of an RFC 3339 instant in a named zone.
CivilTime civil_at(std::string_view rfc3339, std::string_view zone = "UTC") {
  const auto instant = parse_rfc3339(rfc3339);
  EXPECT_TRUE(instant) << rfc3339;
  const auto tz = TimeZone::named(zone);
  EXPECT_TRUE(tz) << zone;
  return tz->civil(*instant);
}

TEST(StrftimeOffenMaxLengthTest, EachVerbAtItsLongest) {
  EXPECT_EQ(strftime_offen_max_length("").total, 0U);
  EXPECT_EQ(strftime_offen_max_length("backup-%Y-%m-%dT%H-%M-%S.tar.gz").total, 33U);
  EXPECT_EQ(strftime_offen_max_length("%A").total, 9U);
  EXPECT_EQ(strftime_offen_max_length("%B").total, 9U);
  EXPECT_EQ(strftime_offen_max_length("%c").total, 24U);
  EXPECT_EQ(strftime_offen_max_length("%a%w%d%b%m%y%H%I%p%M%S%f%z%Z%j%U%W%X%%").total,
            3U + 1 + 2 + 3 + 2 + 2 + 2 + 2 + 2 + 2 + 2 + 6 + 5 + 6 + 3 + 2 + 2 + 8 + 1);
  EXPECT_EQ(strftime_offen_max_length("%Q%\xC3\xA9x%").total, 1U);  // unknown verbs and a trailing '%' vanish
}

TEST(StrftimeOffenMaxLengthTest, LastComponent) {
  EXPECT_EQ(strftime_offen_max_length("dir/%A.tar").last_component, 13U);
  EXPECT_EQ(strftime_offen_max_length("dir/%A.tar").total, 17U);
  EXPECT_EQ(strftime_offen_max_length("%B-%x").last_component, 2U);  // "...-08/29/21"
  EXPECT_EQ(strftime_offen_max_length("%x.tar").last_component, 6U);
  EXPECT_EQ(strftime_offen_max_length("a/").last_component, 0U);
}

TEST(StrftimeOffenMaxLengthTest, NeverBelowARealRendering) {
  const std::string format = "%a %A %w %d %b %B %m %y %Y %H %I %p %M %S %f %z %Z %j %U %W %c %x %X %%";
  for (const auto& [time, zone] :
       std::vector<std::pair<std::string_view, std::string_view>>{{"2021-09-29T23:59:59.999999Z", "UTC"},
                                                                  {"2026-11-26T03:00:00Z", "America/St_Johns"},
                                                                  {"2099-09-23T12:00:00Z", "Asia/Kolkata"},
                                                                  {"2024-12-31T00:00:00Z", "Pacific/Chatham"}}) {
    const std::string rendered = strftime_offen(format, civil_at(time, zone));
    EXPECT_LE(rendered.size(), strftime_offen_max_length(format).total) << rendered;
  }
}

TEST(StrftimeOffenTest, DefaultFilename) {
  EXPECT_EQ(strftime_offen("backup-%Y-%m-%dT%H-%M-%S.tar.gz", civil_at("2021-08-29T04:00:00Z")),
            "backup-2021-08-29T04-00-00.tar.gz");
}

TEST(StrftimeOffenTest, TextWithoutVerbsIsCopied) {
  EXPECT_EQ(strftime_offen("backup.tar.gz", civil_at("2021-08-29T04:00:00Z")), "backup.tar.gz");
  EXPECT_EQ(strftime_offen("", civil_at("2021-08-29T04:00:00Z")), "");
  EXPECT_EQ(strftime_offen("d\xC3\xA9j\xC3\xA0-vu", civil_at("2021-08-29T04:00:00Z")), "d\xC3\xA9j\xC3\xA0-vu");
}

struct VerbCase {
  std::string_view time;
  std::string_view format;
  std::string_view expected;
};

class StrftimeVerbTest : public ::testing::TestWithParam<VerbCase> {};

TEST_P(StrftimeVerbTest, Formats) {
  const auto& c = GetParam();
  EXPECT_EQ(strftime_offen(c.format, civil_at(c.time)), c.expected) << c.time << " " << c.format;
}

// Expected values agree with C's strftime for the verbs both share.
INSTANTIATE_TEST_SUITE_P(
  Verbs, StrftimeVerbTest,
  ::testing::Values(
    VerbCase{"2021-08-29T04:00:00Z", "%a %A %w %d %b %B %m %y %Y", "Sun Sunday 0 29 Aug August 08 21 2021"},
    VerbCase{"2021-08-29T04:00:00Z", "%H %I %p %M %S %j %U %W %x %X", "04 04 AM 00 00 241 35 34 08/29/21 04:00:00"},
    VerbCase{"2006-01-02T15:04:05Z", "%a %A %w %d %b %B %m %y %Y", "Mon Monday 1 02 Jan January 01 06 2006"},
    VerbCase{"2006-01-02T15:04:05Z", "%H %I %p %M %S %j %U %W %x %X", "15 03 PM 04 05 002 01 01 01/02/06 15:04:05"},
    VerbCase{"2024-12-31T00:30:00Z", "%H %I %p %j %U %W %x", "00 12 AM 366 52 53 12/31/24"},
    VerbCase{"2023-01-01T12:00:00Z", "%I %p %j %U %W", "12 PM 001 01 00"},
    VerbCase{"2023-01-02T23:59:59Z", "%I %p %U %W", "11 PM 01 01"}, VerbCase{"2023-01-02T13:00:00Z", "%I", "01"},
    // %c is Go's "Mon Jan 2 15:04:05 2006": the day is not padded.
    VerbCase{"2006-01-02T15:04:05Z", "%c", "Mon Jan 2 15:04:05 2006"},
    VerbCase{"2021-08-29T04:00:00Z", "%c", "Sun Aug 29 04:00:00 2021"},
    // %f is microseconds, truncated.
    VerbCase{"2021-08-29T04:00:00.123456789Z", "%S.%f", "00.123456"}, VerbCase{"2021-08-29T04:00:00Z", "%f", "000000"},
    VerbCase{"2021-08-29T04:00:00.000001Z", "%f", "000001"},
    // Literal percent, unknown verbs and a lone trailing '%'.
    VerbCase{"2021-08-29T04:00:00Z", "100%%", "100%"}, VerbCase{"2021-08-29T04:00:00Z", "a%Qb%Ec%", "abc"},
    VerbCase{"2021-08-29T04:00:00Z", "%", ""}, VerbCase{"2021-08-29T04:00:00Z", "%%%Y%", "%2021"},
    VerbCase{"2021-08-29T04:00:00Z", "%e%k%l%s%n%t%G%V%u%D%T%F%h", ""},
    // timeutil walks runes: '%' followed by a multi-byte character drops all of it.
    VerbCase{"2021-08-29T04:00:00Z", "a%\xC3\xA9z", "az"}));

TEST(StrftimeOffenTest, ZoneVerbs) {
  EXPECT_EQ(strftime_offen("%z %Z", civil_at("2021-08-29T04:00:00Z")), "+0000 UTC");
  EXPECT_EQ(strftime_offen("%z %Z", civil_at("2021-08-29T04:00:00Z", "Europe/Berlin")), "+0200 CEST");
  EXPECT_EQ(strftime_offen("%z %Z", civil_at("2021-12-29T04:00:00Z", "Europe/Berlin")), "+0100 CET");
  EXPECT_EQ(strftime_offen("%z %Z", civil_at("2021-12-29T04:00:00Z", "America/New_York")), "-0500 EST");
  EXPECT_EQ(strftime_offen("%z", civil_at("2021-12-29T04:00:00Z", "Asia/Kolkata")), "+0530");
  EXPECT_EQ(strftime_offen("%z", civil_at("2021-12-29T04:00:00Z", "America/St_Johns")), "-0330");
}

TEST(StrftimeOffenTest, YearsAreNotPaddedToFourDigitsExceptInC) {
  // %Y uses "%02d"; only %c's Go layout pads the year to four digits.
  CivilTime t;
  t.year = 999;
  t.month = 3;
  t.day = 4;
  t.weekday = 1;
  EXPECT_EQ(strftime_offen("%Y %y", t), "999 99");
  t.year = 5;
  t.weekday = 5;
  EXPECT_EQ(strftime_offen("%Y %y %c", t), "05 05 Fri Mar 4 00:00:00 0005");
}

TEST(StrftimeOffenTest, OutOfRangeFieldsDoNotCrash) {
  CivilTime t;
  t.month = 13;
  t.weekday = 9;
  EXPECT_EQ(strftime_offen("%b %a", t), "??? ???");
}

TEST(StrftimeOffenTest, ZoneVerbsOnHandMadeCivilTimes) {
  CivilTime t;
  t.utc_offset = -(5 * 3600 + 30 * 60);
  t.abbreviation = "";
  // Without an abbreviation Go's "MST" layout prints the numeric offset.
  EXPECT_EQ(strftime_offen("%z %Z", t), "-0530 -0530");
  t.utc_offset = -30;  // less than a minute west: Go truncates toward zero
  EXPECT_EQ(strftime_offen("%z", t), "+0000");
}

TEST(StrftimeOffenTest, UsesTheCivilTimeOfTheZone) {
  // 2021-08-29T04:00:00Z is 06:00 in Berlin (CEST).
  EXPECT_EQ(strftime_offen("backup-%Y-%m-%dT%H-%M-%S.tar.gz", civil_at("2021-08-29T04:00:00Z", "Europe/Berlin")),
            "backup-2021-08-29T06-00-00.tar.gz");
  // ... and 2021-12-31T23:30:00Z is already next year there.
  EXPECT_EQ(strftime_offen("%Y-%m-%d %H:%M %a %j", civil_at("2021-12-31T23:30:00Z", "Europe/Berlin")),
            "2022-01-01 00:30 Sat 001");
}

}  // namespace
}  // namespace volback::util
