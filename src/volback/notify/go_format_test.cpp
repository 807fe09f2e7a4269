#include <volback/notify/go_format.hpp>
#include <volback/notify/go_json.hpp>
#include <volback/notify/go_time.hpp>

#include <gtest/gtest.h>

namespace volback::notify {
namespace {

TEST(GoFormatTest, FloatsAsStrconv) {
  EXPECT_EQ(format_go_float(1e6, 'g', -1), "1e+06");
  EXPECT_EQ(format_go_float(123456, 'g', -1), "123456");
  EXPECT_EQ(format_go_float(0.1, 'g', -1), "0.1");
  EXPECT_EQ(format_go_float(0, 'g', -1), "0");
  EXPECT_EQ(format_go_float(0.00001, 'g', -1), "1e-05");
  EXPECT_EQ(format_go_float(3.14159, 'f', 2), "3.14");
  EXPECT_EQ(format_go_float(6.7285, 'f', 1), "6.7");
  EXPECT_EQ(format_go_float(1234.5678, 'e', 3), "1.235e+03");
  EXPECT_EQ(format_go_float(-2.5, 'g', -1), "-2.5");
  EXPECT_EQ(format_go_float(100, 'g', 2), "1e+02");
}

TEST(GoFormatTest, Sprintf) {
  const std::vector<Value> args{Value::integer(42), Value::string("x")};
  EXPECT_EQ(go_sprintf("%d-%s", args), "42-x");
  EXPECT_EQ(
    go_sprintf("%05d|%-4s|%x", std::vector<Value>{Value::integer(-42), Value::string("ab"), Value::integer(255)}),
    "-0042|ab  |ff");
  EXPECT_EQ(go_sprintf("%d", std::vector<Value>{Value::string("x")}), "%!d(string=x)");
  EXPECT_EQ(go_sprintf("%d %d", std::vector<Value>{Value::integer(1)}), "1 %!d(MISSING)");
  EXPECT_EQ(go_sprintf("%d", std::vector<Value>{Value::integer(1), Value::integer(2)}), "1%!(EXTRA int=2)");
  EXPECT_EQ(go_sprintf("%.2f%%", std::vector<Value>{Value::floating(99.5)}), "99.50%");
  EXPECT_EQ(go_sprintf("%q", std::vector<Value>{Value::string("a\"b")}), "\"a\\\"b\"");
  EXPECT_EQ(go_sprintf("%v", std::vector<Value>{Value::duration(std::chrono::milliseconds(1500))}), "1.5s");
  EXPECT_EQ(go_sprintf("%d", std::vector<Value>{Value::duration(std::chrono::milliseconds(1500))}), "1500000000");
  EXPECT_EQ(go_sprintf("%t %v", std::vector<Value>{Value::boolean(true), Value()}), "true <nil>");
}

TEST(GoFormatTest, SprintSpacing) {
  EXPECT_EQ(go_sprint(std::vector<Value>{Value::integer(1), Value::integer(2), Value::string("a"), Value::integer(3)}),
            "1 2a3");
  EXPECT_EQ(go_sprintln(std::vector<Value>{Value::integer(1), Value::string("a")}), "1 a\n");
}

TEST(GoTimeTest, Layouts) {
  const auto t = util::TimePoint{} + std::chrono::seconds(1'795'740'000) + std::chrono::nanoseconds(120'000'000);
  const auto berlin = *util::TimeZone::named("Europe/Berlin");
  EXPECT_EQ(format_go_time(t, util::TimeZone::utc(), std::string(k_go_rfc3339)), "2026-11-27T00:40:00Z");
  EXPECT_EQ(format_go_time(t, berlin, std::string(k_go_rfc3339)), "2026-11-27T01:40:00+01:00");
  EXPECT_EQ(format_go_time(t, berlin, "Mon Jan _2 3:04:05.000 PM MST 2006"), "Fri Nov 27 1:40:00.120 AM CET 2026");
  EXPECT_EQ(go_time_string(t, util::TimeZone::utc()), "2026-11-27 00:40:00.12 +0000 UTC");
}

TEST(GoJsonTest, ValuesAsEncodingJson) {
  const Value v = Value::structure(
    "T", {{"A", Value::string("<&>")}, {"B", Value::list({}, "[]string", true)}, {"C", Value::error("x")}});
  EXPECT_EQ(go_json(v), R"({"A":"\u003c\u0026\u003e","B":null,"C":{}})");
  EXPECT_EQ(go_json_indented(v), "{\n  \"A\": \"\\u003c\\u0026\\u003e\",\n  \"B\": null,\n  \"C\": {}\n}");
}

}  // namespace
}  // namespace volback::notify
