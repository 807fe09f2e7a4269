#include <volback/app/restore/verify_backup.hpp>

#include <fmt/format.h>

#include <volback/archive/checked_tar_reader.hpp>
#include <volback/compress/auto_decompressor.hpp>

namespace volback::app {
util::Result<VerifyReport> verify_archive(io::Source& raw, const util::CancelToken& cancel,
                                          const std::string& spill_dir) {
  VerifyReport report;
  VOLBACK_TRY_ASSIGN(auto stream, compress::AutoDecompressor::open(raw));
  report.codec = stream->codec();
  archive::CheckedTarReader reader(
    *stream, {.stream_name = std::string(compress::stream_name(report.codec)), .spill_dir = spill_dir}, cancel);
  const auto read = [&]() -> util::Result<archive::CheckReport> {
    for (;;) {
      VOLBACK_TRY_ASSIGN(const auto entry, reader.next());
      if (!entry) {
        return reader.finish();
      }
    }
  }();
  if (!read) {
    if (read.error().kind() != util::ErrorKind::corrupt) {
      return util::fail(read.error());
    }
    // The stream broke: what was read so far is not judged further.
    report.verdict = Verdict::corrupt;
    report.problems.push_back(read.error().message());
    return report;
  }
  report.entries = read->entries;
  report.files_hashed = read->files_hashed;
  report.bytes_hashed = read->bytes_hashed;
  report.volback_version = read->volback_version;
  report.problems = read->problems.described;
  report.more_problems = read->problems.more;
  if (!read->problems.empty()) {
    report.verdict = Verdict::corrupt;
  } else if (!read->has_manifest) {
    report.verdict = Verdict::foreign;
  }
  return report;
}

}  // namespace volback::app
