#pragma once
// S3's limits for storage::PartSchedule (storage/part_schedule.hpp).
//
// S3 allows at most 10,000 parts of 5 MiB to 5 GiB each (the last may be smaller) and
// objects up to 5 TiB. Parts 1–1000 have the base size and each following block of 1000
// parts doubles it. With the default base of 16 MiB the 10,000 parts hold
// 16 MiB·1000·(1+2+…+256) + 5 GiB·1000 ≈ 12.7 TiB, more than S3's 5 TiB limit, so the
// object limit is the only limit. With the smallest base, 5 MiB, they hold about 4.9 TiB.

#include <volback/storage/part_schedule.hpp>

namespace volback::storage::s3 {

inline constexpr std::uint64_t k_min_part_size = 5 * k_mib;
inline constexpr std::uint64_t k_max_part_size = 5 * 1024 * k_mib;
inline constexpr unsigned k_max_parts = 10'000;
inline constexpr PartLimits k_s3_part_limits{k_min_part_size, k_max_part_size, k_max_parts, 1'000};

}  // namespace volback::storage::s3
