#include <volback/storage/stale_uploads.hpp>

#include <gtest/gtest.h>

#include <volback/testing/temp_dir.hpp>

namespace volback::storage {
namespace {

TEST(StaleUploads, ParseAndFormatRoundTrip) {
  const std::vector<StaleUpload> v{{"b", "path/k.tar.gz", "id1"}, {"b2", "k2", "id2"}};
  const auto text = format_stale_uploads(v);
  const auto back = parse_stale_uploads(text + "garbage\n\n");
  ASSERT_EQ(back.size(), 2U);
  EXPECT_EQ(back[0].key, "path/k.tar.gz");
  EXPECT_EQ(back[1].upload_id, "id2");
}

TEST(StaleUploads, JournalRecordsLoadsAndClears) {
  testing::TempDir dir;
  const StaleUploadJournal journal(dir.path() + "/state/sub", "s3-stale-uploads");
  ASSERT_TRUE(journal.load());
  EXPECT_TRUE(journal.load()->empty());
  ASSERT_TRUE(journal.record({"b", "k", "u1"}));
  ASSERT_TRUE(journal.record({"b", "k", "u2"}));
  ASSERT_EQ(journal.load()->size(), 2U);
  ASSERT_TRUE(journal.store({{"b", "k", "u2"}}));
  ASSERT_EQ(journal.load()->size(), 1U);
  ASSERT_TRUE(journal.store({}));
  EXPECT_TRUE(journal.load()->empty());
}

}  // namespace
}  // namespace volback::storage
