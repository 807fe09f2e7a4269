#include <volback/util/duration.hpp>

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

namespace volback::util {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

struct ParseCase {
  std::string_view text;
  nanoseconds expected;
};

class ParseGoDurationTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseGoDurationTest, ParsesLikeGo) {
  const auto& c = GetParam();
  const auto parsed = parse_go_duration(c.text);
  ASSERT_TRUE(parsed) << c.text << ": " << parsed.error().message();
  EXPECT_EQ(parsed->count(), c.expected.count()) << c.text;
}

// Cases from Go's time.TestParseDuration.
INSTANTIATE_TEST_SUITE_P(
  Valid, ParseGoDurationTest,
  ::testing::Values(
    ParseCase{"0", 0ns}, ParseCase{"5s", 5s}, ParseCase{"30s", 30s}, ParseCase{"1478s", 1478s}, ParseCase{"-5s", -5s},
    ParseCase{"+5s", 5s}, ParseCase{"-0", 0ns}, ParseCase{"+0", 0ns}, ParseCase{"5.0s", 5s},
    ParseCase{"5.6s", 5s + 600ms}, ParseCase{"5.s", 5s}, ParseCase{".5s", 500ms}, ParseCase{"1.0s", 1s},
    ParseCase{"1.00s", 1s}, ParseCase{"1.004s", 1s + 4ms}, ParseCase{"1.0040s", 1s + 4ms},
    ParseCase{"100.00100s", 100s + 1ms}, ParseCase{"10ns", 10ns}, ParseCase{"11us", 11us},
    ParseCase{"12\xC2\xB5s", 12us}, ParseCase{"12\xCE\xBCs", 12us}, ParseCase{"13ms", 13ms}, ParseCase{"14s", 14s},
    ParseCase{"15m", 15min}, ParseCase{"16h", 16h}, ParseCase{"3h30m", 3h + 30min},
    ParseCase{"10.5s4m", 4min + 10s + 500ms}, ParseCase{"-2m3.4s", -(2min + 3s + 400ms)},
    ParseCase{"1h2m3s4ms5us6ns", 1h + 2min + 3s + 4ms + 5us + 6ns}, ParseCase{"39h9m14.425s", 39h + 9min + 14s + 425ms},
    ParseCase{"52763797000ns", 52763797000ns}, ParseCase{"0.3333333333333333333h", 20min},
    ParseCase{"9007199254740993ns", nanoseconds{9007199254740993}},
    ParseCase{"9223372036854775807ns", nanoseconds{std::numeric_limits<std::int64_t>::max()}},
    ParseCase{"9223372036854775.807us", nanoseconds{std::numeric_limits<std::int64_t>::max()}},
    ParseCase{"9223372036s854ms775us807ns", nanoseconds{std::numeric_limits<std::int64_t>::max()}},
    ParseCase{"-9223372036854775808ns", nanoseconds{std::numeric_limits<std::int64_t>::min()}},
    ParseCase{"-9223372036854775.808us", nanoseconds{std::numeric_limits<std::int64_t>::min()}},
    ParseCase{"-2562047h47m16.854775808s", nanoseconds{std::numeric_limits<std::int64_t>::min()}},
    ParseCase{"0.100000000000000000000h", 6min}, ParseCase{"0.830103483285477580700h", 49min + 48s + 372539827ns},
    ParseCase{"1m", 1min}, ParseCase{"0s", 0ns}, ParseCase{"0.5m", 30s}));

class InvalidGoDurationTest : public ::testing::TestWithParam<std::string_view> {};

TEST_P(InvalidGoDurationTest, IsRejected) {
  const auto parsed = parse_go_duration(GetParam());
  ASSERT_FALSE(parsed) << GetParam() << " parsed as " << parsed->count();
  EXPECT_EQ(parsed.error().kind(), ErrorKind::invalid_argument);
  EXPECT_NE(parsed.error().message().find("ns, us, ms, s, m, h"), std::string::npos) << parsed.error().message();
}

INSTANTIATE_TEST_SUITE_P(Invalid, InvalidGoDurationTest,
                         ::testing::Values("", "3", "-", "s", ".", "-.", ".s", "+.s", "1d", "5", "1.5", "1h5",
                                           "3000000h", "9223372036854775808ns", "9223372036854775.808us",
                                           "9223372036854ms775us808ns", "-9223372036854775809ns", "1 s", " 1s", "1s ",
                                           "1S", "1H", "--1s", "+-1s", "1sec", "1x"));

TEST(ParseGoDurationTest, NamesTheUnknownUnit) {
  const auto parsed = parse_go_duration("7d");
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message().find("unknown unit \"d\""), std::string::npos) << parsed.error().message();
  EXPECT_NE(parsed.error().message().find("\"7d\""), std::string::npos);
}

TEST(ParseGoDurationTest, ReportsAMissingUnit) {
  const auto parsed = parse_go_duration("5");
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message().find("missing unit"), std::string::npos) << parsed.error().message();
}

struct FormatCase {
  nanoseconds value;
  std::string_view expected;
};

class FormatGoDurationTest : public ::testing::TestWithParam<FormatCase> {};

TEST_P(FormatGoDurationTest, FormatsLikeGo) {
  EXPECT_EQ(format_go_duration(GetParam().value), GetParam().expected);
}

// Cases from Go's time.TestDurationString.
INSTANTIATE_TEST_SUITE_P(
  Values, FormatGoDurationTest,
  ::testing::Values(FormatCase{0ns, "0s"}, FormatCase{1ns, "1ns"}, FormatCase{1100ns, "1.1\xC2\xB5s"},
                    FormatCase{2200us, "2.2ms"}, FormatCase{3300ms, "3.3s"}, FormatCase{-(4min + 5s), "-4m5s"},
                    FormatCase{4min + 5001ms, "4m5.001s"}, FormatCase{5h + 6min + 7001ms, "5h6m7.001s"},
                    FormatCase{8min + 1ns, "8m0.000000001s"}, FormatCase{1min, "1m0s"}, FormatCase{90min, "1h30m0s"},
                    FormatCase{500ms, "500ms"}, FormatCase{-1ns, "-1ns"}, FormatCase{999ns, "999ns"},
                    FormatCase{1us, "1\xC2\xB5s"}, FormatCase{1s, "1s"}, FormatCase{48h, "48h0m0s"},
                    FormatCase{nanoseconds{std::numeric_limits<std::int64_t>::max()}, "2562047h47m16.854775807s"},
                    FormatCase{nanoseconds{std::numeric_limits<std::int64_t>::min()}, "-2562047h47m16.854775808s"}));

TEST(GoDurationRoundTripTest, FormatThenParseGivesTheSameValue) {
  for (const nanoseconds d :
       std::initializer_list<nanoseconds>{0ns, 1ns, 1500ns, 2ms, 90s, 1h + 1ns, -36h, nanoseconds{123456789012345}}) {
    const auto parsed = parse_go_duration(format_go_duration(d));
    ASSERT_TRUE(parsed) << format_go_duration(d);
    EXPECT_EQ(parsed->count(), d.count());
  }
}

}  // namespace
}  // namespace volback::util
