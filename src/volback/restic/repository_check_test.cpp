#include <volback/restic/repository_check.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include <volback/restic/archiver.hpp>
#include <volback/storage/local/local_backend.hpp>
#include <volback/testing/temp_dir.hpp>
#include <volback/util/logging.hpp>

namespace volback::restic {
namespace {

namespace fsys = std::filesystem;

bool check_mentions(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

class ResticRepositoryCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string src = m_src.path();
    fsys::create_directories(src + "/a/b");
    volback::testing::write_file(src + "/a/small.txt", "hello\n");
    volback::testing::write_file(src + "/a/empty", "");
    std::mt19937 random(7);
    std::string big(3 << 20, '\0');
    for (auto& c : big) {
      c = static_cast<char>(random() & 0xff);
    }
    volback::testing::write_file(src + "/a/b/big.bin", big);
    m_repository.emplace(Repository::init(*m_backend, "secret", {.created = "2026-12-02T12:00:00Z"}).value());
    m_index = load_index(*m_repository).value();
    util::CancelToken cancel;
    ASSERT_TRUE(write_snapshot(*m_repository, m_index, {.paths = {src}, .hostname = "h"}, cancel));
  }

  CheckReport check(CheckOptions options = {}) {
    util::CancelToken cancel;
    auto report = check_repository(*m_repository, options, cancel);
    EXPECT_TRUE(report) << report.error().message();
    return report.value_or(CheckReport{});
  }

  // The packs holding blobs of `type`.
  std::vector<Id> packs_of(BlobType type) const {
    std::vector<Id> packs;
    m_index.for_each_pack([&](const Id& pack, std::span<const PackEntry> blobs) {
      if (blobs[0].type == type) {
        packs.push_back(pack);
      }
    });
    return packs;
  }

  std::string pack_path(const Id& pack) const { return m_dir.path() + "/" + file_key(FileType::pack, pack); }

