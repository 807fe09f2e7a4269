#include <volback/retention/prune_guard.hpp>

#include <fmt/format.h>

namespace volback::retention {

std::optional<std::string> refuse_prune(const PruneGuardInput& input) {
  for (const auto& copy : input.copies) {
    if (!copy.listed_size) {
      return fmt::format("the new backup {} is not listed in backend {}", input.archive, copy.backend);
    }
    if (*copy.listed_size != input.size) {
      return fmt::format("the new backup {} has {} bytes in backend {}, but {} were written", input.archive,
                         *copy.listed_size, copy.backend, input.size);
    }
  }
  if (input.previous_size && input.min_ratio > 0 &&
      static_cast<double>(input.size) < input.min_ratio * static_cast<double>(*input.previous_size)) {
    return fmt::format(
      "the new backup {} has {} bytes, less than BACKUP_PRUNE_MIN_RATIO={} times the previous backup's {} bytes",
      input.archive, input.size, input.min_ratio, *input.previous_size);
  }
  return std::nullopt;
}

}  // namespace volback::retention
