#include <volback/app/backup/write_archive.hpp>

#include <array>
#include <chrono>
#include <optional>
#include <string>

#include <volback/app/config/version.hpp>
#include <volback/archive/exclusion.hpp>
#include <volback/archive/manifest_builder.hpp>
#include <volback/archive/tar_writer.hpp>
#include <volback/archive/threaded_observer.hpp>
#include <volback/compress/codec.hpp>
#include <volback/io/counting_sink.hpp>
#include <volback/util/cores.hpp>
#include <volback/util/memory_plan.hpp>

namespace volback::app {
namespace {

// Entry names are the source path without its leading (and any trailing) '/'.
std::string sources_prefix(std::string_view source) {
  while (!source.empty() && source.front() == '/') {
    source.remove_prefix(1);
  }
  while (!source.empty() && source.back() == '/') {
    source.remove_suffix(1);
  }
  return std::string(source);
}

// offen's BACKUP_COMPRESSION spelling.
std::string_view codec_name(compress::Codec codec) {
  switch (codec) {
  case compress::Codec::none: return "none";
  case compress::Codec::gzip: return "gz";
  case compress::Codec::zstd: return "zst";
  }
  return "none";
}

std::string utc_text(util::TimePoint t) {
  return archive::format_utc(std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count());
}

// Whether the manifest hashes on a thread of its own (archive::ThreadedObserver)
// rather than on the thread that reads the files. Measured on 2 cores (3 GB, medians of
// 5, docs/performance.md): gz 2.55 s threaded against 2.90 s inline, since ISA-L leaves
// room while the reading thread is the bottleneck; zst 3.30 s against 3.08 s, since
// zstd's workers already fill both cores. With more cores the reading thread is the
// bottleneck for every codec.
bool hash_on_own_thread(compress::Codec codec, unsigned cores) {
  return codec != compress::Codec::zstd || cores > 2;
}

}  // namespace

util::Result<WrittenArchive> write_archive(const archive::ArchiveSettings& source,
                                           const compress::CompressionSettings& compression, const StreamChain& stream,
                                           std::vector<std::string> own_files, io::Sink& out, util::Logger& log,
                                           const util::CancelToken& cancel, const ManifestRun& run,
                                           const std::optional<std::string>& snapshot) {
  std::optional<archive::Exclusion> exclusion;
  if (source.exclude_pattern) {
    VOLBACK_TRY_ASSIGN(exclusion, archive::Exclusion::compile(*source.exclude_pattern));
  }

  const util::TimePoint started = run.clock != nullptr ? run.clock->now() : util::TimePoint{};
  io::CountingSink counter(out);
  auto pipeline = stream.build(counter);
  archive::ManifestBuilder manifest({.sources = sources_prefix(source.source), .spill_dir = run.spill_dir});
  std::optional<archive::ThreadedObserver> hashing;
  if (util::memory_plan().hash_thread && hash_on_own_thread(compression.codec, util::usable_cores())) {
    hashing.emplace(manifest);
  }
  archive::TarWriter tar(pipeline.head(), hashing ? static_cast<archive::EntryObserver*>(&*hashing) : &manifest);

  const std::array header{
    archive::PaxRecord{std::string(archive::k_version_key), std::string(version())},
    archive::PaxRecord{std::string(archive::k_manifest_key), std::to_string(archive::k_manifest_format_version)}};
  VOLBACK_TRY(tar.write_global_header(header));

  archive::ArchiveOptions options;
  options.source = snapshot ? *snapshot : source.source;
  options.names_as = snapshot ? source.source : std::string();
  options.exclude = exclusion ? &*exclusion : nullptr;
  options.own_files = std::move(own_files);
  options.sparse = source.sparse;
  options.owner_names = source.owner_names;
  VOLBACK_TRY_ASSIGN(auto report, archive::archive_tree(options, tar, log, cancel));

  if (hashing) {
    hashing->finish();  // every entry's row is in the manifest now
  }
  archive::ManifestInfo info;
  info.volback_version = std::string(version());
  info.compression = std::string(codec_name(compression.codec));
  info.stopped_containers = run.stopped_containers;
  util::TimePoint finished{};
  if (run.clock != nullptr) {
    finished = run.clock->now();
    info.started = utc_text(started);
    info.finished = utc_text(finished);
  }
  VOLBACK_TRY(manifest.write_manifest(tar, std::move(info), finished));

  VOLBACK_TRY(tar.finish());
  VOLBACK_TRY(pipeline.head().finish());  // flushes every stage, then finishes `out`
  return WrittenArchive{std::move(report), counter.count()};
}

}  // namespace volback::app
