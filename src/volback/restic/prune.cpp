#include <volback/restic/prune.hpp>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <volback/restic/blob_index.hpp>
#include <volback/restic/blob_saver.hpp>
#include <volback/restic/index_file.hpp>
#include <volback/restic/pack.hpp>
#include <volback/restic/snapshot_lookup.hpp>

namespace volback::restic {

namespace {

constexpr std::uint32_t k_prune_no_pack = std::numeric_limits<std::uint32_t>::max();

// The used blobs of one type: ids collected in a vector that is sorted and deduplicated
// whenever it doubles, so it stays within twice its distinct ids; queried once compacted.
class PruneUsedIds {
 public:
  void add(const Id& id) {
    m_ids.push_back(id);
    if (m_ids.size() >= 2 * m_compacted + 1024) {
      compact();
    }
  }
  void compact() {
    std::sort(m_ids.begin(), m_ids.end());
    m_ids.erase(std::unique(m_ids.begin(), m_ids.end()), m_ids.end());
    m_ids.shrink_to_fit();
    m_compacted = m_ids.size();
  }
  // The position of `id` among the used ids (after compact()), or nullopt.
  std::optional<std::size_t> find(const Id& id) const {
    const auto it = std::lower_bound(m_ids.begin(), m_ids.end(), id);
    if (it == m_ids.end() || *it != id) {
      return std::nullopt;
    }
    return static_cast<std::size_t>(it - m_ids.begin());
  }
  std::size_t size() const { return m_ids.size(); }
  const Id& at(std::size_t i) const { return m_ids[i]; }

 private:
  std::vector<Id> m_ids;
  std::size_t m_compacted = 0;
};

struct PruneUsed {
  PruneUsedIds data;
  PruneUsedIds trees;
  std::vector<std::uint32_t> data_copy;  // per used blob: the pack keeping it
  std::vector<std::uint32_t> tree_copy;

