#include <volback/compress/passthrough_sink.hpp>

namespace volback::compress {

namespace {

class PassthroughSink final : public io::Sink {
 public:
  explicit PassthroughSink(io::Sink& next) : m_next(next) {}

  util::Result<void> write(std::span<const std::byte> data) override {
    if (m_finished) {
      return util::fail(util::ErrorKind::permanent, "write after finish");
    }
    return m_next.write(data);
  }
  util::Result<void> finish() override {
    if (m_finished) {
      return util::fail(util::ErrorKind::permanent, "finish called twice");
    }
    m_finished = true;
    return m_next.finish();
  }

 private:
  io::Sink& m_next;
  bool m_finished = false;
};

class PassthroughSource final : public io::Source {
 public:
  explicit PassthroughSource(io::Source& next) : m_next(next) {}
  util::Result<std::size_t> read(std::span<std::byte> buf) override { return m_next.read(buf); }

 private:
  io::Source& m_next;
};

}  // namespace

std::unique_ptr<io::Source> make_passthrough_source(io::Source& next) {
  return std::make_unique<PassthroughSource>(next);
}

std::unique_ptr<io::Sink> make_passthrough_sink(io::Sink& next) {
  return std::make_unique<PassthroughSink>(next);
}

}  // namespace volback::compress