  volback::testing::TempDir m_src{"restic-check-src"};
  volback::testing::TempDir m_dir{"restic-check-repo"};
  util::CapturingLogger m_log;
  std::unique_ptr<storage::Backend> m_backend = storage::local::make_local_backend({m_dir.path(), std::nullopt}, m_log);
  std::optional<Repository> m_repository;
  BlobIndex m_index;
};

TEST_F(ResticRepositoryCheck, ASoundRepositoryPasses) {
  const auto report = check({.read_data = true});
  EXPECT_TRUE(report.ok()) << report.problems.front();
  EXPECT_TRUE(report.warnings.empty());
  EXPECT_EQ(report.index_files, 1U);
  EXPECT_EQ(report.snapshots, 1U);
  EXPECT_EQ(report.packs, m_index.pack_count());
  EXPECT_GE(report.packs, 2U);  // data and tree packs
  EXPECT_EQ(report.blobs, m_index.blob_count());
  EXPECT_GE(report.trees, 4U);  // the path from '/', a, a/b
  EXPECT_EQ(report.packs_read, report.packs);
  EXPECT_EQ(check().packs_read, 0U);
}

TEST_F(ResticRepositoryCheck, ASubsetReadsTheFirstPacksInIdOrder) {
  const auto all = check({.read_data = true}).packs_read;
  EXPECT_EQ(check({.read_data = true, .subset_fraction = 0.5}).packs_read, (all + 1) / 2);
  EXPECT_EQ(check({.read_data = true, .subset_fraction = 0.0}).packs_read, 0U);
  EXPECT_EQ(check({.read_data = true, .subset_fraction = 0.01}).packs_read, 1U);
  util::CancelToken cancel;
  EXPECT_EQ(check_repository(*m_repository, {.subset_fraction = 2}, cancel).error().kind(),
            util::ErrorKind::invalid_argument);
}

TEST_F(ResticRepositoryCheck, AMissingPackIsAProblem) {
  const Id pack = packs_of(BlobType::data).at(0);
  fsys::remove(pack_path(pack));
  const auto report = check();
  EXPECT_TRUE(check_mentions(report.problems, "pack " + pack.hex() + ": missing")) << report.problems.size();
}

TEST_F(ResticRepositoryCheck, AFlippedByteIsFoundByReadingTheData) {
  const Id pack = packs_of(BlobType::data).at(0);
  fsys::permissions(pack_path(pack), fsys::perms::owner_write, fsys::perm_options::add);
  {
    std::fstream file(pack_path(pack), std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(1000);
    char c = 0;
    file.get(c);
    file.seekp(1000);
    file.put(static_cast<char>(c ^ 0x10));
  }
  EXPECT_TRUE(check().ok());  // the structure is intact
  const auto report = check({.read_data = true});
  ASSERT_FALSE(report.ok());
  for (const auto& problem : report.problems) {
    EXPECT_NE(problem.find("pack " + pack.hex()), std::string::npos) << problem;
  }
}

TEST_F(ResticRepositoryCheck, ATreeMissingFromTheIndexIsAProblem) {
  // A new index without the tree packs replaces the old one.
  IndexFile data_only;
  m_index.for_each_pack([&](const Id& pack, std::span<const PackEntry> blobs) {
    if (blobs[0].type == BlobType::data) {
      data_only.packs.push_back({pack, {}});
    }
  });
  const auto index_files = m_repository->list(FileType::index).value();
  for (const auto& file : index_files) {
    const auto json = m_repository->load_unpacked(FileType::index, file.id);
    ASSERT_TRUE(json) << json.error().message();
    const auto parsed = parse_index(*json).value();
    for (const auto& pack : parsed.packs) {
      for (auto& kept : data_only.packs) {
        if (kept.id == pack.id) {
          kept.blobs = pack.blobs;
        }
      }
    }
    ASSERT_TRUE(m_repository->remove(FileType::index, file.id));
  }
  ASSERT_TRUE(m_repository->save_unpacked(FileType::index, serialize_index(data_only)));
  const auto report = check();
  ASSERT_FALSE(report.ok());
  EXPECT_TRUE(check_mentions(report.problems, "is not in the index")) << report.problems.front();
  EXPECT_EQ(report.trees, 0U);
  const Id tree_pack = packs_of(BlobType::tree).at(0);
  EXPECT_TRUE(check_mentions(report.warnings, "pack " + tree_pack.hex() + ": not referenced by any index"));
}

TEST_F(ResticRepositoryCheck, AnUnreferencedPackIsAWarning) {
  PackBuilder builder;
  const std::string content = "stray";
  ASSERT_TRUE(builder.add(m_repository->key(), BlobType::data, Id::of(content),
                          {reinterpret_cast<const unsigned char*>(content.data()), content.size()}));
  const auto pack = builder.finish(m_repository->key()).value();
  ASSERT_TRUE(m_repository->save_pack(pack));
  const auto report = check({.read_data = true});
  EXPECT_TRUE(report.ok());
  ASSERT_EQ(report.warnings.size(), 1U);
  EXPECT_NE(report.warnings[0].find(pack.id.hex()), std::string::npos);
}

TEST_F(ResticRepositoryCheck, ADamagedIndexOrSnapshotIsAProblem) {
  const auto snapshots = m_repository->list(FileType::snapshot).value();
  const std::string path = m_dir.path() + "/" + file_key(FileType::snapshot, snapshots.at(0).id);
  fsys::permissions(path, fsys::perms::owner_write, fsys::perm_options::add);
  volback::testing::write_file(path, "garbage");
  const auto report = check();
  ASSERT_EQ(report.problems.size(), 1U);
  EXPECT_NE(report.problems[0].find("snapshot " + snapshots[0].id.hex()), std::string::npos);
  EXPECT_EQ(report.snapshots, 0U);
}

}  // namespace
}  // namespace volback::restic
