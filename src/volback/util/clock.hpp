#pragma once
// The only source of "now". Code takes a Clock& so tests can pin time; nothing else
// calls system_clock::now() (scripts/check-layering.sh enforces this).

#include <chrono>

namespace volback::util {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
};

// A clock that stands still until told otherwise. For tests.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(TimePoint t) : m_now(t) {}
  TimePoint now() const override { return m_now; }
  void set(TimePoint t) { m_now = t; }

 private:
  TimePoint m_now;
};

}  // namespace volback::util
