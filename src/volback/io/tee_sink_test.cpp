#include <volback/io/tee_sink.hpp>

#include <gtest/gtest.h>

#include <volback/io/counting_sink.hpp>
#include <volback/io/memory_sink.hpp>

namespace volback::io {
namespace {

// Forwards to a MemorySink it does not own, failing once `limit` bytes are exceeded.
class FlakySink final : public Sink {
 public:
  FlakySink(MemorySink& target, std::size_t limit, bool* destroyed)
    : m_target(target), m_limit(limit), m_destroyed(destroyed) {}
  ~FlakySink() override { *m_destroyed = true; }
  util::Result<void> write(std::span<const std::byte> data) override {
    m_written += data.size();
    if (m_written > m_limit) {
      return util::fail(util::ErrorKind::transient, "flaky");
    }
    return m_target.write(data);
  }
  util::Result<void> finish() override { return m_target.finish(); }

 private:
  MemorySink& m_target;
  std::size_t m_limit;
  std::size_t m_written = 0;
  bool* m_destroyed;
};

TEST(TeeSinkTest, EveryBranchGetsEveryByte) {
  MemorySink a;
  MemorySink b;
  bool da = false;
  bool db = false;
  std::vector<TeeSink::Branch> branches;
  branches.push_back({"a", std::make_unique<FlakySink>(a, 1000, &da)});
  branches.push_back({"b", std::make_unique<FlakySink>(b, 1000, &db)});
  TeeSink tee(std::move(branches));
  ASSERT_TRUE(tee.write(as_bytes("hello ")));
  ASSERT_TRUE(tee.write(as_bytes("world")));
  ASSERT_TRUE(tee.finish());
  EXPECT_EQ(a.data(), "hello world");
  EXPECT_EQ(b.data(), "hello world");
  EXPECT_TRUE(a.finished());
  for (const auto& outcome : tee.outcomes()) {
    EXPECT_FALSE(outcome.error) << outcome.name;
  }
}

TEST(TeeSinkTest, AFailingBranchIsDroppedAndTheOthersGoOn) {
  MemorySink a;
  MemorySink b;
  bool da = false;
  bool db = false;
  std::vector<TeeSink::Branch> branches;
  branches.push_back({"a", std::make_unique<FlakySink>(a, 1000, &da)});
  branches.push_back({"b", std::make_unique<FlakySink>(b, 3, &db)});
  TeeSink tee(std::move(branches));
  ASSERT_TRUE(tee.write(as_bytes("hello")));
  EXPECT_TRUE(db) << "the failed branch is destroyed at once, which aborts it";
  ASSERT_TRUE(tee.finish());
  EXPECT_EQ(a.data(), "hello");
  EXPECT_FALSE(b.finished());
  const auto outcomes = tee.outcomes();
  EXPECT_FALSE(outcomes[0].error);
  ASSERT_TRUE(outcomes[1].error);
  EXPECT_EQ(outcomes[1].error->kind(), util::ErrorKind::transient);
}

TEST(TeeSinkTest, FailsWhenEveryBranchFailed) {
  MemorySink a;
  bool da = false;
  std::vector<TeeSink::Branch> branches;
  branches.push_back({"a", std::make_unique<FlakySink>(a, 1, &da)});
  TeeSink tee(std::move(branches));
  auto result = tee.write(as_bytes("hello"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind(), util::ErrorKind::transient);
}

TEST(CountingSinkTest, CountsWhatPassesThrough) {
  MemorySink target;
  CountingSink counter(target);
  ASSERT_TRUE(counter.write(as_bytes("abc")));
  ASSERT_TRUE(counter.write(as_bytes("de")));
  ASSERT_TRUE(counter.finish());
  EXPECT_EQ(counter.count(), 5U);
  EXPECT_TRUE(target.finished());
}

}  // namespace
}  // namespace volback::io
