#include <volback/storage/s3/retry_policy.hpp>

#include <algorithm>

namespace volback::storage::s3 {

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

}  // namespace volback::storage::s3
