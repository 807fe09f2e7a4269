// The refreshing provider of the IAM role's credentials, on a fixed clock and FakeImds.
#include <volback/storage/s3/imds_credentials.hpp>

#include <thread>

#include <gtest/gtest.h>

#include <volback/storage/s3/fake_imds.hpp>

namespace volback::storage::s3 {
namespace {

using namespace std::chrono_literals;
using fake::FakeImds;
using fake::FakeImdsTransport;

// A transport that fails while `down` is set, else goes to a FakeImds.
class FlakyTransport final : public http::Transport {
 public:
  explicit FlakyTransport(FakeImds& imds, const bool& down) : m_inner(imds), m_down(down) {}
  util::Result<http::Response> send(const http::Request& request, const http::ResponseSink* sink) override {
    if (m_down) {
      return util::fail(util::ErrorKind::transient, "connection refused");
    }
    return m_inner.send(request, sink);
  }

 private:
  FakeImdsTransport m_inner;
  const bool& m_down;
};

class ImdsCredentialsTest : public ::testing::Test {
 protected:
  ImdsCredentialsTest() { m_imds.expiration = m_start + 1h; }

  std::string key() {
    auto credentials = m_provider.get();
    EXPECT_TRUE(credentials) << credentials.error().message();
    return credentials ? credentials->access_key : std::string();
  }

  const util::TimePoint m_start{std::chrono::seconds(1'800'000'000)};
  util::FixedClock m_clock{m_start};
  util::CapturingLogger m_log;
  FakeImds m_imds;
  bool m_down = false;
  ImdsCredentials m_provider{std::string(fake::k_fake_imds), std::make_unique<FlakyTransport>(m_imds, m_down), m_clock,
                             m_log};
};

TEST_F(ImdsCredentialsTest, RefreshesFiveMinutesBeforeExpiration) {
  const auto first = m_provider.get();
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_EQ(first->access_key, "ASIAKEY1");
  EXPECT_EQ(first->secret_key, "secret1");
  EXPECT_EQ(first->session_token, "session1");
  m_clock.set(m_start + 1h - 5min - 1s);
  EXPECT_EQ(key(), "ASIAKEY1");
  EXPECT_EQ(m_imds.handed_out(), 1);

  m_imds.expiration = m_start + 2h;
  m_clock.set(m_start + 1h - 5min);
  EXPECT_EQ(key(), "ASIAKEY2");
  EXPECT_EQ(key(), "ASIAKEY2");
  EXPECT_EQ(m_imds.handed_out(), 2);
  EXPECT_TRUE(m_log.contains("Refreshed the S3 credentials from the instance metadata service"));
  EXPECT_FALSE(m_log.contains("secret") || m_log.contains("session") || m_log.contains("imds-token"));
}

TEST_F(ImdsCredentialsTest, ShortLivedCredentialsAreRefreshedHalfway) {
  m_imds.expiration = m_start + 4min;
  EXPECT_EQ(key(), "ASIAKEY1");
  m_clock.set(m_start + 2min - 1s);
  EXPECT_EQ(key(), "ASIAKEY1");
  m_imds.expiration = m_start + 6min;
  m_clock.set(m_start + 2min);
  EXPECT_EQ(key(), "ASIAKEY2");
}

TEST_F(ImdsCredentialsTest, AFailedRefreshKeepsTheCurrentCredentialsUntilTheyExpire) {
  EXPECT_EQ(key(), "ASIAKEY1");
  m_down = true;
  m_clock.set(m_start + 56min);
  EXPECT_EQ(key(), "ASIAKEY1");
  EXPECT_TRUE(m_log.contains("Cannot refresh the S3 credentials; using the current ones until they expire"));
  m_clock.set(m_start + 1h);
  const auto expired = m_provider.get();
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().kind(), util::ErrorKind::transient);
  EXPECT_EQ(expired.error().message(), "instance metadata service, token: connection refused");

  m_down = false;
  m_imds.expiration = m_start + 2h;
  EXPECT_EQ(key(), "ASIAKEY2");
}

TEST_F(ImdsCredentialsTest, CredentialsExpiredOnArrivalAreAnAuthError) {
  m_imds.expiration = m_start - 10s;
  const auto result = m_provider.get();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind(), util::ErrorKind::auth);
  EXPECT_EQ(result.error().message(),
            "instance metadata service, credentials: they expired 10s before they arrived (is this machine's clock "
            "right?)");
}

TEST_F(ImdsCredentialsTest, ThreadsShareOneFetch) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 50; ++j) {
        auto credentials = m_provider.get();
        ok += credentials && credentials->access_key == "ASIAKEY1" ? 1 : 0;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(ok.load(), 400);
  EXPECT_EQ(m_imds.handed_out(), 1);
}

}  // namespace
}  // namespace volback::storage::s3
