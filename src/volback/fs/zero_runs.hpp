#pragma once
// Finding the holes a restore should leave in a file: runs of zeros that fill whole,
// aligned granules. Writing around them lets the file system punch the holes again for a
// sparse file that an archive stored dense.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

namespace volback::fs {

// The granule of hole detection: 64 KiB, a multiple of every common file-system block,
// and large enough that the zeros of database pages (half-empty 8 KiB pages) stay data.
inline constexpr std::uint64_t k_hole_granule = 64 * 1024;

// Calls `write(offset, bytes)` for each maximal run of `data` (which belongs at file
// offset `offset`) that is not an all-zero granule aligned at a multiple of
// `granule` in the file, in order. A granule cut by either end of `data` is always
// written. Stops at the first call that returns false and returns false; true otherwise.
// REQUIRES: granule > 0.
bool for_each_data_run(std::uint64_t offset, std::span<const std::byte> data,
                       const std::function<bool(std::uint64_t, std::span<const std::byte>)>& write,
                       std::uint64_t granule = k_hole_granule);

// Whether every byte of `data` is zero.
bool all_zero(std::span<const std::byte> data);

}  // namespace volback::fs
