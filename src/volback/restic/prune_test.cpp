#include <volback/restic/prune.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <volback/restic/archiver.hpp>
#include <volback/restic/index_file.hpp>
#include <volback/restic/snapshot_lookup.hpp>
#include <volback/storage/local/local_backend.hpp>
#include <volback/testing/temp_dir.hpp>
#include <volback/util/logging.hpp>

namespace volback::restic {
namespace {

const KeyFileInfo k_prune_info{.created = "2026-12-02T12:00:00Z", .username = "root", .hostname = "h"};

class ResticPrune : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = Repository::init(*m_backend, "secret", k_prune_info);
    ASSERT_TRUE(created) << created.error().message();
    m_repository.emplace(std::move(*created));
    // b: written first, holding the shared file; a: the same shared file and its own.
    std::filesystem::create_directories(m_source / "a");
    std::filesystem::create_directories(m_source / "b");
    volback::testing::write_file(m_source / "b/shared", "the same in both snapshots");
    volback::testing::write_file(m_source / "b/only-b", "only in snapshot b");
    volback::testing::write_file(m_source / "a/shared", "the same in both snapshots");
    volback::testing::write_file(m_source / "a/only-a", "only in snapshot a");
    m_b = backup(m_source / "b");
    m_a = backup(m_source / "a");
  }

  Id backup(const std::string& path) {
    auto index = load_index(*m_repository).value();
    SnapshotRequest request{.paths = {path}, .hostname = "h", .username = "root", .time = {.unix_seconds = ++m_time}};
    util::CancelToken cancel;
    auto written = write_snapshot(*m_repository, index, request, cancel);
    EXPECT_TRUE(written) << written.error().message();
    return written ? written->snapshot : Id{};
  }

  // Every file under the repository directory with its size.
  std::map<std::string, std::uintmax_t> repository_files() const {
    std::map<std::string, std::uintmax_t> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(m_dir.path())) {
      if (entry.is_regular_file()) {
        files[std::filesystem::relative(entry.path(), m_dir.path()).string()] = entry.file_size();
      }
    }
    return files;
  }

  std::uint64_t data_bytes() const {
    std::uint64_t total = 0;
    for (const auto& [path, size] : repository_files()) {
      total += path.starts_with("data/") ? size : 0;
    }
    return total;
  }

  // The files of the snapshot `id` (name to content), read through a freshly loaded index.
  std::map<std::string, std::string> snapshot_files(const Id& id) {
    const auto index = load_index(*m_repository).value();
    const auto snapshots = load_snapshots(*m_repository).value();
    std::map<std::string, std::string> files;
    for (const auto& stored : snapshots) {
      if (stored.id == id) {
        collect(index, stored.snapshot.tree, "", files);
      }
    }
    return files;
  }

  void collect(const BlobIndex& index, const Id& tree, const std::string& prefix,
               std::map<std::string, std::string>& files) {
    const auto nodes = load_tree(*m_repository, index, tree);
    ASSERT_TRUE(nodes) << nodes.error().message();
    for (const Node& node : *nodes) {
      if (node.subtree) {
        collect(index, *node.subtree, prefix + node.name + "/", files);
      }
      if (!node.content) {
        continue;
      }
      std::string content;
      for (const Id& blob : *node.content) {
        const auto location = index.find(BlobType::data, blob);
        ASSERT_TRUE(location);
        const auto stored =
          m_repository->read_range(FileType::pack, location->pack, location->offset, location->length);
        ASSERT_TRUE(stored) << stored.error().message();
        const PackedBlob packed{.type = BlobType::data,
                                .id = blob,
                                .offset = location->offset,
                                .length = location->length,
                                .uncompressed_length = location->uncompressed_length};
        const auto plaintext = open_blob(m_repository->key(), packed, *stored);
        ASSERT_TRUE(plaintext) << plaintext.error().message();
        content += *plaintext;
      }
      files[prefix + node.name] = content;
    }
  }

  // The files of snapshot `id` below the source directory, by their name there.
  std::map<std::string, std::string> source_files(const Id& id) {
    std::map<std::string, std::string> files;
    const std::string source = m_source.path().substr(1) + "/";
    for (const auto& [path, content] : snapshot_files(id)) {
      if (path.starts_with(source)) {
        files[path.substr(source.size())] = content;
      }
    }
    return files;
  }

  std::vector<IndexedPack> indexed_packs() {
    std::vector<IndexedPack> packs;
    const auto files = m_repository->list(FileType::index).value();
    for (const auto& file : files) {
      const auto parsed = parse_index(m_repository->load_unpacked(FileType::index, file.id).value()).value();
      packs.insert(packs.end(), parsed.packs.begin(), parsed.packs.end());
    }
    return packs;
  }

  // The pack holding blob `id`.
  Id pack_of(BlobType type, const Id& id) { return load_index(*m_repository).value().find(type, id).value().pack; }

  Id tree_of(const Id& snapshot) {
    const auto snapshots = load_snapshots(*m_repository).value();
    for (const auto& stored : snapshots) {
      if (stored.id == snapshot) {
        return stored.snapshot.tree;
      }
    }
    ADD_FAILURE() << "no snapshot " << snapshot.hex();
    return {};
  }

  volback::testing::TempDir m_dir{"restic-prune"};
  volback::testing::TempDir m_source{"restic-prune-src"};
  util::CapturingLogger m_log;
  std::unique_ptr<storage::Backend> m_backend = storage::local::make_local_backend({m_dir.path(), std::nullopt}, m_log);
  std::optional<Repository> m_repository;
  std::int64_t m_time = 1'800'000'000;
  Id m_a, m_b;
  util::CancelToken m_cancel;
};

