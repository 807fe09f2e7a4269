#include <volback/notify/sender.hpp>

#include <atomic>

#include <gtest/gtest.h>

#include <volback/notify/services.hpp>
#include <volback/notify/test_support.hpp>

namespace volback::notify {
namespace {

using namespace std::chrono_literals;

// A transport that fails `failures` times with `kind`, then succeeds; shared counts.
struct Script {
  std::atomic<int> calls{0};
  int failures = 0;
  util::ErrorKind kind = util::ErrorKind::transient;
};

class ScriptedTransport final : public http::Transport {
 public:
  explicit ScriptedTransport(Script& script) : m_script(script) {}
  util::Result<http::Response> send(const http::Request&, const http::ResponseSink*) override {
    if (m_script.calls++ < m_script.failures) {
      return util::fail(m_script.kind, "POST …: Connection refused");
    }
    return http::Response{200, {}, ""};
  }

 private:
  Script& m_script;
};

std::vector<std::shared_ptr<const Service>> services(std::initializer_list<std::string_view> urls) {
  std::vector<std::shared_ptr<const Service>> out;
  for (const auto url : urls) {
    out.push_back(*parse_service(url));
  }
  return out;
}

const MailTransportFactory k_no_mail = [](std::chrono::milliseconds) { return std::make_unique<testing::FakeMail>(); };

TEST(SenderTest, RetriesTransientErrors) {
  Script script;
  script.failures = 2;
  const TransportFactory factory = [&](const Service&, std::chrono::milliseconds) {
    return std::make_unique<ScriptedTransport>(script);
  };
  const util::FixedClock clock(util::TimePoint{});
  const auto results = send_to_all(services({"ntfy://host/topic"}), {"t", "b"}, clock,
                                   {.timeout = 10s, .max_attempts = 3, .first_backoff = 1ms}, factory, k_no_mail);
  ASSERT_EQ(results.size(), 1U);
  EXPECT_FALSE(results[0].error);
  EXPECT_EQ(results[0].attempts, 3);
}

TEST(SenderTest, GivesUpAfterMaxAttempts) {
  Script script;
  script.failures = 100;
  const TransportFactory factory = [&](const Service&, std::chrono::milliseconds) {
    return std::make_unique<ScriptedTransport>(script);
  };
  const util::FixedClock clock(util::TimePoint{});
  const auto results = send_to_all(services({"ntfy://host/topic"}), {"t", "b"}, clock,
                                   {.timeout = 10s, .max_attempts = 3, .first_backoff = 1ms}, factory, k_no_mail);
  ASSERT_TRUE(results[0].error);
  EXPECT_EQ(results[0].attempts, 3);
  EXPECT_EQ(results[0].service, "ntfy at host");
}

TEST(SenderTest, DoesNotRetryPermanentErrors) {
  Script script;
  script.failures = 100;
  script.kind = util::ErrorKind::permanent;
  const TransportFactory factory = [&](const Service&, std::chrono::milliseconds) {
    return std::make_unique<ScriptedTransport>(script);
  };
  const util::FixedClock clock(util::TimePoint{});
  const auto results = send_to_all(services({"ntfy://host/topic"}), {"t", "b"}, clock,
                                   {.timeout = 10s, .max_attempts = 3, .first_backoff = 1ms}, factory, k_no_mail);
  EXPECT_EQ(results[0].attempts, 1);
}

TEST(SenderTest, SendsToEveryServiceEachWithItsOwnTransport) {
  std::atomic<int> transports{0};
  const TransportFactory factory = [&](const Service&, std::chrono::milliseconds) {
    ++transports;
    return std::make_unique<testing::FakeTransport>();
  };
  const util::FixedClock clock(util::TimePoint{});
  const auto results = send_to_all(services({"ntfy://a/t", "gotify://b/AbCdEfGhIjKlMnO", "discord://t@1"}), {"t", "b"},
                                   clock, {}, factory, k_no_mail);
  ASSERT_EQ(results.size(), 3U);
  for (const auto& result : results) {
    EXPECT_FALSE(result.error) << result.service;
  }
  EXPECT_EQ(transports, 3);
}

TEST(SenderTest, TheMailTransportGetsWhatIsLeftOfTheTimeout) {
  std::vector<std::chrono::milliseconds> budgets;
  const MailTransportFactory mail = [&](std::chrono::milliseconds timeout) {
    budgets.push_back(timeout);
    return std::make_unique<testing::FakeMail>();
  };
  const TransportFactory http = [](const Service&, std::chrono::milliseconds) {
    return std::make_unique<testing::FakeTransport>();
  };
  const util::FixedClock clock(util::TimePoint{});
  const auto results = send_to_all(services({"smtp://127.0.0.1:2525/?from=a@x&to=b@x&usestarttls=no&timeout=60s"}),
                                   {"t", "b"}, clock, {.timeout = 5s}, http, mail);
  ASSERT_EQ(results.size(), 1U);
  EXPECT_FALSE(results[0].error);
  ASSERT_EQ(budgets.size(), 1U);
  EXPECT_LE(budgets[0], 5s);
  EXPECT_GT(budgets[0], 4s);
}

}  // namespace
}  // namespace volback::notify
