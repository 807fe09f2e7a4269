#pragma once
// The filters an archive stream passes through between the tar writer and the storage
// fan-out, by position:
//
//   walk → tar → compress → [encrypt] → count → fan-out to the backends
//
// A stage is a Sink filter that writes into the next one, with what it does to the
// archive's name and type: the name's extension and the content type come from the
// whole chain ("tar" then ".gz", then ".gpg"), never from one stage alone, so that a new
// stage (encryption) is one more entry and nothing else.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <volback/compress/compression_settings.hpp>
#include <volback/crypto/encryption_settings.hpp>
#include <volback/io/sink.hpp>

namespace volback::app {

struct StreamStage {
  std::string extension;     // appended to the name with a '.', e.g. "gz"; empty: none
  std::string content_type;  // the stream's MIME type after this stage; empty: unchanged
  // Makes the stage, writing into `next` (not owned; it must outlive the stage). The
  // stage's finish() finishes its own output, then calls next.finish() exactly once.
  std::function<std::unique_ptr<io::Sink>(io::Sink& next)> make;
  // The extension is not part of {{ .Extension }} but appended to the rendered file name,
  // as offen appends .gpg and .age to whatever BACKUP_FILENAME gave ("fixed.tar.gz.gpg").
  bool appended_to_name = false;
};

class StreamChain {
 public:
  // The chain of a tar stream: its stages in stream order.
  explicit StreamChain(std::vector<StreamStage> stages) : m_stages(std::move(stages)) {}

  // {{ .Extension }}: "tar" followed by each stage's extension but those appended to the
  // name: "tar.gz", "tar.zst", "tar".
  std::string extension() const;
  // What is appended to the rendered file name: ".gpg", ".age" or empty.
  std::string name_suffix() const;
  // The last stage's content type, "application/x-tar" when none sets one.
  std::string content_type() const;

  // The stages built in front of `out`. head() takes the tar stream; head().finish()
  // finishes every stage and then `out`. Destroying it unfinished aborts nothing in
  // `out` (its owner does).
  class Pipeline {
   public:
    io::Sink& head() { return *m_sinks.back(); }

   private:
    friend class StreamChain;
    std::vector<std::unique_ptr<io::Sink>> m_sinks;  // last stage first, head last
  };
  Pipeline build(io::Sink& out) const;

 private:
  std::vector<StreamStage> m_stages;
};

// The chain of a backup: the compressor of `compression` (none adds no extension), then
// the encryption of `encryption`, if any (".gpg" or ".age").
StreamChain archive_stream_chain(const compress::CompressionSettings& compression,
                                 const crypto::EncryptionSettings& encryption = {});

}  // namespace volback::app
