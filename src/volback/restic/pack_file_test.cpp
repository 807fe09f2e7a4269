#include <volback/restic/pack_file.hpp>

#include <gtest/gtest.h>

#include <volback/restic/repository.hpp>
#include <volback/restic/test_support.hpp>
#include <volback/testing/memory_backend.hpp>
#include <volback/testing/temp_dir.hpp>
#include <volback/util/clock.hpp>

namespace volback::restic {
namespace {

using testing::bytes_of;

std::vector<SealedBlob> sealed_blobs(const MasterKey& key) {
  std::vector<SealedBlob> sealed;
  for (const std::string content : {std::string(100000, 'a'), std::string("x"), std::string()}) {
    sealed.push_back(
      seal_blob(key, content == "x" ? BlobType::tree : BlobType::data, Id::of(content), bytes_of(content)).value());
  }
  return sealed;
}

// A pack built in a file is the pack PackBuilder builds in memory (the same blobs at the
// same offsets; the header's IV differs), and Repository::save_pack stores it whole.
TEST(ResticPackFile, BuildsThePackPackBuilderBuildsAndUploadsIt) {
  const auto key = MasterKey::generate().value();
  volback::testing::TempDir dir("volback-packs");
  auto file = PackFile::create(dir.path());
  ASSERT_TRUE(file) << file.error().message();
  PackBuilder memory;
  EXPECT_TRUE(file->empty());
  for (const auto& blob : sealed_blobs(key)) {
    ASSERT_TRUE(file->append(blob));
    memory.append(blob);
  }
  EXPECT_EQ(file->size(), memory.size());
  const auto built = memory.finish(key).value();
  auto finished = file->finish(key);
  ASSERT_TRUE(finished) << finished.error().message();
  EXPECT_EQ(finished->blobs, built.blobs);
  EXPECT_EQ(finished->size, built.bytes.size());
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "the pack file has no name";

  util::SystemClock clock;
  volback::testing::MemoryBackend backend{clock};
  auto repository = Repository::init(backend, "secret", {.created = "2026-12-03T00:00:00Z"});
  ASSERT_TRUE(repository) << repository.error().message();
  ASSERT_TRUE(repository->save_pack(*finished));
  const std::string stored = repository->read_range(FileType::pack, finished->id, 0, finished->size).value();
  EXPECT_EQ(Id::of(stored), finished->id);
  EXPECT_EQ(read_pack_header(key, stored, stored.size()).value().blobs, built.blobs);
  const std::size_t blobs_end = built.blobs.back().offset + built.blobs.back().length;
  EXPECT_EQ(stored.substr(0, blobs_end), built.bytes.substr(0, blobs_end));
}

TEST(ResticPackFile, AnEmptyPackIsRefused) {
  const auto key = MasterKey::generate().value();
  auto file = PackFile::create(::testing::TempDir());
  ASSERT_TRUE(file) << file.error().message();
  const auto finished = file->finish(key);
  ASSERT_FALSE(finished);
  EXPECT_EQ(finished.error().kind(), util::ErrorKind::invalid_argument);
}

// A pack file shorter than the pack it claims to be is never stored as that pack.
TEST(ResticPackFile, AShortFileIsNotUploadedAsTheWholePack) {
  const auto key = MasterKey::generate().value();
  auto file = PackFile::create(::testing::TempDir());
  ASSERT_TRUE(file);
  ASSERT_TRUE(file->append(sealed_blobs(key)[0]));
  auto finished = file->finish(key).value();
  finished.size += 10;
  util::SystemClock clock;
  volback::testing::MemoryBackend backend{clock};
  auto repository = Repository::init(backend, "secret", {.created = "2026-12-03T00:00:00Z"});
  ASSERT_TRUE(repository);
  const auto saved = repository->save_pack(finished);
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().kind(), util::ErrorKind::corrupt);
  EXPECT_TRUE(repository->list(FileType::pack).value().empty());
}

}  // namespace
}  // namespace volback::restic
