#include <volback/app/backup/archive_route.hpp>

#include <gtest/gtest.h>

namespace volback::app {
namespace {

TEST(ArchiveRouteTest, StreamsWhenNothingWasStopped) {
  EXPECT_EQ(choose_route({.containers_stopped = false, .has_local_backend = true}), ArchiveRoute::stream_to_all);
  EXPECT_EQ(choose_route({.containers_stopped = false, .has_local_backend = false}), ArchiveRoute::stream_to_all);
}

TEST(ArchiveRouteTest, WritesToDiskFirstWhenSomethingWasStopped) {
  EXPECT_EQ(choose_route({.containers_stopped = true, .has_local_backend = true}), ArchiveRoute::via_local_file);
  EXPECT_EQ(choose_route({.containers_stopped = true, .has_local_backend = false}), ArchiveRoute::via_spool);
}

TEST(ArchiveRouteTest, ABackendThatTakesNoLiveStreamMakesTheRunWriteToDiskFirst) {
  EXPECT_EQ(choose_route({.containers_stopped = false, .has_local_backend = true, .every_backend_streams = false}),
            ArchiveRoute::via_local_file);
  EXPECT_EQ(choose_route({.containers_stopped = false, .has_local_backend = false, .every_backend_streams = false}),
            ArchiveRoute::via_spool);
}

TEST(ArchiveRouteTest, AWantedArchiveFileMakesTheRunWriteToDiskFirst) {
  EXPECT_EQ(choose_route({.containers_stopped = false, .has_local_backend = true, .archive_file_wanted = true}),
            ArchiveRoute::via_local_file);
  EXPECT_EQ(choose_route({.containers_stopped = false, .has_local_backend = false, .archive_file_wanted = true}),
            ArchiveRoute::via_spool);
}

}  // namespace
}  // namespace volback::app
