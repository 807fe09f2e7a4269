#include <volback/restic/stray_packs.hpp>

#include <algorithm>
#include <set>

#include <volback/restic/pack.hpp>

namespace volback::restic {

namespace {

// The blobs a stored pack's header lists: the guessed tail first, then as much as the
// header needs.
util::Result<std::vector<PackedBlob>> stray_pack_blobs(Repository& repository, const Repository::Listed& pack) {
  std::uint64_t tail_size = std::min<std::uint64_t>(pack.size, k_pack_tail_guess);
  for (int attempt = 0; attempt < 2; ++attempt) {
    VOLBACK_TRY_ASSIGN(const std::string tail,
                       repository.read_range(FileType::pack, pack.id, pack.size - tail_size, tail_size));
    VOLBACK_TRY_ASSIGN(auto header, read_pack_header(repository.key(), tail, pack.size));
    if (header.tail_needed == 0) {
      return std::move(header.blobs);
    }
    tail_size = std::min<std::uint64_t>(pack.size, header.tail_needed);
  }
  return util::fail(util::ErrorKind::corrupt, "pack: the header's length changed between two reads");
}

}  // namespace

util::Result<StrayPacks> find_stray_packs(Repository& repository, const BlobIndex& index) {
  std::set<Id> indexed;
  index.for_each_pack([&](const Id& pack, std::span<const PackEntry>) { indexed.insert(pack); });
  VOLBACK_TRY_ASSIGN(const auto packs, repository.list(FileType::pack));
  StrayPacks strays;
  for (const auto& pack : packs) {
    if (indexed.contains(pack.id)) {
      continue;
    }
    auto blobs = stray_pack_blobs(repository, pack);
    if (blobs && !blobs->empty()) {
      strays.readable.push_back({.id = pack.id, .blobs = std::move(*blobs)});
    } else {
      strays.unreadable.push_back(pack.id);
    }
  }
  return strays;
}

}  // namespace volback::restic