  const PruneUsedIds& ids(BlobType type) const { return type == BlobType::data ? data : trees; }
  std::vector<std::uint32_t>& copy(BlobType type) { return type == BlobType::data ? data_copy : tree_copy; }
};

// Walks every snapshot's tree, each tree once, into `used`. A blob in no index: corrupt.
util::Result<void> prune_collect_used(Repository& repository, const BlobIndex& index,
                                      const std::vector<StoredSnapshot>& snapshots, PruneUsed& used,
                                      const util::CancelToken& cancel) {
  std::set<Id> trees;
  std::vector<Id> pending;
  for (const auto& stored : snapshots) {
    if (trees.insert(stored.snapshot.tree).second) {
      pending.push_back(stored.snapshot.tree);
    }
  }
  while (!pending.empty()) {
    VOLBACK_TRY(cancel.check());
    const Id tree = pending.back();
    pending.pop_back();
    if (!index.contains(BlobType::tree, tree)) {
      return util::fail(util::ErrorKind::corrupt,
                        "tree " + tree.short_hex() + " is used by a snapshot but no index lists it in a stored pack");
    }
    auto nodes = load_tree(repository, index, tree);
    if (!nodes) {
      const util::Error error = nodes.error().with_context("tree " + tree.short_hex());
      return util::fail(
        error.kind() == util::ErrorKind::not_found ? util::Error(util::ErrorKind::corrupt, error.message()) : error);
    }
    for (const Node& node : *nodes) {
      if (node.content) {
        for (const Id& blob : *node.content) {
          if (!index.contains(BlobType::data, blob)) {
            return util::fail(util::ErrorKind::corrupt, "data blob " + blob.short_hex() + " of tree " +
                                                          tree.short_hex() +
                                                          " is used but no index lists it in a stored pack");
          }
          used.data.add(blob);
        }
      }
      if (node.subtree && trees.insert(*node.subtree).second) {
        pending.push_back(*node.subtree);
      }
    }
  }
  used.data.compact();
  for (const Id& tree : trees) {
    used.trees.add(tree);
  }
  used.trees.compact();
  return {};
}

enum class PruneAction { keep, remove, repack };

struct PrunePack {
  const IndexedPack* listed = nullptr;
  std::uint64_t size = 0;
  bool all_used = false;
  PruneAction action = PruneAction::keep;
};

// The part of `pack` that `blob` occupies in `bytes`, read from `first` on.
std::string_view prune_stored_part(std::string_view bytes, std::uint64_t first, const PackedBlob& blob) {
  return bytes.substr(blob.offset - first, blob.length);
}

// Reads the kept copies of a repacked pack and hands them to `saver`.
util::Result<void> prune_repack(Repository& repository, const PrunePack& pack, std::uint32_t number, PruneUsed& used,
                                BlobSaver& saver, std::uint64_t& blobs_repacked) {
  std::vector<const PackedBlob*> kept;
  std::uint64_t first = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t end = 0;
  for (const PackedBlob& blob : pack.listed->blobs) {
    const auto i = used.ids(blob.type).find(blob.id);
    if (i && used.copy(blob.type)[*i] == number) {
      kept.push_back(&blob);
      first = std::min<std::uint64_t>(first, blob.offset);
      end = std::max<std::uint64_t>(end, std::uint64_t{blob.offset} + blob.length);
    }
  }
  VOLBACK_TRY_ASSIGN(const std::string bytes,
                     repository.read_range(FileType::pack, pack.listed->id, first, end - first));
  for (const PackedBlob* blob : kept) {
    VOLBACK_TRY_ASSIGN(const std::string plaintext,
                       open_blob(repository.key(), *blob, prune_stored_part(bytes, first, *blob)));
    VOLBACK_TRY(
      saver.save(blob->type, blob->id, {reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size()}));
    ++blobs_repacked;
  }
  return {};
}

}  // namespace

util::Result<void> forget_snapshots(Repository& repository, std::span<const Id> snapshots) {
  VOLBACK_TRY_ASSIGN(const auto listed, repository.list(FileType::snapshot));
  std::set<Id> present;
  for (const auto& file : listed) {
    present.insert(file.id);
  }
  for (const Id& id : snapshots) {
    if (!present.contains(id)) {
      return util::fail(util::ErrorKind::not_found, "no snapshot " + id.hex() + " in the repository");
    }
  }
  std::set<Id> removed;
  for (const Id& id : snapshots) {
    if (removed.insert(id).second) {
      VOLBACK_TRY(repository.remove(FileType::snapshot, id));
    }
  }
  return {};
}

util::Result<PruneStats> prune_repository(Repository& repository, const PruneOptions& options,
                                          const util::CancelToken& cancel) {
  PruneStats stats;
  // Snapshots first, then the index (§10.2's read order), then the packs.
  VOLBACK_TRY_ASSIGN(const auto snapshots, load_snapshots(repository));
  VOLBACK_TRY_ASSIGN(const auto index_ids, repository.list(FileType::index));
  std::vector<IndexFile> index_files;
  index_files.reserve(index_ids.size());
  for (const auto& file : index_ids) {
    VOLBACK_TRY(cancel.check());
    VOLBACK_TRY_ASSIGN(const std::string json, repository.load_unpacked(FileType::index, file.id));
    auto parsed = parse_index(json);
    if (!parsed) {
      return util::fail(parsed.error().with_context("index " + file.id.short_hex()));
    }
    index_files.push_back(std::move(*parsed));
  }
  VOLBACK_TRY_ASSIGN(const auto stored_packs, repository.list(FileType::pack));
  std::map<Id, std::pair<std::uint64_t, bool>> stored;  // size, listed by an index
  for (const auto& file : stored_packs) {
    stored[file.id] = {file.size, false};
    stats.bytes_before += file.size;
  }

  // The packs the index lists and data/ holds, each once (the first listing wins).
  std::vector<PrunePack> packs;
  BlobIndex index;
  bool index_lists_missing_packs = false;
  for (const IndexFile& file : index_files) {
    for (const IndexedPack& pack : file.packs) {
      const auto found = stored.find(pack.id);
      if (found == stored.end()) {
        index_lists_missing_packs = true;
        continue;
      }
      if (found->second.second) {
        continue;
      }
      found->second.second = true;
      packs.push_back({.listed = &pack, .size = found->second.first});
      index.add_pack(pack);
    }
  }
  if (packs.size() >= k_prune_no_pack) {
    return util::fail(util::ErrorKind::invalid_argument, "too many packs to prune");
  }

  PruneUsed used;
  VOLBACK_TRY(prune_collect_used(repository, index, snapshots, used, cancel));
  stats.blobs_used = used.data.size() + used.trees.size();

  // One copy of each used blob: in a pack whose blobs are all used when there is one.
  used.data_copy.assign(used.data.size(), k_prune_no_pack);
  used.tree_copy.assign(used.trees.size(), k_prune_no_pack);
  for (PrunePack& pack : packs) {
    pack.all_used = std::all_of(pack.listed->blobs.begin(), pack.listed->blobs.end(),
                                [&](const PackedBlob& blob) { return used.ids(blob.type).find(blob.id).has_value(); });
  }
  for (std::uint32_t p = 0; p < packs.size(); ++p) {
    for (const PackedBlob& blob : packs[p].listed->blobs) {
      const auto i = used.ids(blob.type).find(blob.id);
      if (!i) {
        continue;
      }
      std::uint32_t& copy = used.copy(blob.type)[*i];
      if (copy == k_prune_no_pack || (!packs[copy].all_used && packs[p].all_used)) {
        copy = p;
      }
    }
  }
  for (const BlobType type : {BlobType::data, BlobType::tree}) {
    const auto& copies = used.copy(type);
    const auto missing = std::find(copies.begin(), copies.end(), k_prune_no_pack);
    if (missing != copies.end()) {
      const Id& id = used.ids(type).at(static_cast<std::size_t>(missing - copies.begin()));
      return util::fail(util::ErrorKind::corrupt, std::string(blob_type_name(type)) + " blob " + id.short_hex() +
                                                    " is used but no stored pack holds it");
    }
  }

  std::uint64_t bytes_removed = 0;
  std::uint64_t bytes_kept_in_repacks = 0;
  bool repacked_types[2] = {false, false};  // data, tree
  for (std::uint32_t p = 0; p < packs.size(); ++p) {
    PrunePack& pack = packs[p];
    std::size_t kept = 0;
    std::uint64_t kept_bytes = 0;
    bool kept_types[2] = {false, false};
    for (const PackedBlob& blob : pack.listed->blobs) {
      const auto i = used.ids(blob.type).find(blob.id);
      if (i && used.copy(blob.type)[*i] == p) {
        ++kept;
        // The blob and its header entry (type, length, id; and the uncompressed length).
        kept_bytes += std::uint64_t{blob.length} + (blob.uncompressed_length ? 41 : 37);
        kept_types[blob.type == BlobType::data ? 0 : 1] = true;
      }
    }
    if (kept == pack.listed->blobs.size()) {
      pack.action = PruneAction::keep;
      ++stats.packs_kept;
      continue;
    }
    for (std::size_t t = 0; t < 2; ++t) {
      repacked_types[t] = repacked_types[t] || kept_types[t];
    }
    pack.action = kept == 0 ? PruneAction::remove : PruneAction::repack;
    ++(kept == 0 ? stats.packs_deleted : stats.packs_repacked);
    stats.blobs_removed += pack.listed->blobs.size() - kept;
    bytes_removed += pack.size;
    bytes_kept_in_repacks += kept_bytes;
  }
  std::vector<Id> unindexed;
  for (const auto& [id, entry] : stored) {
    if (!entry.second) {
      unindexed.push_back(id);
      bytes_removed += entry.first;
    }
  }
  stats.packs_unindexed = unindexed.size();
  stats.packs_deleted += unindexed.size();
  stats.bytes_after = stats.bytes_before - bytes_removed;

  const bool nothing_to_do = stats.packs_deleted == 0 && stats.packs_repacked == 0 && !index_lists_missing_packs;
  if (options.dry_run || nothing_to_do) {
    if (!nothing_to_do) {
      // One new pack of each type, each with its sealed header's IV and MAC and its length.
      const std::uint64_t new_packs = (repacked_types[0] ? 1 : 0) + (repacked_types[1] ? 1 : 0);
      stats.bytes_after += bytes_kept_in_repacks + new_packs * 36;
      stats.index_files_removed = index_ids.size();
    }
    return stats;
  }

  // 1. The repacked blobs, in new packs, and the index of those packs.
  BlobIndex repacked_index;
  BlobSaver saver(repository, repacked_index, {.pipeline = {.temp_dir = options.temp_dir}});
  for (std::uint32_t p = 0; p < packs.size(); ++p) {
    if (packs[p].action != PruneAction::repack) {
      continue;
    }
    VOLBACK_TRY(cancel.check());
    auto repacked = prune_repack(repository, packs[p], p, used, saver, stats.blobs_repacked);
    if (!repacked) {
      return util::fail(repacked.error().with_context("repacking pack " + packs[p].listed->id.short_hex()));
    }
  }
  VOLBACK_TRY(saver.flush());
  stats.packs_written = saver.stats().packs;
  stats.bytes_after += saver.stats().bytes_stored;
  stats.index_files_written += stats.packs_written > 0 ? 1 : 0;

  // 2. Index files of the kept packs, replacing the old ones.
  VOLBACK_TRY(cancel.check());
  IndexFile kept_index;
  std::size_t kept_blobs = 0;
  for (const auto& file : index_ids) {
    kept_index.supersedes.push_back(file.id);
  }
  const auto save_kept = [&]() -> util::Result<void> {
    VOLBACK_TRY(repository.save_unpacked(FileType::index, serialize_index(kept_index)));
    ++stats.index_files_written;
    kept_index.packs.clear();
    kept_blobs = 0;
    return {};
  };
  for (const PrunePack& pack : packs) {
    if (pack.action != PruneAction::keep) {
      continue;
    }
    if (!kept_index.packs.empty() && kept_blobs + pack.listed->blobs.size() > k_index_file_max_blobs) {
      VOLBACK_TRY(save_kept());
    }
    kept_index.packs.push_back(*pack.listed);
    kept_blobs += pack.listed->blobs.size();
  }
  if (!kept_index.packs.empty()) {
    VOLBACK_TRY(save_kept());
  }

  // 3. The old index files, then 4. the packs nothing lists any more.
  for (const auto& file : index_ids) {
    VOLBACK_TRY(repository.remove(FileType::index, file.id));
    ++stats.index_files_removed;
  }
  for (const PrunePack& pack : packs) {
    if (pack.action != PruneAction::keep) {
      VOLBACK_TRY(repository.remove(FileType::pack, pack.listed->id));
    }
  }
  for (const Id& id : unindexed) {
    VOLBACK_TRY(repository.remove(FileType::pack, id));
  }
  return stats;
}

}  // namespace volback::restic
