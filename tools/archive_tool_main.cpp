// volback-archive-tool: one archive of a directory tree, written exactly as
// `volback backup` writes it (app/backup/write_archive.cpp), with or without the trailing
// manifest, for bench/manifest-cost.sh, which measures what the manifest's hashing and
// rows cost. Not part of volback itself.
//
//   volback-archive-tool SOURCE OUT gz|zst|none LEVEL THREADS manifest|no-manifest
//
// Prints "entries=N archive_bytes=M" on stdout. Exit status: 0 ok, 1 failure (message
// on stderr), 2 usage.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <volback/app/config/version.hpp>
#include <volback/archive/archiver.hpp>
#include <volback/archive/manifest_builder.hpp>
#include <volback/archive/tar_writer.hpp>
#include <volback/archive/threaded_observer.hpp>
#include <volback/compress/codec.hpp>
#include <volback/fs/file_sink.hpp>
#include <volback/io/counting_sink.hpp>
#include <volback/util/clock.hpp>
#include <volback/util/logging.hpp>
#include <volback/util/time_zone.hpp>

namespace {

namespace vb = volback;

int usage() {
  std::fputs("usage: volback-archive-tool SOURCE OUT gz|zst|none LEVEL THREADS manifest|no-manifest\n", stderr);
  return 2;
}

int failed(const vb::util::Error& error) {
  std::fprintf(stderr, "volback-archive-tool: %s\n", error.message().c_str());
  return 1;
}

// The entry names' root: the source without its leading '/'.
std::string sources_prefix(std::string_view source) {
  while (!source.empty() && source.front() == '/') {
    source.remove_prefix(1);
  }
  return std::string(source);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    return usage();
  }
  const std::string source = argv[1];
  const std::string_view codec_name = argv[3];
  const vb::compress::Codec codec = codec_name == "gz"    ? vb::compress::Codec::gzip
                                    : codec_name == "zst" ? vb::compress::Codec::zstd
                                                          : vb::compress::Codec::none;
  const std::string_view with = argv[6];
  if ((codec_name != "gz" && codec_name != "zst" && codec_name != "none") ||
      (with != "manifest" && with != "no-manifest")) {
    return usage();
  }
  const vb::util::SystemClock clock;
  vb::util::LineLogger log(stderr, vb::util::LogLevel::warn, clock, vb::util::TimeZone::utc());
  const vb::util::CancelToken cancel;

  auto file = vb::fs::FileSink::create(argv[2]);
  if (!file) {
    return failed(file.error());
  }
  vb::io::CountingSink counter(**file);
  const auto compressor = vb::compress::make_compressor(
    codec, {.level = std::atoi(argv[4]), .threads = static_cast<unsigned>(std::atoi(argv[5]))}, counter);
  vb::archive::ManifestBuilder manifest({.sources = sources_prefix(source)});
  vb::archive::ThreadedObserver hashing(manifest);  // as write_archive does
  vb::archive::TarWriter tar(*compressor, with == "manifest" ? &hashing : nullptr);
  const vb::archive::PaxRecord header[] = {
    {std::string(vb::archive::k_version_key), std::string(vb::app::version())},
    {std::string(vb::archive::k_manifest_key), std::to_string(vb::archive::k_manifest_format_version)}};
  if (auto written = tar.write_global_header(header); !written) {
    return failed(written.error());
  }
  const auto report = vb::archive::archive_tree({.source = source}, tar, log, cancel);
  if (!report) {
    return failed(report.error());
  }
  hashing.finish();
  if (with == "manifest") {
    if (auto written = manifest.write_manifest(tar, {}, clock.now()); !written) {
      return failed(written.error());
    }
  }
  if (auto done = tar.finish(); !done) {
    return failed(done.error());
  }
  if (auto done = compressor->finish(); !done) {
    return failed(done.error());
  }
  std::printf("entries=%llu archive_bytes=%llu\n", static_cast<unsigned long long>(report->entries),
              static_cast<unsigned long long>(counter.count()));
  return 0;
}
