#include <volback/util/logging.hpp>

#include <array>
#include <cstdio>
#include <vector>

#include <gtest/gtest.h>

namespace volback::util {
namespace {

using namespace std::chrono_literals;

TimePoint at(std::string_view rfc3339) {
  const auto t = parse_rfc3339(rfc3339);
  EXPECT_TRUE(t) << rfc3339;
  return t.value_or(TimePoint{});
}

std::string line(std::string_view message, std::vector<LogField> fields = {}, LogLevel level = LogLevel::info) {
  return format_slog_text(at("2026-11-26T03:00:00.123456Z"), TimeZone::utc(), level, message, fields);
}

// The quoted form of a value as slog prints it, taken from a one-field line.
std::string value_of(std::string_view value) {
  const std::string text = line("m", {LogField("k", value)});
  const std::string prefix = "time=2026-11-26T03:00:00.123Z level=INFO msg=m k=";
  EXPECT_TRUE(text.starts_with(prefix)) << text;
  return text.substr(prefix.size());
}

TEST(SlogTextTest, Layout) {
  EXPECT_EQ(line("Backup completed successfully", {LogField("size", 42)}),
            "time=2026-11-26T03:00:00.123Z level=INFO msg=\"Backup completed successfully\" size=42");
}

TEST(SlogTextTest, Levels) {
  EXPECT_EQ(line("m", {}, LogLevel::debug), "time=2026-11-26T03:00:00.123Z level=DEBUG msg=m");
  EXPECT_EQ(line("m", {}, LogLevel::info), "time=2026-11-26T03:00:00.123Z level=INFO msg=m");
  EXPECT_EQ(line("m", {}, LogLevel::warn), "time=2026-11-26T03:00:00.123Z level=WARN msg=m");
  EXPECT_EQ(line("m", {}, LogLevel::error), "time=2026-11-26T03:00:00.123Z level=ERROR msg=m");
}

TEST(SlogTextTest, TimeIsMillisecondsWithTheZoneOffset) {
  const auto fields = std::span<const LogField>{};
  EXPECT_EQ(format_slog_text(at("2026-11-26T03:00:00.999999Z"), TimeZone::utc(), LogLevel::info, "m", fields),
            "time=2026-11-26T03:00:00.999Z level=INFO msg=m");
  EXPECT_EQ(format_slog_text(at("2026-11-26T03:00:00Z"), TimeZone::utc(), LogLevel::info, "m", fields),
            "time=2026-11-26T03:00:00.000Z level=INFO msg=m");
  const auto berlin = TimeZone::named("Europe/Berlin");
  ASSERT_TRUE(berlin);
  EXPECT_EQ(format_slog_text(at("2026-11-26T03:00:00.5Z"), *berlin, LogLevel::info, "m", fields),
            "time=2026-11-26T04:00:00.500+01:00 level=INFO msg=m");
  EXPECT_EQ(format_slog_text(at("2026-07-26T03:00:00Z"), *berlin, LogLevel::info, "m", fields),
            "time=2026-07-26T05:00:00.000+02:00 level=INFO msg=m");
  const auto new_york = TimeZone::named("America/New_York");
  ASSERT_TRUE(new_york);
  EXPECT_EQ(format_slog_text(at("2026-11-26T03:00:00Z"), *new_york, LogLevel::info, "m", fields),
            "time=2026-11-25T22:00:00.000-05:00 level=INFO msg=m");
}

TEST(SlogTextTest, FieldsInOrderAndArithmeticValues) {
  EXPECT_EQ(line("done", {LogField("a", 1), LogField("b", 2.5), LogField("c", true), LogField("d", "x"),
                          LogField("e", std::string("y")), LogField("f", std::string_view("z")), LogField("g", -7)}),
            "time=2026-11-26T03:00:00.123Z level=INFO msg=done a=1 b=2.5 c=true d=x e=y f=z g=-7");
}

struct QuoteCase {
  std::string_view value;
  std::string_view printed;
};

class SlogQuotingTest : public ::testing::TestWithParam<QuoteCase> {};

TEST_P(SlogQuotingTest, QuotesLikeSlog) {
  EXPECT_EQ(value_of(GetParam().value), GetParam().printed);
}

INSTANTIATE_TEST_SUITE_P(
  Cases, SlogQuotingTest,
  ::testing::Values(
    // Bare when nothing needs quoting.
    QuoteCase{"plain", "plain"}, QuoteCase{"/archive/backup-2026.tar.gz", "/archive/backup-2026.tar.gz"},
    QuoteCase{"a,b;c:d'e", "a,b;c:d'e"}, QuoteCase{"{x}[y]", "{x}[y]"},
    // A backslash alone does not force quoting ...
    QuoteCase{"C:\\dir", "C:\\dir"},
    // ... nor does DEL, which slog's safe set includes.
    QuoteCase{"a\x7f"
              "b",
              "a\x7f"
              "b"},
    // Printable non-ASCII stays bare.
    QuoteCase{"d\xC3\xA9j\xC3\xA0", "d\xC3\xA9j\xC3\xA0"}, QuoteCase{"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},
    // Quoted: empty, space, '=', '"', control characters.
    QuoteCase{"", "\"\""}, QuoteCase{"two words", "\"two words\""}, QuoteCase{"a=b", "\"a=b\""},
    QuoteCase{"say \"hi\"", "\"say \\\"hi\\\"\""}, QuoteCase{"\"", "\"\\\"\""},
    QuoteCase{"line\nbreak", "\"line\\nbreak\""}, QuoteCase{"tab\there", "\"tab\\there\""},
    QuoteCase{"cr\r", "\"cr\\r\""}, QuoteCase{"bell\a", "\"bell\\a\""}, QuoteCase{"bs\b", "\"bs\\b\""},
    QuoteCase{"ff\f", "\"ff\\f\""}, QuoteCase{"vt\v", "\"vt\\v\""},
    QuoteCase{std::string_view("nul\0x", 5), "\"nul\\x00x\""}, QuoteCase{"esc\x1b", "\"esc\\x1b\""},
    // Once quoted, backslashes and DEL are escaped as strconv.Quote does.
    QuoteCase{"C:\\my dir", "\"C:\\\\my dir\""}, QuoteCase{"a \x7f", "\"a \\x7f\""},
    // Unicode spaces and non-printing runes are quoted and escaped.
    QuoteCase{"nb\xC2\xA0sp", "\"nb\\u00a0sp\""}, QuoteCase{"zw\xE2\x80\x8Bsp", "\"zw\\u200bsp\""},
    QuoteCase{"\xE3\x80\x80", "\"\\u3000\""}, QuoteCase{"\xC2\x85", "\"\\u0085\""},
    QuoteCase{"\xF4\x8F\xBF\xBD", "\"\\U0010fffd\""},
    // Invalid UTF-8 is quoted with \x escapes; a valid U+FFFD is quoted but kept.
    QuoteCase{"bad\xFF", "\"bad\\xff\""}, QuoteCase{"\xC3", "\"\\xc3\""}, QuoteCase{"\xC0\xAF", "\"\\xc0\\xaf\""},
    QuoteCase{"\xED\xA0\x80", "\"\\xed\\xa0\\x80\""}, QuoteCase{"\xEF\xBF\xBD", "\"\xEF\xBF\xBD\""},
    // Printable non-ASCII inside a quoted value stays as it is.
    QuoteCase{"d\xC3\xA9j\xC3\xA0 vu", "\"d\xC3\xA9j\xC3\xA0 vu\""}));

TEST(SlogTextTest, MessageAndKeysFollowTheSameRule) {
  EXPECT_EQ(line(""), "time=2026-11-26T03:00:00.123Z level=INFO msg=\"\"");
  EXPECT_EQ(line("Done."), "time=2026-11-26T03:00:00.123Z level=INFO msg=Done.");
  EXPECT_EQ(line("m", {LogField("odd key", 1)}), "time=2026-11-26T03:00:00.123Z level=INFO msg=m \"odd key\"=1");
}

TEST(SlogTextTest, AHostileValueCannotForgeALine) {
  // A backup name from storage, crafted to look like the end of the record and a new one.
  const std::string name = "x.tar.gz\ntime=2026-11-26T03:00:01.000Z level=INFO msg=\"Backup completed successfully\"";
  for (const std::string& text : {line("Verifying backup", {LogField("name", name)}), line(name),
                                  line("m", {LogField("name", "a\rlevel=ERROR\x1b[2K")})}) {
    EXPECT_EQ(text.find('\n'), std::string::npos) << text;
    EXPECT_EQ(text.find('\r'), std::string::npos) << text;
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
    // The one real "level=" is the record's own; the others are inside a quoted value.
    EXPECT_TRUE(text.starts_with("time=2026-11-26T03:00:00.123Z level=INFO msg=")) << text;
  }
  EXPECT_EQ(value_of(name),
            "\"x.tar.gz\\ntime=2026-11-26T03:00:01.000Z level=INFO msg=\\\"Backup completed successfully\\\"\"");
  // An attempt without control characters still needs a space or '"' to look like a
  // field, and either forces quoting.
  EXPECT_EQ(value_of("a level=ERROR"), "\"a level=ERROR\"");
}

TEST(ParseLogLevelTest, AcceptsNamesInAnyCase) {
  EXPECT_EQ(*parse_log_level("debug"), LogLevel::debug);
  EXPECT_EQ(*parse_log_level("INFO"), LogLevel::info);
  EXPECT_EQ(*parse_log_level("Warn"), LogLevel::warn);
  EXPECT_EQ(*parse_log_level("warning"), LogLevel::warn);
  EXPECT_EQ(*parse_log_level("error"), LogLevel::error);
  const auto bad = parse_log_level("verbose");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind(), ErrorKind::invalid_argument);
  EXPECT_NE(bad.error().message().find("verbose"), std::string::npos);
  EXPECT_FALSE(parse_log_level(""));
}

TEST(LineLoggerTest, WritesLinesAtOrAboveTheMinimumLevel) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  const FixedClock clock(at("2026-11-26T03:00:00Z"));
  LineLogger logger(out, LogLevel::info, clock, TimeZone::utc());
  EXPECT_FALSE(logger.enabled(LogLevel::debug));
  EXPECT_TRUE(logger.enabled(LogLevel::info));
  EXPECT_TRUE(logger.enabled(LogLevel::error));
  logger.debug("hidden");
  logger.info("Backup started", {LogField("n", 1)});
  logger.warn("careful");

