#pragma once
// When and how long to wait before retrying an S3 request. Pure.
//
// Only transient errors (5xx, 429, timeouts, resets, refused connections) are retried.
// The wait before retry n (1-based) is "full jitter" exponential backoff: a uniformly
// random time in [0, min(max_delay, base_delay·2^(n-1))]. A request gives up after
// `max_attempts` attempts or when the next wait would end later than `max_time` after
// its first attempt began.

#include <chrono>

#include <volback/util/result.hpp>

namespace volback::storage::s3 {

struct RetryPolicy {
  unsigned max_attempts = 6;
  std::chrono::milliseconds max_time{std::chrono::minutes{5}};
  std::chrono::milliseconds base_delay{250};
  std::chrono::milliseconds max_delay{std::chrono::seconds{20}};

  // The wait before retry `retry` (1 = the second attempt); `random` in [0, 1).
  std::chrono::milliseconds backoff(unsigned retry, double random) const;

  // Whether attempt `attempts_made + 1` should happen after an error of `kind`, with
  // `elapsed` since the first attempt began and `wait` the backoff it would need.
  bool should_retry(util::ErrorKind kind, unsigned attempts_made, std::chrono::milliseconds elapsed,
                    std::chrono::milliseconds wait) const;
};

}  // namespace volback::storage::s3