TEST_F(ResticPrune, ForgetThenPruneDeletesThePacksOnlyTheForgottenSnapshotUsed) {
  // b's data pack holds shared and only-b; a's holds only-a (shared was deduplicated), and
  // each snapshot has a tree pack of its own.
  ASSERT_EQ(m_repository->list(FileType::pack).value().size(), 4U);
  const Id only_a_pack = pack_of(BlobType::data, Id::of(std::string_view("only in snapshot a")));
  const Id a_tree_pack = pack_of(BlobType::tree, tree_of(m_a));
  std::size_t a_blobs = 0;
  for (const auto& pack : indexed_packs()) {
    a_blobs += pack.id == only_a_pack || pack.id == a_tree_pack ? pack.blobs.size() : 0;
  }
  const auto b_before = source_files(m_b);
  ASSERT_EQ(b_before.size(), 2U);
  const std::uint64_t bytes_before = data_bytes();
  const auto old_index = m_repository->list(FileType::index).value();

  const Id forget[] = {m_a};
  ASSERT_TRUE(forget_snapshots(*m_repository, forget));
  ASSERT_EQ(load_snapshots(*m_repository).value().size(), 1U);
  const auto stats = prune_repository(*m_repository, {}, m_cancel);
  ASSERT_TRUE(stats) << stats.error().message();

  EXPECT_EQ(stats->packs_kept, 2U);
  EXPECT_EQ(stats->packs_deleted, 2U);
  EXPECT_EQ(stats->packs_unindexed, 0U);
  EXPECT_EQ(stats->packs_repacked, 0U);
  EXPECT_EQ(stats->packs_written, 0U);
  EXPECT_EQ(stats->blobs_removed, a_blobs);
  EXPECT_EQ(stats->index_files_removed, old_index.size());
  EXPECT_EQ(stats->index_files_written, 1U);
  EXPECT_EQ(stats->bytes_before, bytes_before);
  EXPECT_EQ(stats->bytes_after, data_bytes());
  EXPECT_LT(stats->bytes_after, stats->bytes_before);

  const auto packs = m_repository->list(FileType::pack).value();
  ASSERT_EQ(packs.size(), 2U);
  for (const auto& pack : packs) {
    EXPECT_NE(pack.id, only_a_pack);
    EXPECT_NE(pack.id, a_tree_pack);
  }
  const auto index = m_repository->list(FileType::index).value();
  ASSERT_EQ(index.size(), 1U);
  for (const auto& old : old_index) {
    EXPECT_NE(index[0].id, old.id);
  }
  EXPECT_EQ(source_files(m_b), b_before);
  EXPECT_EQ(stats->blobs_used, load_index(*m_repository).value().blob_count());

  // A second prune finds nothing to do and writes nothing.
  const auto files = repository_files();
  const auto again = prune_repository(*m_repository, {}, m_cancel);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->packs_kept, 2U);
  EXPECT_EQ(again->packs_deleted + again->packs_repacked + again->index_files_written, 0U);
  EXPECT_EQ(repository_files(), files);
}

