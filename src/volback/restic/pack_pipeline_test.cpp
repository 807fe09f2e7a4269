#include <volback/restic/pack_pipeline.hpp>

#include <map>
#include <random>

#include <gtest/gtest.h>

#include <volback/restic/blob_saver.hpp>
#include <volback/restic/index_file.hpp>
#include <volback/testing/memory_backend.hpp>
#include <volback/util/clock.hpp>

namespace volback::restic {
namespace {

const KeyFileInfo k_pipeline_info{.created = "2026-12-02T12:00:00Z", .username = "root", .hostname = "h"};

// Blobs of 1 to 20 KiB, half of them compressible.
std::map<Id, std::string> pipeline_blobs(std::size_t count) {
  std::mt19937 random(7);
  std::map<Id, std::string> blobs;
  for (std::size_t i = 0; i < count; ++i) {
    std::string blob(1 + random() % (20 << 10), '\0');
    for (auto& c : blob) {
      c = static_cast<char>(i % 2 == 0 ? random() : 'a' + random() % 2);
    }
    blobs.emplace(Id::of(blob), std::move(blob));
  }
  return blobs;
}

class ResticPackPipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    auto repository = Repository::init(m_backend, "secret", k_pipeline_info);
    ASSERT_TRUE(repository) << repository.error().message();
    m_repository.emplace(std::move(*repository));
  }

  // Reads every pack the pipeline reported back from the backend: its header and blobs.
  void expect_stored(const std::vector<UploadedPack>& packs, const std::map<Id, std::string>& blobs,
                     std::size_t pack_size) {
    std::map<Id, int> seen;
    for (const auto& uploaded : packs) {
      const std::string bytes = m_repository->read_range(FileType::pack, uploaded.pack.id, 0, uploaded.bytes).value();
      EXPECT_EQ(Id::of(bytes), uploaded.pack.id);
      const auto header = read_pack_header(m_repository->key(), bytes, bytes.size()).value();
      EXPECT_EQ(header.blobs, uploaded.pack.blobs);
      std::size_t blob_bytes = 0;
      for (const auto& blob : header.blobs) {
        blob_bytes += blob.length;
        const auto plaintext =
          open_blob(m_repository->key(), blob, std::string_view(bytes).substr(blob.offset, blob.length));
        ASSERT_TRUE(plaintext) << plaintext.error().message();
        EXPECT_EQ(*plaintext, blobs.at(blob.id));
        ++seen[blob.id];
      }
      EXPECT_TRUE(blob_bytes <= pack_size || header.blobs.size() == 1) << blob_bytes;
    }
    EXPECT_EQ(seen.size(), blobs.size());
    for (const auto& [id, count] : seen) {
      EXPECT_EQ(count, 1) << id.short_hex();
    }
  }

  util::SystemClock m_clock;
  volback::testing::MemoryBackend m_backend{m_clock};
  std::optional<Repository> m_repository;
};

TEST_F(ResticPackPipeline, StoresEveryBlobOnceInPacksOfAtMostTheTarget) {
  const auto blobs = pipeline_blobs(300);
  constexpr std::size_t k_pack = 64 << 10;
  std::vector<UploadedPack> uploaded;
  {
    PackPipeline pipeline(*m_repository, {.workers = 3, .queue_bytes = 100 << 10, .pack_size = k_pack});
    for (const auto& [id, plaintext] : blobs) {
      std::string copy = plaintext;
      ASSERT_TRUE(pipeline.submit(BlobType::data, id, copy));
      EXPECT_TRUE(copy.empty());
      auto stored = pipeline.take_uploaded();
      uploaded.insert(uploaded.end(), stored.begin(), stored.end());
    }
    ASSERT_TRUE(pipeline.drain());
    auto stored = pipeline.take_uploaded();
    uploaded.insert(uploaded.end(), stored.begin(), stored.end());
    EXPECT_TRUE(pipeline.take_uploaded().empty());
  }
  EXPECT_GT(uploaded.size(), 20U);
  expect_stored(uploaded, blobs, k_pack);
}

TEST_F(ResticPackPipeline, AFailedUploadStopsItAndIsNeverReportedStored) {
  const auto blobs = pipeline_blobs(100);
  m_backend.fail_begin = util::Error(util::ErrorKind::transient, "the disk is gone");
  PackPipeline pipeline(*m_repository, {.workers = 2, .queue_bytes = 50 << 10, .pack_size = 32 << 10});
  std::optional<util::Error> failure;
  for (const auto& [id, plaintext] : blobs) {
    std::string copy = plaintext;
    if (auto submitted = pipeline.submit(BlobType::data, id, copy); !submitted) {
      failure = submitted.error();
      break;
    }
  }
  const auto drained = pipeline.drain();
  ASSERT_FALSE(drained);
  EXPECT_NE(drained.error().message().find("the disk is gone"), std::string::npos);
  if (failure) {
    EXPECT_EQ(failure->message(), drained.error().message());
  }
  EXPECT_TRUE(pipeline.take_uploaded().empty());
  EXPECT_TRUE(m_repository->list(FileType::pack).value().empty());
  std::string more = "more";
  EXPECT_FALSE(pipeline.submit(BlobType::data, Id::of(more), more));
}

