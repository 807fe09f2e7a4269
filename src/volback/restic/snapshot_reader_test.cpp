#include <volback/restic/snapshot_reader.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include <gtest/gtest.h>

#include <volback/restic/archiver.hpp>
#include <volback/restic/snapshot_lookup.hpp>
#include <volback/storage/local/local_backend.hpp>
#include <volback/testing/temp_dir.hpp>
#include <volback/util/logging.hpp>

namespace volback::restic {
namespace {

namespace fsys = std::filesystem;

std::string reader_random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string out(size, '\0');
  for (auto& c : out) {
    c = static_cast<char>(random() & 0xff);
  }
  return out;
}

// What a snapshot holds, by path relative to the root tree: "d" for a directory, "l:" and
// the target for a symlink, "f:" and the content's SHA-256 for a file.
using ReaderListing = std::map<std::string, std::string>;

class ResticSnapshotReader : public ::testing::Test {
 protected:
  void SetUp() override {
    m_src = m_dir.path() + "/src";
    fsys::create_directories(m_src + "/backup/vol1/deeper");
    fsys::create_directories(m_src + "/backup/empty-dir");
    volback::testing::write_file(m_src + "/backup/vol1/a.txt", "hello\n");
    volback::testing::write_file(m_src + "/backup/vol1/empty", "");
    volback::testing::write_file(m_src + "/backup/vol1/deeper/big.bin", reader_random_bytes(5 << 20, 1));
    volback::testing::write_file(m_src + "/backup/vol1/deeper/z.bin", reader_random_bytes(700 << 10, 2));
    volback::testing::write_file(m_src + "/backup/top-empty", "");
    fsys::create_symlink("vol1/a.txt", m_src + "/backup/link");
  }

  // Backs up m_src; returns the snapshot's root tree.
  Id backup() {
    fsys::create_directories(m_repo.path());
    m_repository.emplace(Repository::init(*m_backend, "secret", {.created = "2026-12-02T12:00:00Z"}).value());
    m_index = load_index(*m_repository).value();
    util::CancelToken cancel;
    const auto result =
      write_snapshot(*m_repository, m_index, {.paths = {m_src}, .hostname = "h", .time = {.unix_seconds = 1}}, cancel);
    EXPECT_TRUE(result) << result.error().message();
    const auto snapshots = load_snapshots(*m_repository).value();
    return find_snapshot(snapshots, "latest").value().snapshot.tree;
  }

  ReaderListing expected() const {
    ReaderListing listing;
    const std::string root = m_src.substr(1);  // the root tree reproduces the path from '/'
    std::string at;
    for (const auto& part : fsys::path(root)) {
      at += (at.empty() ? "" : "/") + part.string();
      listing[at] = "d";
    }
    for (const auto& entry : fsys::recursive_directory_iterator(m_src)) {
      const std::string path = root + "/" + entry.path().lexically_relative(m_src).string();
      if (entry.is_symlink()) {
        listing[path] = "l:" + fsys::read_symlink(entry.path()).string();
      } else if (entry.is_directory()) {
        listing[path] = "d";
      } else {
        std::ifstream in(entry.path(), std::ios::binary);
        listing[path] = "f:" + Id::of(std::string(std::istreambuf_iterator<char>(in), {})).hex();
      }
    }
    return listing;
  }

  // Reads the whole snapshot; the first error stops the walk.
  util::Result<ReaderListing> read_all(const Id& tree, SnapshotReaderOptions options,
                                       std::vector<std::string>* order = nullptr) {
    util::CancelToken cancel;
    SnapshotReader reader(*m_repository, m_index, tree, cancel, options);
    ReaderListing listing;
    for (;;) {
      VOLBACK_TRY_ASSIGN(auto entry, reader.next());
      if (!entry) {
        return listing;
      }
      if (order != nullptr) {
        order->push_back(entry->path);
      }
      std::string& value = listing[entry->path];
      if (entry->node.type == NodeType::dir) {
        value = "d";
      } else if (entry->node.type == NodeType::symlink) {
        value = "l:" + entry->node.linktarget;
      } else {
        std::string content;
        for (;;) {
          VOLBACK_TRY_ASSIGN(auto blob, reader.next_content());
          if (!blob) {
            break;
          }
          content += *blob;
        }
        value = "f:" + Id::of(content).hex();
      }
    }
  }

  std::vector<std::string> data_pack_paths() const {
    std::vector<std::string> paths;
    m_index.for_each_pack([&](const Id& pack, std::span<const PackEntry> blobs) {
      if (!blobs.empty() && blobs[0].type == BlobType::data) {
        paths.push_back(m_repo.path() + "/" + file_key(FileType::pack, pack));
      }
    });
    return paths;
  }

