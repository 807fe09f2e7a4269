#include <volback/util/json_logger.hpp>

#include <gtest/gtest.h>

namespace volback::util {
namespace {

TEST(JsonLogger, SlogJsonLayout) {
  const std::vector<LogField> fields{{"size", 42}, {"path", "a \"b\"\n"}};
  const auto line = format_slog_json(*parse_rfc3339("2026-11-26T03:00:00.123Z"), TimeZone::utc(), LogLevel::warn,
                                     "Backup completed successfully", fields);
  EXPECT_EQ(line, R"({"time":"2026-11-26T03:00:00.123Z","level":"WARN","msg":"Backup completed successfully",)"
                  R"("size":"42","path":"a \"b\"\n"})");
}

TEST(JsonLogger, EscapesControlAndInvalidBytes) {
  EXPECT_EQ(json_quote("\x01\\é"), "\"\\u0001\\\\é\"");
  EXPECT_EQ(json_quote("\xff"), "\"\\ufffd\"");
}

}  // namespace
}  // namespace volback::util
