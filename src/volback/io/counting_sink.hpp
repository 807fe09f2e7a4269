#pragma once
// Counts the bytes that pass through to the next sink (which it does not own).

#include <cstdint>

#include <volback/io/sink.hpp>

namespace volback::io {

class CountingSink final : public Sink {
 public:
  // `next` must outlive this sink.
  explicit CountingSink(Sink& next) : m_next(next) {}

  util::Result<void> write(std::span<const std::byte> data) override {
    VOLBACK_TRY(m_next.write(data));
    m_count += data.size();
    return {};
  }
  util::Result<void> finish() override { return m_next.finish(); }

  std::uint64_t count() const { return m_count; }

 private:
  Sink& m_next;
  std::uint64_t m_count = 0;
};

}  // namespace volback::io