TEST_F(ResticPrune, APackWithUsedAndUnusedBlobsIsRepacked) {
  const Id shared_pack = pack_of(BlobType::data, Id::of(std::string_view("the same in both snapshots")));
  const auto a_before = source_files(m_a);
  ASSERT_EQ(a_before.size(), 2U);
  const Id forget[] = {m_b};
  ASSERT_TRUE(forget_snapshots(*m_repository, forget));
  const auto dry = prune_repository(*m_repository, {.dry_run = true}, m_cancel);
  ASSERT_TRUE(dry) << dry.error().message();
  const auto stats = prune_repository(*m_repository, {}, m_cancel);
  ASSERT_TRUE(stats) << stats.error().message();

  EXPECT_EQ(dry->bytes_after, stats->bytes_after);  // the same blob, compressed alike
  EXPECT_EQ(dry->packs_repacked, 1U);
  EXPECT_EQ(stats->packs_repacked, 1U);  // shared and only-b: shared moves to a new pack
  EXPECT_EQ(stats->blobs_repacked, 1U);
  EXPECT_EQ(stats->packs_written, 1U);
  EXPECT_EQ(stats->packs_deleted, 1U);  // b's trees
  EXPECT_EQ(stats->packs_kept, 2U);
  EXPECT_EQ(stats->index_files_written, 2U);  // the new pack's and the kept packs'
  EXPECT_EQ(stats->bytes_after, data_bytes());
  const auto packs = m_repository->list(FileType::pack).value();
  EXPECT_EQ(packs.size(), 3U);
  for (const auto& pack : packs) {
    EXPECT_NE(pack.id, shared_pack);
  }
  EXPECT_EQ(source_files(m_a), a_before);
  // Every stored pack is listed exactly once, completely.
  std::set<Id> listed;
  for (const auto& pack : indexed_packs()) {
    EXPECT_TRUE(listed.insert(pack.id).second);
  }
  EXPECT_EQ(listed.size(), packs.size());
}

TEST_F(ResticPrune, DryRunChangesNothingAndReportsTheSameFigures) {
  const Id forget[] = {m_a};
  ASSERT_TRUE(forget_snapshots(*m_repository, forget));
  const auto files = repository_files();
  const auto dry = prune_repository(*m_repository, {.dry_run = true}, m_cancel);
  ASSERT_TRUE(dry) << dry.error().message();
  EXPECT_EQ(repository_files(), files);
  const auto real = prune_repository(*m_repository, {}, m_cancel);
  ASSERT_TRUE(real) << real.error().message();
  EXPECT_EQ(dry->packs_kept, real->packs_kept);
  EXPECT_EQ(dry->packs_deleted, real->packs_deleted);
  EXPECT_EQ(dry->packs_repacked, real->packs_repacked);
  EXPECT_EQ(dry->blobs_used, real->blobs_used);
  EXPECT_EQ(dry->blobs_removed, real->blobs_removed);
  EXPECT_EQ(dry->bytes_before, real->bytes_before);
  EXPECT_EQ(dry->bytes_after, real->bytes_after);  // nothing repacked here
  EXPECT_EQ(dry->index_files_removed, real->index_files_removed);
  EXPECT_EQ(dry->index_files_written, 0U);
}

