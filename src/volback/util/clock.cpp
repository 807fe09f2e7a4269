#include <volback/util/clock.hpp>

namespace volback::util {

TimePoint SystemClock::now() const {
  return std::chrono::system_clock::now();
}

}  // namespace volback::util
