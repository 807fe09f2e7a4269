#include <volback/util/recording_logger.hpp>

#include <gtest/gtest.h>

namespace volback::util {
namespace {

TimePoint at(int seconds) {
  return TimePoint{} + std::chrono::seconds(1'700'000'000 + seconds);
}

TEST(RecordingLoggerTest, PassesRecordsOnAndKeepsTheirText) {
  CapturingLogger next;
  FixedClock clock(at(0));
  RecordingLogger log(next, clock, TimeZone::utc());
  log.info("Backup completed successfully", {{"size", 42}});
  log.warn("pruning refused");
  EXPECT_TRUE(next.contains("msg=\"Backup completed successfully\" size=42"));
  EXPECT_EQ(log.text(),
            "time=2023-11-14T22:13:20.000Z level=INFO msg=\"Backup completed successfully\" size=42\n"
            "time=2023-11-14T22:13:20.000Z level=WARN msg=\"pruning refused\"\n");
}

TEST(RecordingLoggerTest, RedactsUserInfoOfUrls) {
  CapturingLogger next;
  FixedClock clock(at(0));
  RecordingLogger log(next, clock, TimeZone::utc());
  log.error("request failed", {{"url", "https://user:secret@host/x"}});
  EXPECT_EQ(log.text().find("secret"), std::string::npos);
  EXPECT_NE(log.text().find("https://***@host/x"), std::string::npos);
}

TEST(RecordingLoggerTest, KeepsTheStartAndTheNewestLinesWithinItsBudget) {
  CapturingLogger next;
  FixedClock clock(at(0));
  // Each line is 59 bytes: "time=2023-11-14T22:13:20.000Z level=INFO msg=line-NNNNNNN\n".
  RecordingLogger log(next, clock, TimeZone::utc(), 4 * 59);
  for (int i = 0; i < 10; ++i) {
    log.info(fmt::format("line-{:07}", i));
  }
  const auto text = log.text();
  EXPECT_NE(text.find("line-0000000"), std::string::npos);
  EXPECT_NE(text.find("line-0000001"), std::string::npos);
  EXPECT_EQ(text.find("line-0000002"), std::string::npos);
  EXPECT_NE(text.find("[… 6 lines left out …]\n"), std::string::npos);
  EXPECT_NE(text.find("line-0000008"), std::string::npos);
  EXPECT_NE(text.find("line-0000009"), std::string::npos);
  EXPECT_LE(text.size(), 4 * 59 + 40);
}

TEST(RecordingLoggerTest, LastLinesSpanHeadAndTail) {
  CapturingLogger next;
  FixedClock clock(at(0));
  RecordingLogger log(next, clock, TimeZone::utc(), 4 * 59);
  for (int i = 0; i < 3; ++i) {
    log.info(fmt::format("line-{:07}", i));
  }
  const auto last = log.last_lines(2);
  EXPECT_EQ(last.find("line-0000000"), std::string::npos);
  EXPECT_NE(last.find("line-0000001"), std::string::npos);
  EXPECT_NE(last.find("line-0000002\n"), std::string::npos);
  EXPECT_EQ(log.last_lines(10), log.text());
}

TEST(RecordingLoggerTest, CutsALineLargerThanHalfTheBudget) {
  CapturingLogger next;
  FixedClock clock(at(0));
  RecordingLogger log(next, clock, TimeZone::utc(), 200);
  log.info(std::string(500, 'x'));
  log.info(std::string(500, 'y'));
  EXPECT_LE(log.text().size(), 200U + 40U);
  EXPECT_NE(log.text().find("[…]\n"), std::string::npos);
}

}  // namespace
}  // namespace volback::util
