#pragma once
// Cooperative cancellation. One token per run; every long loop (the walk, file reads,
// uploads, waits) calls check() and stops with ErrorKind::cancelled when it fired.
// request() is async-signal-safe, so a SIGTERM handler may call it.

#include <atomic>

#include <volback/util/result.hpp>

namespace volback::util {

class CancelToken {
 public:
  CancelToken() = default;
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;

  // Asks every holder of the token to stop. Thread-safe and async-signal-safe.
  void request() noexcept { m_requested.store(true, std::memory_order_relaxed); }

  bool requested() const noexcept { return m_requested.load(std::memory_order_relaxed); }

  // An ErrorKind::cancelled error once request() was called, success before.
  Result<void> check() const {
    if (requested()) {
      return fail(ErrorKind::cancelled, "cancelled");
    }
    return {};
  }

 private:
  std::atomic<bool> m_requested{false};
  static_assert(std::atomic<bool>::is_always_lock_free);
};

}  // namespace volback::util
