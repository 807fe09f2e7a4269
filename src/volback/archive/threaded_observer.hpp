#pragma once
// ThreadedObserver: an EntryObserver that hands every event to another observer on a
// thread of its own, so that the work behind it (the manifest's SHA-256, about 2 GB/s
// per core) runs beside the archive's reading and compressing instead of in line with
// them.
//
// Events reach the target in the order they were observed. entry_data() copies the
// bytes (the caller's buffer is reused at once) into batches of about `batch_bytes`,
// which also carry the begin and end events; at most `max_batches` are in flight, so
// the memory held is bounded by max_batches × (batch_bytes + the largest data span)
// plus the entries' metadata, and a slow target slows the archive down instead of
// growing a queue.
//
// finish() waits until the target has seen every event and stops the thread; events
// after it are delivered on the calling thread. The destructor finishes.
//
// The observer methods are called by one thread at a time (the TarWriter's); the
// target is only ever called by one thread at a time either.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include <volback/archive/tar_writer.hpp>

namespace volback::archive {

struct ThreadedObserverOptions {
  std::size_t batch_bytes = std::size_t{256} << 10;
  std::size_t batch_events = 1024;  // a batch is also handed over after this many events
  std::size_t max_batches = 3;
};

class ThreadedObserver final : public EntryObserver {
 public:
  // `target` must outlive this object (or its finish()).
  explicit ThreadedObserver(EntryObserver& target, ThreadedObserverOptions options = {});
  ~ThreadedObserver() override;
  ThreadedObserver(const ThreadedObserver&) = delete;
  ThreadedObserver& operator=(const ThreadedObserver&) = delete;

  void begin_entry(const EntryInfo& info) override;
  void entry_data(std::span<const std::byte> data) override;
  void end_entry() override;

  // Delivers what is pending, waits until the target has handled it, and stops the
  // thread. Idempotent.
  void finish();

 private:
  enum class Kind { begin, data, end };
  struct Event {
    Kind kind = Kind::end;
    std::size_t info = 0;    // begin: index into Batch::infos
    std::size_t offset = 0;  // data: the bytes in Batch::bytes
    std::size_t length = 0;
  };
  struct Batch {
    std::vector<Event> events;
    std::vector<EntryInfo> infos;
    std::vector<std::byte> bytes;
    void clear() {
      events.clear();
      infos.clear();
      bytes.clear();
    }
  };

  void hand_over_if_full();
  void hand_over();
  void run();

  EntryObserver& m_target;
  ThreadedObserverOptions m_options;
  Batch m_filling;  // the caller's batch, not yet handed over
  bool m_finished = false;

  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<Batch> m_queue;    // handed over, in order
  std::vector<Batch> m_spare;   // emptied by the thread, for reuse
  std::size_t m_in_flight = 0;  // queued or being delivered
  bool m_stopping = false;
  std::thread m_thread;
};

}  // namespace volback::archive
