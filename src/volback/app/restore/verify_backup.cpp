#include <volback/app/restore/verify_backup.hpp>

#include <fmt/format.h>

#include <volback/app/restore/archive_stream.hpp>
#include <volback/archive/checked_tar_reader.hpp>

namespace volback::app {
util::Result<VerifyReport> verify_archive(io::Source& raw, const util::CancelToken& cancel,
                                          const std::string& spill_dir, const crypto::DecryptionKeys& keys) {
  VerifyReport report;
  VOLBACK_TRY_ASSIGN(auto stream, open_archive_stream(raw, keys));
  report.codec = stream.decompressed->codec();
  report.encryption = stream.decrypted->encryption();
  archive::CheckedTarReader reader(stream.tar(), {.stream_name = stream.name, .spill_dir = spill_dir}, cancel);
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
