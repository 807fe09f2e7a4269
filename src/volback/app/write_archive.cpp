#include <volback/app/write_archive.hpp>

#include <array>
#include <string>

#include <volback/app/version.hpp>
#include <volback/archive/exclusion.hpp>
#include <volback/archive/tar_writer.hpp>
#include <volback/compress/codec.hpp>
#include <volback/io/counting_sink.hpp>

namespace volback::app {

util::Result<WrittenArchive> write_archive(const archive::ArchiveSettings& source,
                                           const compress::CompressionSettings& compression,
                                           std::vector<std::string> own_files, io::Sink& out,
                                           util::Logger& log, const util::CancelToken& cancel) {
  std::optional<archive::Exclusion> exclusion;
  if (source.exclude_pattern) {
    VOLBACK_TRY_ASSIGN(exclusion, archive::Exclusion::compile(*source.exclude_pattern));
  }

  io::CountingSink counter(out);
  const auto compressor = compress::make_compressor(
    compression.codec, compress::CompressOptions{.level = compression.level, .threads = compression.threads}, counter);
  archive::TarWriter tar(*compressor);

  const std::array header{archive::PaxRecord{"VOLBACK.version", std::string(version())}};
  VOLBACK_TRY(tar.write_global_header(header));

  archive::ArchiveOptions options;
  options.source = source.source;
  options.exclude = exclusion ? &*exclusion : nullptr;
  options.own_files = std::move(own_files);
  VOLBACK_TRY_ASSIGN(auto report, archive::archive_tree(options, tar, log, cancel));

  VOLBACK_TRY(tar.finish());
  VOLBACK_TRY(compressor->finish());  // flushes the codec, then finishes `out`
  return WrittenArchive{std::move(report), counter.count()};
}

}  // namespace volback::app
