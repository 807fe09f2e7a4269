#pragma once
// When and how long to wait before retrying a storage request, and the retry loop every
// remote backend runs its requests in (S3, WebDAV, SFTP, Azure).
//
// Only transient errors (5xx, 429, timeouts, resets, refused connections) are retried.
// The wait before retry n (1-based) is "full jitter" exponential backoff: a uniformly
// random time in [0, min(max_delay, base_delay·2^(n-1))]. A request gives up after
// `max_attempts` attempts or when the next wait would end later than `max_time` after
// its first attempt began. RetryPolicy itself is pure; retry() sleeps.

#include <atomic>
#include <chrono>
#include <functional>
#include <string_view>

#include <volback/util/cancel.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/result.hpp>
#include <volback/util/settings.hpp>

namespace volback::storage {

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

// A backend's retry budget from its two settings: attempts (1..100) and a Go duration
// that must not be negative. Errors: Settings' invalid_argument naming the variable.
util::Result<RetryPolicy> parse_retry_policy(const util::Settings& settings, const util::SettingSpec& attempts,
                                             const util::SettingSpec& max_time);

// Sleeps `wait`, waking early when `cancel` fires or `stop` (when given) becomes true;
// for a wait the server asks for (Retry-After) on top of the backoff.
void interruptible_sleep(std::chrono::milliseconds wait, const util::CancelToken& cancel,
                         const std::atomic<bool>* stop = nullptr);

// What retry() logs before each retry: `message` at WARN ("Retrying S3 request") with
// the operation, the attempt about to start, the wait and the error.
struct RetryLog {
  util::Logger& log;
  std::string_view message;
};

// Runs `attempt` until it succeeds or returns an error the policy does not retry, the
// policy's budget is spent, `cancel` fires or `stop` (when given) becomes true; sleeps
// the backoff between attempts, waking early on cancellation. Returns the last result;
// a transient error after several attempts says how many. `what` names the operation.
util::Result<void> retry(const RetryPolicy& policy, const util::CancelToken& cancel, const RetryLog& log,
                         std::string_view what, const std::function<util::Result<void>()>& attempt,
                         const std::atomic<bool>* stop = nullptr);

// The same for an attempt that returns a value.
template <typename T>
util::Result<T> retry_value(const RetryPolicy& policy, const util::CancelToken& cancel, const RetryLog& log,
                            std::string_view what, const std::function<util::Result<T>()>& attempt,
                            const std::atomic<bool>* stop = nullptr) {
  std::optional<T> value;
  VOLBACK_TRY(retry(
    policy, cancel, log, what,
    [&]() -> util::Result<void> {
      VOLBACK_TRY_ASSIGN(auto got, attempt());
      value.emplace(std::move(got));
      return {};
    },
    stop));
  return std::move(*value);
}

}  // namespace volback::storage
