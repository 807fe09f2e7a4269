#include <volback/docker/volume_users.hpp>

#include <gtest/gtest.h>

namespace volback::docker {
namespace {

Mount volume(std::string name, std::string destination, std::string source = "") {
  return Mount{"volume", std::move(name), std::move(source), std::move(destination), true};
}

Mount bind(std::string source, std::string destination) {
  return Mount{"bind", "", std::move(source), std::move(destination), true};
}

ContainerSummary volume_user(std::string id, std::vector<Mount> mounts) {
  return ContainerSummary{id, "name-" + id, "running", {}, std::move(mounts)};
}

TEST(VolumeRefOf, OnTheHostTheDirectoryIsItsOwnHostPath) {
  const auto ref = volume_ref_of("/srv/backup/db/", std::nullopt);
  EXPECT_EQ(ref.volume, "");
  EXPECT_EQ(ref.host_path, "/srv/backup/db");
}

TEST(VolumeRefOf, InAContainerTheNamedVolumeMountedThere) {
  const std::vector<Mount> own{volume("stack_db", "/backup/db", "/var/lib/docker/volumes/stack_db/_data"),
                               bind("/var/run/docker.sock", "/var/run/docker.sock")};
  const auto ref = volume_ref_of("/backup/db", own);
  EXPECT_EQ(ref.volume, "stack_db");
  EXPECT_EQ(ref.host_path, "/var/lib/docker/volumes/stack_db/_data");
}

TEST(VolumeRefOf, TheLongestMountAboveTheDirectoryDecides) {
  const std::vector<Mount> own{bind("/srv/all", "/backup"), volume("pg", "/backup/pg", "/v/pg/_data")};
  EXPECT_EQ(volume_ref_of("/backup/pg", own).volume, "pg");
  const auto inside_bind = volume_ref_of("/backup/files", own);
  EXPECT_EQ(inside_bind.volume, "");
  EXPECT_EQ(inside_bind.host_path, "/srv/all/files");
  // /backup/pgx is not under /backup/pg.
  EXPECT_EQ(volume_ref_of("/backup/pgx", own).host_path, "/srv/all/pgx");
}

TEST(VolumeRefOf, ADirectoryOnNoMountIsUsedByNoOne) {
  const std::vector<Mount> own{volume("pg", "/backup/pg", "/v/pg/_data")};
  const auto ref = volume_ref_of("/restore/pg", own);
  EXPECT_EQ(ref.volume, "");
  EXPECT_EQ(ref.host_path, "");
  EXPECT_TRUE(containers_using({volume_user("a", {bind("/", "/host")})}, {ref}, "").empty());
}

TEST(ContainersUsing, SameNamedVolumeEvenWithoutASourceInTheList) {
  const std::vector<ContainerSummary> running{volume_user("app", {volume("pg", "/var/lib/postgresql/data")}),
                                              volume_user("other", {volume("pgx", "/data")}),
                                              volume_user("self", {volume("pg", "/backup/pg")})};
  const auto users = containers_using(running, {{"pg", "/v/pg/_data"}}, "self");
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].id, "app");
}

TEST(ContainersUsing, HostPathsThatOverlap) {
  const std::vector<ContainerSummary> running{volume_user("parent", {bind("/srv", "/srv")}),
                                              volume_user("same", {bind("/srv/db/", "/data")}),
                                              volume_user("child", {bind("/srv/db/wal", "/wal")}),
                                              volume_user("sibling", {bind("/srv/dbx", "/data")}),
                                              volume_user("tmpfs", {Mount{"tmpfs", "", "", "/tmp", true}}),
                                              volume_user("none", {})};
  const auto users = containers_using(running, {{"", "/srv/db"}}, "");
  std::vector<std::string> ids;
  for (const auto& c : users) {
    ids.push_back(c.id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"parent", "same", "child"}));
}

TEST(ContainersUsing, ANamedVolumeSeenByItsHostPathToo) {
  const std::vector<ContainerSummary> running{
    volume_user("old-engine", {volume("pg", "/data", "/var/lib/docker/volumes/pg/_data")})};
  EXPECT_EQ(containers_using(running, {{"", "/var/lib/docker/volumes/pg/_data"}}, "").size(), 1u);
}

TEST(OwnContainerId, FromTheHostnameBindMount) {
  const std::string id = "3f4e1c2b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";
  const std::string mountinfo =
    "560 480 0:52 / / rw,relatime master:1 - overlay overlay rw,lowerdir=/x\n"
    "570 560 254:1 /var/lib/docker/containers/" +
    id +
    "/resolv.conf /etc/resolv.conf rw - ext4 /dev/vda1 rw\n"
    "571 560 254:1 /var/lib/docker/containers/" +
    id + "/hostname /etc/hostname rw - ext4 /dev/vda1 rw\n";
  EXPECT_EQ(own_container_id(mountinfo), id);
  // A separate /var partition shortens the root; the id is still found.
  EXPECT_EQ(own_container_id("571 560 254:3 /lib/docker/containers/" + id + "/hostname /etc/hostname rw - ext4 x rw"),
            id);
}

TEST(OwnContainerId, NoneOnTheHost) {
  EXPECT_EQ(own_container_id("22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"), std::nullopt);
  EXPECT_EQ(own_container_id(""), std::nullopt);
  EXPECT_EQ(own_container_id("571 560 254:1 /containers/xyz/hostname /etc/hostname rw - ext4 x rw"), std::nullopt);
}

}  // namespace
}  // namespace volback::docker
