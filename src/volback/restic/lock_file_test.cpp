#include <volback/restic/lock_file.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace volback::restic {
namespace {

const std::string k_lock_written_by_restic =
  R"({"time":"2026-11-26T08:39:53.312374663Z","exclusive":false,"hostname":"vm","username":"root","pid":23683,)"
  R"("uid":1000,"gid":1000})";

TEST(ResticLockFile, RoundTripsWhatResticWrote) {
  auto lock = parse_lock(k_lock_written_by_restic);
  ASSERT_TRUE(lock) << lock.error().message();
  EXPECT_EQ(lock->pid, 23683);
  EXPECT_EQ(lock->uid, 1000u);
  EXPECT_FALSE(lock->exclusive);
  EXPECT_EQ(serialize_lock(*lock), k_lock_written_by_restic);
  Lock root = *lock;
  root.uid = root.gid = 0;
  root.exclusive = true;
  EXPECT_EQ(serialize_lock(root), R"({"time":"2026-11-26T08:39:53.312374663Z","exclusive":true,"hostname":"vm",)"
                                  R"("username":"root","pid":23683})");
}

// A lock restic 0.14 held during `restic backup --stdin`, as `restic cat lock` printed it.
TEST(ResticLockFile, ReadsALockResticWrote) {
  const auto dir = std::filesystem::path(VOLBACK_RESTIC_TESTDATA) / "restic_docs";
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("lock-", 0) != 0) {
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string pretty{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto lock = parse_lock(pretty);
    ASSERT_TRUE(lock) << lock.error().message();
    EXPECT_EQ(serialize_lock(*lock), nlohmann::ordered_json::parse(pretty).dump());
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST(ResticLockFile, RefusesHostileLocks) {
  for (const std::string json :
       {"", "[]", R"({"time":"x"})", R"({"exclusive":1})", R"({"pid":"1"})", R"({"pid":9223372036854775808})",
        R"({"uid":-1})", R"({"gid":4294967296})", R"({"hostname":5})"}) {
    auto lock = parse_lock(json);
    ASSERT_FALSE(lock) << json;
    EXPECT_EQ(lock.error().kind(), util::ErrorKind::corrupt);
  }
  EXPECT_EQ(parse_lock(R"({"pid":-5,"future":[1]})").value().pid, -5);
}

bool lock_test_alive(std::int64_t pid) {
  return pid == 1;
}

TEST(ResticLockFile, AppliesResticsStalenessAndConflictRules) {
  Lock lock;
  lock.time = parse_rfc3339("2026-01-01T10:00:00Z").value();
  lock.hostname = "here";
  lock.pid = 1;
  const GoTime thirty = parse_rfc3339("2026-01-01T10:30:00Z").value();
  const GoTime later = parse_rfc3339("2026-01-01T10:30:00.000000001Z").value();
  EXPECT_FALSE(lock_is_stale(lock, thirty, "here", lock_test_alive));
  EXPECT_TRUE(lock_is_stale(lock, later, "elsewhere", lock_test_alive));
  lock.pid = 2;
  EXPECT_TRUE(lock_is_stale(lock, thirty, "here", lock_test_alive));
  EXPECT_FALSE(lock_is_stale(lock, thirty, "elsewhere", lock_test_alive));
  // The same instant written in another zone.
  lock.time = parse_rfc3339("2026-01-01T11:00:00+01:00").value();
  EXPECT_FALSE(lock_is_stale(lock, thirty, "elsewhere", lock_test_alive));

  Lock shared;
  Lock exclusive;
  exclusive.exclusive = true;
  EXPECT_FALSE(locks_conflict(shared, false));
  EXPECT_TRUE(locks_conflict(shared, true));
  EXPECT_TRUE(locks_conflict(exclusive, false));
  EXPECT_TRUE(locks_conflict(exclusive, true));
}

}  // namespace
}  // namespace volback::restic
