#pragma once
// BlobSaver: stores the blobs of a backup in packs, each blob once. A blob the repository's
// index or this saver already holds is skipped (deduplication); the others go into a data
// or a tree pack, which is uploaded when it reaches the target size. flush() uploads what
// is left and then writes one index file that lists every pack this saver uploaded, so an
// index never names a pack that is not stored (the write order of the format's §10.2).
// One thread at a time.

#include <cstdint>
#include <set>
#include <span>
#include <utility>
#include <vector>

#include <volback/restic/blob_index.hpp>
#include <volback/restic/index_file.hpp>
#include <volback/restic/pack.hpp>
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
};

class BlobSaver {
 public:
  // `index` holds the repository's blobs; the saver adds the packs it uploads to it.
  BlobSaver(Repository& repository, BlobIndex& index) : m_repository(repository), m_index(index) {}

  // Stores the blob `id` (the SHA-256 of `plaintext`) unless it is already there.
  util::Result<void> save(BlobType type, const Id& id, std::span<const unsigned char> plaintext);
  // Uploads the unfinished packs and the index file of everything uploaded. Nothing is
  // written when nothing was saved.
  util::Result<void> flush();

  const BlobSaverStats& stats() const { return m_stats; }

 private:
  util::Result<void> upload(PackBuilder& builder, std::set<Id>& pending);

  Repository& m_repository;
  BlobIndex& m_index;
  PackBuilder m_data;
  PackBuilder m_tree;
  std::set<Id> m_pending_data;  // in the unfinished data pack
  std::set<Id> m_pending_tree;
  IndexFile m_uploaded;
  BlobSaverStats m_stats;
};

}  // namespace volback::restic
