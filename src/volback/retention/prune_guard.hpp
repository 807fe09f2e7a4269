#pragma once
// The check that stands between a new backup and pruning: a run only deletes old
// backups when the one it just made is complete everywhere and did not shrink
// suspiciously, so that a broken source (an empty volume, a wrong mount) cannot make
// the retention rule delete the good backups one run at a time. Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace volback::retention {

// The new backup as one backend lists it after the run; nullopt: not listed.
struct StoredCopy {
  std::string backend;
  std::optional<std::uint64_t> listed_size;
};

struct PruneGuardInput {
  std::string archive;                         // the new backup's name
  std::uint64_t size = 0;                      // the bytes the run wrote
  std::vector<StoredCopy> copies;              // one per backend that committed it
  std::optional<std::uint64_t> previous_size;  // the newest older backup of the prefix; nullopt: none
  double min_ratio = 0.5;                      // BACKUP_PRUNE_MIN_RATIO; 0 disables the size check
};

// nullopt when pruning may go on; otherwise why not, naming the backend or both sizes:
// - a copy that is not listed, or listed with another size than the run wrote;
// - `size` below `min_ratio` × `previous_size`.
std::optional<std::string> refuse_prune(const PruneGuardInput& input);

}  // namespace volback::retention