  std::rewind(out);
  std::string text;
  std::array<char, 256> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), out) != nullptr) {
    text += buffer.data();
  }
  std::fclose(out);
  EXPECT_EQ(text,
            "time=2026-11-26T03:00:00.000Z level=INFO msg=\"Backup started\" n=1\n"
            "time=2026-11-26T03:00:00.000Z level=WARN msg=careful\n");
}

TEST(LineLoggerTest, RedactsTheUserInfoOfUrls) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  const FixedClock clock(at("2026-11-26T03:00:00Z"));
  LineLogger logger(out, LogLevel::info, clock, TimeZone::utc());
  logger.error("GET https://AKIA:s3cr3t@host/b failed",
               {LogField("endpoint", "tcp://u:p@127.0.0.1:2375"), LogField("plain", "https://host/b")});
  std::rewind(out);
  std::array<char, 512> buffer{};
  ASSERT_NE(std::fgets(buffer.data(), static_cast<int>(buffer.size()), out), nullptr);
  std::fclose(out);
  EXPECT_EQ(std::string(buffer.data()),
            "time=2026-11-26T03:00:00.000Z level=ERROR msg=\"GET https://***@host/b failed\" "
            "endpoint=tcp://***@127.0.0.1:2375 plain=https://host/b\n");
}

