#include <volback/app/restore/restore_drill.hpp>

#include <filesystem>

#include <gtest/gtest.h>

#include <volback/app/restore/test_support.hpp>
#include <volback/io/memory_sink.hpp>
#include <volback/io/memory_source.hpp>
#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

namespace stdfs = std::filesystem;

// Checks that see the restored data: each reads db/count while the drill runs.
class ReadingChecks final : public DrillChecks {
 public:
  bool pass = true;
  std::map<std::string, std::string> seen;
  std::string content;
  util::Result<std::vector<std::string>> prepare() override { return std::vector<std::string>{"db"}; }
  std::vector<AppCheckResult> run(const std::map<std::string, std::string>& restored) override {
    seen = restored;
    content = testing::read_file(restored.at("db") + "/count");
    return {AppCheckResult{"db", "cat count", pass, content, pass ? "" : "exited with 1", {}}};
  }
};

struct DrillFixture {
  testing::TempDir dir;
  std::string archive;
  DrillFixture() {
    stdfs::create_directories(dir.path() + "/src/db");
    stdfs::create_directories(dir.path() + "/src/app");
    testing::write_file(dir.path() + "/src/db/count", "100000");
    testing::write_file(dir.path() + "/src/app/a", std::string(50000, 'a'));
    archive = gzip_backup_of(dir.path() + "/src");
  }
  DrillOptions options() const {
    return {.id = "t1",
            .drill_dir = dir.path() + "/drill",
            .state_dir = dir.path(),
            .spill_dir = dir.path(),
            .stored_bytes = archive.size()};
  }
  util::Result<DrillOutcome> run(DrillChecks& checks, const std::string& data) const {
    io::MemorySource source(data, 4096);
    util::CapturingLogger log;
    util::CancelToken cancel;
    return run_restore_drill(source, checks, options(), log, cancel);
  }
  bool scratch_left() const {
    std::error_code ec;
    return !stdfs::is_empty(dir.path() + "/drill", ec);
  }
};

TEST(RestoreDrill, RestoresVerifiesChecksAndRemovesTheScratchDirectory) {
  const DrillFixture f;
  ReadingChecks checks;
  auto outcome = f.run(checks, f.archive);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_TRUE(outcome->passed) << outcome->failure;
  EXPECT_EQ(checks.content, "100000");
  EXPECT_EQ(checks.seen.at("db"), f.dir.path() + "/drill/.volback-drill-t1/db");
  ASSERT_EQ(outcome->restored.volumes.size(), 2u);
  EXPECT_TRUE(outcome->restored.verified);
  EXPECT_FALSE(f.scratch_left());
}

TEST(RestoreDrill, AFailedCheckFailsTheDrillNamingTheContainer) {
  const DrillFixture f;
  ReadingChecks checks;
  checks.pass = false;
  auto outcome = f.run(checks, f.archive);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_FALSE(outcome->passed);
  EXPECT_NE(outcome->failure.find("container db failed: exited with 1"), std::string::npos) << outcome->failure;
  EXPECT_FALSE(f.scratch_left());
}

TEST(RestoreDrill, ADamagedBackupFailsBeforeAnyCheck) {
  const DrillFixture f;
  std::string damaged = f.archive;
  damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x55);
  ReadingChecks checks;
  auto outcome = f.run(checks, damaged);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_FALSE(outcome->passed);
  EXPECT_NE(outcome->failure.find("did not restore"), std::string::npos) << outcome->failure;
  EXPECT_TRUE(checks.seen.empty());
  EXPECT_FALSE(f.scratch_left());
}

TEST(RestoreDrill, RemovesWhatAKilledDrillLeftAndRefusesTooLittleSpace) {
  const DrillFixture f;
  stdfs::create_directories(f.dir.path() + "/drill/.volback-drill-old/db");
  ReadingChecks checks;
  auto options = f.options();
  options.stored_bytes = std::uint64_t{1} << 60;
  io::MemorySource source(f.archive, 4096);
  util::CapturingLogger log;
  util::CancelToken cancel;
  auto outcome = run_restore_drill(source, checks, options, log, cancel);
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message().find("bytes free"), std::string::npos) << outcome.error().message();
  EXPECT_FALSE(f.scratch_left());
}

}  // namespace
}  // namespace volback::app
