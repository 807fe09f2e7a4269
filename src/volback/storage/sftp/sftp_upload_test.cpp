#include <volback/storage/sftp/sftp_upload.hpp>

#include <gtest/gtest.h>

namespace volback::storage::sftp {
namespace {

util::MemoryPlan with_part_buffers(std::uint64_t mib) {
  util::MemoryPlan plan;
  plan.part_buffer_bytes = mib << 20;
  return plan;
}

TEST(PlannedUploadConnections, OnePerCoreWhenTheBuffersHoldThem) {
  EXPECT_EQ(planned_upload_connections(with_part_buffers(15), 2), 2U);
  EXPECT_EQ(planned_upload_connections(with_part_buffers(15), 3), 3U);
}

TEST(PlannedUploadConnections, AtMostFour) {
  EXPECT_EQ(planned_upload_connections(with_part_buffers(64), 16), 4U);
}

TEST(PlannedUploadConnections, AsManyAsThePartBuffersHoldWithOneChunkFilling) {
  // 5 MiB (offen's 25 MiB limit) hold two 2 MiB chunks: one writing, one filling.
  EXPECT_EQ(planned_upload_connections(with_part_buffers(5), 8), 1U);
  EXPECT_EQ(planned_upload_connections(with_part_buffers(7), 8), 2U);
}

TEST(PlannedUploadConnections, AlwaysAtLeastOne) {
  EXPECT_EQ(planned_upload_connections(with_part_buffers(0), 0), 1U);
  EXPECT_EQ(planned_upload_connections(with_part_buffers(15), 1), 1U);
}

}  // namespace
}  // namespace volback::storage::sftp
