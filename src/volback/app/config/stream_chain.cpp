#include <volback/app/config/stream_chain.hpp>

#include <volback/compress/codec.hpp>
#include <volback/io/sink.hpp>

namespace volback::app {
namespace {

// Hands every call to `next`: the stage of Codec::none is the tar itself.
class Forward final : public io::Sink {
 public:
  explicit Forward(io::Sink& next) : m_next(next) {}
  util::Result<void> write(std::span<const std::byte> data) override { return m_next.write(data); }
  util::Result<void> finish() override { return m_next.finish(); }

 private:
  io::Sink& m_next;
};

}  // namespace

std::string StreamChain::extension() const {
  std::string out = "tar";
  for (const auto& stage : m_stages) {
    if (!stage.extension.empty() && !stage.appended_to_name) {
      out += "." + stage.extension;
    }
  }
  return out;
}

std::string StreamChain::name_suffix() const {
  std::string out;
  for (const auto& stage : m_stages) {
    if (!stage.extension.empty() && stage.appended_to_name) {
      out += "." + stage.extension;
    }
  }
  return out;
}

std::string StreamChain::content_type() const {
  std::string type = "application/x-tar";
  for (const auto& stage : m_stages) {
    if (!stage.content_type.empty()) {
      type = stage.content_type;
    }
  }
  return type;
}

StreamChain::Pipeline StreamChain::build(io::Sink& out) const {
  Pipeline pipeline;
  io::Sink* next = &out;
  for (auto it = m_stages.rbegin(); it != m_stages.rend(); ++it) {
    pipeline.m_sinks.push_back(it->make(*next));
    next = pipeline.m_sinks.back().get();
  }
  if (pipeline.m_sinks.empty()) {
    pipeline.m_sinks.push_back(std::make_unique<Forward>(out));
  }
  return pipeline;
}

StreamChain archive_stream_chain(const compress::CompressionSettings& compression,
                                 const crypto::EncryptionSettings& encryption) {
  const std::string_view extension = compress::archive_extension(compression.codec);  // "tar.gz"
  StreamStage compress{
    .extension = extension.size() > 4 ? std::string(extension.substr(4)) : std::string(),
    .content_type = std::string(compress::content_type(compression.codec)),
    .make = [compression](io::Sink& next) {
      return compress::make_compressor(
        compression.codec,
        compress::CompressOptions{
          .level = compression.level, .threads = compression.threads, .zstd_job_bytes = compression.zstd_job_bytes},
        next);
    }};
  std::vector<StreamStage> stages{std::move(compress)};
  if (encryption.method != crypto::EncryptionMethod::none) {
    stages.push_back({.extension = std::string(encryption.extension()),
                      .content_type = std::string(encryption.content_type()),
                      .make = [encryption](io::Sink& next) { return crypto::make_encryptor(encryption, next); },
                      .appended_to_name = true});
  }
  return StreamChain(std::move(stages));
}

}  // namespace volback::app
