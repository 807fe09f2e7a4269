#include <volback/compress/gzip_sink.hpp>

#include <isa-l/crc.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <volback/compress/deflate_block.hpp>

namespace volback::compress {

namespace {

// A sanity bound: more threads than cores brings nothing, and each holds two blocks.
constexpr unsigned k_max_threads = 256;

// One block of input and, once a worker is done with it, its compressed form.
struct Block {
  // The dictionary (the previous block's last 32 KiB) followed by this block's data.
  std::vector<std::byte> input;
  std::size_t dict_size = 0;
  BlockEnd end = BlockEnd::sync_flush;
  // Written by the worker; read by the caller's thread once `done` is set (under the mutex).
  std::vector<std::byte> output;
  std::uint32_t crc = 0;
  std::optional<util::Error> error;
  bool done = false;

  std::size_t data_size() const { return input.size() - dict_size; }
  std::span<const std::byte> dictionary() const { return std::span(input).first(dict_size); }
  std::span<const std::byte> data() const { return std::span(input).subspan(dict_size); }
};

void put_le32(std::array<std::byte, 8>& out, std::size_t at, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) {
    out[at + i] = static_cast<std::byte>((value >> (8 * i)) & 0xffU);
  }
}

class ParallelGzipSink final : public io::Sink {
 public:
  ParallelGzipSink(const CompressOptions& options, io::Sink& next) : m_next(next) {
    const int level = options.level == 0 ? k_gzip_default_level : options.level;
    if (level < 1 || level > 9) {
      // Init errors surface on the first write()/finish(): the factory cannot fail.
      m_error = util::Error(util::ErrorKind::invalid_argument,
                            fmt::format("gzip compression level {} is not within 1..9", level));
      return;
    }
    m_level = level;
    const unsigned threads = std::clamp(options.threads, 1U, k_max_threads);
    m_max_in_flight = 2 * static_cast<std::size_t>(threads);
    std::vector<std::unique_ptr<BlockDeflater>> deflaters;
    for (unsigned i = 0; i < threads; ++i) {
      auto deflater = make_block_deflater(deflate_engine_for_level(level));
      if (!deflater) {
        m_error = deflater.error();
        return;
      }
      deflaters.push_back(std::move(*deflater));
    }
    for (auto& deflater : deflaters) {
      m_workers.emplace_back([this, d = std::move(deflater)] { work(*d); });
    }
    m_current = new_block();
  }

  ~ParallelGzipSink() override {
    {
      const std::lock_guard lock(m_mutex);
      m_stopping = true;
    }
    m_work_cv.notify_all();
    for (auto& worker : m_workers) {
      worker.join();
    }
  }

  ParallelGzipSink(const ParallelGzipSink&) = delete;
  ParallelGzipSink& operator=(const ParallelGzipSink&) = delete;

