#pragma once
// The parallel half of an upload in parts of unknown number (S3 multipart parts, Azure
// blocks): the stream fills one part at a time, acquire() waits until the limits leave
// room for it, submit() queues it, and worker threads upload the queued parts, each
// worker with the per-part function its factory made for it (for example around an HTTP
// transport of its own). What a part holds against the limits is given back when its
// upload ends, successful or not. The first error stops the pool: every later call
// returns it.
//
// Thread-safety: acquire(), release(), submit(), start(), wait_idle() and stop() from the
// one thread that fills the parts; the workers are the pool's own.

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <volback/util/result.hpp>

namespace volback::storage {

// What a part holds while it fills and uploads: bytes of memory, or spill files.
struct PartCost {
  std::uint64_t bytes = 0;
  unsigned spills = 0;
};

// `bytes`: memory the parts may hold at once (a single part larger than that is still
// admitted when nothing else is held); `spills`: spill files at once.
struct PartBudget {
  std::uint64_t bytes = 0;
  unsigned spills = 0;
};

template <typename Part>
class PartPool {
 public:
  using UploadFn = std::function<util::Result<void>(Part&)>;
  using WorkerFactory = std::function<UploadFn()>;

  explicit PartPool(PartBudget limits) : m_limits(limits) {}
  ~PartPool() { stop(); }
  PartPool(const PartPool&) = delete;
  PartPool& operator=(const PartPool&) = delete;

  // The first error a worker met.
  util::Result<void> check() {
    std::lock_guard lock(m_mutex);
    return status_locked();
  }

  // Waits until `cost` fits beside what the parts hold, then holds it.
  util::Result<void> acquire(PartCost cost) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] {
      if (m_error) {
        return true;
      }
      if (cost.spills > 0) {
        return m_held.spills + cost.spills <= m_limits.spills;
      }
      return m_held.bytes == 0 || m_held.bytes + cost.bytes <= m_limits.bytes;
    });
    VOLBACK_TRY(status_locked());
    m_held.bytes += cost.bytes;
    m_held.spills += cost.spills;
    return {};
  }

  // Gives back what a part that is not submitted held.
  void release(PartCost cost) {
    {
      std::lock_guard lock(m_mutex);
      release_locked(cost);
    }
    m_changed.notify_all();
  }

  bool started() const { return !m_workers.empty(); }

  // Starts `workers` (at least one) threads.
  void start(unsigned workers, WorkerFactory factory) {
    for (unsigned i = 0; i < std::max(1U, workers); ++i) {
      m_workers.emplace_back([this, factory] { work(factory()); });
    }
  }

  // Queues `part`, which holds `cost` until its upload ends.
  void submit(Part part, PartCost cost) {
    {
      std::lock_guard lock(m_mutex);
      m_queue.emplace_back(std::move(part), cost);
    }
    m_changed.notify_all();
  }

  // Waits until every queued part is uploaded; the first error.
  util::Result<void> wait_idle() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_error.has_value() || (m_queue.empty() && m_in_flight == 0); });
    return status_locked();
  }

  // Stops the workers after their current part and joins them; queued parts are dropped.
  void stop() {
    {
      std::lock_guard lock(m_mutex);
      m_stop = true;
    }
    m_changed.notify_all();
    for (auto& t : m_workers) {
      t.join();
    }
    m_workers.clear();
  }

  // Set once stop() is called, for the per-part functions to give up early.
  const std::atomic<bool>* stop_flag() const { return &m_stop; }

 private:
  util::Result<void> status_locked() const {
    if (m_error) {
      return util::fail(*m_error);
    }
    return {};
  }

  void release_locked(PartCost cost) {
    m_held.bytes -= std::min(cost.bytes, m_held.bytes);
    m_held.spills -= std::min(cost.spills, m_held.spills);
  }

  void work(const UploadFn& upload) {
    while (true) {
      std::optional<std::pair<Part, PartCost>> next;
      {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_stop || m_error.has_value() || !m_queue.empty(); });
        if (m_stop || m_error || m_queue.empty()) {
          return;
        }
        next.emplace(std::move(m_queue.front()));
        m_queue.pop_front();
        ++m_in_flight;
      }
      const PartCost cost = next->second;
      auto uploaded = upload(next->first);
      next.reset();  // its memory goes before its cost is given back
      {
        std::lock_guard lock(m_mutex);
        --m_in_flight;
        release_locked(cost);
        if (!uploaded && !m_error) {
          m_error = uploaded.error();
        }
      }
      m_changed.notify_all();
    }
  }

  PartBudget m_limits;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<std::pair<Part, PartCost>> m_queue;  // guarded by m_mutex
  unsigned m_in_flight = 0;                       // guarded by m_mutex
  PartCost m_held;                                // guarded by m_mutex
  std::optional<util::Error> m_error;             // guarded by m_mutex
  std::atomic<bool> m_stop{false};
  std::vector<std::thread> m_workers;
};

}  // namespace volback::storage