  volback::testing::TempDir m_dir{"restic-reader-src"};
  volback::testing::TempDir m_repo{"restic-reader-repo"};
  std::string m_src;
  util::CapturingLogger m_log;
  std::unique_ptr<storage::Backend> m_backend =
    storage::local::make_local_backend({m_repo.path(), std::nullopt}, m_log);
  std::optional<Repository> m_repository;
  BlobIndex m_index;
};

TEST_F(ResticSnapshotReader, ReadsBackWhatTheArchiverWrote) {
  const Id tree = backup();
  const ReaderListing want = expected();
  const SnapshotReaderOptions variants[] = {
    {},
    {.fetchers = 0},
    {.fetchers = 1, .window_bytes = 1},  // one blob at a time
    {.fetchers = 3, .window_bytes = 1 << 20, .serialize_backend = true},
  };
  for (const auto& options : variants) {
    std::vector<std::string> order;
    const auto got = read_all(tree, options, &order);
    ASSERT_TRUE(got) << got.error().message();
    EXPECT_EQ(*got, want) << "fetchers " << options.fetchers;
    // Depth first, a directory before its entries, entries sorted: the order a sorted walk
    // of the paths gives ('/' sorts below every name character used here).
    auto sorted = order;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(order, sorted);
    EXPECT_EQ(order.size(), want.size());
  }
}

TEST_F(ResticSnapshotReader, NextSkipsTheRestOfAFile) {
  const Id tree = backup();
  util::CancelToken cancel;
  SnapshotReader reader(*m_repository, m_index, tree, cancel, {.fetchers = 2, .window_bytes = 2 << 20});
  const std::string big = reader_random_bytes(5 << 20, 1);
  std::string z;
  for (;;) {
    auto entry = reader.next().value();
    if (!entry) {
      break;
    }
    if (entry->path.ends_with("/big.bin")) {
      ASSERT_GT(entry->node.content->size(), 1U);
      const auto first = reader.next_content().value();  // then skip the rest
      ASSERT_TRUE(first);
      EXPECT_EQ(*first, big.substr(0, first->size()));
    }
    if (entry->path.ends_with("/z.bin")) {
      while (auto blob = reader.next_content().value()) {
        z += *blob;
      }
    }
    if (entry->node.type != NodeType::file) {
      EXPECT_FALSE(reader.next_content().value());
    }
  }
  EXPECT_EQ(z, reader_random_bytes(700 << 10, 2));
}

TEST_F(ResticSnapshotReader, AMissingPackIsAnError) {
  const Id tree = backup();
  for (const auto& path : data_pack_paths()) {
    fsys::remove(path);
  }
  for (unsigned fetchers : {0U, 4U}) {
    const auto got = read_all(tree, {.fetchers = fetchers});
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().kind(), util::ErrorKind::not_found) << got.error().message();
  }
}

TEST_F(ResticSnapshotReader, AFlippedByteIsCorrupt) {
  const Id tree = backup();
  for (const auto& path : data_pack_paths()) {
    fsys::permissions(path, fsys::perms::owner_write, fsys::perm_options::add);
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(100);
    char c = 0;
    file.get(c);
    file.seekp(100);
    file.put(static_cast<char>(c ^ 1));
  }
  for (unsigned fetchers : {0U, 4U}) {
    const auto got = read_all(tree, {.fetchers = fetchers});
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().kind(), util::ErrorKind::corrupt) << got.error().message();
  }
}

TEST_F(ResticSnapshotReader, ATreeMissingFromTheIndexIsNotFound) {
  const Id tree = backup();
  BlobIndex data_only;
  m_index.for_each_pack([&](const Id& pack, std::span<const PackEntry> blobs) {
    if (blobs[0].type == BlobType::data) {
      data_only.add_pack({pack, {}});
    }
  });
  m_index = std::move(data_only);
  const auto got = read_all(tree, {});
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().kind(), util::ErrorKind::not_found);
}

TEST_F(ResticSnapshotReader, RefusesATreeDeeperThanTheLimit) {
  std::string deep = m_src + "/backup";
  for (std::size_t i = 0; i < k_max_tree_depth; ++i) {
    deep += "/d";
  }
  fsys::create_directories(deep);
  const Id tree = backup();
  const auto got = read_all(tree, {});
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().kind(), util::ErrorKind::corrupt);
  EXPECT_NE(got.error().message().find("deeper than 256"), std::string::npos) << got.error().message();
}

TEST_F(ResticSnapshotReader, StopsWhenCancelled) {
  const Id tree = backup();
  util::CancelToken cancel;
  SnapshotReader reader(*m_repository, m_index, tree, cancel);
  ASSERT_TRUE(reader.next());
  cancel.request();
  const auto entry = reader.next();
  ASSERT_FALSE(entry);
  EXPECT_EQ(entry.error().kind(), util::ErrorKind::cancelled);
  EXPECT_FALSE(reader.next_content());  // spent
}

}  // namespace
}  // namespace volback::restic
