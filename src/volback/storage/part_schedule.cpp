#include <volback/storage/part_schedule.hpp>

#include <algorithm>

namespace volback::storage {

PartSchedule::PartSchedule(std::uint64_t base, PartLimits limits)
  : m_limits(limits), m_base(std::clamp(base, limits.min_part, limits.max_part)) {}

std::uint64_t PartSchedule::part_size(unsigned number) const {
  const unsigned step = number == 0 ? 0 : (number - 1) / m_limits.parts_per_step;
  std::uint64_t size = m_base;
  for (unsigned i = 0; i < step && size < m_limits.max_part; ++i) {
    size *= 2;
  }
  return std::min(size, m_limits.max_part);
}

std::uint64_t PartSchedule::capacity() const {
  std::uint64_t total = 0;
  for (unsigned step = 0; step < m_limits.max_parts / m_limits.parts_per_step; ++step) {
    total += part_size(step * m_limits.parts_per_step + 1) * m_limits.parts_per_step;
  }
  return total;
}

}  // namespace volback::storage
