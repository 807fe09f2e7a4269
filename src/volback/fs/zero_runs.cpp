#include <volback/fs/zero_runs.hpp>

#include <algorithm>
#include <cstring>

namespace volback::fs {

bool all_zero(std::span<const std::byte> data) {
  // Compared in words of 64 bytes: memcmp against a static zero block is vectorized.
  static constexpr std::byte k_zeros[64]{};
  std::size_t at = 0;
  for (; at + sizeof k_zeros <= data.size(); at += sizeof k_zeros) {
    if (std::memcmp(data.data() + at, k_zeros, sizeof k_zeros) != 0) {
      return false;
    }
  }
  return std::all_of(data.begin() + static_cast<std::ptrdiff_t>(at), data.end(),
                     [](std::byte b) { return b == std::byte{0}; });
}

bool for_each_data_run(std::uint64_t offset, std::span<const std::byte> data,
                       const std::function<bool(std::uint64_t, std::span<const std::byte>)>& write,
                       std::uint64_t granule) {
  const std::uint64_t end = offset + data.size();
  std::uint64_t run_start = offset;  // start of the pending data run
  // The first whole granule starts at the next multiple of `granule`.
  std::uint64_t at = (offset + granule - 1) / granule * granule;
  while (at + granule <= end) {
    const auto chunk = data.subspan(static_cast<std::size_t>(at - offset), static_cast<std::size_t>(granule));
    if (all_zero(chunk)) {
      if (at > run_start && !write(run_start, data.subspan(static_cast<std::size_t>(run_start - offset),
                                                           static_cast<std::size_t>(at - run_start)))) {
        return false;
      }
      run_start = at + granule;
    }
    at += granule;
  }
  if (end > run_start) {
    return write(run_start, data.subspan(static_cast<std::size_t>(run_start - offset)));
  }
  return true;
}

}  // namespace volback::fs
