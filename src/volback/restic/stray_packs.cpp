#include <volback/restic/stray_packs.hpp>

#include <algorithm>
#include <set>

#include <volback/restic/pack.hpp>

namespace volback::restic {

util::Result<StrayPacks> find_stray_packs(Repository& repository, const BlobIndex& index) {
  std::set<Id> indexed;
  index.for_each_pack([&](const Id& pack, std::span<const PackEntry>) { indexed.insert(pack); });
  VOLBACK_TRY_ASSIGN(const auto packs, repository.list(FileType::pack));
  StrayPacks strays;
  for (const auto& pack : packs) {
    if (indexed.contains(pack.id)) {
      continue;
    }
    auto blobs = repository.load_pack_header(pack.id, pack.size);
    if (blobs && !blobs->empty()) {
      strays.readable.push_back({.id = pack.id, .blobs = std::move(*blobs)});
    } else {
      strays.unreadable.push_back(pack.id);
    }
  }
  return strays;
}

}  // namespace volback::restic
