#include <volback/archive/threaded_observer.hpp>

#include <algorithm>

namespace volback::archive {

ThreadedObserver::ThreadedObserver(EntryObserver& target, ThreadedObserverOptions options)
  : m_target(target), m_options(options) {
  m_options.max_batches = std::max<std::size_t>(1, m_options.max_batches);
  m_thread = std::thread([this] { run(); });
}

ThreadedObserver::~ThreadedObserver() {
  finish();
}

void ThreadedObserver::begin_entry(const EntryInfo& info) {
  if (m_finished) {
    m_target.begin_entry(info);
    return;
  }
  m_filling.events.push_back({Kind::begin, m_filling.infos.size(), 0, 0});
  m_filling.infos.push_back(info);
  hand_over_if_full();
}

void ThreadedObserver::entry_data(std::span<const std::byte> data) {
  if (m_finished) {
    m_target.entry_data(data);
    return;
  }
  if (data.empty()) {
    return;
  }
  m_filling.events.push_back({Kind::data, 0, m_filling.bytes.size(), data.size()});
  m_filling.bytes.insert(m_filling.bytes.end(), data.begin(), data.end());
  hand_over_if_full();
}

void ThreadedObserver::end_entry() {
  if (m_finished) {
    m_target.end_entry();
    return;
  }
  m_filling.events.push_back({Kind::end, 0, 0, 0});
  hand_over_if_full();
}

void ThreadedObserver::hand_over_if_full() {
  if (m_filling.bytes.size() >= m_options.batch_bytes || m_filling.events.size() >= m_options.batch_events) {
    hand_over();
  }
}

void ThreadedObserver::hand_over() {
  if (m_filling.events.empty()) {
    return;
  }
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [this] { return m_in_flight < m_options.max_batches; });
  m_queue.push_back(std::move(m_filling));
  ++m_in_flight;
  if (m_spare.empty()) {
    m_filling = Batch{};
  } else {
    m_filling = std::move(m_spare.back());  // keeps its capacity
    m_spare.pop_back();
  }
  m_changed.notify_all();
}

void ThreadedObserver::run() {
  for (;;) {
    Batch batch;
    {
      std::unique_lock lock(m_mutex);
      m_changed.wait(lock, [this] { return !m_queue.empty() || m_stopping; });
      if (m_queue.empty()) {
        return;  // stopping, and everything was delivered
      }
      batch = std::move(m_queue.front());
      m_queue.pop_front();
    }
    for (const Event& event : batch.events) {
      switch (event.kind) {
      case Kind::begin: m_target.begin_entry(batch.infos[event.info]); break;
      case Kind::data: m_target.entry_data(std::span(batch.bytes).subspan(event.offset, event.length)); break;
      case Kind::end: m_target.end_entry(); break;
      }
    }
    batch.clear();
    std::lock_guard lock(m_mutex);
    m_spare.push_back(std::move(batch));
    --m_in_flight;
    m_changed.notify_all();
  }
}

void ThreadedObserver::finish() {
  if (m_finished) {
    return;
  }
  hand_over();
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
    m_changed.notify_all();
  }
  m_thread.join();
  m_finished = true;
  m_spare.clear();
  m_filling = Batch{};
}

}  // namespace volback::archive
