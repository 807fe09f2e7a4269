#include <volback/app/run/locked_run.hpp>

#include <sys/file.h>

#include <fcntl.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <volback/testing/temp_dir.hpp>

namespace volback::app {
namespace {

class RecordingQuiescer final : public Quiescer {
 public:
  explicit RecordingQuiescer(std::vector<std::string>& events, bool fail_recover = false)
    : m_events(events), m_fail_recover(fail_recover) {}
  util::Result<void> recover() override {
    m_events.push_back("recover");
    if (m_fail_recover) {
      return util::fail(util::ErrorKind::transient, "docker is down");
    }
    return {};
  }
  util::Result<Quiesced> quiesce() override { return Quiesced{}; }
  util::Result<void> resume() override { return {}; }

 private:
  std::vector<std::string>& m_events;
  bool m_fail_recover;
};

RunSettings settings_in(const testing::TempDir& dir) {
  RunSettings run;
  run.lock_file = dir / "lock";
  run.lock_timeout = std::chrono::milliseconds(200);
  run.state_dir = dir / "state";
  return run;
}

TEST(LockedRun, RecoversBeforeTheBodyRuns) {
  testing::TempDir dir;
  std::vector<std::string> events;
  RecordingQuiescer quiescer(events);
  util::CapturingLogger log;
  const util::CancelToken cancel;
  const auto done = run_locked(settings_in(dir), quiescer, log, cancel, [&]() -> util::Result<void> {
    events.push_back("body");
    // The lock is held while the body runs.
    const int fd = ::open((dir / "lock").c_str(), O_RDWR);
    EXPECT_GE(fd, 0);
    EXPECT_NE(::flock(fd, LOCK_EX | LOCK_NB), 0);
    ::close(fd);
    return {};
  });
  ASSERT_TRUE(done) << done.error().message();
  EXPECT_EQ(events, (std::vector<std::string>{"recover", "body"}));
}

TEST(LockedRun, AFailedRecoveryRunsNothing) {
  testing::TempDir dir;
  std::vector<std::string> events;
  RecordingQuiescer quiescer(events, /*fail_recover=*/true);
  util::CapturingLogger log;
  const util::CancelToken cancel;
  const auto done = run_locked(settings_in(dir), quiescer, log, cancel, [&]() -> util::Result<void> {
    events.push_back("body");
    return {};
  });
  ASSERT_FALSE(done);
  EXPECT_EQ(events, std::vector<std::string>{"recover"});
}

TEST(LockedRun, AHeldLockRunsNothing) {
  testing::TempDir dir;
  const int holder = ::open((dir / "lock").c_str(), O_RDWR | O_CREAT, 0600);
  ASSERT_EQ(::flock(holder, LOCK_EX), 0);
  std::vector<std::string> events;
  RecordingQuiescer quiescer(events);
  util::CapturingLogger log;
  const util::CancelToken cancel;
  const auto done = run_locked(settings_in(dir), quiescer, log, cancel, [&]() -> util::Result<void> {
    events.push_back("body");
    return {};
  });
  ::close(holder);
  ASSERT_FALSE(done);
  EXPECT_TRUE(events.empty());
}

}  // namespace
}  // namespace volback::app
