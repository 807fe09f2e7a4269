#pragma once
// Stray packs: packs a repository stores that no index file names, what a backup killed
// after uploading them leaves behind (restic's check calls them "not referenced in any
// index" and does not count them as errors). Their headers are read, so that the next
// backup takes their blobs as stored (BlobSaver::adopt) and lists them in its index file
// instead of uploading the same blobs again. Reading a header authenticates it with the
// master key and checks that its blobs fill the pack exactly, so a pack cut short or
// damaged is never taken: it stays unreadable, and prune removes it.

#include <vector>

#include <volback/restic/blob_index.hpp>
#include <volback/restic/index_file.hpp>
#include <volback/restic/repository.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

struct StrayPacks {
  std::vector<IndexedPack> readable;  // with the blobs their headers list
  std::vector<Id> unreadable;         // cut short, damaged, or unreadable just now
};

// The packs in `repository` that `index` (all its index files) does not name. Errors: the
// backend's, for the listing only; a pack that cannot be read is reported as unreadable.
util::Result<StrayPacks> find_stray_packs(Repository& repository, const BlobIndex& index);

}  // namespace volback::restic
