#pragma once
// prune: `restic forget` and `restic prune` (0.14) on a Repository, simplified: snapshots
// are removed by id (no retention policy), and prune keeps exactly the blobs that the
// remaining snapshots reach, whatever the size of the packs they sit in.
//
// prune_repository: the snapshots are listed first, then every index file is loaded (the
// read order of the format's §10.2), and every snapshot's tree is walked, each tree once,
// to collect the used blobs (trees and the data blobs of files). Each used blob keeps one
// copy (§6.3 allows a blob in several packs): one in a pack whose blobs are all used when
// there is one, else the first one listed. Then each indexed pack present in data/ is
//   kept      when every blob it holds is a kept copy,
//   deleted   when none is,
//   repacked  otherwise: its kept copies are read, authenticated and checked against their
//             ids, and written into new packs through a BlobSaver (the backup's own path);
// packs in data/ that no index lists (left by an interrupted backup) are deleted, and
// packs an index lists but data/ lacks are dropped from the index.
//
// Write order, each step crash-safe (§10.2): the new packs and the saver's index of them;
// then index files listing every kept pack (150 000 blobs at most each, as restic 0.14
// writes them, with the old index files in "supersedes"); then the old index files are
// removed; then the deleted, repacked and unindexed packs. A crash at any point leaves a
// repository restic reads: at worst blobs stored twice or packs no index lists, which the
// next prune removes. Nothing is written when there is nothing to remove.
//
// The caller holds an exclusive RepositoryLock. One thread at a time.
//
// Memory: the merged index (blob_index.hpp: at most 40 bytes a blob) and the parsed index
// files (about 80 bytes a blob); the used data blobs as a sorted vector of ids, 32 bytes
// each (up to twice that while collecting) plus 4 bytes each for the chosen copy; the used
// trees in a std::set, about 80 bytes each; one pack (16 MiB) at a time while repacking.

#include <cstdint>
#include <span>

#include <volback/restic/id.hpp>
#include <volback/restic/repository.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

// restic 0.14 starts a new index file once one holds this many blobs (repository v2).
inline constexpr std::size_t k_index_file_max_blobs = 150'000;

// Removes the snapshot files `snapshots`. Every id is checked to exist before any is
// removed. Errors: not_found naming the first id that is not a snapshot of the repository;
// the backend's errors.
util::Result<void> forget_snapshots(Repository& repository, std::span<const Id> snapshots);

struct PruneOptions {
  // Compute the figures only; nothing is written or removed.
  bool dry_run = false;
  // Where the new packs are built (PackFile).
  std::string temp_dir = "/tmp";
};

struct PruneStats {
  std::uint64_t packs_kept = 0;
  std::uint64_t packs_deleted = 0;    // no used blob, or no index lists them (counted below too)
  std::uint64_t packs_unindexed = 0;  // in data/ but in no index file
  std::uint64_t packs_repacked = 0;
  std::uint64_t packs_written = 0;  // new packs holding the repacked blobs
  std::uint64_t blobs_used = 0;     // distinct blobs (type and id) the snapshots reach
  std::uint64_t blobs_repacked = 0;
  std::uint64_t blobs_removed = 0;  // index entries dropped: unused blobs and extra copies
  std::uint64_t bytes_before = 0;   // the sizes of the files in data/
  std::uint64_t bytes_after = 0;
  std::uint64_t index_files_written = 0;
  std::uint64_t index_files_removed = 0;
};

// Prunes the repository as described above. dry_run: the same figures, except that
// packs_written, blobs_repacked and index_files_written stay 0 and bytes_after is an
// estimate: the repacked blobs at their present stored size in one new pack per blob type
// (recompression and packs split at the target size make the real figure differ). Errors: corrupt, with nothing written or removed, when a
// tree or data blob that a snapshot reaches is in no index or in no pack data/ holds, or
// a tree does not parse; corrupt when a blob being repacked fails its checks (new packs
// may then be stored, unindexed; nothing is removed); cancelled; the backend's errors.
util::Result<PruneStats> prune_repository(Repository& repository, const PruneOptions& options,
                                          const util::CancelToken& cancel);

}  // namespace volback::restic