  util::Result<void> write(std::span<const std::byte> data) override {
    VOLBACK_TRY(check_usable());
    while (!data.empty()) {
      Block& block = *m_current;
      const std::size_t room = k_gzip_block_size - block.data_size();
      const std::size_t n = std::min(room, data.size());
      block.input.insert(block.input.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
      data = data.subspan(n);
      if (block.data_size() == k_gzip_block_size) {
        VOLBACK_TRY(submit(BlockEnd::sync_flush));
      }
    }
    return {};
  }

  util::Result<void> finish() override {
    VOLBACK_TRY(check_usable());
    VOLBACK_TRY(submit(BlockEnd::final_block));
    while (!m_in_flight.empty()) {
      VOLBACK_TRY(emit_oldest());
    }
    std::array<std::byte, 8> trailer{};
    put_le32(trailer, 0, static_cast<std::uint32_t>(m_crc));
    put_le32(trailer, 4, static_cast<std::uint32_t>(m_total & 0xffffffffU));  // ISIZE: size mod 2^32
    VOLBACK_TRY(forward(trailer));
    m_finished = true;
    if (auto r = m_next.finish(); !r) {
      return fail(r.error());
    }
    return {};
  }

 private:
  std::unique_ptr<Block> new_block() {
    std::unique_ptr<Block> block;
    if (!m_free.empty()) {
      block = std::move(m_free.back());
      m_free.pop_back();
    } else {
      block = std::make_unique<Block>();
      block->input.reserve(k_deflate_dictionary_size + k_gzip_block_size);
    }
    block->input.clear();
    block->dict_size = 0;
    block->output.clear();
    block->crc = 0;
    block->error.reset();
    block->done = false;
    return block;
  }

  // Hands the current block to the workers and starts the next one, primed with the
  // current block's last 32 KiB. Then writes out what is ready, waiting for the oldest
  // block while the limit of blocks in flight is reached.
  util::Result<void> submit(BlockEnd end) {
    std::unique_ptr<Block> next = new_block();
    const auto data = m_current->data();
    const std::size_t keep = std::min(data.size(), k_deflate_dictionary_size);
    next->input.insert(next->input.end(), data.end() - static_cast<std::ptrdiff_t>(keep), data.end());
    next->dict_size = keep;

    m_current->end = end;
    {
      const std::lock_guard lock(m_mutex);
      m_queue.push_back(m_current.get());
      m_in_flight.push_back(std::move(m_current));
    }
    m_work_cv.notify_one();
    m_current = std::move(next);

    while (m_in_flight.size() >= m_max_in_flight) {
      VOLBACK_TRY(emit_oldest());
    }
    // Stream out whatever is already compressed, without waiting.
    while (!m_in_flight.empty() && oldest_done()) {
      VOLBACK_TRY(emit_oldest());
    }
    return {};
  }

  bool oldest_done() {
    const std::lock_guard lock(m_mutex);
    return m_in_flight.front()->done;
  }

  // Waits for the oldest block in flight and writes it to `next`.
  util::Result<void> emit_oldest() {
    std::unique_ptr<Block> block;
    {
      std::unique_lock lock(m_mutex);
      m_done_cv.wait(lock, [&] { return m_in_flight.front()->done; });
      block = std::move(m_in_flight.front());
      m_in_flight.pop_front();
    }
    if (block->error) {
      return fail(*block->error);
    }
    if (!m_header_written) {
      // RFC 1952: magic, CM=deflate, no flags, MTIME 0 (none), XFL 0, OS 3 (Unix).
      constexpr std::array<std::byte, 10> k_header{std::byte{0x1f}, std::byte{0x8b}, std::byte{8}, std::byte{0},
                                                   std::byte{0},    std::byte{0},    std::byte{0}, std::byte{0},
                                                   std::byte{0},    std::byte{3}};
      VOLBACK_TRY(forward(k_header));
      m_header_written = true;
    }
    m_crc = crc32_combine(m_crc, block->crc, static_cast<z_off_t>(block->data_size()));
    m_total += block->data_size();
    VOLBACK_TRY(forward(block->output));
    m_free.push_back(std::move(block));
    return {};
  }

  void work(BlockDeflater& deflater) {
    for (;;) {
      Block* block = nullptr;
      {
        std::unique_lock lock(m_mutex);
        m_work_cv.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
        if (m_stopping) {
          return;
        }
        block = m_queue.front();
        m_queue.pop_front();
      }
      const auto data = block->data();
      block->crc = crc32_gzip_refl(0, reinterpret_cast<const unsigned char*>(data.data()), data.size());
      auto r = deflater.compress(block->dictionary(), data, block->end, block->output);
      {
        const std::lock_guard lock(m_mutex);
        if (!r) {
          block->error = r.error();
        }
        block->done = true;
      }
      m_done_cv.notify_all();
    }
  }

  util::Result<void> forward(std::span<const std::byte> bytes) {
    if (bytes.empty()) {
      return {};
    }
    if (auto r = m_next.write(bytes); !r) {
      return fail(r.error());
    }
    return {};
  }

  util::Result<void> check_usable() const {
    if (m_error) {
      return util::fail(*m_error);
    }
    if (m_finished) {
      return util::fail(util::ErrorKind::permanent, "gzip: the stream was already finished");
    }
    return {};
  }

  // Records `error` so later calls fail too: after an error the sink is unusable.
  tl::unexpected<util::Error> fail(util::Error error) {
    m_error = error;
    return util::fail(std::move(error));
  }

  io::Sink& m_next;
  int m_level = 0;
  std::size_t m_max_in_flight = 2;

  // Touched only by the caller's thread.
  std::unique_ptr<Block> m_current;
  std::vector<std::unique_ptr<Block>> m_free;
  uLong m_crc = 0;  // crc32 of everything emitted so far
  std::uint64_t m_total = 0;
  bool m_header_written = false;
  bool m_finished = false;
  std::optional<util::Error> m_error;

  // Shared with the workers, under m_mutex.
  std::mutex m_mutex;
  std::condition_variable m_work_cv;
  std::condition_variable m_done_cv;
  std::deque<Block*> m_queue;                      // waiting for a worker
  std::deque<std::unique_ptr<Block>> m_in_flight;  // submitted, in stream order
  bool m_stopping = false;

  std::vector<std::thread> m_workers;  // last: joined before the rest is destroyed
};

}  // namespace

std::unique_ptr<io::Sink> make_gzip_sink(const CompressOptions& options, io::Sink& next) {
  return std::make_unique<ParallelGzipSink>(options, next);
}

}  // namespace volback::compress
