#pragma once
// Reading a repository's snapshots and trees back: every snapshot file (checked against
// its name), the parent a backup takes (restic's rule: the newest snapshot of the same
// host and the same set of paths), and a tree blob by its id through the index.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <volback/restic/blob_index.hpp>
#include <volback/restic/id.hpp>
#include <volback/restic/repository.hpp>
#include <volback/restic/snapshot.hpp>
#include <volback/restic/tree.hpp>
#include <volback/util/result.hpp>

namespace volback::restic {

struct StoredSnapshot {
  Id id;
  Snapshot snapshot;
};

// Every snapshot of the repository, in no particular order.
util::Result<std::vector<StoredSnapshot>> load_snapshots(Repository& repository);

// The newest of `snapshots` with `hostname` and the same paths (in any order). Pure.
std::optional<StoredSnapshot> latest_snapshot(const std::vector<StoredSnapshot>& snapshots, std::string_view hostname,
                                              const std::vector<std::string>& paths);

// The snapshot `id_or_latest` names: "latest" (the newest by time; of two at the same
// instant, the greater id), or a snapshot id or a prefix of one, in hex of either case, as
// restic accepts any unique prefix. Errors: invalid_argument for an empty or non-hex
// prefix and for a prefix of several snapshots; not_found when nothing matches. Pure.
util::Result<StoredSnapshot> find_snapshot(const std::vector<StoredSnapshot>& snapshots, std::string_view id_or_latest);

// The nodes of the tree blob `id`. Errors: not_found when the index has no such tree;
// corrupt when the blob does not open, hash to its id or parse.
util::Result<std::vector<Node>> load_tree(Repository& repository, const BlobIndex& index, const Id& id);

// Whether two times are the same instant (whatever zone each was written in).
bool same_instant(const GoTime& a, const GoTime& b);

}  // namespace volback::restic
