#include <volback/restic/stray_packs.hpp>

#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include <volback/restic/archiver.hpp>
#include <volback/restic/blob_saver.hpp>
#include <volback/storage/local/local_backend.hpp>
#include <volback/testing/temp_dir.hpp>
#include <volback/util/logging.hpp>

namespace volback::restic {
namespace {

const KeyFileInfo k_stray_info{.created = "2026-12-02T12:00:00Z", .username = "root", .hostname = "h"};

class ResticStrayPacks : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(m_dir.path() + "/repo");
    auto repository = Repository::init(*m_backend, "secret", k_stray_info);
    ASSERT_TRUE(repository) << repository.error().message();
    m_repository.emplace(std::move(*repository));
  }

  // A pack of one data blob, `content`, stored without an index.
  FinishedPack store_stray(const std::string& content) {
    PackBuilder builder;
    EXPECT_TRUE(builder.add(m_repository->key(), BlobType::data, Id::of(content),
                            {reinterpret_cast<const unsigned char*>(content.data()), content.size()}));
    auto pack = builder.finish(m_repository->key()).value();
    EXPECT_TRUE(m_repository->save_pack(pack));
    return pack;
  }

  // Stores `bytes` under a pack's name, as a killed upload or a damaged disk may leave it.
  Id store_raw_pack(const std::string& bytes) {
    const Id id = Id::of(bytes + "name");
    auto sink = m_backend->begin_upload(file_key(FileType::pack, id), {}).value();
    EXPECT_TRUE(sink->write(std::as_bytes(std::span(bytes.data(), bytes.size()))));
    EXPECT_TRUE(sink->finish());
    return id;
  }

  volback::testing::TempDir m_dir{"restic-stray"};
  util::CapturingLogger m_log;
  std::unique_ptr<storage::Backend> m_backend =
    storage::local::make_local_backend({m_dir.path() + "/repo", std::nullopt}, m_log);
  std::optional<Repository> m_repository;
};

TEST_F(ResticStrayPacks, FindsThePacksNoIndexNamesAndReadsTheirHeaders) {
  BlobIndex index;
  {
    BlobSaver saver(*m_repository, index);
    ASSERT_TRUE(saver.save(BlobType::data, Id::of(std::string("indexed")),
                           std::span(reinterpret_cast<const unsigned char*>("indexed"), 7)));
    ASSERT_TRUE(saver.flush());
  }
  const auto stray = store_stray("left behind by a killed backup");
  const auto big = store_stray(std::string(3000, 'x'));
  std::string cut = stray.bytes;
  cut.pop_back();
  const Id cut_short = store_raw_pack(cut);
  const Id garbage = store_raw_pack("not a pack at all");
  const Id empty = store_raw_pack("");

  const auto found = find_stray_packs(*m_repository, load_index(*m_repository).value());
  ASSERT_TRUE(found) << found.error().message();
  ASSERT_EQ(found->readable.size(), 2U);
  for (const auto& pack : found->readable) {
    const FinishedPack& expected = pack.id == stray.id ? stray : big;
    EXPECT_EQ(pack.id, expected.id);
    EXPECT_EQ(pack.blobs, expected.blobs);
  }
  auto unreadable = found->unreadable;
  std::sort(unreadable.begin(), unreadable.end());
  std::vector<Id> expected{cut_short, garbage, empty};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(unreadable, expected);
}

TEST_F(ResticStrayPacks, TheNextBackupReusesThemInsteadOfUploadingAgain) {
  const std::string src = m_dir.path() + "/src";
  std::filesystem::create_directories(src);
  const std::string content = "the only file's content";
  volback::testing::write_file(src + "/file", content);
  const auto stray = store_stray(content);
  BlobIndex index = load_index(*m_repository).value();
  util::CancelToken cancel;
  const auto written = write_snapshot(*m_repository, index, {.paths = {src}, .hostname = "h"}, cancel);
  ASSERT_TRUE(written) << written.error().message();
  EXPECT_EQ(written->blobs.packs_reused, 1U);
  EXPECT_EQ(written->blobs.data_blobs_new, 0U);
  // The index now names the stray pack: nothing is stray any more.
  const auto again = find_stray_packs(*m_repository, load_index(*m_repository).value()).value();
  EXPECT_TRUE(again.readable.empty());
  EXPECT_TRUE(again.unreadable.empty());
  EXPECT_TRUE(load_index(*m_repository).value().contains(BlobType::data, Id::of(content)));
}

}  // namespace
}  // namespace volback::restic