TEST_F(ResticPrune, ATreeNoIndexListsIsCorruptAndNothingIsRemoved) {
  // A new index without the pack of b's trees replaces the old ones.
  const Id b_tree_pack = pack_of(BlobType::tree, tree_of(m_b));
  IndexFile without;
  for (const auto& pack : indexed_packs()) {
    if (pack.id != b_tree_pack) {
      without.packs.push_back(pack);
    }
  }
  const auto old_index = m_repository->list(FileType::index).value();
  ASSERT_TRUE(m_repository->save_unpacked(FileType::index, serialize_index(without)));
  for (const auto& file : old_index) {
    ASSERT_TRUE(m_repository->remove(FileType::index, file.id));
  }
  const Id forget[] = {m_a};
  ASSERT_TRUE(forget_snapshots(*m_repository, forget));
  const auto files = repository_files();
  for (const bool dry_run : {true, false}) {
    const auto stats = prune_repository(*m_repository, {.dry_run = dry_run}, m_cancel);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().kind(), util::ErrorKind::corrupt);
    EXPECT_NE(stats.error().message().find(tree_of(m_b).short_hex()), std::string::npos) << stats.error().message();
  }
  EXPECT_EQ(repository_files(), files);
}

TEST_F(ResticPrune, UnindexedPacksAreDeletedAndDuplicatesKeptOnce) {
  // A pack no index lists (an interrupted backup), and a second copy of only-a in a pack of
  // its own that an index lists.
  PackBuilder stray;
  const std::string stray_content = "left by an interrupted backup";
  ASSERT_TRUE(stray.add(m_repository->key(), BlobType::data, Id::of(stray_content),
                        {reinterpret_cast<const unsigned char*>(stray_content.data()), stray_content.size()}));
  const auto stray_pack = stray.finish(m_repository->key()).value();
  ASSERT_TRUE(m_repository->save_pack(stray_pack));
  PackBuilder copy;
  const std::string only_a = "only in snapshot a";
  ASSERT_TRUE(copy.add(m_repository->key(), BlobType::data, Id::of(only_a),
                       {reinterpret_cast<const unsigned char*>(only_a.data()), only_a.size()}));
  const auto copy_pack = copy.finish(m_repository->key()).value();
  ASSERT_TRUE(m_repository->save_pack(copy_pack));
  ASSERT_TRUE(m_repository->save_unpacked(
    FileType::index, serialize_index({.packs = {{.id = copy_pack.id, .blobs = copy_pack.blobs}}})));

  const auto stats = prune_repository(*m_repository, {}, m_cancel);
  ASSERT_TRUE(stats) << stats.error().message();
  EXPECT_EQ(stats->packs_unindexed, 1U);
  EXPECT_EQ(stats->packs_deleted, 2U);  // the stray pack, and one of the two copies
  EXPECT_EQ(stats->packs_repacked, 0U);
  EXPECT_EQ(stats->blobs_removed, 1U);
  EXPECT_EQ(stats->packs_kept, 4U);
  EXPECT_EQ(m_repository->list(FileType::pack).value().size(), 4U);
  EXPECT_EQ(load_index(*m_repository).value().location_count(), load_index(*m_repository).value().blob_count());
  EXPECT_EQ(source_files(m_a).size(), 2U);
  EXPECT_EQ(source_files(m_b).size(), 2U);
}

TEST_F(ResticPrune, ForgetRefusesAnUnknownSnapshotBeforeRemovingAny) {
  Id unknown;
  unknown.bytes[0] = 1;
  const Id forget[] = {m_a, unknown};
  const auto forgotten = forget_snapshots(*m_repository, forget);
  ASSERT_FALSE(forgotten);
  EXPECT_EQ(forgotten.error().kind(), util::ErrorKind::not_found);
  EXPECT_EQ(load_snapshots(*m_repository).value().size(), 2U);
}

}  // namespace
}  // namespace volback::restic
