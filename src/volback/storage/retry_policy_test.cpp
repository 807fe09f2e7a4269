#include <volback/storage/retry_policy.hpp>

#include <gtest/gtest.h>

namespace volback::storage {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicy, BackoffGrowsExponentiallyUnderTheCap) {
  const RetryPolicy p{6, milliseconds(60'000), milliseconds(100), milliseconds(1'000)};
  EXPECT_EQ(p.backoff(1, 0.999999).count(), 99);
  EXPECT_EQ(p.backoff(2, 0.5).count(), 100);
  EXPECT_EQ(p.backoff(3, 0.5).count(), 200);
  EXPECT_EQ(p.backoff(10, 0.5).count(), 500);
  EXPECT_EQ(p.backoff(3, 0.0).count(), 0);
}

TEST(RetryPolicy, OnlyTransientErrorsWithinTheBudget) {
  const RetryPolicy p{3, milliseconds(1'000), milliseconds(100), milliseconds(1'000)};
  EXPECT_TRUE(p.should_retry(util::ErrorKind::transient, 1, milliseconds(0), milliseconds(50)));
  EXPECT_FALSE(p.should_retry(util::ErrorKind::permanent, 1, milliseconds(0), milliseconds(0)));
  EXPECT_FALSE(p.should_retry(util::ErrorKind::auth, 1, milliseconds(0), milliseconds(0)));
  EXPECT_FALSE(p.should_retry(util::ErrorKind::not_found, 1, milliseconds(0), milliseconds(0)));
  EXPECT_FALSE(p.should_retry(util::ErrorKind::transient, 3, milliseconds(0), milliseconds(0)));
  EXPECT_FALSE(p.should_retry(util::ErrorKind::transient, 1, milliseconds(900), milliseconds(200)));
}

}  // namespace
}  // namespace volback::storage
