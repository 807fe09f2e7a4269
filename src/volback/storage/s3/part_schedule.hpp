#pragma once
// The part sizes of a multipart upload of unknown length. Pure.
//
// S3 allows at most 10,000 parts of 5 MiB to 5 GiB each (the last may be smaller) and
// objects up to 5 TiB. An archive's length is unknown while it streams, so the part size
// grows with the part number: parts 1–1000 have the base size, each following block of
// 1000 parts doubles it, and no part exceeds 5 GiB. With the default base of 16 MiB the
// 10,000 parts hold 16 MiB·1000·(1+2+…+256) + 5 GiB·1000 ≈ 12.7 TiB, more than S3's 5 TiB
// limit, so the object limit is the only limit. With the smallest base, 5 MiB, they hold
// about 4.9 TiB.

#include <cstdint>

namespace volback::storage::s3 {

inline constexpr std::uint64_t k_mib = 1024 * 1024;
inline constexpr std::uint64_t k_min_part_size = 5 * k_mib;
inline constexpr std::uint64_t k_max_part_size = 5 * 1024 * k_mib;
inline constexpr unsigned k_max_parts = 10'000;
inline constexpr unsigned k_parts_per_step = 1'000;

class PartSchedule {
 public:
  // `base` is clamped to [5 MiB, 5 GiB].
  explicit PartSchedule(std::uint64_t base);

  // The size of part `number` (1-based, ≤ 10,000).
  std::uint64_t part_size(unsigned number) const;

  // The largest object the 10,000 parts can hold.
  std::uint64_t capacity() const;

 private:
  std::uint64_t m_base;
};

}  // namespace volback::storage::s3
