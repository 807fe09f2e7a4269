#include <volback/storage/http_time.hpp>

#include <gtest/gtest.h>

namespace volback::storage {
namespace {

TEST(HttpTime, ParsesIso8601AndRfc1123) {
  const auto iso = parse_iso8601("2026-11-26T09:20:58.250Z");
  ASSERT_TRUE(iso);
  const auto http = parse_http_date("Thu, 26 Nov 2026 09:20:58 GMT");
  ASSERT_TRUE(http);
  EXPECT_EQ(*iso - *http, std::chrono::milliseconds(250));
  EXPECT_FALSE(parse_iso8601("yesterday"));
  EXPECT_FALSE(parse_http_date("yesterday"));
}

TEST(HttpTime, FormatsRfc1123InGmt) {
  const auto t = parse_http_date("Thu, 26 Nov 2026 09:20:58 GMT");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_http_date(*t), "Thu, 26 Nov 2026 09:20:58 GMT");
  EXPECT_EQ(format_http_date(util::TimePoint{}), "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST(HttpTime, RefusesYearsATimePointCannotHold) {
  EXPECT_FALSE(parse_iso8601("6057-01-02T03:04:05Z"));
  EXPECT_FALSE(parse_iso8601("0001-01-02T03:04:05Z"));
  EXPECT_FALSE(parse_http_date("Thu, 26 Nov 9999 09:20:58 GMT"));
  EXPECT_TRUE(parse_iso8601("2199-12-31T23:59:59Z"));
}

}  // namespace
}  // namespace volback::storage
