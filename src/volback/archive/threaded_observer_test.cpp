#include <volback/archive/threaded_observer.hpp>

#include <atomic>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace volback::archive {
namespace {

// Writes every event it sees as text, and remembers which threads called it.
class Recorder final : public EntryObserver {
 public:
  void begin_entry(const EntryInfo& info) override {
    log += "[" + info.path + ":";
    note();
  }
  void entry_data(std::span<const std::byte> data) override {
    log.append(reinterpret_cast<const char*>(data.data()), data.size());
    note();
  }
  void end_entry() override {
    log += "]";
    note();
  }

  std::string log;
  std::thread::id last_thread;

 private:
  void note() { last_thread = std::this_thread::get_id(); }
};

EntryInfo named(std::string path) {
  EntryInfo info;
  info.path = std::move(path);
  return info;
}

TEST(ThreadedObserver, DeliversEveryEventInOrderFromItsOwnThread) {
  Recorder recorder;
  std::string expected;
  {
    ThreadedObserver observer(recorder, {.batch_bytes = 64, .batch_events = 5, .max_batches = 2});
    std::string buffer;  // reused for every call, as the archiver reuses its read buffer
    for (int i = 0; i < 500; ++i) {
      const std::string path = "f" + std::to_string(i);
      observer.begin_entry(named(path));
      expected += "[" + path + ":";
      for (int piece = 0; piece < i % 4; ++piece) {
        buffer.assign(static_cast<std::size_t>(1 + (i * 7 + piece) % 100), static_cast<char>('a' + piece));
        observer.entry_data(std::as_bytes(std::span(buffer)));
        expected += buffer;
        buffer.assign(buffer.size(), '!');  // the caller's buffer changes at once
      }
      observer.end_entry();
      expected += "]";
    }
    observer.finish();
    EXPECT_EQ(recorder.log, expected);
    EXPECT_NE(recorder.last_thread, std::this_thread::get_id());

    // After finish(), events are delivered at once on the calling thread.
    observer.begin_entry(named("late"));
    observer.end_entry();
    EXPECT_EQ(recorder.last_thread, std::this_thread::get_id());
  }
  EXPECT_EQ(recorder.log, expected + "[late:]");
}

// A target that blocks until released: the producer may run at most max_batches ahead.
class Gate final : public EntryObserver {
 public:
  void begin_entry(const EntryInfo&) override {
    while (!open.load()) {
      std::this_thread::yield();
    }
    ++seen;
  }
  void entry_data(std::span<const std::byte>) override {}
  void end_entry() override {}

  std::atomic<bool> open{false};
  std::atomic<int> seen{0};
};

TEST(ThreadedObserver, ASlowTargetHoldsTheProducerBack) {
  Gate gate;
  ThreadedObserver observer(gate, {.batch_bytes = 1 << 20, .batch_events = 1, .max_batches = 2});
  std::atomic<int> produced{0};
  std::thread producer([&] {
    for (int i = 0; i < 10; ++i) {
      observer.begin_entry(named("x"));
      ++produced;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // One batch is being delivered (blocked), one more is queued, and the producer waits
  // to hand over the next: at most max_batches + 1 events were produced.
  EXPECT_LE(produced.load(), 3);
  gate.open = true;
  producer.join();
  observer.finish();
  EXPECT_EQ(gate.seen.load(), 10);
}

TEST(ThreadedObserver, FinishWithNothingObservedAndTwice) {
  Recorder recorder;
  ThreadedObserver observer(recorder);
  observer.finish();
  observer.finish();
  EXPECT_TRUE(recorder.log.empty());
}

}  // namespace
}  // namespace volback::archive
