#pragma once
// Reading a snapshot back: SnapshotReader walks the tree of a snapshot from its root tree,
// depth first, a directory before its entries, entries in their (sorted) tree order, and
// hands out each entry with its path relative to the root ("backup/vol1/a.txt"); after a
// file, next_content() gives that file's content blob by blob, each one authenticated,
// decompressed and hashed to its id before it is handed out.
//
// Lazy: the walk holds the trees of the current path only (memory: depth × tree size), plus
// the read-ahead window. Worker threads fetch the data blobs that come next: a second
// cursor over the same trees runs ahead of the consumer by at most `window_bytes` of
// plaintext, `fetchers` threads read and open the blobs it plans, and the consumer takes
// them in its own order (a blob the window does not hold is fetched by the consumer itself).
// The read-ahead cursor loads each tree a second time.
//
// Errors: not_found for a tree or data blob missing from the index (or a missing pack, as
// the backend reports it); corrupt for a tree or blob that does not authenticate,
// decompress, hash to its id or parse, and for a tree deeper than k_max_tree_depth or one
// that contains itself; cancelled once `cancel` fired. After an error the reader is spent.
//
// Threading: one consumer thread calls next() and next_content(). Internally the backend
// is called from several threads at once (the consumer, the read-ahead cursor and the
// fetchers): storage::Backend::open of the local backend (a file opened per call) and of the
// S3 backend (stat through its mutex-guarded connection, reads on a connection of their own)
// may be called concurrently; for a backend that may not, set `serialize_backend`: every
// backend read then takes one mutex, while decryption and decompression still overlap. The
// repository, index and token must outlive the reader; the index must not change meanwhile.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <volback/restic/blob_index.hpp>
#include <volback/restic/id.hpp>
#include <volback/restic/repository.hpp>
#include <volback/restic/tree.hpp>
#include <volback/util/cancel.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

// The deepest tree the reader follows (the root's entries are at depth 1).
inline constexpr std::size_t k_max_tree_depth = 256;

struct SnapshotEntry {
  std::string path;  // relative to the root tree, components joined by '/'
  Node node;
};

struct SnapshotReaderOptions {
  unsigned fetchers = 4;                             // 0: no read-ahead, the consumer fetches each blob
  std::size_t window_bytes = std::size_t{32} << 20;  // plaintext fetched ahead of the consumer
  bool serialize_backend = false;                    // one backend read at a time (see above)
};

class SnapshotReader {
 public:
  SnapshotReader(Repository& repository, const BlobIndex& index, const Id& root_tree, const util::CancelToken& cancel,
                 SnapshotReaderOptions options = {});
  ~SnapshotReader();
  SnapshotReader(const SnapshotReader&) = delete;
  SnapshotReader& operator=(const SnapshotReader&) = delete;

  // The next entry, or nullopt at the end of the snapshot. Skips what is left of the
  // previous file's content.
  util::Result<std::optional<SnapshotEntry>> next();
  // The next content blob of the file next() returned last, or nullopt when it has no more
  // (and for any other entry).
  util::Result<std::optional<std::string>> next_content();

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

}  // namespace volback::restic
