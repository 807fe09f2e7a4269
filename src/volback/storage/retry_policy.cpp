#include <volback/storage/retry_policy.hpp>

#include <algorithm>
#include <random>
#include <thread>

#include <fmt/format.h>

namespace volback::storage {

namespace {

double random_fraction() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

bool stopped(const util::CancelToken& cancel, const std::atomic<bool>* stop) {
  return cancel.requested() || (stop != nullptr && stop->load());
}

}  // namespace

void interruptible_sleep(std::chrono::milliseconds wait, const util::CancelToken& cancel,
                         const std::atomic<bool>* stop) {
  const auto end = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < end) {
    if (stopped(cancel, stop)) {
      return;
    }
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(std::chrono::milliseconds(50),
                                                                              end - std::chrono::steady_clock::now()));
  }
}

std::chrono::milliseconds RetryPolicy::backoff(unsigned retry, double random) const {
  std::chrono::milliseconds ceiling = base_delay;
  for (unsigned i = 1; i < retry && ceiling < max_delay; ++i) {
    ceiling *= 2;
  }
  ceiling = std::min(ceiling, max_delay);
  const double r = std::clamp(random, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(static_cast<double>(ceiling.count()) * r));
}

bool RetryPolicy::should_retry(util::ErrorKind kind, unsigned attempts_made, std::chrono::milliseconds elapsed,
                               std::chrono::milliseconds wait) const {
  if (kind != util::ErrorKind::transient) {
    return false;
  }
  if (attempts_made >= max_attempts) {
    return false;
  }
  return elapsed + wait <= max_time;
}

util::Result<RetryPolicy> parse_retry_policy(const util::Settings& settings, const util::SettingSpec& attempts,
                                             const util::SettingSpec& max_time) {
  RetryPolicy policy;
  VOLBACK_TRY_ASSIGN(const auto count, settings.get_int(attempts, 1, 100));
  policy.max_attempts = static_cast<unsigned>(count);
  VOLBACK_TRY_ASSIGN(const auto budget, settings.get_duration(max_time));
  if (budget.count() < 0) {
    return util::fail(util::Settings::invalid(max_time, "", "must not be negative"));
  }
  policy.max_time = std::chrono::duration_cast<std::chrono::milliseconds>(budget);
  return policy;
}

util::Result<void> retry(const RetryPolicy& policy, const util::CancelToken& cancel, const RetryLog& log,
                         std::string_view what, const std::function<util::Result<void>()>& attempt,
                         const std::atomic<bool>* stop) {
  const auto first = std::chrono::steady_clock::now();
  for (unsigned made = 1;; ++made) {
    auto result = attempt();
    if (result) {
      return result;
    }
    const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - first);
    const auto wait = policy.backoff(made, random_fraction());
    if (!policy.should_retry(result.error().kind(), made, elapsed, wait) || stopped(cancel, stop)) {
      if (result.error().kind() == util::ErrorKind::transient && made > 1) {
        return util::fail(result.error().with_context(fmt::format("after {} attempts", made)));
      }
      return result;
    }
    log.log.warn(log.message, {{"operation", what},
                               {"attempt", made + 1},
                               {"wait", fmt::format("{}ms", wait.count())},
                               {"error", result.error().message()}});
    interruptible_sleep(wait, cancel, stop);
  }
}

}  // namespace volback::storage
