#pragma once
// BlobSaver: stores the blobs of a backup in packs, each blob once. A blob the repository's
// index or this saver already holds is skipped (deduplication); the others go to a
// PackPipeline, which seals them on worker threads and uploads each full pack behind the
// caller. Stored packs join the index in batches (merging the index is linear in its size)
// and are listed in index files: one every `index_interval` or `index_max_blobs` during a
// long backup, so a killed run leaves most of its work indexed, and the rest at flush().
// An index file never names a pack that is not stored (the write order of the format's
// §10.2). The caller's methods are for one thread at a time.
#include <chrono>
#include <cstdint>
#include <set>
#include <span>
#include <utility>
#include <vector>

#include <volback/restic/blob_index.hpp>
#include <volback/restic/index_file.hpp>
#include <volback/restic/pack.hpp>
#include <volback/restic/pack_pipeline.hpp>
#include <volback/restic/repository.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

struct BlobSaverStats {
  std::uint64_t blobs_new = 0;
  std::uint64_t data_blobs_new = 0;
  std::uint64_t blobs_known = 0;
  std::uint64_t bytes_new = 0;     // plaintext bytes of the new blobs
  std::uint64_t bytes_stored = 0;  // pack bytes uploaded
  std::uint64_t packs = 0;
  std::uint64_t packs_reused = 0;  // complete packs no index named, adopted (adopt)
};

struct BlobSaverOptions {
  PackPipelineOptions pipeline;
  std::chrono::steady_clock::duration index_interval = std::chrono::minutes(5);
  std::size_t index_max_blobs = 50000;   // restic's limit per index file
  std::size_t index_batch_blobs = 8192;  // stored blobs that join the in-memory index at once
};

class BlobSaver {
 public:
  // `index` holds the repository's blobs; the saver adds the packs it stores to it (all of
  // them by the end of flush()). Version 1 repositories get uncompressed blobs.
  BlobSaver(Repository& repository, BlobIndex& index, BlobSaverOptions options = {});

  // Stores the blob `id` (the SHA-256 of `plaintext`) unless it is already there. A new
  // blob's bytes are taken and `plaintext` is left an empty buffer to reuse.
  util::Result<void> save(BlobType type, const Id& id, std::string& plaintext);
  // The same from bytes the caller keeps (copied when the blob is new).
  util::Result<void> save(BlobType type, const Id& id, std::span<const unsigned char> plaintext);
  // Takes a stored pack that no index names (a killed run's) as if this saver had uploaded
  // it: its blobs are not stored again, and the next index file lists it.
  void adopt(IndexedPack pack);
  // Seals and uploads what is left and writes the index file of every stored pack not yet
  // listed in one. Nothing is written when nothing was saved or adopted.
  util::Result<void> flush();

  const BlobSaverStats& stats() const { return m_stats; }

 private:
  // Takes the packs the pipeline stored: into the next index file (written when due) and,
  // in batches or when `all`, into the index.
  util::Result<void> absorb(bool all);
  util::Result<void> write_index_file();
  void index_batch();

  Repository& m_repository;
  BlobIndex& m_index;
  BlobSaverOptions m_options;
  std::set<Id> m_pending_data;  // saved, not yet in m_index
  std::set<Id> m_pending_tree;
  std::vector<IndexedPack> m_batch;  // stored, not yet in m_index
  std::size_t m_batch_blobs = 0;
  IndexFile m_unlisted;  // stored, not yet in an index file
  std::size_t m_unlisted_blobs = 0;
  std::chrono::steady_clock::time_point m_last_index_file = std::chrono::steady_clock::now();
  BlobSaverStats m_stats;
  PackPipeline m_pipeline;  // last: its threads stop before the members above go
};

}  // namespace volback::restic