TEST(LineLoggerTest, WritesALongLineWholeAfterWhatStdioHeld) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  const FixedClock clock(at("2026-11-26T03:00:00Z"));
  LineLogger logger(out, LogLevel::info, clock, TimeZone::utc());
  std::fputs("printed before\n", out);  // still in stdio's buffer
  const std::string long_value(20000, 'x');
  logger.info("long", {LogField("v", long_value)});
  std::fputs("printed after\n", out);
  std::fflush(out);
  std::rewind(out);
  std::string text;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), out) != nullptr) {
    text += buffer.data();
  }
  std::fclose(out);
  EXPECT_EQ(text,
            "printed before\ntime=2026-11-26T03:00:00.000Z level=INFO msg=long v=" + long_value + "\nprinted after\n");
}

TEST(CapturingLoggerTest, KeepsEveryRecord) {
  CapturingLogger logger;
  EXPECT_TRUE(logger.enabled(LogLevel::debug));
  logger.debug("one");
  logger.error("two words", {LogField("path", "/a b")});
  EXPECT_EQ(logger.text(),
            "time=1970-01-01T00:00:00.000Z level=DEBUG msg=one\n"
            "time=1970-01-01T00:00:00.000Z level=ERROR msg=\"two words\" path=\"/a b\"\n");
  EXPECT_TRUE(logger.contains("msg=\"two words\""));
  EXPECT_FALSE(logger.contains("three"));
}

}  // namespace
}  // namespace volback::util
