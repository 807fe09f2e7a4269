#include <volback/restic/repository.hpp>

#include <gtest/gtest.h>

#include <volback/storage/local/local_backend.hpp>
#include <volback/testing/temp_dir.hpp>
#include <volback/util/logging.hpp>

namespace volback::restic {
namespace {

const KeyFileInfo k_info{.created = "2026-12-02T12:00:00Z", .username = "root", .hostname = "h"};

class ResticRepository : public ::testing::Test {
 protected:
  volback::testing::TempDir m_dir{"restic-repo"};
  util::CapturingLogger m_log;
  std::unique_ptr<storage::Backend> m_backend = storage::local::make_local_backend({m_dir.path(), std::nullopt}, m_log);
};

TEST_F(ResticRepository, InitThenOpenWithThePassword) {
  auto created = Repository::init(*m_backend, "secret", k_info);
  ASSERT_TRUE(created) << created.error().message();
  auto opened = Repository::open(*m_backend, "secret");
  ASSERT_TRUE(opened) << opened.error().message();
  EXPECT_EQ(opened->config().id, created->config().id);
  EXPECT_EQ(opened->config().chunker_polynomial, created->config().chunker_polynomial);
  EXPECT_TRUE(opened->key().encrypt.equals(created->key().encrypt.span()));
  EXPECT_EQ(created->list(FileType::key).value().size(), 1U);
}

TEST_F(ResticRepository, WrongPasswordNoRepositoryAndSecondInit) {
  const auto missing = Repository::open(*m_backend, "secret");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind(), util::ErrorKind::not_found);
  EXPECT_NE(missing.error().message().find("volback init"), std::string::npos);
  ASSERT_TRUE(Repository::init(*m_backend, "secret", k_info));
  const auto wrong = Repository::open(*m_backend, "Secret");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind(), util::ErrorKind::auth);
  const auto again = Repository::init(*m_backend, "secret", k_info);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind(), util::ErrorKind::invalid_argument);
}

TEST_F(ResticRepository, UnpackedFilesAndPacksRoundTrip) {
  auto repository = Repository::init(*m_backend, "secret", k_info).value();
  const auto id = repository.save_unpacked(FileType::snapshot, R"({"time":"2026-12-02T12:00:00Z"})");
  ASSERT_TRUE(id);
  EXPECT_EQ(repository.load_unpacked(FileType::snapshot, *id).value(), R"({"time":"2026-12-02T12:00:00Z"})");
  EXPECT_FALSE(repository.load_unpacked(FileType::index, *id));  // another directory
  PackBuilder builder;
  const std::string content = "some data";
  ASSERT_TRUE(builder.add(repository.key(), BlobType::data, Id::of(content),
                          {reinterpret_cast<const unsigned char*>(content.data()), content.size()}));
  const auto pack = builder.finish(repository.key()).value();
  ASSERT_TRUE(repository.save_pack(pack));
  const auto packs = repository.list(FileType::pack).value();
  ASSERT_EQ(packs.size(), 1U);
  EXPECT_EQ(packs[0].id, pack.id);
  EXPECT_EQ(packs[0].size, pack.bytes.size());
  EXPECT_TRUE(std::filesystem::exists(m_dir.path() + "/" + file_key(FileType::pack, pack.id)));
  const auto stored = repository.read_range(FileType::pack, pack.id, 0, pack.blobs[0].length);
  ASSERT_TRUE(stored);
  EXPECT_EQ(open_blob(repository.key(), pack.blobs[0], *stored).value(), content);
  EXPECT_FALSE(repository.read_range(FileType::pack, pack.id, 0, pack.bytes.size() + 1));
}

TEST_F(ResticRepository, ListingSkipsNamesThatAreNotIdsOrMisplaced) {
  auto repository = Repository::init(*m_backend, "secret", k_info).value();
  std::filesystem::create_directories(m_dir.path() + "/snapshots");
  std::filesystem::create_directories(m_dir.path() + "/data/00");
  volback::testing::write_file(m_dir.path() + "/snapshots/not-an-id", "x");
  volback::testing::write_file(m_dir.path() + "/data/00/" + std::string(64, 'a'), "misplaced");
  EXPECT_TRUE(repository.list(FileType::snapshot).value().empty());
  EXPECT_TRUE(repository.list(FileType::pack).value().empty());
}

}  // namespace
}  // namespace volback::restic