// Packs are built in files: a pack directory that is not there fails the pipeline with
// its name, and nothing is stored.
TEST_F(ResticPackPipeline, APackFileThatCannotBeCreatedStopsIt) {
  const auto blobs = pipeline_blobs(20);
  PackPipeline pipeline(*m_repository, {.workers = 1, .pack_size = 32 << 10, .temp_dir = "/nonexistent/packs"});
  for (const auto& [id, plaintext] : blobs) {
    std::string copy = plaintext;
    if (!pipeline.submit(BlobType::data, id, copy)) {
      break;
    }
  }
  const auto drained = pipeline.drain();
  ASSERT_FALSE(drained);
  EXPECT_NE(drained.error().message().find("/nonexistent/packs"), std::string::npos) << drained.error().message();
  EXPECT_TRUE(pipeline.take_uploaded().empty());
  EXPECT_TRUE(m_repository->list(FileType::pack).value().empty());
}

TEST_F(ResticPackPipeline, StoppingMidwayDropsWhatIsQueued) {
  const auto blobs = pipeline_blobs(100);
  {
    PackPipeline pipeline(*m_repository, {.workers = 2, .queue_bytes = 1 << 20, .pack_size = 32 << 10});
    for (const auto& [id, plaintext] : blobs) {
      std::string copy = plaintext;
      ASSERT_TRUE(pipeline.submit(BlobType::data, id, copy));
    }
  }  // destroyed without drain()
  const auto packs = m_repository->list(FileType::pack).value();
  for (const auto& pack : packs) {
    // What was stored is complete: the pack's name is the hash of its bytes.
    const std::string bytes = m_repository->read_range(FileType::pack, pack.id, 0, pack.size).value();
    EXPECT_EQ(Id::of(bytes), pack.id);
  }
}

// The index files a repository holds, parsed.
std::vector<IndexFile> saver_index_files(Repository& repository) {
  std::vector<IndexFile> files;
  const auto listed = repository.list(FileType::index).value();
  for (const auto& file : listed) {
    auto json = repository.load_unpacked(FileType::index, file.id);
    EXPECT_TRUE(json) << json.error().message();
    auto parsed = parse_index(json.value_or(""));
    EXPECT_TRUE(parsed) << parsed.error().message();
    if (parsed) {
      files.push_back(std::move(*parsed));
    }
  }
  return files;
}

TEST_F(ResticPackPipeline, SaverWritesIndexFilesDuringTheBackupAndListsEveryPackOnce) {
  const auto blobs = pipeline_blobs(200);
  BlobIndex index;
  BlobSaver saver(*m_repository, index,
                  {.pipeline = {.workers = 2, .queue_bytes = 64 << 10, .pack_size = 32 << 10},
                   .index_max_blobs = 40,
                   .index_batch_blobs = 16});
  for (const auto& [id, plaintext] : blobs) {
    std::string copy = plaintext;
    ASSERT_TRUE(saver.save(BlobType::data, id, copy));
    copy = plaintext;
    ASSERT_TRUE(saver.save(BlobType::data, id, copy));  // the second time: known
    EXPECT_EQ(copy, plaintext);                         // and not taken
  }
  ASSERT_TRUE(saver.flush());
  EXPECT_EQ(saver.stats().blobs_new, blobs.size());
  EXPECT_EQ(saver.stats().blobs_known, blobs.size());
  const auto files = saver_index_files(*m_repository);
  EXPECT_GT(files.size(), 2U);  // written while saving, not only at the end
  std::map<Id, int> listed;
  for (const auto& file : files) {
    for (const auto& pack : file.packs) {
      ++listed[pack.id];
    }
  }
  const auto packs = m_repository->list(FileType::pack).value();
  EXPECT_EQ(listed.size(), packs.size());
  EXPECT_EQ(saver.stats().packs, packs.size());
  for (const auto& pack : packs) {
    EXPECT_EQ(listed[pack.id], 1) << pack.id.short_hex();
  }
  for (const auto& [id, plaintext] : blobs) {
    EXPECT_TRUE(index.contains(BlobType::data, id));
  }
}

TEST_F(ResticPackPipeline, SaverAdoptsAStoredPackThatNoIndexNames) {
  const std::string content = "left by a killed run";
  PackBuilder builder;
  ASSERT_TRUE(builder.add(m_repository->key(), BlobType::data, Id::of(content),
                          {reinterpret_cast<const unsigned char*>(content.data()), content.size()}));
  const auto pack = builder.finish(m_repository->key()).value();
  ASSERT_TRUE(m_repository->save_pack(pack));
  BlobIndex index;
  BlobSaver saver(*m_repository, index);
  saver.adopt({.id = pack.id, .blobs = pack.blobs});
  std::string again = content;
  ASSERT_TRUE(saver.save(BlobType::data, Id::of(content), again));
  ASSERT_TRUE(saver.flush());
  EXPECT_EQ(saver.stats().blobs_known, 1U);
  EXPECT_EQ(saver.stats().blobs_new, 0U);
  EXPECT_EQ(saver.stats().packs_reused, 1U);
  const auto files = saver_index_files(*m_repository);
  ASSERT_EQ(files.size(), 1U);
  ASSERT_EQ(files[0].packs.size(), 1U);
  EXPECT_EQ(files[0].packs[0].id, pack.id);
  EXPECT_EQ(m_repository->list(FileType::pack).value().size(), 1U);
}

}  // namespace
}  // namespace volback::restic
