#pragma once
// The part sizes of a multi-part upload of unknown length (S3 multipart parts, Azure
// blocks). Pure.
//
// A store allows at most `max_parts` parts of `min_part` to `max_part` bytes each. An
// archive's length is unknown while it streams, so the part size grows with the part
// number: the first `parts_per_step` parts have the base size, each following block of
// `parts_per_step` parts doubles it, and no part exceeds `max_part`.

#include <cstdint>

namespace volback::storage {

inline constexpr std::uint64_t k_mib = 1024 * 1024;

struct PartLimits {
  std::uint64_t min_part = 0;
  std::uint64_t max_part = 0;
  unsigned max_parts = 0;
  unsigned parts_per_step = 0;
};

class PartSchedule {
 public:
  // `base` is clamped to [min_part, max_part].
  PartSchedule(std::uint64_t base, PartLimits limits);

  // The size of part `number` (1-based, ≤ max_parts).
  std::uint64_t part_size(unsigned number) const;

  // The largest object the parts can hold.
  std::uint64_t capacity() const;

  const PartLimits& limits() const { return m_limits; }

 private:
  PartLimits m_limits;
  std::uint64_t m_base;
};

}  // namespace volback::storage
