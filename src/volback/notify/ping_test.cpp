#include <volback/notify/ping.hpp>

#include <gtest/gtest.h>

namespace volback::notify {
namespace {

util::Result<PingSettings> parse_pings(std::map<std::string, std::string, std::less<>> values) {
  const util::MapSource source(std::move(values), "environment");
  return parse_ping_settings(util::Settings({&source}));
}

TEST(PingTest, HealthchecksStyle) {
  const auto settings = parse_pings({{"VOLBACK_PING_URL", "https://hc-ping.com/uuid/"}});
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->start->url, "https://hc-ping.com/uuid/start");
  EXPECT_FALSE(settings->start->post_log);
  EXPECT_EQ(settings->success->url, "https://hc-ping.com/uuid/");
  EXPECT_TRUE(settings->success->post_log);
  EXPECT_EQ(settings->failure->url, "https://hc-ping.com/uuid/fail");
}

TEST(PingTest, SuffixGoesBeforeTheQuery) {
  const auto settings = parse_pings({{"VOLBACK_PING_URL", "https://hc.example.com/ping/key/slug?create=1"}});
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->failure->url, "https://hc.example.com/ping/key/slug/fail?create=1");
}

TEST(PingTest, ExplicitUrlsReplaceOneEventEach) {
  const auto settings = parse_pings({{"VOLBACK_PING_SUCCESS_URL", "https://kuma/api/push/t?status=up&msg=OK"},
                                     {"VOLBACK_PING_FAIL_URL", "https://kuma/api/push/t?status=down&msg=failed"}});
  ASSERT_TRUE(settings);
  EXPECT_FALSE(settings->start);
  EXPECT_EQ(settings->success->url, "https://kuma/api/push/t?status=up&msg=OK");
  EXPECT_FALSE(settings->success->post_log);
}

TEST(PingTest, NonHttpUrlIsRefusedWithoutShowingIt) {
  const auto settings = parse_pings({{"VOLBACK_PING_URL", "ftp://secret-uuid"}});
  ASSERT_FALSE(settings);
  EXPECT_EQ(settings.error().message().find("secret-uuid"), std::string::npos);
  EXPECT_NE(settings.error().message().find("VOLBACK_PING_URL"), std::string::npos);
}

TEST(PingTest, SendsGetOrPostWithTheLog) {
  std::vector<http::Request> seen;
  // Record through a transport that remembers into `seen`.
  class Recording final : public http::Transport {
   public:
    explicit Recording(std::vector<http::Request>& seen) : m_seen(seen) {}
    util::Result<http::Response> send(const http::Request& r, const http::ResponseSink*) override {
      m_seen.push_back(r);
      return http::Response{200, {}, "OK"};
    }

   private:
    std::vector<http::Request>& m_seen;
  };
  const TransportFactory recording = [&](const Service&, std::chrono::milliseconds) {
    return std::unique_ptr<http::Transport>(std::make_unique<Recording>(seen));
  };
  ASSERT_TRUE(send_ping({"https://hc/x/start", false}, "ignored", recording));
  ASSERT_TRUE(send_ping({"https://hc/x/fail", true}, "last lines\n", recording));
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].body, "");
  EXPECT_EQ(seen[1].method, "POST");
  EXPECT_EQ(seen[1].url, "https://hc/x/fail");
  EXPECT_EQ(seen[1].body, "last lines\n");
}

}  // namespace
}  // namespace volback::notify
