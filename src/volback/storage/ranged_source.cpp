#include <volback/storage/ranged_source.hpp>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace volback::storage {

namespace {

util::Result<std::string> checked_fetch(const RangeFetch& fetch, std::uint64_t first, std::uint64_t last) {
  VOLBACK_TRY_ASSIGN(auto body, fetch(first, last));
  if (body.size() != last - first + 1) {
    return util::fail(util::ErrorKind::transient,
                      fmt::format("a ranged read of bytes {}-{} returned {} bytes", first, last, body.size()));
  }
  return body;
}

class RangedSource final : public io::Source {
 public:
  RangedSource(RangeFetch fetch, std::uint64_t offset, std::uint64_t end, std::uint64_t chunk)
    : m_fetch(std::move(fetch)), m_offset(offset), m_end(end), m_chunk(std::max<std::uint64_t>(chunk, 1)) {}

  util::Result<std::size_t> read(std::span<std::byte> buf) override {
    if (buf.empty()) {
      return 0;
    }
    if (m_pos == m_buffer.size()) {
      if (m_offset >= m_end) {
        return 0;
      }
      const std::uint64_t last = std::min(m_end, m_offset + m_chunk) - 1;
      VOLBACK_TRY_ASSIGN(m_buffer, checked_fetch(m_fetch, m_offset, last));
      m_pos = 0;
      m_offset = last + 1;
    }
    const std::size_t n = std::min(buf.size(), m_buffer.size() - m_pos);
    std::copy_n(reinterpret_cast<const std::byte*>(m_buffer.data()) + m_pos, n, buf.data());
    m_pos += n;
    return n;
  }

 private:
  RangeFetch m_fetch;
  std::uint64_t m_offset;
  std::uint64_t m_end;
  std::uint64_t m_chunk;
  std::string m_buffer;
  std::size_t m_pos = 0;
};

// Ranges [offset + i * chunk, ...) fetched by worker threads, at most `ranges` of them
// ahead of the reader.
class ReadAheadSource final : public io::Source {
 public:
  ReadAheadSource(RangeFetchFactory factory, std::uint64_t offset, std::uint64_t end, ReadAhead read_ahead)
    : m_factory(std::move(factory)),
      m_offset(offset),
      m_end(end),
      m_chunk(std::max<std::uint64_t>(read_ahead.chunk, 1)),
      m_ranges(std::max(read_ahead.ranges, 1U)),
      m_count(end > offset ? (end - offset + m_chunk - 1) / m_chunk : 0) {}

  ~ReadAheadSource() override {
    {
      const std::lock_guard lock(m_mutex);
      m_stop = true;
    }
    m_changed.notify_all();
    for (auto& worker : m_workers) {
      worker.join();
    }
  }

  ReadAheadSource(const ReadAheadSource&) = delete;
  ReadAheadSource& operator=(const ReadAheadSource&) = delete;

  util::Result<std::size_t> read(std::span<std::byte> buf) override {
    if (buf.empty()) {
      return 0;
    }
    if (m_pos == m_buffer.size()) {
      if (m_consumed == m_count) {
        return 0;
      }
      start_workers();
      std::unique_lock lock(m_mutex);
      m_changed.wait(lock, [&] { return m_ready.contains(m_consumed); });
      auto node = m_ready.extract(m_consumed);
      ++m_consumed;
      lock.unlock();
      m_changed.notify_all();
      if (!node.mapped()) {
        return util::fail(node.mapped().error());
      }
      m_buffer = std::move(*node.mapped());
      m_pos = 0;
    }
    const std::size_t n = std::min(buf.size(), m_buffer.size() - m_pos);
    std::copy_n(reinterpret_cast<const std::byte*>(m_buffer.data()) + m_pos, n, buf.data());
    m_pos += n;
    return n;
  }

 private:
  void start_workers() {
    if (!m_workers.empty()) {
      return;
    }
    const auto count = static_cast<unsigned>(std::min<std::uint64_t>(m_ranges, m_count));
    for (unsigned i = 0; i < count; ++i) {
      m_workers.emplace_back([this] { work(); });
    }
  }

  void work() {
    const RangeFetch fetch = m_factory();
    for (;;) {
      std::uint64_t index = 0;
      {
        std::unique_lock lock(m_mutex);
        // A range may start only within `m_ranges` of the reader: bounded memory.
        m_changed.wait(lock, [&] { return m_stop || m_next == m_count || m_next < m_consumed + m_ranges; });
        if (m_stop || m_next == m_count) {
          return;
        }
        index = m_next++;
      }
      const std::uint64_t first = m_offset + index * m_chunk;
      const std::uint64_t last = std::min(m_end, first + m_chunk) - 1;
      auto body = checked_fetch(fetch, first, last);
      {
        const std::lock_guard lock(m_mutex);
        m_ready.emplace(index, std::move(body));
      }
      m_changed.notify_all();
    }
  }

  RangeFetchFactory m_factory;
  const std::uint64_t m_offset;
  const std::uint64_t m_end;
  const std::uint64_t m_chunk;
  const unsigned m_ranges;
  const std::uint64_t m_count;  // ranges in all

  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::map<std::uint64_t, util::Result<std::string>> m_ready;  // fetched, not yet read
  std::uint64_t m_next = 0;                                    // the next range a worker takes
  std::uint64_t m_consumed = 0;                                // ranges the reader took
  bool m_stop = false;
  std::vector<std::thread> m_workers;

  std::string m_buffer;  // the range being read (reader's thread only)
  std::size_t m_pos = 0;
};

}  // namespace

ReadAhead planned_read_ahead(const util::MemoryPlan& plan) {
  constexpr std::uint64_t k_chunk = std::uint64_t{4} << 20;
  const auto ranges = std::clamp<std::uint64_t>(plan.part_buffer_bytes / k_chunk, 1, 4);
  return ReadAhead{k_chunk, static_cast<unsigned>(ranges)};
}

std::unique_ptr<io::Source> make_ranged_source(std::uint64_t size, const ByteRange& range, RangeFetchFactory factory,
                                               ReadAhead read_ahead) {
  const std::uint64_t offset = std::min(range.offset, size);
  const std::uint64_t end = range.length ? offset + std::min(*range.length, size - offset) : size;
  if (read_ahead.ranges <= 1) {
    return std::make_unique<RangedSource>(factory(), offset, end, read_ahead.chunk);
  }
  return std::make_unique<ReadAheadSource>(std::move(factory), offset, end, read_ahead);
}

std::unique_ptr<io::Source> make_ranged_source(std::uint64_t size, const ByteRange& range, RangeFetch fetch,
                                               std::uint64_t chunk) {
  const std::uint64_t offset = std::min(range.offset, size);
  const std::uint64_t end = range.length ? offset + std::min(*range.length, size - offset) : size;
  return std::make_unique<RangedSource>(std::move(fetch), offset, end, chunk);
}

}  // namespace volback::storage
