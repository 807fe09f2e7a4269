#include <volback/storage/s3/part_schedule.hpp>

#include <algorithm>

namespace volback::storage::s3 {

PartSchedule::PartSchedule(std::uint64_t base) : m_base(std::clamp(base, k_min_part_size, k_max_part_size)) {}

std::uint64_t PartSchedule::part_size(unsigned number) const {
  const unsigned step = number == 0 ? 0 : (number - 1) / k_parts_per_step;
  std::uint64_t size = m_base;
  for (unsigned i = 0; i < step && size < k_max_part_size; ++i) {
    size *= 2;
  }
  return std::min(size, k_max_part_size);
}

std::uint64_t PartSchedule::capacity() const {
  std::uint64_t total = 0;
  for (unsigned step = 0; step < k_max_parts / k_parts_per_step; ++step) {
    total += part_size(step * k_parts_per_step + 1) * k_parts_per_step;
  }
  return total;
}

}  // namespace volback::storage::s3
