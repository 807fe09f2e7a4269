#pragma once
// A Sink that collects everything in memory. For tests and small payloads.

#include <string>

#include <volback/io/sink.hpp>

namespace volback::io {

class MemorySink final : public Sink {
 public:
  util::Result<void> write(std::span<const std::byte> data) override {
    m_data.append(reinterpret_cast<const char*>(data.data()), data.size());
    return {};
  }
  util::Result<void> finish() override {
    m_finished = true;
    return {};
  }

  const std::string& data() const { return m_data; }
  bool finished() const { return m_finished; }

 private:
  std::string m_data;
  bool m_finished = false;
};

}  // namespace volback::io
