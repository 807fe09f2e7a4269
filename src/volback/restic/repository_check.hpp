#pragma once
// Checking a repository as `restic check` does: the structure always, the data on request.
//
// Structure: every index file loads and parses; every pack an index names is in data/ with
// the size its blobs imply (their stored lengths, the sealed header of 37 bytes per blob,
// 41 per compressed blob, plus 32, and the 4-byte header length); every snapshot loads and
// parses; every tree reachable from the snapshots is in the index, authenticates, hashes to
// its id and parses; every blob a tree references (subtrees, file content) is in the index.
// A pack in data/ that no index names is a warning, not a problem (restic: "unreferenced
// pack", left for prune).
//
// Data (`read_data`): each selected pack is read whole and must hash to its name, its
// header must authenticate, parse and list the blobs the index lists for it (type, id,
// offset, length, uncompressed length), and every blob must open and hash to its id.
// Selection: with `subset_fraction` f in (0, 1], the first ceil(f × n) of the n packs the
// index names that exist, in ascending id order (pack ids are SHA-256 hashes, so this is a
// deterministic and unbiased sample; the same f selects the same packs every time).
//
// Memory: the index files' pack lists (about 80 bytes per blob), the set of trees seen (32
// bytes each), one tree and, with read_data, one pack per core at a time: the packs are
// read by one thread per core (the backend's reads must be safe from several threads, as
// every volback backend's are), and the problems are reported in the packs' order.
//
// Errors (the check could not run; problems are in the report instead): the backend's when
// a directory cannot be listed; invalid_argument for a fraction outside [0, 1]; cancelled.
// One caller thread; the repository must not change during the check.

#include <cstdint>
#include <string>
#include <vector>

#include <volback/restic/repository.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

struct CheckOptions {
  bool read_data = false;
  double subset_fraction = 1.0;  // of the packs read when read_data; 1.0: all
};

// Reports beyond this many problems are only counted.
inline constexpr std::size_t k_max_check_problems = 10000;

struct CheckReport {
  std::vector<std::string> problems;  // empty: the repository is sound
  std::vector<std::string> warnings;  // not errors (unreferenced packs)
  std::uint64_t problems_omitted = 0;
  std::uint64_t index_files = 0;
  std::uint64_t packs = 0;  // named by the index
  std::uint64_t blobs = 0;  // distinct blobs in the index
  std::uint64_t snapshots = 0;
  std::uint64_t trees = 0;       // distinct trees reachable from the snapshots, loaded
  std::uint64_t packs_read = 0;  // with read_data

  bool ok() const { return problems.empty(); }
};

util::Result<CheckReport> check_repository(Repository& repository, const CheckOptions& options,
                                           const util::CancelToken& cancel);

}  // namespace volback::restic
