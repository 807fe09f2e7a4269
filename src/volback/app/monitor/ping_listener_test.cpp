#include <volback/app/monitor/ping_listener.hpp>

#include <mutex>

#include <gtest/gtest.h>

namespace volback::app {
namespace {

struct Seen {
  std::mutex mutex;
  std::vector<http::Request> requests;
};

class Recording final : public http::Transport {
 public:
  explicit Recording(Seen& seen) : m_seen(seen) {}
  util::Result<http::Response> send(const http::Request& request, const http::ResponseSink*) override {
    const std::lock_guard lock(m_seen.mutex);
    m_seen.requests.push_back(request);
    return http::Response{200, {}, "OK"};
  }

 private:
  Seen& m_seen;
};

notify::PingSettings healthchecks() {
  return notify::PingSettings{notify::PingRequest{"https://hc/u/start", false},
                              notify::PingRequest{"https://hc/u", true},
                              notify::PingRequest{"https://hc/u/fail", true}};
}

TEST(PingListenerTest, StartThenSuccessWithTheLogTail) {
  Seen seen;
  util::CapturingLogger log;
  PingListener listener(healthchecks(), log, [&](const notify::Service&, std::chrono::milliseconds) {
    return std::make_unique<Recording>(seen);
  });
  listener.run_started({"environment", "from environment", util::TimePoint{}});
  RunReport report;
  report.log_tail = "last line\n";
  listener.run_finished(report);
  ASSERT_EQ(seen.requests.size(), 2U);
  EXPECT_EQ(seen.requests[0].url, "https://hc/u/start");
  EXPECT_EQ(seen.requests[0].method, "GET");
  EXPECT_EQ(seen.requests[1].url, "https://hc/u");
  EXPECT_EQ(seen.requests[1].method, "POST");
  EXPECT_EQ(seen.requests[1].body, "last line\n");
}

TEST(PingListenerTest, FailureForAnyOtherExitCodeAndNothingWhenCancelled) {
  Seen seen;
  util::CapturingLogger log;
  PingListener listener(healthchecks(), log, [&](const notify::Service&, std::chrono::milliseconds) {
    return std::make_unique<Recording>(seen);
  });
  RunReport report;
  report.exit_code = ExitCode::partial;
  listener.run_finished(report);
  report.cancelled = true;
  listener.run_finished(report);
  ASSERT_EQ(seen.requests.size(), 1U);
  EXPECT_EQ(seen.requests[0].url, "https://hc/u/fail");
}

}  // namespace
}  // namespace volback::app
