#include <volback/restic/go_json.hpp>

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace volback::restic {
namespace {

std::string go_json_string(std::string_view text) {
  std::string out;
  append_go_json_string(out, text);
  return out;
}

TEST(ResticGoJson, EscapesStringsAsGoEncodingJson) {
  EXPECT_EQ(go_json_string(""), R"("")");
  EXPECT_EQ(go_json_string("plain ascii ~\x7f"), "\"plain ascii ~\x7f\"");
  EXPECT_EQ(go_json_string("q\"b\\n\nr\rt\t"), R"("q\"b\\n\nr\rt\t")");
  EXPECT_EQ(go_json_string(std::string_view("\0\x01\b\f\x1f", 5)), R"("\u0000\u0001\u0008\u000c\u001f")");
  EXPECT_EQ(go_json_string("we&ird <a>"), R"("we\u0026ird \u003ca\u003e")");
  EXPECT_EQ(go_json_string("ls\u2028ep\u2029"), R"("ls\u2028ep\u2029")");
  EXPECT_EQ(go_json_string("bad\xff"
                           "x\xed\xa0\x80"),
            R"("bad\ufffdx\ufffd\ufffd\ufffd")");
  EXPECT_EQ(go_json_string("é nb\u00a0sp 😀 \uFFFD"), "\"é nb\u00a0sp 😀 \uFFFD\"");
  // Observed in a restic 0.14 tree: a symlink target with < & >, U+2028 and a 0xff byte.
  EXPECT_EQ(go_json_string("target<&>\u2028\xff"), R"("target\u003c\u0026\u003e\u2028\ufffd")");
}

TEST(ResticGoJson, FormatsTimesAsRfc3339Nano) {
  EXPECT_EQ(format_rfc3339_nano({1795682160, 168844112, 0}), "2026-11-26T08:36:00.168844112Z");
  EXPECT_EQ(format_rfc3339_nano({1795682160, 168844110, 0}), "2026-11-26T08:36:00.16884411Z");
  EXPECT_EQ(format_rfc3339_nano({1795682160, 500000000, 0}), "2026-11-26T08:36:00.5Z");
  EXPECT_EQ(format_rfc3339_nano({1795682160, 1, 0}), "2026-11-26T08:36:00.000000001Z");
  EXPECT_EQ(format_rfc3339_nano({1795682160, 0, 0}), "2026-11-26T08:36:00Z");
  EXPECT_EQ(format_rfc3339_nano({946684799, 0, 19800}), "2000-01-01T05:29:59+05:30");
  EXPECT_EQ(format_rfc3339_nano({1796211201, 361190540, 19800}), "2026-12-02T17:03:21.36119054+05:30");
  EXPECT_EQ(format_rfc3339_nano({1709208000, 0, -7 * 3600}), "2024-02-29T05:00:00-07:00");
  EXPECT_EQ(format_rfc3339_nano({-1, 999999999, 0}), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(format_rfc3339_nano(GoTime{}), "0001-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339_nano({0, 1'500'000'000, 0}), "1970-01-01T00:00:01.5Z");
  // Go writes whole minutes of the offset, signed by them.
  EXPECT_EQ(format_rfc3339_nano({0, 0, -30}), "1969-12-31T23:59:30+00:00");
  EXPECT_EQ(format_rfc3339_nano({0, 0, -90}), "1969-12-31T23:58:30-00:01");
}

TEST(ResticGoJson, ClampsYearsOutsideZeroTo9999AsFixTime) {
  EXPECT_EQ(format_rfc3339_nano({253402300799, 7, 0}), "9999-12-31T23:59:59.000000007Z");
  EXPECT_EQ(format_rfc3339_nano({253402300800, 7, 0}), "9999-12-31T23:59:59Z");
  EXPECT_EQ(format_rfc3339_nano({253402300799, 0, 3600}), "9999-12-31T23:59:59+01:00");
  EXPECT_EQ(format_rfc3339_nano({-62167219200, 5, 0}), "0000-01-01T00:00:00.000000005Z");
  EXPECT_EQ(format_rfc3339_nano({-62167219201, 5, 0}), "0000-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339_nano({INT64_MIN, 0, -3600}), "0000-01-01T00:00:00-01:00");
  EXPECT_EQ(format_rfc3339_nano({INT64_MAX, 999999999, 3600}), "9999-12-31T23:59:59+01:00");
}

TEST(ResticGoJson, ParsesRfc3339) {
  EXPECT_EQ(parse_rfc3339("2026-11-26T08:36:00.168844112Z").value(), (GoTime{1795682160, 168844112, 0}));
  EXPECT_EQ(parse_rfc3339("2026-12-02T17:03:21.36119054+05:30").value(), (GoTime{1796211201, 361190540, 19800}));
  EXPECT_EQ(parse_rfc3339("2000-01-01T05:29:59+05:30").value(), (GoTime{946684799, 0, 19800}));
  EXPECT_EQ(parse_rfc3339("2024-02-29t05:00:00-07:00").value(), (GoTime{1709208000, 0, -7 * 3600}));
  EXPECT_EQ(parse_rfc3339("0001-01-01T00:00:00Z").value(), GoTime{});
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00.1234567891234z").value(), (GoTime{0, 123456789, 0}));
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00-00:00").value(), (GoTime{0, 0, 0}));
  EXPECT_EQ(parse_rfc3339("0000-01-01T00:00:00+23:59").value(), (GoTime{-62167219200 - 86340, 0, 86340}));
  EXPECT_EQ(parse_rfc3339("9999-12-31T23:59:59.999999999Z").value(), (GoTime{253402300799, 999999999, 0}));
}

TEST(ResticGoJson, ParseInvertsFormat) {
  for (const GoTime time : {GoTime{}, GoTime{1795682160, 168844112, 0}, GoTime{-1, 1, -3600},
                            GoTime{1796211201, 361190540, 19800}, GoTime{-62167219200, 0, 0}}) {
    EXPECT_EQ(parse_rfc3339(format_rfc3339_nano(time)).value(), time) << format_rfc3339_nano(time);
  }
}

TEST(ResticGoJson, RefusesBadTimes) {
  for (const std::string_view bad : {
         "",
         "2026-11-26",
         "2026-11-26T08:36:00",
         "2026-11-26 08:36:00Z",
         "26-11-26T08:36:00Z",
         "2026-1-26T08:36:00Z",
         "2026-11-26T8:36:00Z",
         "2026-13-26T08:36:00Z",
         "2026-00-26T08:36:00Z",
         "2026-02-29T08:36:00Z",
         "2100-02-29T08:36:00Z",
         "2026-11-31T08:36:00Z",
         "2026-11-00T08:36:00Z",
         "2026-11-26T24:00:00Z",
         "2026-11-26T08:60:00Z",
         "2026-11-26T08:36:60Z",
         "2026-11-26T08:36:00.Z",
         "2026-11-26T08:36:00,5Z",
         "2026-11-26T08:36:00+0530",
         "2026-11-26T08:36:00+24:00",
         "2026-11-26T08:36:00+05:60",
         "2026-11-26T08:36:00+05",
         "2026-11-26T08:36:00Zjunk",
         "-2026-11-26T08:36:00Z",
         "+2026-11-26T08:36:00Z",
         "2026-11-26T08:36:00.1111111111111111111111111111111111111111111111Z",
       }) {
    const auto result = parse_rfc3339(bad);
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().kind(), util::ErrorKind::corrupt);
    EXPECT_NE(result.error().message().find("invalid RFC 3339 time"), std::string::npos);
  }
}

TEST(ResticGoTime, OfATimePointIsItsUtcInstant) {
  using std::chrono::system_clock;
  const auto at = system_clock::time_point(std::chrono::nanoseconds(1'764'000'000'123'456'789));
  EXPECT_EQ(go_time_of(at), (GoTime{.unix_seconds = 1'764'000'000, .nanoseconds = 123'456'789}));
  const auto before = system_clock::time_point(std::chrono::nanoseconds(-1));
  EXPECT_EQ(go_time_of(before), (GoTime{.unix_seconds = -1, .nanoseconds = 999'999'999}));
  EXPECT_EQ(time_point_of(go_time_of(at)), at);
  EXPECT_EQ(time_point_of(go_time_of(before)), before);
}

}  // namespace
}  // namespace volback::restic
